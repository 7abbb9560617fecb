"""Shared fixtures: isolated user folders, and a tiny LSTM trained on a slice of Multi30k.

The tiny model is trained once per test session (a few seconds on CPU). It translates badly but
really: every test that needs a model exercises the real vocabulary, model file and search.

The data comes from ``../shared/data`` (or the folder ``TRANSLATOR_APP_TEST_DATA`` names); where that
has no Multi30k, as on a fresh clone, from the small Tatoeba sample in ``tests/data`` (its README.md
says where from and under which licence), so no test skips for want of data.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
import torch

from translator_app.core.readers import splits

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Test models are tiny: one thread is faster than two that wait on each other, and it leaves the
# other core to the GUI's event loop.
torch.set_num_threads(1)

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("TRANSLATOR_APP_TEST_DATA") or splits.SHARED_DATA)
BUNDLED_DATA = ROOT / "tests" / "data"  # laid out like SHARED_DATA's general/, Tatoeba only
MULTI30K = SHARED_DATA / "multi30k"
# Each Multi30k split and the bundled Tatoeba file that stands in for it
TATOEBA_SPLITS = {"train": "train_tatoeba", "val": "dev_tatoeba", "test_2016_flickr": "test_tatoeba"}


def has_multi30k() -> bool:
    return (MULTI30K / "train.de.gz").exists()


def corpus_stem(split: str) -> Path:
    """A Multi30k split, or its bundled Tatoeba stand-in, as a stem (``core.readers.splits``)."""
    return MULTI30K / split if has_multi30k() else BUNDLED_DATA / "general" / TATOEBA_SPLITS[split]


def corpus_files(split: str) -> tuple[Path, Path]:
    """The German and English files of a Multi30k split, or of its bundled Tatoeba stand-in."""
    return splits.split_files(corpus_stem(split))


def read_multi30k(split: str, limit: int | None = None) -> list[tuple[str, str]]:
    """(German, English) pairs of a Multi30k split ("train", "val", "test_2016_flickr"), or of its Tatoeba stand-in."""
    de, en = splits.read_split(corpus_stem(split), limit or 0)
    return list(zip(de, en))


def tuning_pairs(count: int) -> list[tuple[str, str]]:
    """``count`` distinct pairs of one pattern ("Ich habe 12 Katzen." / "I have 12 cats."), for tests that need a
    short fine-tune to keep a model: a step or two on them surely lowers the loss on held-out ones, whatever
    corpus the base model learnt, where on real sentences (captions or Tatoeba) it is a toss-up."""
    animals = [
        ("Katzen", "cats"),
        ("Hunde", "dogs"),
        ("Pferde", "horses"),
        ("Vögel", "birds"),
        ("Fische", "fish"),
        ("Kühe", "cows"),
    ]
    pairs = [(f"Ich habe {n} {de}.", f"I have {n} {en}.") for n in range(2, 40) for de, en in animals]
    random.Random(1).shuffle(pairs)
    assert count <= len(pairs), f"at most {len(pairs)} tuning pairs"
    return pairs[:count]


@pytest.fixture(autouse=True)
def isolated_user_folders(tmp_path, monkeypatch):
    """Never read or write the real user's models and settings."""
    monkeypatch.setenv("TRANSLATOR_APP_DATA_DIR", str(tmp_path / "user-data"))
    monkeypatch.setenv("TRANSLATOR_APP_CONFIG_DIR", str(tmp_path / "user-config"))
    monkeypatch.setenv("TRANSLATOR_APP_CACHE_DIR", str(tmp_path / "user-cache"))
    yield


def train_tiny_model(
    folder: Path, pairs: list[tuple[str, str]], *, epochs: int = 3, name: str = "tiny-lstm", seed: int = 1, arch: str = "lstm"
) -> Path:
    from translator_app.core.batching import encode_pairs
    from translator_app.core.modelfile import save_model_folder
    from translator_app.core.types.modelformat import ModelMetadata
    from translator_app.core.models import build_model, config_from_dict
    from translator_app.core.text import SubwordVocab
    from translator_app.core.training.trainer import Trainer
    from translator_app.core.types.train_config import TrainConfig

    torch.manual_seed(seed)
    vocab = SubwordVocab.train([s for p in pairs for s in p], vocab_size=600)
    sizes = {
        "lstm": {"emb_dim": 32, "hidden_dim": 64, "num_layers": 1},
        "attention": {"emb_dim": 32, "enc_hidden_dim": 32, "dec_hidden_dim": 64, "attn_dim": 32},
    }[arch]
    model = build_model(config_from_dict(arch, {"vocab_size": len(vocab), "dropout": 0.0, **sizes}))
    encoded, _ = encode_pairs(vocab, pairs)
    metadata = ModelMetadata(name=name, description="tiny test model")
    config = TrainConfig(epochs=epochs, batch_size=64, learning_rate=5e-3, warmup_steps=10, checkpoint_every=0, precision="fp32")
    Trainer(model, vocab, encoded, [], config, folder.parent / f".{name}-run", metadata).fit()
    model.eval()
    return save_model_folder(folder, model, vocab, metadata)


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    """A real, small model folder (trained here, never committed)."""
    folder = tmp_path_factory.mktemp("models") / "tiny-lstm"
    return train_tiny_model(folder, read_multi30k("train", 3000))


@pytest.fixture(scope="session")
def tiny_attention_model_dir(tmp_path_factory) -> Path:
    """A small Bahdanau-attention model folder, for the attention view."""
    folder = tmp_path_factory.mktemp("models") / "tiny-attention"
    return train_tiny_model(folder, read_multi30k("train", 2000), epochs=2, name="tiny-attention", arch="attention")


@pytest.fixture()
def shipped_dir_with_tiny(tmp_path, tiny_model_dir, monkeypatch) -> Path:
    """A stand-in shipped-models folder holding the tiny model as the default model."""
    import shutil

    from translator_app.core.paths import DEFAULT_MODEL

    shipped = tmp_path / "shipped"
    shutil.copytree(tiny_model_dir, shipped / DEFAULT_MODEL)
    monkeypatch.setenv("TRANSLATOR_APP_SHIPPED_MODELS", str(shipped))
    return shipped
