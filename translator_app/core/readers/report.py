"""What reading gives back: the pairs, the report on them, and the one set of cleaning rules."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from typing import Callable

_SKIP_ORDER = (
    "untranslated",
    "fuzzy",
    "obsolete",
    "not for translation",
    "empty",
    "too long",
    "duplicate",
    "missing column",
    "missing language",
)


@dataclass(frozen=True)
class TableShape:
    """A TSV/CSV's first rows as the reader saw them, so a column chooser needs no second read."""

    first_row: tuple[str, ...]  # the header, or else the first data row
    header: bool  # whether ``first_row`` is a header (its cells name the columns)
    width: int  # columns in the widest of the rows the guesses looked at, and at least up to those used


@dataclass
class ReadReport:
    """What was read and what was dropped, so the user can tell whether the data is what they meant."""

    format: str
    files: list[str]
    total_rows: int
    kept: int
    skipped: dict[str, int]
    encoding: str
    columns: tuple[int, int] | None = None  # (German, English) column actually used for TSV/CSV
    table: TableShape | None = None  # TSV/CSV only

    def summary(self) -> str:
        """One line for a status bar or log."""
        text = f"{self.kept:,} pair{'' if self.kept == 1 else 's'} kept"
        total_skipped = sum(self.skipped.values())
        if total_skipped:
            order = {reason: i for i, reason in enumerate(_SKIP_ORDER)}
            reasons = sorted(self.skipped, key=lambda r: (order.get(r, len(order)), r))
            details = ", ".join(f"{self.skipped[r]:,} {r}" for r in reasons if self.skipped[r])
            text += f", {total_skipped:,} skipped ({details})"
        return text


@dataclass
class ParallelData:
    pairs: list[tuple[str, str]]
    report: ReadReport


def _clean(text: str) -> str:
    return " ".join(text.replace("\ufeff", "").split())


PairSink = Callable[[str, str], None]


def pair_key(german: str, english: str) -> int:
    """A pair's 64-bit fingerprint: deduplicating millions of pairs holds these, not the sentences."""
    digest = hashlib.blake2b(f"{german}\t{english}".encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


class Collector:
    """Applies the cleaning rules and keeps the counts, identically for every format.

    Kept pairs go to ``pairs`` (the first ``keep`` of them), or, with a ``sink``, each to the sink
    as it is read, so that a corpus of any size streams through without being held as strings.
    """

    def __init__(
        self, max_chars: int | None, dedupe: bool, keep: int | None, stop: int | None, sink: PairSink | None = None
    ) -> None:
        self.max_chars = max_chars
        self.dedupe = dedupe
        self.keep = keep  # pairs stored (preview stores a few but counts everything)
        self.stop = stop  # kept pairs after which reading stops
        self.sink = sink
        self.pairs: list[tuple[str, str]] = []
        self.seen: set[int] = set()
        self.total = 0
        self.kept = 0
        self.skipped: Counter[str] = Counter()

    @property
    def done(self) -> bool:
        return self.stop is not None and self.kept >= self.stop

    def skip(self, reason: str) -> None:
        self.total += 1
        self.skipped[reason] += 1

    def add(self, german: str, english: str) -> None:
        self.total += 1
        german, english = _clean(german), _clean(english)
        if not german or not english:
            self.skipped["empty"] += 1
            return
        if self.max_chars and (len(german) > self.max_chars or len(english) > self.max_chars):
            self.skipped["too long"] += 1
            return
        if self.dedupe:
            key = pair_key(german, english)
            if key in self.seen:
                self.skipped["duplicate"] += 1
                return
            self.seen.add(key)
        self.kept += 1
        if self.sink is not None:
            self.sink(german, english)
        elif self.keep is None or len(self.pairs) < self.keep:
            self.pairs.append((german, english))
