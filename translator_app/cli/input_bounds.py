"""What ``translate`` takes of its input, bounded the way the readers bound a line (issue 28, item 5).

One line of stdin (or the text given as arguments) is never held past the readers'
``MAX_LINE_BYTES``: a longer line is skipped unread. Inside a line, a "word" longer than the
longest sentence the model takes (``MAX_SOURCE_SUBWORDS``) is cut to that, and a line is
translated up to one batch of such sentences; the rest is left out. Each cut is said, with where
it happened, so a 100 KB word or 10,000 numbers cost seconds and a few hundred MB, not minutes and
gigabytes, and nothing is dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol, Sequence

from translator_app.core.readers import MAX_LINE_BYTES
from translator_app.core.translator import MAX_SOURCE_SUBWORDS, SENTENCES_PER_BATCH

# The most subwords of one line that are translated: one full batch of the longest sentences the
# model takes (about 40 KB of prose, well under a minute of search); the rest of a line is left out.
MAX_LINE_SUBWORDS = MAX_SOURCE_SUBWORDS * SENTENCES_PER_BATCH

_WORD = re.compile(r"\S+")

__all__ = ["MAX_LINE_SUBWORDS", "Bounded", "bound_text", "long_line_note"]


class Vocabulary(Protocol):
    def encode_batch(self, texts: Sequence[str]) -> list[list[int]]: ...

    def pieces(self, ids: Sequence[int]) -> list[str]: ...


@dataclass(frozen=True)
class Bounded:
    """The part of a text that is translated, and what was cut from it (notes for stderr)."""

    text: str
    notes: tuple[str, ...] = ()
    subwords: int = 0  # about how many ``text`` encodes to (each word encoded alone)


def long_line_note(where: str, size: int) -> str:
    return (
        f"note: {where} ({size:,} bytes) is over the {MAX_LINE_BYTES:,}-byte limit of a line and was skipped "
        "unread; its output is empty. Break it into lines (one paragraph a line)."
    )


def bound_text(text: str, vocab: Vocabulary, where: str) -> Bounded:
    """``text`` with each over-long word cut to ``MAX_SOURCE_SUBWORDS`` subwords and the whole cut
    after ``MAX_LINE_SUBWORDS``; ``where`` ("line 3") starts each note."""
    words = list(_WORD.finditer(text))
    kept: list[str] = []
    notes: list[str] = []
    total = last = 0
    for match, ids in zip(words, vocab.encode_batch([m.group() for m in words])):
        word = match.group()
        if total + min(len(ids), MAX_SOURCE_SUBWORDS) > MAX_LINE_SUBWORDS:
            notes.append(
                f"note: {where}: only its first {match.start():,} of {len(text):,} characters were translated; "
                f"the rest, from character {match.start() + 1:,}, is over the {MAX_LINE_SUBWORDS:,}-subword limit "
                "of one line. Break it into lines."
            )
            return Bounded("".join(kept), tuple(notes), total)
        if len(ids) > MAX_SOURCE_SUBWORDS:
            head = ids[:MAX_SOURCE_SUBWORDS]
            keep = max(1, min(len(word), sum(len(p.lstrip("\u2581")) for p in vocab.pieces(head))))
            notes.append(
                f"note: {where}: a word of {len(word):,} characters at character {match.start() + 1:,} is over the "
                f"{MAX_SOURCE_SUBWORDS}-subword limit of a sentence; only its first {keep:,} characters were translated."
            )
            word, ids = word[:keep], head
        kept.append(text[last : match.start()] + word)
        last = match.end()
        total += len(ids)
    kept.append(text[last:])
    return Bounded("".join(kept), tuple(notes), total)
