"""The vocabulary shortlist: how it is built, stored and checked, and that scoring only its
subwords changes nothing but which subwords can be chosen, for every architecture."""

import pytest
import torch
from model_variants import SMALL, VOCAB, small_model

from translator_app.core.modelfile import load_model_folder
from translator_app.core.types.modelformat import SHORTLIST_FILE, ModelFileError
from translator_app.core.search import search
from translator_app.core.batching import pad_batch
from translator_app.core.types.options import DecodeOptions
from translator_app.core.shortlist import Shortlist, build_shortlist, load_shortlist
from translator_app.core.text import BOS_ID, EOS_ID, PAD_ID, UNK_ID
from translator_app.core.translator import Translator


@pytest.mark.parametrize("variant", SMALL)
def test_restricted_logits_are_the_full_logits_on_the_listed_ids(variant):
    model = small_model(variant)
    src, lengths = pad_batch([[5, 6, 7, EOS_ID], [8, EOS_ID]])
    ids = torch.tensor([EOS_ID, 9, 12, 30])
    full, _, _ = model.decode_step(model.encode(src, lengths), torch.tensor([BOS_ID, BOS_ID]))
    with model.restricted_output(ids):
        restricted, _, _ = model.decode_step(model.encode(src, lengths), torch.tensor([BOS_ID, BOS_ID]))
    assert restricted.shape == (2, len(ids))  # one column per listed id, in their order
    assert torch.allclose(restricted, full[:, ids], atol=1e-5)
    again, _, _ = model.decode_step(model.encode(src, lengths), torch.tensor([BOS_ID, BOS_ID]))
    assert torch.equal(again, full)  # the restriction ends with its block


def test_training_ignores_a_restriction():
    model = small_model("lstm").train()
    src, lengths = pad_batch([[5, 6, EOS_ID]])
    with model.restricted_output(torch.tensor([EOS_ID, 9])):
        logits = model(src, lengths, torch.tensor([[BOS_ID, 9]]))
    assert torch.isfinite(logits).all()


@pytest.mark.parametrize("beam", [1, 4])
def test_a_shortlist_of_everything_changes_nothing_and_a_short_one_limits_the_output(beam):
    model = small_model("packed_attention")
    src, lengths = pad_batch([[5, 6, 7, EOS_ID], [8, 9, EOS_ID]])
    # No n-gram ban: this untrained model's beams are near-ties that the shortlist's renormalisation
    # (no <unk>, <pad>, <s>) may reorder once a ban cuts the best one; the ban with a shortlist is
    # checked against a masked full search below.
    options = DecodeOptions(beam_width=beam, max_length=8, no_repeat_ngram_size=0)
    everything = Shortlist(torch.arange(VOCAB), torch.zeros(VOCAB, 1, dtype=torch.long))
    plain = search(model, src, lengths, options)
    assert [[h.token_ids for h in hyps] for hyps in search(model, src, lengths, options, everything)] == [
        [h.token_ids for h in hyps] for hyps in plain
    ]
    allowed = {EOS_ID, 20, 21, 22}
    few = Shortlist(torch.tensor([20, 21, 22]), torch.zeros(VOCAB, 1, dtype=torch.long))
    for hyps in search(model, src, lengths, options, few):
        for h in hyps:
            assert set(h.token_ids) <= allowed | {5, 6, 7, 8, 9}  # the source's own subwords may be copied
            assert all(lp > float("-inf") for lp in h.token_log_probs)


def test_built_from_pairs_it_lists_what_goes_together():
    pairs = [([10, 11], [20, 21, 5]), ([10, 12], [20, 6]), ([10], [20]), ([11], [21, 5]), ([11, 13], [21]), ([13], [22])]
    shortlist = build_shortlist(pairs, VOCAB, frequent=2, per_source=2, min_count=2)
    assert shortlist.table[10, 0] == 20 and shortlist.table[11, 0] == 21
    assert 22 not in shortlist.table[13].tolist()  # seen together once: noise, not a translation
    assert set(shortlist.frequent.tolist()) == {20, 21}  # the two commonest target subwords
    src, lengths = pad_batch([[10, EOS_ID], [13, 11, 12, EOS_ID]])
    candidates = shortlist.candidates(src, lengths).tolist()
    assert candidates == sorted(set(candidates))
    assert {EOS_ID, 10, 11, 12, 13, 20, 21} <= set(candidates)
    assert not {PAD_ID, UNK_ID, BOS_ID} & set(candidates)
    padded_only = shortlist.candidates(*pad_batch([[10, EOS_ID], [10, EOS_ID, 25]]))
    assert 25 in padded_only.tolist()
    assert 25 not in shortlist.candidates(torch.tensor([[10, EOS_ID, 25]]), torch.tensor([2])).tolist()  # padding is not source


def test_saved_and_loaded_without_pickle(tmp_path):
    shortlist = build_shortlist([([10, t], [20, t]) for t in range(4, VOCAB)] * 2, VOCAB, frequent=30, per_source=2)
    shortlist.save(tmp_path)
    loaded = load_shortlist(tmp_path, VOCAB)
    assert torch.equal(loaded.table, shortlist.table) and torch.equal(loaded.frequent, shortlist.frequent)
    assert load_shortlist(tmp_path / "elsewhere", VOCAB) is None


@pytest.mark.parametrize(
    "tensors, message",
    [
        (
            {"frequent": torch.tensor([1, 2], dtype=torch.int32), "table": torch.zeros(7, 2, dtype=torch.int32)},
            "lists 7 source subwords",
        ),
        (
            {"frequent": torch.tensor([1, 99], dtype=torch.int32), "table": torch.zeros(VOCAB, 2, dtype=torch.int32)},
            "outside the vocabulary",
        ),
        ({"frequent": torch.tensor([1.0]), "table": torch.zeros(VOCAB, 2)}, "outside the vocabulary"),
        ({"table": torch.zeros(VOCAB, 2, dtype=torch.int32)}, "not a vocabulary shortlist"),
        (b"not safetensors at all", "unreadable"),
    ],
)
def test_a_damaged_shortlist_is_a_clear_model_file_error(tmp_path, tensors, message):
    from safetensors.torch import save_file

    path = tmp_path / SHORTLIST_FILE
    if isinstance(tensors, bytes):
        path.write_bytes(tensors)
    else:
        save_file(tensors, str(path))
    with pytest.raises(ModelFileError, match=message):
        load_shortlist(tmp_path, VOCAB)


FEW = list(range(200, 220))  # rare subwords: a shortlist of them alone gives a translation of its own


def _few(vocab_size: int) -> Shortlist:
    return Shortlist(torch.tensor(FEW), torch.tensor(FEW).repeat(vocab_size, 1))


def test_a_model_folder_with_a_shortlist_decodes_with_it_unless_switched_off(tmp_path, tiny_model_dir):
    import shutil

    folder = tmp_path / "model"
    shutil.copytree(tiny_model_dir, folder)
    vocab_size = load_model_folder(folder).config.vocab_size
    plain = Translator.load(folder, device="cpu", precision="fp32")
    sentence = "Ein Mann fährt Fahrrad."
    expected = plain.translate_sentences([sentence])[0].hypotheses[0].tokens
    _few(vocab_size).save(folder)
    translator = Translator.load(folder, device="cpu", precision="fp32")
    source = set(translator.vocab.pieces(translator.vocab.encode(sentence) + FEW))
    restricted = translator.translate_sentences([sentence])[0].hypotheses[0].tokens
    assert set(restricted) <= source and restricted != expected  # only the source's and listed subwords were scored
    translator.use_shortlist = False
    assert translator.translate_sentences([sentence])[0].hypotheses[0].tokens == expected


def test_the_cli_decodes_with_the_shortlist_and_full_vocabulary_without_it(tmp_path, tiny_model_dir, capsys):
    import shutil

    from translator_app.cli.main import main

    folder = tmp_path / "model"
    shutil.copytree(tiny_model_dir, folder)
    sentence = "Ein Mann fährt Fahrrad."
    assert main(["translate", "--model", str(folder), sentence]) == 0
    plain = capsys.readouterr().out
    _few(load_model_folder(folder).config.vocab_size).save(folder)
    assert main(["translate", "--model", str(folder), sentence]) == 0
    assert capsys.readouterr().out != plain
    assert main(["translate", "--model", str(folder), "--full-vocabulary", sentence]) == 0
    assert capsys.readouterr().out == plain


@pytest.mark.parametrize("beam, n_best, ngram", [(1, 1, 0), (4, 3, 0), (4, 2, 2), (1, 1, 1)])
def test_searching_a_shortlist_equals_searching_everything_with_the_rest_forbidden(beam, n_best, ngram):
    """The columns search works in map back to the same hypotheses, scores and bans as a full-vocabulary
    search in which every subword off the list is -inf."""
    model = small_model("packed_attention")
    src, lengths = pad_batch([[5, 6, 7, EOS_ID], [8, 9, EOS_ID]])
    options = DecodeOptions(beam_width=beam, n_best=n_best, max_length=9, no_repeat_ngram_size=ngram)
    shortlist = Shortlist(torch.tensor([11, 13, 17, 19, 23]), torch.zeros(VOCAB, 1, dtype=torch.long))
    allowed = shortlist.candidates(src, lengths)
    forbidden = torch.ones(VOCAB, dtype=torch.bool)
    forbidden[allowed] = False
    plain_step = model.decode_step

    def masked_step(state, prev):
        logits, state, attention = plain_step(state, prev)
        return logits.masked_fill(forbidden, float("-inf")), state, attention

    restricted = search(model, src, lengths, options, shortlist)
    model.decode_step = masked_step
    try:
        masked = search(model, src, lengths, options)
    finally:
        del model.decode_step
    for got, expected in zip(restricted, masked):
        assert [h.token_ids for h in got] == [h.token_ids for h in expected]
        assert [h.score for h in got] == pytest.approx([h.score for h in expected], abs=1e-4)
        assert [h.truncated for h in got] == [h.truncated for h in expected]
