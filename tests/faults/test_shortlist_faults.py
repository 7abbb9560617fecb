"""Fault injection: degenerate vocabulary shortlists (issue 28, item 6).

A shortlist that could not cover a translation (an empty frequent list, a [V, 0] table, all
padding, one id everywhere, or a table wide enough to cost a gigabyte) is refused on load with an
error naming the file, before its data is read where the shape already gives it away; and a
shortlist never raises confidence: the chosen tokens are scored over the whole vocabulary.
"""

from __future__ import annotations

import shutil
import time

import pytest
import torch
import torch.nn.functional as F
from model_variants import SMALL, VOCAB, small_model
from safetensors.torch import save_file

from translator_app.cli.main import main
from translator_app.core.confidence import sentence_score
from translator_app.core.modelfile import load_model_folder
from translator_app.core.types.modelformat import SHORTLIST_FILE, ModelFileError
from translator_app.core.search import search
from translator_app.core.batching import pad_batch
from translator_app.core.types.options import DecodeOptions
from translator_app.core.shortlist import Shortlist, load_shortlist
from translator_app.core.text import BOS_ID, EOS_ID, PAD_ID

I16 = torch.int16
GOOD_FREQUENT = torch.arange(4, 30, dtype=I16)
GOOD_TABLE = torch.arange(VOCAB * 5, dtype=I16).remainder(VOCAB - 4).add(4).view(VOCAB, 5)
DEGENERATE = {
    "frequent=[] and a [V, 0] table": (
        {"frequent": torch.zeros(0, dtype=I16), "table": torch.zeros(VOCAB, 0, dtype=I16)},
        "per source",
    ),
    "frequent=[] and an all-padding table": (
        {"frequent": torch.zeros(0, dtype=I16), "table": torch.zeros(VOCAB, 50, dtype=I16)},
        "frequent list names 0",
    ),
    "a good frequent list, an all-padding table": (
        {"frequent": GOOD_FREQUENT, "table": torch.full((VOCAB, 50), PAD_ID, dtype=I16)},
        "table names 0",
    ),
    "one id everywhere": (
        {"frequent": torch.full((26,), 7, dtype=I16), "table": torch.full((VOCAB, 50), 7, dtype=I16)},
        "names 1",
    ),
    "a [V, 20000] table of one id": (
        {"frequent": GOOD_FREQUENT, "table": torch.full((VOCAB, 20_000), 7, dtype=I16)},
        "20000 subwords per source",
    ),
    "a frequent list longer than the vocabulary": (
        {"frequent": torch.arange(4, 4 + VOCAB + 1, dtype=I16).remainder(VOCAB), "table": GOOD_TABLE},
        "41 frequent",
    ),
}


@pytest.mark.fault("28.6", "degenerate shortlists: empty, all padding, one id, [V, 20000]")
@pytest.mark.parametrize("case", list(DEGENERATE))
def test_a_degenerate_shortlist_is_refused_naming_the_file(tmp_path, case):
    tensors, message = DEGENERATE[case]
    save_file(tensors, str(tmp_path / SHORTLIST_FILE))
    started = time.perf_counter()
    with pytest.raises(ModelFileError, match=message) as refused:
        load_shortlist(tmp_path, VOCAB)
    assert str(tmp_path / SHORTLIST_FILE) in str(refused.value) and time.perf_counter() - started < 1
    save_file({"frequent": GOOD_FREQUENT, "table": GOOD_TABLE}, str(tmp_path / SHORTLIST_FILE))
    assert load_shortlist(tmp_path, VOCAB) is not None  # a sane one of the same vocabulary is taken


@pytest.mark.fault("28.6", "a model with frequent=[] and a [V, 0] table: translate refuses, naming the file")
def test_translate_refuses_a_model_with_a_degenerate_shortlist(tmp_path, tiny_model_dir, capsys):
    folder = shutil.copytree(tiny_model_dir, tmp_path / "model")
    vocab_size = load_model_folder(folder).config.vocab_size
    save_file(
        {"frequent": torch.zeros(0, dtype=I16), "table": torch.zeros(vocab_size, 0, dtype=I16)}, str(folder / SHORTLIST_FILE)
    )
    assert main(["translate", "--model", str(folder), "Berlin ist eine Stadt."]) != 0
    captured = capsys.readouterr()
    assert "Berlin in Berlin" not in captured.out and "Traceback" not in captured.err
    assert SHORTLIST_FILE in captured.err and "delete the file" in captured.err


def _full_vocabulary_reference(model, src, lengths, row: int, ids: list[int]) -> list[float]:
    """Each token's log-probability from the model's own full softmax, one decode step at a time."""
    state = model.encode(src[row : row + 1], lengths[row : row + 1])
    prev, out = torch.tensor([BOS_ID]), []
    for token in ids:
        logits, state, _ = model.decode_step(state, prev)
        out.append(float(F.log_softmax(logits.float(), -1)[0, token]))
        prev = torch.tensor([token])
    return out


@pytest.mark.fault("28.6", "a narrow shortlist does not raise confidence (scored over the full distribution)")
@pytest.mark.parametrize("variant", list(SMALL))
@pytest.mark.parametrize("beam", [1, 3])
def test_confidence_under_a_shortlist_is_the_full_distributions(variant, beam):
    model = small_model(variant)
    src, lengths = pad_batch([[5, 6, 7, EOS_ID], [8, 9, EOS_ID]])
    options = DecodeOptions(beam_width=beam, n_best=beam, max_length=8)
    narrow = Shortlist(torch.tensor([11, 13, 17]), torch.zeros(VOCAB, 1, dtype=torch.long))
    with torch.inference_mode():
        for row, hyps in enumerate(search(model, src, lengths, options, narrow)):
            for h in hyps:
                expected = _full_vocabulary_reference(model, src, lengths, row, h.token_ids)
                assert h.token_log_probs == pytest.approx(expected, abs=1e-4)
                assert h.log_prob == pytest.approx(sum(expected), abs=1e-4)
            listed = torch.tensor(sorted({3, 11, 13, 17, 5, 6, 7, 8, 9} - {0, 1, 2}))
            best = hyps[0]
            inflated = []  # what the shortlist's own softmax said (the old confidence)
            state, prev = model.encode(src[row : row + 1], lengths[row : row + 1]), torch.tensor([BOS_ID])
            for token in best.token_ids:
                logits, state, _ = model.decode_step(state, prev)
                inflated.append(float(F.log_softmax(logits.float()[0, listed], -1)[(listed == token).nonzero()[0, 0]]))
                prev = torch.tensor([token])
            assert sentence_score(best.token_log_probs) < sentence_score(inflated) - 0.5
