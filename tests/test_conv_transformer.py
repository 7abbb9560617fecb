"""Convolutional seq2seq and the Transformer: causality, cached == uncached decoding, padding,
attention, model files, training (fp32 and bf16). Small models only, on a slice of Multi30k."""

from contextlib import contextmanager

import pytest
import torch

from conftest import read_multi30k
from translator_app.core.batching import encode_pairs
from translator_app.core.modelfile import load_model_folder, save_model_folder
from translator_app.core.types.modelformat import ModelMetadata
from translator_app.core.models import build_model, config_from_dict
from translator_app.core.types.architectures import available_architectures
from translator_app.core.models.convs2s import ConvS2SConfig, ConvS2SSeq2Seq
from translator_app.core.models.transformer import TransformerConfig, TransformerSeq2Seq
from translator_app.core.search import search
from translator_app.core.batching import pad_batch
from translator_app.core.types.options import DecodeOptions
from translator_app.core.text import BOS_ID, EOS_ID, PAD_ID, SubwordVocab
from translator_app.core.training.trainer import Trainer
from translator_app.core.types.train_config import TrainConfig
from translator_app.core.translator import Translator

ARCHITECTURES = ["transformer", "convs2s"]
VARIANTS = {  # small random models for the exact-equality tests
    "transformer": lambda v: TransformerConfig(
        vocab_size=v, d_model=32, num_heads=4, ff_dim=64, encoder_layers=2, decoder_layers=2, dropout=0.0, attention_dropout=0.0
    ),
    "transformer-postnorm": lambda v: TransformerConfig(
        vocab_size=v,
        d_model=32,
        num_heads=2,
        ff_dim=48,
        encoder_layers=1,
        decoder_layers=3,
        dropout=0.0,
        attention_dropout=0.0,
        pre_norm=False,
    ),
    "convs2s": lambda v: ConvS2SConfig(
        vocab_size=v, emb_dim=24, hidden_dim=32, encoder_layers=2, decoder_layers=3, kernel_size=3, dropout=0.0, max_positions=64
    ),
    "convs2s-k5": lambda v: ConvS2SConfig(
        vocab_size=v, emb_dim=16, hidden_dim=24, encoder_layers=1, decoder_layers=2, kernel_size=5, dropout=0.0, max_positions=8
    ),
}
SENTENCES = [
    "Ein Mann fährt Fahrrad.",
    "Zwei junge weiße Männer sind im Freien in der Nähe vieler Büsche.",
    "Eine Frau liest.",
    "Ein kleines Mädchen klettert in ein Spielhaus aus Holz.",
]


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """Tiny models gain nothing from intra-op threads, and on a busy 2-core machine the thread
    handoffs cost up to 20× the work itself."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def random_model(variant: str, vocab_size: int = 60):
    torch.manual_seed(0)
    return build_model(VARIANTS[variant](vocab_size)).eval()


def tiny_config(arch: str, vocab_size: int, dropout: float = 0.1):
    if arch == "transformer":
        return TransformerConfig(
            vocab_size=vocab_size,
            d_model=64,
            num_heads=4,
            ff_dim=128,
            encoder_layers=2,
            decoder_layers=2,
            dropout=dropout,
            attention_dropout=dropout,
        )
    return ConvS2SConfig(
        vocab_size=vocab_size, emb_dim=32, hidden_dim=32, encoder_layers=3, decoder_layers=2, dropout=dropout, max_positions=128
    )


TINY_LEARNING_RATES = {"transformer": 5e-3, "convs2s": 1e-2}  # enough for 8 epochs to give real words


def random_batch(vocab_size: int = 60, lengths=(7, 4, 1), tgt_len: int = 6, seed: int = 1):
    g = torch.Generator().manual_seed(seed)
    src, src_lengths = pad_batch([torch.randint(4, vocab_size, (n - 1,), generator=g).tolist() + [EOS_ID] for n in lengths])
    tgt_in = torch.randint(4, vocab_size, (len(lengths), tgt_len), generator=g)
    tgt_in[:, 0] = BOS_ID
    return src, src_lengths, tgt_in


@contextmanager
def with_cache(model, enabled: bool):
    """``use_cache`` is read by ``encode``: False makes every step rerun the whole prefix."""
    before, model.use_cache = model.use_cache, enabled
    try:
        yield
    finally:
        model.use_cache = before


def assert_same_hypotheses(a, b, atol=1e-4):
    for hyps_a, hyps_b in zip(a, b, strict=True):
        assert [h.token_ids for h in hyps_a] == [h.token_ids for h in hyps_b]
        assert [h.score for h in hyps_a] == pytest.approx([h.score for h in hyps_b], abs=atol)
        for ha, hb in zip(hyps_a, hyps_b):
            assert torch.allclose(torch.tensor(ha.attention), torch.tensor(hb.attention), atol=atol)


# -- registry and configs ----------------------------------------------------------------------


@pytest.mark.parametrize("arch, cls", [("transformer", TransformerSeq2Seq), ("convs2s", ConvS2SSeq2Seq)])
def test_registry_builds_default_models_of_cpu_size(arch, cls):
    assert arch in available_architectures()
    model = build_model(config_from_dict(arch, {"vocab_size": 8000}))
    assert type(model) is cls and model.has_attention
    assert 5_000_000 < model.num_parameters() < 12_000_000


@pytest.mark.parametrize(
    "arch, bad, message",
    [
        ("transformer", {"d_model": 30, "num_heads": 4}, "multiple of num_heads"),
        ("transformer", {"pre_norm": 1}, "must be bool"),
        ("convs2s", {"kernel_size": 4}, "kernel_size must be odd"),
        ("convs2s", {"layers": 4}, "unknown hyperparameters"),
    ],
)
def test_config_validation(arch, bad, message):
    with pytest.raises(ValueError, match=message):
        config_from_dict(arch, {"vocab_size": 50, **bad})


# -- exactness on random models ----------------------------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS)
@torch.no_grad()
def test_a_future_target_token_never_changes_earlier_logits(variant):
    model = random_model(variant)
    src, lengths, tgt_in = random_batch()
    logits = model(src, lengths, tgt_in)
    for t in range(1, tgt_in.size(1)):
        changed = tgt_in.clone()
        changed[:, t] = (changed[:, t] + 7) % 56 + 4
        other = model(src, lengths, changed)
        assert torch.allclose(logits[:, :t], other[:, :t], atol=1e-6), f"position < {t} saw token {t}"
        assert not torch.allclose(logits[:, t], other[:, t], atol=1e-4)


@pytest.mark.parametrize("cached", [True, False])
@pytest.mark.parametrize("variant", VARIANTS)
@torch.no_grad()
def test_decode_step_equals_teacher_forced_position_by_position(variant, cached):
    model = random_model(variant)
    src, lengths, tgt_in = random_batch(tgt_len=11)  # longer than convs2s-k5's 8 positions: clamped alike
    parallel = model(src, lengths, tgt_in)
    with with_cache(model, cached):
        state = model.encode(src, lengths)
        for t in range(tgt_in.size(1)):
            logits, state, attention = model.decode_step(state, tgt_in[:, t])
            assert torch.allclose(logits, parallel[:, t], atol=1e-5), f"step {t}"
            assert attention.shape == src.shape


@pytest.mark.parametrize("variant", VARIANTS)
@torch.no_grad()
def test_attention_rows_are_distributions_with_nothing_on_padding(variant):
    model = random_model(variant)
    src, lengths, tgt_in = random_batch()
    state = model.encode(src, lengths)
    padding = src == PAD_ID
    assert padding.any()
    for t in range(tgt_in.size(1)):
        _, state, attention = model.decode_step(state, tgt_in[:, t])
        assert torch.allclose(attention.sum(-1), torch.ones(src.size(0)), atol=1e-5)
        assert (attention[padding] == 0).all() and (attention >= 0).all()


@pytest.mark.parametrize("variant", VARIANTS)
@torch.no_grad()
def test_padding_never_changes_a_sentence(variant):
    model = random_model(variant)
    src, lengths, tgt_in = random_batch()
    batched = model(src, lengths, tgt_in)
    for b in range(src.size(0)):
        n = int(lengths[b])
        alone = model(src[b : b + 1, :n], lengths[b : b + 1], tgt_in[b : b + 1])
        assert torch.allclose(batched[b : b + 1], alone, atol=1e-5)


@pytest.mark.parametrize("variant", VARIANTS)
@torch.no_grad()
def test_reorder_state_moves_every_cache_with_its_row(variant):
    model = random_model(variant)
    src, lengths, tgt_in = random_batch()
    state = model.encode(src, lengths)
    for t in range(3):
        _, state, _ = model.decode_step(state, tgt_in[:, t])
    order = torch.tensor([2, 0, 0, 1])
    logits, _, attention = model.decode_step(model.reorder_state(state, order), tgt_in[order, 3])
    expected = model(src[order], lengths[order], tgt_in[order, :4])[:, 3]
    assert torch.allclose(logits, expected, atol=1e-5)
    assert (attention[src[order] == PAD_ID] == 0).all()


@pytest.mark.parametrize("variant", ["transformer", "convs2s"])
def test_scheduled_sampling_path_trains(variant):
    torch.manual_seed(0)
    model = build_model(VARIANTS[variant](60)).train()
    src, lengths, tgt_in = random_batch()
    logits = model(src, lengths, tgt_in, teacher_forcing=0.5)
    assert logits.shape == (3, 6, 60)
    logits.sum().backward()
    assert model.embedding.weight.grad is not None


# -- trained tiny models on Multi30k -----------------------------------------------------------


@pytest.fixture(scope="module")
def data():
    pairs = read_multi30k("train", 400)
    vocab = SubwordVocab.train([s for p in pairs for s in p], vocab_size=400)  # ≥ 256 byte pieces + characters
    encoded, _ = encode_pairs(vocab, pairs)
    return pairs, vocab, encoded


@pytest.fixture(scope="module", params=ARCHITECTURES)
def trained(request, data, tmp_path_factory):
    """A tiny model of each architecture after 8 short epochs (a few seconds), with its step losses."""
    _, vocab, encoded = data
    assert len(encoded) > 384  # 13 batches of 32 per epoch
    torch.manual_seed(0)
    model = build_model(tiny_config(request.param, len(vocab)))
    losses = []
    config = TrainConfig(
        epochs=8,
        batch_size=32,
        learning_rate=TINY_LEARNING_RATES[request.param],
        warmup_steps=10,
        checkpoint_every=0,
        precision="fp32",
        patience=10,
    )
    Trainer(
        model,
        vocab,
        encoded,
        [],
        config,
        tmp_path_factory.mktemp(f"run-{request.param}"),
        ModelMetadata(name=f"tiny-{request.param}"),
        callback=lambda e: e.kind == "step" and losses.append(e.loss),
    ).fit()
    return model.eval(), vocab, losses


def encode_sentences(vocab, sentences=SENTENCES):
    return [vocab.encode(s) + [EOS_ID] for s in sentences]


def test_a_few_trainer_steps_lower_the_loss(trained):
    _, _, losses = trained
    assert len(losses) == 8 * 13
    assert sum(losses[-5:]) / 5 < sum(losses[:5]) / 5 - 1.5


@pytest.mark.parametrize("beam", [1, 4])
def test_cached_search_equals_uncached(trained, beam):
    model, vocab, _ = trained
    src, lengths = pad_batch(encode_sentences(vocab))
    options = DecodeOptions(beam_width=beam, n_best=min(beam, 3), max_length=40)
    cached = search(model, src, lengths, options)
    with with_cache(model, False):
        uncached = search(model, src, lengths, options)
    assert_same_hypotheses(cached, uncached)
    assert len({tuple(hyps[0].token_ids) for hyps in cached}) > 1  # a model that really reads its source


@pytest.mark.parametrize("beam", [1, 4])
def test_padded_batch_equals_alone(trained, beam):
    model, vocab, _ = trained
    ids = encode_sentences(vocab)
    options = DecodeOptions(beam_width=beam, n_best=min(beam, 2), max_length=40)
    batched = search(model, *pad_batch(ids), options)
    for one, expected in zip(ids, batched):
        alone = search(model, *pad_batch([one]), options)
        assert_same_hypotheses(alone, [expected])
        for h in expected:
            assert len(h.attention) == len(h.token_ids)
            for row in h.attention:
                assert len(row) == len(one) and sum(row) == pytest.approx(1.0, abs=1e-4)


def test_save_load_round_trip_and_translator_attention(trained, tmp_path):
    model, vocab, _ = trained
    folder = save_model_folder(tmp_path / "m", model, vocab, ModelMetadata(name="tiny"), half_precision=False)
    loaded = load_model_folder(folder)
    assert loaded.config == model.config and type(loaded.model) is type(model)
    for (name, a), b in zip(model.state_dict().items(), loaded.model.state_dict().values(), strict=True):
        assert torch.equal(a, b), name
    src, lengths = pad_batch(encode_sentences(vocab))
    options = DecodeOptions(beam_width=4, max_length=40)
    assert_same_hypotheses(search(model, src, lengths, options), search(loaded.model, src, lengths, options), atol=1e-6)

    translator = Translator(loaded, torch.device("cpu"))
    assert translator.has_attention
    for result in translator.translate_sentences(SENTENCES, DecodeOptions(beam_width=4, n_best=2, max_length=40)):
        for h in result.hypotheses:
            assert len(h.attention) == len(h.tokens)  # [output subword][source subword]
            assert all(len(row) == len(result.source_tokens) for row in h.attention)

    half = load_model_folder(save_model_folder(tmp_path / "half", model, vocab, ModelMetadata(name="tiny")))  # shipped as fp16
    outputs = Translator(half, torch.device("cpu")).translate_sentences(SENTENCES[:2], DecodeOptions(beam_width=4, max_length=40))
    assert all(o.hypotheses and o.hypotheses[0].attention for o in outputs)


@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_bf16_autocast_training_then_fp32_eval(arch, data, tmp_path):
    pairs, vocab, encoded = data
    torch.manual_seed(0)
    model = build_model(tiny_config(arch, len(vocab)))
    losses = []
    config = TrainConfig(
        epochs=1, batch_size=32, learning_rate=3e-3, warmup_steps=2, checkpoint_every=0, precision="bf16", patience=10
    )
    trainer = Trainer(
        model,
        vocab,
        encoded[:128],
        pairs[:4],
        config,
        tmp_path / "run",
        ModelMetadata(name="bf16"),
        val_encoded=encoded[:32],
        callback=lambda e: e.kind == "step" and losses.append(e.loss),
    )
    assert trainer.amp_dtype == torch.bfloat16
    result = trainer.fit()  # validation runs the bf16 loss in eval mode and fp32 search
    assert len(losses) == 4 and all(torch.isfinite(torch.tensor(losses)))
    assert torch.isfinite(torch.tensor(result.history[0]["val_loss"]))
    model.eval()
    assert all(p.dtype == torch.float32 for p in model.parameters())
    src, lengths = pad_batch(encode_sentences(vocab))
    with torch.no_grad():
        state = model.encode(src, lengths)
        logits, _, attention = model.decode_step(state, torch.full((src.size(0),), BOS_ID))
    assert logits.dtype == torch.float32 and torch.isfinite(logits).all() and torch.isfinite(attention).all()
    hyps = search(model, src, lengths, DecodeOptions(beam_width=4, max_length=20))
    assert all(h[0].token_ids[-1] == EOS_ID and torch.isfinite(torch.tensor(h[0].score)) for h in hyps)
