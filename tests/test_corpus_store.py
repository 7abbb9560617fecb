"""The packed, memory-mapped training corpus: same pairs as lists, a fraction of the memory, resumable."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import read_multi30k
from translator_app.core.batching import collate, encode_kept, encode_pairs, make_batches
from translator_app.core.training.corpus_store import EncodedPair
from translator_app.core.training.corpus_store import CORPUS_DIR, EncodedCorpus, has_corpus
from translator_app.core.modelfile import load_model_folder
from translator_app.core.types.train_config import TrainConfig
from translator_app.core.training.runner import prepare_run
from translator_app.core.types.run_spec import RunSpec


@pytest.fixture(scope="module")
def vocab(tiny_model_dir):
    return load_model_folder(tiny_model_dir).vocab


def pack(vocab, pairs, keep_text: bool = False) -> EncodedCorpus:
    """The pairs encoded one by one, as a run encodes its text, and packed in memory."""
    kept, _ = encode_kept(vocab, pairs, keep_text=keep_text)
    return EncodedCorpus.from_pairs(kept, keep_text=keep_text)


def test_a_packed_corpus_holds_the_same_pairs_and_batches_as_lists(vocab, tmp_path):
    pairs = read_multi30k("val", 300)
    listed, dropped = encode_pairs(vocab, pairs)
    kept, packed_dropped = encode_kept(vocab, pairs)
    packed = EncodedCorpus.from_pairs(kept)
    assert (len(packed), packed_dropped()) == (len(listed), dropped)
    assert all(list(a.src) == list(b.src) and list(a.tgt) == list(b.tgt) for a, b in zip(listed, packed))
    assert packed[-1].tgt.tolist() == list(listed[-1].tgt) and len(packed[:5]) == 5
    assert make_batches(packed, 32, seed=3, epoch=1) == make_batches(listed, 32, seed=3, epoch=1)
    batch = make_batches(packed, 32, seed=3, epoch=1)[0]
    assert collate(packed, batch).src.equal(collate(listed, batch).src)

    packed.save(tmp_path, {"report": "r"})
    opened, info = EncodedCorpus.open(tmp_path)
    assert isinstance(opened.src, np.memmap) and info == {"report": "r"}
    assert [p.src.tolist() for p in opened] == [p.src.tolist() for p in packed]


def test_a_token_costs_four_bytes_not_a_python_object(vocab):
    pairs = read_multi30k("train", 2000)
    packed = pack(vocab, pairs)
    tokens = len(packed.src) + len(packed.tgt)
    assert packed.nbytes == tokens * 4 + (len(packed) + 1) * 16
    assert packed.texts is None  # the text is not kept without subword sampling
    assert pack(vocab, pairs[:10], keep_text=True)[3].text == pairs[3]


def test_a_damaged_store_is_one_clear_error(vocab, tmp_path):
    packed = pack(vocab, read_multi30k("val", 20))
    packed.save(tmp_path, {})
    (tmp_path / CORPUS_DIR / "tgt.npy").write_bytes(b"\x80\x04pickle")
    with pytest.raises(ValueError, match="encoded corpus is damaged"):
        EncodedCorpus.open(tmp_path)


def test_a_resumed_run_trains_on_its_stored_pairs_even_when_the_text_is_gone(shipped_dir_with_tiny, tmp_path):
    from translator_app.core.paths import DEFAULT_MODEL

    data = tmp_path / "a.tsv"
    data.write_text("\n".join(f"{de}\t{en}" for de, en in read_multi30k("val", 120)), encoding="utf-8")
    spec = RunSpec(
        name="stored",
        data=[str(data)],
        base_model=DEFAULT_MODEL,
        train=TrainConfig(epochs=1, batch_size=16, checkpoint_every=2, precision="fp32"),
    )
    prepared = prepare_run(spec)
    assert has_corpus(prepared.run_dir) and isinstance(prepared.trainer.train_pairs.src, np.memmap)
    first = [p.src.tolist() for p in prepared.trainer.train_pairs]
    prepared.trainer.callback = lambda e: e.kind == "step" and e.step == 3 and prepared.trainer.cancel()
    assert prepared.trainer.fit().status == "cancelled"
    prepared.release()
    data.unlink()  # moved or deleted since: the run still resumes
    resumed = prepare_run(spec, resume=True, run_dir=prepared.run_dir)
    assert [p.src.tolist() for p in resumed.trainer.train_pairs] == first
    assert resumed.validation_pairs == prepared.validation_pairs and resumed.data_report == prepared.data_report
    assert resumed.trainer.fit(resume=True).status == "finished"
    resumed.release()


def test_encoded_pair_is_compact():
    pair = EncodedPair(np.array([5, 3], dtype=np.int32), np.array([2, 6, 3], dtype=np.int32))
    assert not hasattr(pair, "__dict__")  # slots: no per-pair dictionary
