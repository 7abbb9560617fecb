"""Character and sentence counts for the input pane, cheap enough to run on every keystroke.

The translator splits sentences with spaCy, but importing spaCy on the GUI thread would delay the
window and a 100,000-character paste would freeze it; this regex follows the same rule of thumb
(end punctuation, then space and a capital, digit or quote) and costs milliseconds.
"""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"[.!?…]+[\"'»«“”‘’)\]]*(?=\s+[\"'„»«“‘(\[]?[A-ZÄÖÜ0-9])")
_LINE_BREAKS = re.compile(r"\n+")


def count_sentences(text: str) -> int:
    count = 0
    for line in _LINE_BREAKS.split(text):
        if line.strip():
            count += 1 + len(_SENTENCE_END.findall(line.strip()))
    return count


def describe_counts(text: str) -> str:
    chars = len(text)
    sentences = count_sentences(text)
    return f"{plural(chars, 'character')} · {plural(sentences, 'sentence')}"


def plural(count: int, noun: str) -> str:
    """ "1 epoch", "2 epochs", "1,000 steps": the count with thousands separators and the right form."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
