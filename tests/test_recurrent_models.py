"""The recurrent family: GRU encoder-decoder (Cho et al. 2014), Bahdanau attention (2015), and
attention over packed padded sequences with a source mask (PyTorch seq2seq tutorials 2-4)."""

import pytest
import torch

from conftest import read_multi30k
from translator_app.core.batching import encode_pairs
from translator_app.core.modelfile import load_model_folder, save_model_folder
from translator_app.core.types.modelformat import ModelMetadata
from translator_app.core.models import architecture_classes, build_model, config_from_dict
from translator_app.core.types.architectures import available_architectures
from translator_app.core.models.attention import AttentionSeq2Seq
from translator_app.core.models.gru import GRUSeq2Seq
from translator_app.core.models.packed_attention import PackedAttentionSeq2Seq
from translator_app.core.search import search
from translator_app.core.batching import pad_batch
from translator_app.core.types.options import DecodeOptions
from translator_app.core.text import BOS_ID, EOS_ID, PAD_ID, SubwordVocab
from translator_app.core.training.trainer import Trainer
from translator_app.core.types.train_config import TrainConfig
from translator_app.core.translator import Translator

RECURRENT = ("gru", "attention", "packed_attention", "packed_attention+lstm")
ATTENTION = ("attention", "packed_attention", "packed_attention+lstm")
PADDING_INVARIANT = ("gru", "packed_attention", "packed_attention+lstm")  # tutorial 3's encoder reads the padding
SMALL = {
    "gru": {"emb_dim": 16, "hidden_dim": 24},
    "attention": {"emb_dim": 16, "enc_hidden_dim": 20, "dec_hidden_dim": 24, "attn_dim": 18},
    "packed_attention": {"emb_dim": 16, "enc_hidden_dim": 20, "dec_hidden_dim": 24, "attn_dim": 18},
    # the product's default: attention with LSTM cells
    "packed_attention+lstm": {"emb_dim": 16, "enc_hidden_dim": 20, "dec_hidden_dim": 24, "attn_dim": 18, "cell": "lstm"},
}


def base(arch: str) -> str:
    """The registry name of a test variant ("packed_attention+lstm" is packed_attention, cell lstm)."""
    return arch.split("+")[0]


SEQ_FIELDS = ("annotations", "keys", "mask")  # state fields with a source-position dimension

SHORT = [5, 6, 7, EOS_ID]
LONG = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, EOS_ID]
MIDDLE = [18, 19, 20, 21, 22, EOS_ID]


def make_model(arch, vocab_size=60, seed=0):
    torch.manual_seed(seed)
    model = build_model(config_from_dict(base(arch), {"vocab_size": vocab_size, "dropout": 0.0, **SMALL[arch]}))
    with torch.no_grad():  # sharpen the output distributions so that search choices are clear-cut
        model.embedding.weight.mul_(4)
    return model.eval()


def row(state, index, length):
    """One sentence's part of a batched state, cut to its own source length."""
    return {name: (t[index, :length] if name in SEQ_FIELDS else t[index]) for name, t in state._asdict().items()}


@pytest.fixture(scope="module")
def pairs():
    return read_multi30k("train", 320)


@pytest.fixture(scope="module")
def vocab(pairs):
    return SubwordVocab.train(
        [s for pair in pairs for s in pair], vocab_size=400
    )  # byte fallback alone takes 256 + 4 special ids


# -- registry and shapes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "arch, model_class, attends",
    [("gru", GRUSeq2Seq, False), ("attention", AttentionSeq2Seq, True), ("packed_attention", PackedAttentionSeq2Seq, True)],
)
def test_registry_and_defaults(arch, model_class, attends):
    assert arch in available_architectures()
    config_class, registered = architecture_classes(arch)
    assert registered is model_class and config_class.architecture == arch
    model = build_model(config_class(vocab_size=8000))
    assert model.has_attention is attends and model.config.emb_dim == 256
    # the output layer is tied to the one shared embedding: no second vocabulary-sized matrix
    vocab_sized = sorted(name for name, p in model.named_parameters() if 8000 in p.shape)
    assert vocab_sized == ["embedding.weight", "output.bias"]
    assert 3_000_000 < model.num_parameters() < 15_000_000


@pytest.mark.parametrize("arch", RECURRENT)
def test_shapes(arch):
    model = make_model(arch)
    src, lengths = pad_batch([SHORT, LONG])
    tgt_in = torch.tensor([[BOS_ID, 9, 10], [BOS_ID, 11, PAD_ID]])
    assert model(src, lengths, tgt_in).shape == (2, 3, 60)
    state = model.encode(src, lengths)
    logits, state, attention = model.decode_step(state, torch.tensor([BOS_ID, BOS_ID]))
    assert logits.shape == (2, 60)
    if model.has_attention:
        assert state.annotations.shape == (2, len(LONG), 40) and state.keys.shape == (2, len(LONG), 18)
        state_size = 48 if "lstm" in arch else 24  # [h; c] for the LSTM cell
        assert state.hidden.shape == (2, state_size) and attention.shape == (2, len(LONG))
    else:
        assert state.hidden.shape == state.context.shape == (2, 24) and attention is None


def test_gru_context_feeds_every_step():
    model = make_model("gru")
    state = model.encode(*pad_batch([SHORT]))
    _, state, _ = model.decode_step(state, torch.tensor([BOS_ID]))  # now the hidden state has moved on from c
    assert not torch.allclose(state.hidden, state.context)
    with_context = model.decode_step(state, torch.tensor([9]))[0]
    without = model.decode_step(state._replace(context=torch.zeros_like(state.context)), torch.tensor([9]))[0]
    assert not torch.allclose(with_context, without, atol=1e-3)


# -- masks and padding ---------------------------------------------------------------------------


@pytest.mark.parametrize("arch", ATTENTION)
def test_attention_rows_sum_to_one_and_never_touch_padding(arch):
    model = make_model(arch)
    src, lengths = pad_batch([SHORT, LONG, MIDDLE])
    state = model.encode(src, lengths)
    real = torch.arange(src.size(1)).unsqueeze(0) < lengths.unsqueeze(1)
    assert torch.equal(state.mask, real)
    tokens = torch.tensor([[BOS_ID] * 3, [9, 10, 11], [12, 13, 14], [EOS_ID, 15, 16]])
    for prev in tokens:
        _, state, attention = model.decode_step(state, prev)
        assert torch.allclose(attention.sum(-1), torch.ones(3), atol=1e-6)
        assert torch.equal(attention[~real], torch.zeros(int((~real).sum())))  # exactly zero, not just small
        assert (attention[real] > 0).all()


@pytest.mark.parametrize("arch", PADDING_INVARIANT)
def test_padding_never_changes_the_encoding(arch):
    model = make_model(arch)
    alone = model.encode(*pad_batch([SHORT]))
    batched = model.encode(*pad_batch([LONG, SHORT, MIDDLE]))
    expected, got = row(alone, 0, len(SHORT)), row(batched, 1, len(SHORT))
    for name in expected:
        assert torch.allclose(expected[name].float(), got[name].float(), atol=1e-6), name


@pytest.mark.parametrize("beam", [1, 4])
@pytest.mark.parametrize("arch", PADDING_INVARIANT)
def test_padding_never_changes_a_translation(arch, beam):
    model = make_model(arch)
    options = DecodeOptions(beam_width=beam, n_best=min(beam, 3), max_length=12)
    batched = search(model, *pad_batch([LONG, SHORT, MIDDLE]), options)
    for sentence, in_batch in ((LONG, batched[0]), (SHORT, batched[1]), (MIDDLE, batched[2])):
        alone = search(model, *pad_batch([sentence]), options)[0]
        assert len(alone) == len(in_batch) == options.n_best
        for a, b in zip(alone, in_batch):
            assert a.token_ids == b.token_ids
            assert a.score == pytest.approx(b.score, abs=1e-5)
            assert a.token_log_probs == pytest.approx(b.token_log_probs, abs=1e-5)
            if model.has_attention:
                assert torch.tensor(a.attention).shape == (len(a.token_ids), len(sentence))
                assert torch.allclose(torch.tensor(a.attention), torch.tensor(b.attention), atol=1e-5)
            else:
                assert a.attention is None and b.attention is None


def test_unpacked_encoder_reads_padding_backwards_and_packing_fixes_it():
    """Tutorial 3 runs the backward GRU over the padding first; tutorial 4 packs it away. With the
    same weights the two models agree exactly on a batch without padding."""
    unpacked = make_model("attention")
    packed = make_model("packed_attention")
    packed.load_state_dict(unpacked.state_dict())
    n, h = len(SHORT), SMALL["attention"]["enc_hidden_dim"]
    alone = row(unpacked.encode(*pad_batch([SHORT])), 0, n)
    in_batch = row(unpacked.encode(*pad_batch([SHORT, LONG])), 0, n)
    assert torch.allclose(alone["annotations"][:, :h], in_batch["annotations"][:, :h], atol=1e-6)  # h→ unaffected
    assert not torch.allclose(alone["annotations"][:, h:], in_batch["annotations"][:, h:], atol=1e-3)  # h← is
    packed_in_batch = row(packed.encode(*pad_batch([SHORT, LONG])), 0, n)
    assert torch.allclose(alone["annotations"], packed_in_batch["annotations"], atol=1e-6)
    src, lengths = pad_batch([SHORT, [9, 8, 7, EOS_ID]])
    tgt_in = torch.tensor([[BOS_ID, 9, 10], [BOS_ID, 11, 12]])
    assert torch.allclose(unpacked(src, lengths, tgt_in), packed(src, lengths, tgt_in), atol=1e-6)


# -- decoding machinery --------------------------------------------------------------------------


@pytest.mark.parametrize("arch", RECURRENT)
def test_teacher_forced_equals_step_by_step(arch):
    model = make_model(arch)
    src, lengths = pad_batch([SHORT, LONG])
    tgt_in = torch.tensor([[BOS_ID, 9, 10, 11, 12], [BOS_ID, 13, 14, PAD_ID, PAD_ID]])
    parallel = model(src, lengths, tgt_in)
    state = model.encode(src, lengths)
    steps = []
    for t in range(tgt_in.size(1)):
        logits, state, _ = model.decode_step(state, tgt_in[:, t])
        steps.append(logits)
    assert torch.allclose(parallel, torch.stack(steps, 1), atol=1e-5)


@pytest.mark.parametrize("arch", RECURRENT)
def test_reorder_state_moves_every_tensor(arch):
    model = make_model(arch)
    state = model.encode(*pad_batch([SHORT, LONG, MIDDLE]))
    prev = torch.tensor([9, 10, 11])
    logits, _, attention = model.decode_step(state, prev)
    order = torch.tensor([2, 0, 0, 1])
    reordered = model.reorder_state(state, order)
    assert all(t.size(0) == 4 for t in reordered)
    re_logits, _, re_attention = model.decode_step(reordered, prev[order])
    assert torch.allclose(re_logits, logits[order], atol=1e-6)
    if model.has_attention:
        assert torch.allclose(re_attention, attention[order], atol=1e-6)


@pytest.mark.parametrize("arch", RECURRENT)
def test_scheduled_sampling_trains_through_decode_step(arch):
    model = make_model(arch).train()
    src, lengths = pad_batch([SHORT, LONG])
    logits = model(src, lengths, torch.tensor([[BOS_ID, 9, 10], [BOS_ID, 11, 12]]), teacher_forcing=0.5)
    assert logits.shape == (2, 3, 60)
    logits.sum().backward()
    assert model.embedding.weight.grad is not None and model.encoder.weight_hh_l0.grad.abs().sum() > 0


# -- model files, the translator and training ----------------------------------------------------


@pytest.mark.parametrize("arch", RECURRENT)
def test_save_load_round_trip(tmp_path, vocab, arch):
    model = make_model(arch, vocab_size=len(vocab))
    src, lengths = pad_batch([vocab.encode("Ein Mann fährt Fahrrad.") + [EOS_ID]])
    tgt_in = torch.tensor([[BOS_ID] + vocab.encode("A man rides a bike.")])
    for half in (False, True):
        folder = save_model_folder(tmp_path / f"{arch}-{half}", model, vocab, ModelMetadata(name=arch), half_precision=half)
        loaded = load_model_folder(folder)
        assert type(loaded.model) is type(model) and loaded.config == model.config
        for name, tensor in model.state_dict().items():
            expected = tensor.half().float() if half else tensor
            assert torch.equal(loaded.model.state_dict()[name], expected), name
        if not half:
            assert torch.equal(loaded.model(src, lengths, tgt_in), model(src, lengths, tgt_in))


@pytest.mark.parametrize("arch", RECURRENT)
def test_translator_returns_attention_per_output_token(tmp_path, vocab, arch):
    folder = save_model_folder(tmp_path / arch, make_model(arch, vocab_size=len(vocab)), vocab, ModelMetadata(name=arch))
    translator = Translator(load_model_folder(folder), torch.device("cpu"))
    assert translator.has_attention is (arch in ATTENTION)
    result = translator.translate(
        "Ein Mann fährt Fahrrad. Zwei Hunde spielen im Schnee.", DecodeOptions(beam_width=4, n_best=2, max_length=15)
    )
    assert len(result.sentences) == 2
    for sentence in result.sentences:
        assert sentence.hypotheses and sentence.source_tokens
        for hyp in sentence.hypotheses:
            if arch not in ATTENTION:
                assert hyp.attention is None
                continue
            # one row per output subword, one column per source subword (end markers dropped),
            # so each row sums to at most 1 (the rest went to the source's end marker)
            assert len(hyp.attention) == len(hyp.tokens) == len(hyp.token_log_probs) - 1
            assert all(len(r) == len(sentence.source_tokens) for r in hyp.attention)
            sums = torch.tensor(hyp.attention).sum(-1)
            assert bool(((sums > 0) & (sums <= 1 + 1e-4)).all())


@pytest.mark.parametrize("arch", RECURRENT)
def test_a_few_training_steps_lower_the_loss(tmp_path, vocab, pairs, arch):
    model = make_model(arch, vocab_size=len(vocab))
    encoded, _ = encode_pairs(vocab, pairs)
    losses = []
    config = TrainConfig(epochs=2, batch_size=32, learning_rate=5e-3, warmup_steps=5, checkpoint_every=0, precision="fp32")
    trainer = Trainer(
        model,
        vocab,
        encoded,
        [],
        config,
        tmp_path / "run",
        ModelMetadata(name=arch),
        callback=lambda e: e.kind == "step" and losses.append(e.loss),
    )
    result = trainer.fit()
    assert result.status == "finished" and len(losses) == 20
    assert sum(losses[-5:]) / 5 < sum(losses[:5]) / 5 - 0.5
    assert load_model_folder(result.best_folder).config.architecture == base(arch)
