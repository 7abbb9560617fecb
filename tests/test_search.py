import itertools
import math

import pytest
import torch
import torch.nn.functional as F

from translator_app.core.models import build_model
from translator_app.core.models.lstm import LSTMConfig
from translator_app.core.search import ban_repeated_ngrams, beam_search, greedy_search, search
from translator_app.core.hypothesis import length_normalise
from translator_app.core.batching import pad_batch
from translator_app.core.types.options import DecodeOptions
from translator_app.core.text import EOS_ID

REAL_TOKENS = (4, 5, 6)


@pytest.fixture(scope="module")
def tiny_model():
    torch.manual_seed(0)
    model = build_model(LSTMConfig(vocab_size=7, emb_dim=8, hidden_dim=8, num_layers=1, dropout=0.0))
    with torch.no_grad():  # sharpen the distributions so that search choices matter
        model.output_bias.copy_(torch.tensor([0, 0, 0, 0.3, 0.1, -0.2, 0.4]))
        model.embedding.weight.mul_(6)
    return model.eval()


@torch.no_grad()
def exhaustive(model, src, max_len, alpha):
    """Score every output of length <= max_len (real tokens then EOS) by teacher forcing."""
    results = {}
    lengths = torch.tensor([src.size(1)])
    for n in range(max_len + 1):
        for seq in itertools.product(REAL_TOKENS, repeat=n):
            tokens = list(seq) + [EOS_ID]
            state = model.encode(src, lengths)
            prev, total = torch.tensor([2]), 0.0
            for tok in tokens:
                logits, state, _ = model.decode_step(state, prev)
                total += float(F.log_softmax(logits.float(), -1)[0, tok])
                prev = torch.tensor([tok])
            results[tuple(tokens)] = length_normalise(total, len(tokens), alpha)
    return results


@pytest.mark.parametrize("alpha", [0.0, 1.0])
def test_wide_beam_equals_exhaustive_search(tiny_model, alpha):
    src = torch.tensor([[5, 4, 6, EOS_ID]])
    max_len = 3
    truth = exhaustive(tiny_model, src, max_len, alpha)
    options = DecodeOptions(beam_width=40, n_best=40, max_length=max_len, length_penalty=alpha)
    hyps = beam_search(tiny_model, src, torch.tensor([4]), options)[0]
    assert len(hyps) == len(truth) == 40
    for h in hyps:
        assert h.score == pytest.approx(truth[tuple(h.token_ids)], abs=1e-4)
    best = max(truth, key=truth.get)
    assert tuple(hyps[0].token_ids) == best


def test_narrow_beam_never_beats_exhaustive(tiny_model):
    src = torch.tensor([[4, 6, EOS_ID]])
    truth = exhaustive(tiny_model, src, 3, 1.0)
    hyps = beam_search(tiny_model, src, torch.tensor([3]), DecodeOptions(beam_width=2, max_length=3))
    assert hyps[0][0].score <= max(truth.values()) + 1e-6


def test_beam_one_equals_greedy(tiny_model_dir):
    from translator_app.core.modelfile import load_model_folder

    loaded = load_model_folder(tiny_model_dir)
    sentences = ["Ein Mann fährt Fahrrad.", "Zwei Hunde spielen im Schnee.", "Eine Frau liest ein Buch im Park."]
    src, lengths = pad_batch([loaded.vocab.encode(s) + [EOS_ID] for s in sentences])
    greedy = greedy_search(loaded.model, src, lengths, DecodeOptions(beam_width=1))
    beam = beam_search(loaded.model, src, lengths, DecodeOptions(beam_width=1))
    for g, b in zip(greedy, beam):
        assert g[0].token_ids == b[0].token_ids
        assert g[0].log_prob == pytest.approx(b[0].log_prob, abs=1e-4)


def test_nbest_sorted_distinct_and_consistent(tiny_model_dir):
    from translator_app.core.modelfile import load_model_folder

    loaded = load_model_folder(tiny_model_dir)
    src, lengths = pad_batch([loaded.vocab.encode("Ein kleines Mädchen klettert in ein Spielhaus.") + [EOS_ID]])
    hyps = beam_search(loaded.model, src, lengths, DecodeOptions(beam_width=6, n_best=5))[0]
    assert len(hyps) == 5
    scores = [h.score for h in hyps]
    assert scores == sorted(scores, reverse=True)
    assert len({tuple(h.token_ids) for h in hyps}) == 5
    for h in hyps:
        assert h.token_ids[-1] == EOS_ID
        assert len(h.token_log_probs) == len(h.token_ids)
        assert sum(h.token_log_probs) == pytest.approx(h.log_prob, abs=1e-3)


@pytest.mark.parametrize("beam", [1, 4])
def test_max_length_is_respected(tiny_model_dir, beam):
    from translator_app.core.modelfile import load_model_folder

    loaded = load_model_folder(tiny_model_dir)
    src, lengths = pad_batch([loaded.vocab.encode("Ein Mann mit einem orangefarbenen Hut, der etwas anstarrt.") + [EOS_ID]])
    for limit in (1, 3, 5):
        hyps = search(loaded.model, src, lengths, DecodeOptions(beam_width=beam, max_length=limit))[0]
        assert all(len(h.token_ids) <= limit + 1 for h in hyps)  # + the end-of-sentence marker
        assert all(h.truncated for h in hyps)  # and each says the limit ended it
    untouched = search(loaded.model, src, lengths, DecodeOptions(beam_width=beam, max_length=200))[0]
    assert not any(h.truncated for h in untouched if len(h.token_ids) < 60)


@pytest.mark.parametrize("beam", [1, 5])
def test_batch_equals_one_by_one(tiny_model_dir, beam):
    from translator_app.core.modelfile import load_model_folder

    loaded = load_model_folder(tiny_model_dir)
    sentences = ["Ein Hund.", "Zwei junge weiße Männer sind im Freien in der Nähe vieler Büsche.", "Eine Frau liest."]
    ids = [loaded.vocab.encode(s) + [EOS_ID] for s in sentences]
    options = DecodeOptions(beam_width=beam, n_best=min(beam, 3))
    batched = search(loaded.model, *pad_batch(ids), options)
    for one, expected in zip(ids, batched):
        alone = search(loaded.model, *pad_batch([one]), options)[0]
        assert [h.token_ids for h in alone] == [h.token_ids for h in expected]
        assert [h.score for h in alone] == pytest.approx([h.score for h in expected], abs=1e-4)


def test_no_repeat_ngram_bans_exactly_the_repeats():
    log_probs = torch.zeros(1, 10)
    generated = torch.tensor([[4, 5, 6, 4]])
    ban_repeated_ngrams(log_probs, generated, 2)
    assert math.isinf(log_probs[0, 5]) and torch.isfinite(log_probs[0, [4, 6, 7]]).all()


def test_no_repeat_ngram_in_output(tiny_model_dir):
    from translator_app.core.modelfile import load_model_folder

    loaded = load_model_folder(tiny_model_dir)
    src, lengths = pad_batch([loaded.vocab.encode("Ein Mann und ein Mann und ein Mann.") + [EOS_ID]])
    for beam in (1, 4):
        tokens = search(loaded.model, src, lengths, DecodeOptions(beam_width=beam, no_repeat_ngram_size=2))[0][0].token_ids
        bigrams = list(zip(tokens, tokens[1:]))
        assert len(bigrams) == len(set(bigrams))


def test_invalid_options_get_clear_messages():
    with pytest.raises(ValueError, match="beam width"):
        DecodeOptions(beam_width=0).validated()
    with pytest.raises(ValueError, match="length penalty"):
        DecodeOptions(length_penalty=-1).validated()
    assert DecodeOptions(beam_width=2, n_best=4).validated().beam_width == 4
