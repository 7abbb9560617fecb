"""A run's text streamed through a spool on disk: the same pairs, vocabulary and store as the whole
text in memory gives, and nothing left behind (a corpus of millions: tests/faults/test_corpus_scale.py)."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from conftest import read_multi30k
from translator_app.core.batching import encode_pairs
from translator_app.core.training.corpus_store import CORPUS_DIR, CorpusWriter, EncodedCorpus, has_corpus
from translator_app.core.modelfile import load_model_folder
from translator_app.core.protect import protect_pair
from translator_app.core.readers import read_parallel
from translator_app.core.types.errors import ParallelDataError
from translator_app.core.types.run_spec import CorpusPart, RunSpec, holdout_split
from translator_app.core.training.run_text import mix_rows, read_run_text
from translator_app.core.text import SubwordVocab
from translator_app.core.types.train_config import TrainConfig
from translator_app.core.training.runner import prepare_run


def write_tsv(path: Path, pairs) -> Path:
    path.write_text("".join(f"{de}\t{en}\n" for de, en in pairs), encoding="utf-8")
    return path


@pytest.fixture()
def corpora(tmp_path) -> tuple[Path, Path, Path]:
    """Two training files with what cleaning drops (a duplicate, an empty side, extra spaces), and a dev file."""
    pairs = read_multi30k("train", 400)
    first = pairs[:150] + [pairs[3], ("Nur  Deutsch", ""), ("  Zwei   Hunde.", "Two  dogs. ")]
    return (
        write_tsv(tmp_path / "a.tsv", first),
        write_tsv(tmp_path / "b.tsv", pairs[150:300]),
        write_tsv(tmp_path / "dev.tsv", pairs[300:400]),
    )


def in_memory(spec: RunSpec) -> tuple[list, list]:
    """The oracle: (training, validation) pairs with the whole text in memory, as runs read it before streaming."""
    if spec.corpora:
        rng, train = random.Random(spec.train.seed), []
        for part in spec.corpora:
            pairs = read_parallel(part.files).pairs
            whole, fraction = int(part.weight), part.weight - int(part.weight)
            train += pairs * whole + (rng.sample(pairs, round(len(pairs) * fraction)) if fraction else [])
        return train, [p for part in spec.validation_corpora for p in read_parallel(part.files, limit=part.limit or None).pairs]
    pairs = read_parallel(spec.data).pairs
    if spec.validation:
        return pairs, read_parallel(spec.validation).pairs
    train, held = holdout_split(len(pairs), spec.validation_fraction, spec.train.seed)
    return [pairs[i] for i in train], [pairs[i] for i in held]


def recipe_spec(a: Path, b: Path, dev: Path, seed: int = 5) -> RunSpec:
    return RunSpec(
        name="mix",
        corpora=[CorpusPart([str(a)], weight=1.5), CorpusPart([str(b)], weight=0.4)],
        validation_corpora=[CorpusPart([str(dev)], limit=30)],
        train=TrainConfig(seed=seed),
    )


@pytest.mark.parametrize("kind", ["recipe", "hold-out", "validation file"])
def test_streamed_text_is_the_in_memory_text_in_the_same_order(corpora, tmp_path, kind):
    a, b, dev = corpora
    spec = {
        "recipe": recipe_spec(a, b, dev),
        "hold-out": RunSpec(name="one", data=[str(a)], validation_fraction=0.1, train=TrainConfig(seed=7)),
        "validation file": RunSpec(name="one", data=[str(a)], validation=[str(dev)]),
    }[kind]
    train, validation = in_memory(spec)
    with read_run_text(spec, tmp_path / "run") as text:
        assert list(text.pairs()) == train and len(text) == len(train)
        assert text.validation == validation
        assert list(text.sentences())[:4] == [train[0][0], train[0][1], train[1][0], train[1][1]]
        folder = text.folder
        assert folder.name.endswith(".partial") and folder.parent == tmp_path / "run"
    assert not folder.exists()  # the spool goes once the run is encoded


def test_mix_rows_repeats_and_samples_repeatably():
    assert mix_rows(4, 2.0, random.Random(1)).tolist() == [0, 1, 2, 3, 0, 1, 2, 3]
    half = mix_rows(10, 0.5, random.Random(1)).tolist()
    assert len(half) == 5 and set(half) <= set(range(10)) and half == mix_rows(10, 0.5, random.Random(1)).tolist()
    assert half == random.Random(1).sample(range(10), 5)  # the rows the in-memory mix samples
    assert len(mix_rows(10, 1.3, random.Random(1))) == 13 and mix_rows(0, 0.5, random.Random(1)).tolist() == []
    with pytest.raises(ValueError, match="negative"):
        mix_rows(10, -1, random.Random(1))


def pieces(vocab: SubwordVocab) -> list[tuple[str, float]]:
    return [(vocab._sp.id_to_piece(i), vocab._sp.get_score(i)) for i in range(len(vocab))]


def test_a_run_from_scratch_gets_the_vocabulary_and_store_of_the_in_memory_text(corpora, tmp_path):
    spec = recipe_spec(*corpora)
    spec.architecture, spec.vocab_size = "lstm", 400
    spec.hyperparameters = {"emb_dim": 16, "hidden_dim": 16, "num_layers": 1, "dropout": 0.0}
    prepared = prepare_run(spec, run_dir=tmp_path / "run", check_name=False)
    prepared.release()
    train, validation = in_memory(spec)
    vocab = SubwordVocab.train([s for pair in train for s in pair], vocab_size=400, placeholders=True)
    assert pieces(prepared.trainer.vocab) == pieces(vocab)  # the protos differ only in the temporary input's path
    expected, dropped = encode_pairs(vocab, train, transform=protect_pair)
    stored = prepared.trainer.train_pairs
    assert isinstance(stored, EncodedCorpus) and isinstance(stored.src, np.memmap)
    assert [(p.src.tolist(), p.tgt.tolist()) for p in stored] == [(p.src.tolist(), p.tgt.tolist()) for p in expected]
    assert prepared.trainer.val_pairs == validation
    assert (
        prepared.data_report.endswith(f"; {dropped} longer than 100 subwords dropped")
        if dropped
        else ("dropped" not in prepared.data_report)
    )
    assert not [p.name for p in (tmp_path / "run").iterdir() if p.name.endswith(".partial")]


def test_a_file_that_fails_midway_leaves_no_spool_and_no_store(tmp_path):
    good = write_tsv(tmp_path / "good.tsv", read_multi30k("train", 40))
    spec = RunSpec(
        name="bad",
        corpora=[CorpusPart([str(good)]), CorpusPart([str(tmp_path / "missing.tsv")])],
        validation_corpora=[CorpusPart([str(good)], limit=5)],
    )
    with pytest.raises((ParallelDataError, OSError, ValueError)):
        prepare_run(spec, run_dir=tmp_path / "run", check_name=False)
    left = list((tmp_path / "run").iterdir()) if (tmp_path / "run").exists() else []
    assert not any(p.name.endswith(".partial") for p in left) and not has_corpus(tmp_path / "run")


def test_the_writer_stores_what_it_was_given_or_nothing(tmp_path, tiny_model_dir):
    vocab = load_model_folder(tiny_model_dir).vocab
    packed = EncodedCorpus.from_pairs(encode_pairs(vocab, read_multi30k("val", 50))[0], keep_text=True)
    packed.save(tmp_path, {"n": 1})
    opened, info = EncodedCorpus.open(tmp_path)
    assert info == {"n": 1} and opened.texts == packed.texts
    assert all(a.src.tolist() == b.src.tolist() and a.tgt.tolist() == b.tgt.tolist() for a, b in zip(opened, packed))
    with pytest.raises(RuntimeError), CorpusWriter(tmp_path / "other") as writer:
        writer.add_all(packed)
        raise RuntimeError("killed while encoding")
    assert not (tmp_path / "other" / CORPUS_DIR).exists() and not list((tmp_path / "other").iterdir())
