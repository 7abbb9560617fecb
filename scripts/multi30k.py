"""The Multi30k task 1 splits (German-English) that the scripts train, select and report on."""

from __future__ import annotations

import gzip
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "multi30k"


def read_split(split: str) -> tuple[list[str], list[str]]:
    """German and English lines of ``train``, ``val`` or ``test_2016_flickr``, aligned by line."""
    de = gzip.open(DATA / f"{split}.de.gz", "rt", encoding="utf-8").read().splitlines()
    en = gzip.open(DATA / f"{split}.en.gz", "rt", encoding="utf-8").read().splitlines()
    if len(de) != len(en):
        raise SystemExit(f"{DATA}/{split}: {len(de)} German but {len(en)} English lines")
    return de, en


def read_pairs(split: str) -> list[tuple[str, str]]:
    """Non-empty (German, English) pairs, stripped."""
    de, en = read_split(split)
    return [(d.strip(), e.strip()) for d, e in zip(de, en) if d.strip() and e.strip()]
