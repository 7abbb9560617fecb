"""Character and sentence counts for the input pane, and counts written with their noun.

The sentence count is the core's (``core.sentence_count``): the splitter's rule as a regex, cheap
enough to run on every keystroke.
"""

from __future__ import annotations

from translator_app.core.sentence_count import count_sentences


def describe_counts(text: str) -> str:
    chars = len(text)
    sentences = count_sentences(text)
    return f"{plural(chars, 'character')} · {plural(sentences, 'sentence')}"


def plural(count: int, noun: str) -> str:
    """ "1 epoch", "2 epochs", "1,000 steps": the count with thousands separators and the right form."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
