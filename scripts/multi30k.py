"""The Multi30k task 1 splits (German-English) that the scripts train, select and report on."""

from __future__ import annotations

from translator_app.core.readers import splits

MULTI30K = splits.SHARED_DATA / "multi30k"


def read_split(split: str) -> tuple[list[str], list[str]]:
    """German and English lines of ``train``, ``val`` or ``test_2016_flickr``, aligned by line."""
    return splits.read_split(MULTI30K / split)


def read_pairs(split: str) -> list[tuple[str, str]]:
    """Non-empty (German, English) pairs, stripped."""
    return splits.read_pairs(MULTI30K / split)
