"""The dev and test sets every shipped model is selected and reported on, one per measured domain.

Written once here, beside ``core.credits``: ``scripts/publish_model.py`` measures on them, the
model tables (``scripts/model_table.py``, ``translator-app models``, the model manager) head their
columns with them, and the benchmarks and tests read them. Stems are relative to the data folder
(``core.readers.splits.SHARED_DATA``). Select on ``dev``, report on ``test``; neither is ever
trained on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from translator_app.core.readers.splits import SHARED_DATA, read_split
from translator_app.core.types.errors import InvalidInput

SPLITS = ("dev", "test")


@dataclass(frozen=True)
class EvalSet:
    domain: str
    name: str  # the test set as tables name it
    size: int  # sentences in the test set
    dev: str
    test: str
    tokenized_bleu: bool = False  # also the tutorials' lowercased spaCy-tokenized BLEU

    @property
    def title(self) -> str:
        """The test set with its size, as each model's config.json records it."""
        return f"{self.name} ({self.size:,})"

    def read(self, split: str, limit: int = 0, data: Path = SHARED_DATA) -> tuple[list[str], list[str]]:
        """German and English lines of ``split`` ("dev" or "test"): all, or the first ``limit``."""
        if split not in SPLITS:
            raise InvalidInput(f"an evaluation set has the splits {' and '.join(SPLITS)}, not {split!r}")
        return read_split(data / (self.dev if split == "dev" else self.test), limit)


EVAL_SETS = (
    EvalSet("everyday", "Tatoeba test", 2500, "general/dev_tatoeba", "general/test_tatoeba"),
    EvalSet("news", "newstest2014", 3003, "general/dev_newstest2013", "general/test_newstest2014"),
    EvalSet("captions", "Multi30k test_2016_flickr", 1000, "multi30k/val", "multi30k/test_2016_flickr", tokenized_bleu=True),
)
TEST_DOMAINS = tuple(s.domain for s in EVAL_SETS)  # the measured domains, in the order tables show them


def named_test_sets() -> str:
    """The test sets in words: "A (domain), B (domain) and C (domain)"."""
    named = [f"{s.name} ({s.domain})" for s in EVAL_SETS]
    return ", ".join(named[:-1]) + " and " + named[-1]
