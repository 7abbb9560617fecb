"""The one encoder-decoder interface, checked on every registered architecture: what search, the
trainer and the model file rely on. A new architecture is one file and a registry line; this file
makes sure the registry line brings a model that keeps the contract."""

import pytest
import torch
from model_variants import SMALL, VOCAB, small_model

from translator_app.core.modelfile import load_model_folder, save_model_folder
from translator_app.core.types.modelformat import ModelMetadata
from translator_app.core.types.architectures import ARCHITECTURES
from translator_app.core.batching import pad_batch
from translator_app.core.text import BOS_ID, EOS_ID, PAD_ID, SubwordVocab

SOURCES = [[5, 6, 7, 8, EOS_ID], [9, 10, EOS_ID], [11, EOS_ID]]
TARGET = torch.tensor([[BOS_ID, 12, 13, 14], [BOS_ID, 15, 16, PAD_ID], [BOS_ID, 17, PAD_ID, PAD_ID]])


def test_every_registered_architecture_has_a_variant_here():
    assert {variant.split("-")[0] for variant in SMALL} == set(ARCHITECTURES)


@pytest.mark.parametrize("variant", SMALL)
def test_a_step_gives_logits_and_attention_of_the_right_shape(variant):
    model = small_model(variant)
    src, lengths = pad_batch(SOURCES)
    logits, state, attention = model.decode_step(model.encode(src, lengths), torch.full((3,), BOS_ID))
    assert logits.shape == (3, VOCAB) and torch.isfinite(logits).all()
    if model.has_attention:
        assert attention.shape == (3, src.size(1))
        assert torch.allclose(attention.sum(-1), torch.ones(3), atol=1e-5)
        assert (attention[2, 2:] == 0).all()  # padding gets no attention
    else:
        assert attention is None


@pytest.mark.parametrize("variant", SMALL)
def test_reordering_the_state_is_reordering_the_rows(variant):
    """Search expands and reorders beams with reorder_state: it must act exactly like picking rows."""
    model = small_model(variant)
    src, lengths = pad_batch(SOURCES)
    state = model.encode(src, lengths)
    first, state, _ = model.decode_step(state, torch.full((3,), BOS_ID))
    second, _, _ = model.decode_step(state, torch.tensor([12, 15, 17]))
    order = torch.tensor([2, 0, 0, 1])
    picked = model.reorder_state(state, order)
    again, _, _ = model.decode_step(picked, torch.tensor([12, 15, 17])[order])
    assert torch.allclose(again, second[order], atol=1e-5)


@pytest.mark.parametrize("variant", SMALL)
def test_teacher_forcing_equals_decoding_step_by_step(variant):
    model = small_model(variant)
    src, lengths = pad_batch(SOURCES)
    parallel = model.teacher_forced(model.encode(src, lengths), TARGET)
    state, steps = model.encode(src, lengths), []
    for t in range(TARGET.size(1)):
        logits, state, _ = model.decode_step(state, TARGET[:, t])
        steps.append(logits)
    assert parallel.shape == (3, TARGET.size(1), VOCAB)
    assert torch.allclose(parallel, torch.stack(steps, 1), atol=1e-4)
    model.train()
    assert model(src, lengths, TARGET).shape == (3, TARGET.size(1), VOCAB)


@pytest.mark.parametrize("variant", SMALL)
def test_a_saved_model_loads_back_the_same(variant, tmp_path, tiny_model_dir):
    vocab = SubwordVocab.from_file(tiny_model_dir / "spm.model")
    torch.manual_seed(0)
    model = small_model(variant)
    config = type(model.config)(**{**model.config.to_dict(), "vocab_size": len(vocab)})
    model = type(model)(config).eval()
    folder = save_model_folder(tmp_path / "m", model, vocab, ModelMetadata(name="m"), half_precision=False)
    loaded = load_model_folder(folder)
    src, lengths = pad_batch(SOURCES)
    expected, _, _ = model.decode_step(model.encode(src, lengths), torch.full((3,), BOS_ID))
    got, _, _ = loaded.model.decode_step(loaded.model.encode(src, lengths), torch.full((3,), BOS_ID))
    assert type(loaded.model) is type(model) and torch.equal(got, expected)
