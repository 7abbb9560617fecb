"""The dev and test sets every shipped model is selected and reported on, one per domain.

Paths are relative to the data folder (``../shared/data`` from the project root). Select on
``dev``, report on ``test``; neither is ever trained on.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@dataclass(frozen=True)
class EvalSet:
    domain: str
    title: str
    dev: str
    test: str
    tokenized_bleu: bool = False  # also the tutorials' lowercased spaCy-tokenized BLEU

    def read(self, split: str, limit: int = 0, data: Path = DATA) -> tuple[list[str], list[str]]:
        stem = data / (self.dev if split == "dev" else self.test)
        de = gzip.open(f"{stem}.de.gz", "rt", encoding="utf-8").read().splitlines()
        en = gzip.open(f"{stem}.en.gz", "rt", encoding="utf-8").read().splitlines()
        if len(de) != len(en):
            raise SystemExit(f"{stem}: {len(de)} German but {len(en)} English lines")
        return (de[:limit], en[:limit]) if limit else (de, en)


EVAL_SETS = (
    EvalSet("everyday", "Tatoeba test (2,500)", "general/dev_tatoeba", "general/test_tatoeba"),
    EvalSet("news", "newstest2014 (3,003)", "general/dev_newstest2013", "general/test_newstest2014"),
    EvalSet("captions", "Multi30k test_2016_flickr (1,000)", "multi30k/val", "multi30k/test_2016_flickr", tokenized_bleu=True),
)
