"""The data folder's line-aligned gzip splits: ``STEM.de.gz`` beside ``STEM.en.gz``, line N of one
the translation of line N of the other.

The corpora the shipped models were trained, selected and measured on are kept that way, so the
scripts, benchmarks and tests read them with these functions rather than each its own.
Lines end where a text file's lines end (``\\n``, ``\\r\\n`` or ``\\r``), never at the other breaks
``str.splitlines`` knows, so a sentence holding a U+2028 stays one line and the sides stay aligned.
"""

from __future__ import annotations

import gzip
from itertools import islice
from pathlib import Path

from translator_app.core.paths import project_root
from translator_app.core.types.errors import ParallelDataError

SHARED_DATA = project_root().parent / "shared" / "data"  # the data folder beside a checkout
SIDES = ("de", "en")  # German first, as every pair in the app


def split_files(stem: Path) -> tuple[Path, Path]:
    """The German and the English file of the split ``stem`` (a path without ``.de.gz``)."""
    de, en = (Path(f"{stem}.{side}.gz") for side in SIDES)
    return de, en


def read_lines(path: Path, limit: int = 0) -> list[str]:
    """The lines of one gzip file without their line ends: all of them, or the first ``limit``."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        lines = islice(f, limit) if limit else f
        return [line.removesuffix("\n") for line in lines]


def read_split(stem: Path, limit: int = 0) -> tuple[list[str], list[str]]:
    """German and English lines of the split ``stem``, aligned by line: all, or the first ``limit``.

    Two files of different lengths are no split: refused with both counts, never cut to the shorter.
    """
    de_file, en_file = split_files(stem)
    de, en = read_lines(de_file, limit), read_lines(en_file, limit)
    if len(de) != len(en):
        raise ParallelDataError(f"{stem}: {len(de)} German but {len(en)} English lines; the split is not line-aligned")
    return de, en


def read_pairs(stem: Path, limit: int = 0) -> list[tuple[str, str]]:
    """(German, English) pairs of the split's first ``limit`` lines (0: all), stripped, without those
    with an empty side."""
    de, en = read_split(stem, limit)
    stripped = ((d.strip(), e.strip()) for d, e in zip(de, en))
    return [(d, e) for d, e in stripped if d and e]
