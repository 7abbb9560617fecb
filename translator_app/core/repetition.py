"""Stutters: a word or phrase said twice in a row in the output where the source does not repeat it.

A small recurrent or attention model that loses its place in a long sentence often emits the
same words again ("… on Wednesday on Wednesday", "The critics, however, however, …"). Users read
this as broken output, so it is measured on dev (``benchmarks/repetition.py``) and kept off by
the search's n-gram ban where that costs no BLEU. A phrase counts as a stutter only when it is
repeated back to back (punctuation between the two copies ignored) and the source holds no
back-to-back repetition itself ("sehr, sehr gut" may well give "very, very good").
"""

from __future__ import annotations

import re

MAX_PHRASE_WORDS = 4  # "on Wednesday on Wednesday" is 2; longer echoes are rarer and also caught
_WORD = re.compile(r"\w+(?:['’.,]\w+)*")


def words(text: str) -> list[str]:
    """Lowercased word tokens; punctuation between them is dropped, numbers stay one token."""
    return [w.lower() for w in _WORD.findall(text)]


def adjacent_repeat(tokens: list[str], max_words: int = MAX_PHRASE_WORDS) -> str | None:
    """The first phrase of 1..``max_words`` words that ``tokens`` holds twice back to back."""
    for size in range(1, max_words + 1):
        for start in range(len(tokens) - 2 * size + 1):
            if tokens[start : start + size] == tokens[start + size : start + 2 * size]:
                return " ".join(tokens[start : start + size])
    return None


def stutter(source: str, output: str) -> str | None:
    """The phrase ``output`` repeats back to back, unless ``source`` repeats itself the same way."""
    if adjacent_repeat(words(source)) is not None:
        return None
    return adjacent_repeat(words(output))
