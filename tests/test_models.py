import pytest
import torch

from translator_app.core.models import architecture_classes, build_model, config_from_dict
from translator_app.core.types.architectures import available_architectures
from translator_app.core.models.lstm import LSTMConfig, reverse_padded
from translator_app.core.batching import pad_batch
from translator_app.core.text import EOS_ID, PAD_ID


def make_model(**overrides):
    torch.manual_seed(0)
    return build_model(LSTMConfig(vocab_size=50, emb_dim=16, hidden_dim=24, num_layers=2, dropout=0.0, **overrides)).eval()


def test_registry_builds_lstm_from_its_config():
    config = config_from_dict("lstm", {"vocab_size": 50, "hidden_dim": 24})
    assert isinstance(config, LSTMConfig) and config.hidden_dim == 24
    assert type(build_model(config)) is architecture_classes("lstm")[1]
    assert "lstm" in available_architectures()


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"vocab_size": 50, "hidden": 3}, "unknown hyperparameters"),
        ({"vocab_size": "many"}, "must be int"),
        ({"vocab_size": 50, "reverse_source": 1}, "must be bool"),
    ],
)
def test_config_validation(bad, message):
    with pytest.raises(ValueError, match=message):
        config_from_dict("lstm", bad)


def test_unknown_architecture():
    with pytest.raises(ValueError, match="unknown architecture"):
        config_from_dict("rnn-from-mars", {})


@pytest.mark.parametrize("tie", [True, False])
def test_shapes(tie):
    model = make_model(tie_embeddings=tie)
    src, lengths = pad_batch([[5, 6, 7, EOS_ID], [8, EOS_ID]])
    tgt_in = torch.tensor([[2, 9, 10], [2, 11, PAD_ID]])
    logits = model(src, lengths, tgt_in)
    assert logits.shape == (2, 3, 50)
    hidden, cell = model.encode(src, lengths)
    assert hidden.shape == cell.shape == (2, 2, 24)
    step_logits, state, attention = model.decode_step((hidden, cell), torch.tensor([2, 2]))
    assert step_logits.shape == (2, 50) and attention is None


def test_padding_never_changes_the_encoding():
    model = make_model()
    alone = model.encode(*pad_batch([[5, 6, EOS_ID]]))
    padded = model.encode(*pad_batch([[5, 6, EOS_ID], [7, 8, 9, 10, 11, 12, EOS_ID]]))
    assert torch.allclose(alone[0][:, 0], padded[0][:, 0], atol=1e-6)
    assert torch.allclose(alone[1][:, 0], padded[1][:, 0], atol=1e-6)


def test_reverse_padded_keeps_padding_in_place():
    src = torch.tensor([[5, 6, 7, 3], [8, 3, 0, 0]])
    assert reverse_padded(src, torch.tensor([4, 2])).tolist() == [[3, 7, 6, 5], [3, 8, 0, 0]]


def test_teacher_forced_equals_step_by_step():
    model = make_model()
    src, lengths = pad_batch([[5, 6, 7, EOS_ID]])
    tgt_in = torch.tensor([[2, 9, 10, 11]])
    parallel = model(src, lengths, tgt_in)
    state = model.encode(src, lengths)
    steps = []
    for t in range(4):
        logits, state, _ = model.decode_step(state, tgt_in[:, t])
        steps.append(logits)
    assert torch.allclose(parallel, torch.stack(steps, 1), atol=1e-5)


def test_scheduled_sampling_path_runs_in_training():
    model = make_model()
    model.train()
    src, lengths = pad_batch([[5, 6, 7, EOS_ID]])
    logits = model(src, lengths, torch.tensor([[2, 9, 10]]), teacher_forcing=0.5)
    assert logits.shape == (1, 3, 50)
    logits.sum().backward()
    assert model.embedding.weight.grad is not None


def test_reorder_state_selects_rows():
    model = make_model()
    state = model.encode(*pad_batch([[5, EOS_ID], [6, 7, EOS_ID]]))
    reordered = model.reorder_state(state, torch.tensor([1, 1, 0]))
    assert torch.equal(reordered[0][:, 0], state[0][:, 1]) and torch.equal(reordered[0][:, 2], state[0][:, 0])
