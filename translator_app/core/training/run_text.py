"""A run's training text, streamed: read once into a spool on disk, then replayed in training order.

A run needs its text twice, once to learn a vocabulary and once to encode it, and a recipe mixes
corpora by weight (2 repeats a corpus, 0.5 keeps a random half) while a user's single file gives up
a random hold-out for validation. Holding millions of pairs as Python strings for that costs
gigabytes, so each corpus is read once (``read_parallel_into``: cleaned and deduplicated as always)
into a spool file beside the run, one ``German<TAB>English`` line a pair, and only the row numbers
are mixed and split. Replaying reads the spool line by line (seeking only where a sampled row is
out of order), so memory holds a chunk of pairs, the rows' file offsets (8 bytes a pair), the row
numbers of the mix and the validation pairs, never the corpus.

The pairs come out in exactly the order the in-memory mix gives (``tests/test_run_text.py``).
"""

from __future__ import annotations

import random
import shutil
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from translator_app.core.atomic import PARTIAL, temp_sibling
from translator_app.core.readers import read_parallel, read_parallel_into
from translator_app.core.types.run_spec import MAX_VALIDATION_PAIRS, RunSpec, holdout_split
from translator_app.core.types.errors import InvalidInput

__all__ = ["RunText", "mix_rows", "read_run_text"]


class _Spool:
    """Cleaned pairs of one corpus, one line each, with every line's byte offset (the sink of a reader)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offsets = array("q")
        self._out = path.open("wb")
        self._end = 0  # bytes written so far: counted, since tell() costs a system call a pair

    def __call__(self, german: str, english: str) -> None:
        # cleaned text has no tabs or line breaks (whitespace is collapsed), so the line splits back exactly
        line = f"{german}\t{english}\n".encode("utf-8", "surrogatepass")
        self.offsets.append(self._end)
        self._out.write(line)
        self._end += len(line)

    def close(self) -> None:
        self._out.close()

    def __len__(self) -> int:
        return len(self.offsets)

    def rows(self, numbers: Sequence[int] | np.ndarray) -> Iterator[tuple[str, str]]:
        """The pairs at ``numbers``, in that order: read on from the last row, seeking only on a jump."""
        with self.path.open("rb") as source:
            following = -1
            for number in numbers:
                if number != following:
                    source.seek(self.offsets[number])
                german, english = source.readline().decode("utf-8", "surrogatepass").rstrip("\n").split("\t")
                following = number + 1
                yield german, english


@dataclass
class _Part:
    spool: _Spool
    rows: np.ndarray  # row numbers of the spool in training order, repeats included


@dataclass
class RunText:
    """The training pairs of a run, replayable from disk; the validation pairs, in memory (few)."""

    folder: Path  # the spool folder; removed by ``close``
    parts: list[_Part] = field(default_factory=list)
    validation: list[tuple[str, str]] = field(default_factory=list)
    report: str = ""

    def __len__(self) -> int:
        return sum(len(part.rows) for part in self.parts)

    def pairs(self) -> Iterator[tuple[str, str]]:
        """Every training pair in training order: a corpus's copies one after the other, corpus by corpus."""
        for part in self.parts:
            yield from part.spool.rows(part.rows)

    def sentences(self) -> Iterator[str]:
        """German, English, German, ... of ``pairs``: what the vocabulary is learned from."""
        for german, english in self.pairs():
            yield german
            yield english

    def close(self) -> None:
        for part in self.parts:
            part.spool.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> "RunText":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def read_run_text(spec: RunSpec, run_dir: Path) -> RunText:
    """Read the run's files (a recipe's weighted mix, or the user's files) into a spool beside ``run_dir``.

    The spool is a hidden ``.partial`` folder, so a run killed while it reads leaves nothing that
    the next start does not tidy.
    """
    folder = temp_sibling(Path(run_dir) / "text", PARTIAL)
    folder.mkdir(parents=True)
    text = RunText(folder)
    try:
        _read_into(spec, text)
    except BaseException:
        text.close()
        raise
    return text


def _spool(text: RunText, paths: Sequence[str], format: str | None, columns: tuple[int, int] | None):
    spool = _Spool(text.folder / f"{len(text.parts)}.tsv")
    try:
        report = read_parallel_into(paths, spool, format, columns=columns)
    finally:
        spool.close()
    return spool, report


def _read_into(spec: RunSpec, text: RunText) -> None:
    if spec.corpora:
        rng = random.Random(spec.train.seed)
        reports = []
        for part in spec.corpora:
            spool, report = _spool(text, part.files, part.format or spec.format, spec.columns)
            first = min(len(spool), part.limit) if part.limit else len(spool)  # a limit keeps the first pairs
            text.parts.append(_Part(spool, mix_rows(first, part.weight, rng)))
            reports.append(f"{Path(part.files[0]).name.split('.')[0]}: {report.summary()} × {part.weight:g}")
        text.validation = [
            pair
            for part in spec.validation_corpora
            for pair in read_parallel(part.files, part.format or spec.format, limit=part.limit or None).pairs
        ]
        if not text.validation:
            raise InvalidInput("a corpus mix needs validation corpora")
        text.report = "; ".join(reports)
    else:
        spool, report = _spool(text, spec.data, spec.format, spec.columns)
        text.report = report.summary()
        if spec.validation:
            text.parts.append(_Part(spool, np.arange(len(spool), dtype=np.int64)))
            text.validation = read_parallel(spec.validation, spec.format, columns=spec.columns, limit=MAX_VALIDATION_PAIRS).pairs
        else:
            train, held = holdout_split(len(spool), spec.validation_fraction, spec.train.seed)
            text.parts.append(_Part(spool, np.asarray(train, dtype=np.int64)))
            text.validation = list(spool.rows(held))
    text.validation = text.validation[:MAX_VALIDATION_PAIRS]


def mix_rows(count: int, weight: float, rng: random.Random) -> np.ndarray:
    """Row numbers of a corpus of ``count`` pairs at ``weight``: whole copies, then a random share for the fraction."""
    if weight < 0:
        raise InvalidInput("a corpus weight cannot be negative")
    whole, fraction = int(weight), weight - int(weight)
    sample = rng.sample(range(count), round(count * fraction)) if fraction else []
    return np.concatenate([np.tile(np.arange(count, dtype=np.int64), whole), np.asarray(sample, dtype=np.int64)])
