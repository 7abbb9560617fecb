"""A corpus of millions of pairs: read, encoded and trained on within 1.5 GB, measured in a fresh process.

A user's real corpus (a few million pairs of public parallel data) must neither be held as Python
strings nor as lists of token ids: the text streams through a spool on disk (core.training.run_text) into
the memory-mapped store (core.training.corpus_store). The peak RSS is the figure in docs/results.md.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from translator_app.devtools.peak_memory import peak_rss_mb

SCALE_PAIRS = 2_000_000
PEAK_LIMIT_MB = 1500


def write_synthetic_corpus(folder: Path, count: int) -> tuple[Path, Path]:
    """``count`` distinct everyday pairs, line-aligned, made from a few templates and a running number."""
    subjects = [
        ("Der Hund", "The dog"),
        ("Meine Schwester", "My sister"),
        ("Unser Lehrer", "Our teacher"),
        ("Das Kind", "The child"),
        ("Ein alter Mann", "An old man"),
    ]
    verbs = [("kauft", "buys"), ("sieht", "sees"), ("findet", "finds"), ("braucht", "needs")]
    german, english = folder / "big.de", folder / "big.en"
    with german.open("w", encoding="utf-8") as de, english.open("w", encoding="utf-8") as en:
        for start in range(0, count, 100_000):
            rows = range(start, min(count, start + 100_000))
            de.write("".join(f"{subjects[n % 5][0]} {verbs[n // 5 % 4][0]} {n} Äpfel.\n" for n in rows))
            en.write("".join(f"{subjects[n % 5][1]} {verbs[n // 5 % 4][1]} {n} apples.\n" for n in rows))
    return german, english


def test_two_million_pairs_are_encoded_and_start_training_within_the_memory_limit(tmp_path, monkeypatch):
    """The issue's figure: peak RSS of a fresh process from reading the text to the first training step."""
    german, english = write_synthetic_corpus(tmp_path, SCALE_PAIRS)
    monkeypatch.setenv("TRANSLATOR_APP_DATA_DIR", str(tmp_path / "user-data"))
    peak = peak_rss_mb(
        textwrap.dedent(f"""
        import numpy as np
        from translator_app.core.training.corpus_store import EncodedCorpus
        from translator_app.core.paths import DEFAULT_MODEL
        from translator_app.core.types.train_config import TrainConfig
        from translator_app.core.types.run_spec import RunSpec
        from translator_app.core.training.runner import prepare_run

        class Started(Exception):
            pass

        def first_step(event):
            if event.kind == "step":
                raise Started
        spec = RunSpec(name="big", data=[{str(german)!r}, {str(english)!r}], base_model=DEFAULT_MODEL,
                       train=TrainConfig(epochs=1, batch_size=64, checkpoint_every=0))
        prepared = prepare_run(spec, callback=first_step)
        pairs = prepared.trainer.train_pairs
        assert isinstance(pairs, EncodedCorpus) and isinstance(pairs.src, np.memmap) and pairs.texts is None
        assert len(pairs) + prepared.validation_pairs == {SCALE_PAIRS}, (len(pairs), prepared.validation_pairs)
        try:
            prepared.trainer.fit()
        except Started:
            pass
        else:
            raise AssertionError("training never took its first step")
    """),
        limit_mb=4096,
    )
    print(f"peak RSS, {SCALE_PAIRS:,} pairs read, encoded and trained on: {peak:.0f} MB")
    assert peak < PEAK_LIMIT_MB
