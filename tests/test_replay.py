"""Mixed fine-tuning: the replay sample, batches by tokens, the forgetting budget, before and after on both."""

import json

import numpy as np
import pytest
import torch
from safetensors.numpy import load_file, save_file

from conftest import read_multi30k, tuning_pairs
from translator_app.core.batching import encode_pairs, make_batches
from translator_app.core.training.corpus_store import EncodedPair, ids, pair_lengths
from translator_app.core import ct2_backend
from translator_app.core.modelfile import load_model_folder, save_model_folder
from translator_app.core.types.modelformat import FILE_BOUNDS, ModelFileError, ModelMetadata
from translator_app.core.models import build_model
from translator_app.core.models.transformer import TransformerConfig
from translator_app.core.paths import DEFAULT_MODEL
from translator_app.core.replay import MixedPairs, load_replay, replay_path, save_replay
from translator_app.core.types.train_types import TrainerState
from translator_app.core.types.train_config import TrainConfig
from translator_app.core.training.facade import no_model_reason
from translator_app.core.training.runner import prepare_run, publish_run
from translator_app.core.types.run_spec import RunSpec
from translator_app.core.translator import Translator


@pytest.fixture()
def base_with_replay(shipped_dir_with_tiny):
    """The stand-in shipped model with a replay sample of its own training pairs and a general sample."""
    folder = shipped_dir_with_tiny / DEFAULT_MODEL
    vocab = load_model_folder(folder).vocab
    encoded, _ = encode_pairs(vocab, read_multi30k("train", 400))
    save_replay(replay_path(folder), encoded[:300], read_multi30k("val", 12), ["everyday"] * 8 + ["captions"] * 4)
    config = json.loads((folder / "config.json").read_text())
    config["default_decoding"] = {"beam_width": 5, "length_penalty": 0.6}
    (folder / "config.json").write_text(json.dumps(config))
    return folder


def write_pairs(path, pairs):
    path.write_text("\n".join(f"{de}\t{en}" for de, en in pairs) + "\n", encoding="utf-8")
    return str(path)


def test_a_sample_reads_back_as_written_and_damage_is_refused(base_with_replay, tmp_path):
    sample = load_replay(base_with_replay, 600)
    assert sample is not None and len(sample.pairs) == 300 and sample.general == read_multi30k("val", 12)
    assert list(sample.general_by_domain()) == ["everyday", "captions"] and len(sample.general_by_domain()["captions"]) == 4
    assert load_replay(tmp_path, 600) is None  # a model without one: no mixing, no error
    arrays = load_file(str(replay_path(base_with_replay)))
    with pytest.raises(ModelFileError, match="outside the model's vocabulary"):
        load_replay(base_with_replay, int(arrays["tgt"].max()))  # a sample made for another, larger vocabulary
    for broken, message in (
        ({**arrays, "src_offsets": arrays["src_offsets"][:-1]}, "offsets"),
        ({k: v for k, v in arrays.items() if k != "general_en"}, "missing general_en"),
        ({**arrays, "src": arrays["src"].astype(np.float32)}, "whole numbers"),
    ):
        save_file(broken, str(tmp_path / "replay.safetensors"))
        with pytest.raises(ModelFileError, match=message):
            load_replay(tmp_path, 600)
    (tmp_path / "replay.safetensors").write_bytes(b"\x10\x00garbage")
    with pytest.raises(ModelFileError, match="unreadable"):
        load_replay(tmp_path, 600)
    with (tmp_path / "replay.safetensors").open("wb") as f:  # far larger than any sample: refused unread
        f.truncate(FILE_BOUNDS["replay.safetensors"].max_bytes + 1)
    with pytest.raises(ModelFileError):
        load_replay(tmp_path, 600)


def test_batches_by_tokens_fill_a_budget_and_cover_every_pair_once(base_with_replay):
    pairs = load_replay(base_with_replay, 600).pairs
    batches = make_batches(pairs, 64, seed=3, epoch=1, max_tokens=300)
    src, tgt = pair_lengths(pairs)
    assert sorted(i for b in batches for i in b) == list(range(len(pairs)))
    for batch in batches:
        assert len(batch) * max(max(src[i], tgt[i]) for i in batch) <= 300 or len(batch) == 1
    assert batches == make_batches(pairs, 64, seed=3, epoch=1, max_tokens=300)  # a resumed run skips the same ones
    short = [EncodedPair(ids([5] * 6), ids([1] + [6] * 5 + [2])) for _ in range(1000)]  # UI strings: 5-6 subwords
    assert sorted(len(b) for b in make_batches(short, 64, seed=3, epoch=1, max_tokens=1600)) == [88] + [228] * 4  # not 64


def test_a_fine_tune_mixes_a_fresh_draw_each_epoch_and_measures_both_before_and_after(base_with_replay, tmp_path):
    data = write_pairs(tmp_path / "mine.tsv", tuning_pairs(120))
    events = []
    spec = RunSpec(
        name="mine",
        data=[data],
        base_model=DEFAULT_MODEL,
        replay_ratio=2.0,
        train=TrainConfig(epochs=2, batch_size=16, batch_tokens=400, warmup_steps=2, precision="fp32", checkpoint_every=0),
    )
    prepared = prepare_run(spec, callback=lambda e: e.kind != "step" and events.append(e))
    trainer = prepared.trainer
    own = len(trainer.train_pairs)
    first, second = trainer.epoch_pairs(0), trainer.epoch_pairs(1)
    assert isinstance(first, MixedPairs) and len(first) == own * 3
    assert first.chosen != second.chosen and first.chosen == trainer.epoch_pairs(0).chosen
    assert trainer.total_steps == sum(len(trainer.epoch_batches(trainer.epoch_pairs(e), e)) for e in range(2))
    result = trainer.fit()
    baseline = events[0]
    assert baseline.kind == "baseline" and baseline.general_bleu is not None and "general German" in baseline.message
    epochs = [e for e in events if e.kind == "epoch"]
    assert len(epochs) == 2 and all(e.general_bleu is not None for e in epochs)
    assert result.base_general_bleu == baseline.general_bleu
    assert [r["general_bleu"] for r in result.history] == [e.general_bleu for e in epochs]
    if result.best_folder is not None:
        target = publish_run(prepared.run_dir, "mine", result)
        tuned = load_model_folder(target)
        assert tuned.metadata.default_decoding == {"beam_width": 5, "length_penalty": 0.6}  # the base's, tuned on dev
        assert "per pair of yours" in tuned.metadata.training["replay"]
        assert (target / "replay.safetensors").read_bytes() == replay_path(base_with_replay).read_bytes()
        assert "general German BLEU" in result.gain_report(spec.train.forgetting_budget)
    prepared.release()


def test_an_epoch_that_forgets_more_than_the_budget_is_never_kept(base_with_replay, tmp_path):
    data = write_pairs(tmp_path / "mine.tsv", tuning_pairs(60))
    spec = RunSpec(name="m", data=[data], base_model=DEFAULT_MODEL, train=TrainConfig(epochs=1, forgetting_budget=1.0))
    prepared = prepare_run(spec)
    trainer = prepared.trainer
    state = TrainerState(base={"val_bleu": 5.0, "val_loss": 4.0, "general_bleu": 20.0})
    better = {"val_bleu": 30.0, "val_loss": 1.0, "val_perplexity": 2.7}
    assert trainer._better({**better, "general_bleu": 19.0}, state)  # lost 1.0: within the budget
    assert not trainer._better({**better, "general_bleu": 18.9}, state)  # lost 1.1: not kept
    assert trainer._better(better, TrainerState(base={"val_bleu": 5.0, "val_loss": 4.0}))  # no general sample
    by_domain = TrainerState(
        base={"val_bleu": 5.0, "val_loss": 4.0, "general_bleu": 25.0, "general_bleu_everyday": 40.0, "general_bleu_news": 10.0}
    )
    # the mean lost only 0.5, but everyday German lost 1.5: a loss on one domain must not hide in the mean
    assert not trainer._better(
        {**better, "general_bleu": 24.5, "general_bleu_everyday": 38.5, "general_bleu_news": 10.5}, by_domain
    )
    assert trainer._better({**better, "general_bleu": 24.5, "general_bleu_everyday": 39.2, "general_bleu_news": 9.8}, by_domain)
    prepared.release()


def test_a_run_whose_every_better_epoch_forgot_too_much_says_so(base_with_replay, tmp_path):
    data = write_pairs(tmp_path / "mine.tsv", tuning_pairs(120))
    spec = RunSpec(
        name="m", data=[data], base_model=DEFAULT_MODEL, train=TrainConfig(epochs=2, patience=1, forgetting_budget=0.0)
    )
    prepared = prepare_run(spec)
    prepared.trainer.validate = lambda: next(scores)  # type: ignore[method-assign]
    scores = iter(
        [
            {"val_loss": 4.0, "val_perplexity": 55.0, "val_bleu": 5.0, "general_bleu": 20.0},
            {"val_loss": 3.0, "val_perplexity": 20.0, "val_bleu": 9.0, "general_bleu": 18.0},
            {"val_loss": 2.9, "val_perplexity": 18.0, "val_bleu": 11.0, "general_bleu": 18.5},
        ]
    )
    result = prepared.trainer.fit()
    assert result.best_folder is None and result.epochs_completed == 2  # forgetting is no reason to stop early
    assert "lost more general German than allowed" in no_model_reason(result) and "11.00" in no_model_reason(result)
    prepared.release()


def test_without_mixing_only_the_users_pairs_are_trained_but_both_are_measured(base_with_replay, tmp_path):
    data = write_pairs(tmp_path / "mine.tsv", tuning_pairs(60))
    spec = RunSpec(name="m", data=[data], base_model=DEFAULT_MODEL, replay_ratio=0.0, train=TrainConfig(epochs=1))
    prepared = prepare_run(spec)
    assert len(prepared.trainer.epoch_pairs(0)) == len(prepared.trainer.train_pairs)
    assert prepared.trainer.general_pairs  # what is lost is measured all the same
    assert "off" in prepared.trainer.metadata.training["replay"]
    prepared.release()


def test_the_cli_reports_the_base_and_what_was_gained_and_lost(base_with_replay, tmp_path, capsys):
    from translator_app.cli.main import main

    data = write_pairs(tmp_path / "mine.tsv", tuning_pairs(150))
    code = main(["train", data, "--name", "mine", "--base", DEFAULT_MODEL, "--epochs", "1", "--lr", "0.003"])
    out, err = capsys.readouterr()
    assert "Before training (the base model)" in out and "general German BLEU" in out  # tqdm writes above its bar
    if code == 0:
        assert "Your data: validation BLEU" in out and "→" in out.split("Your data")[1]
    else:
        assert "No epoch" in err


@pytest.mark.parametrize("flags, message", [(["--replay-ratio", "-1"], "replay-ratio"), (["--batch-tokens", "-5"], "tokens")])
def test_the_cli_refuses_impossible_mixing_numbers(base_with_replay, tmp_path, capsys, flags, message):
    from translator_app.cli.main import main

    data = write_pairs(tmp_path / "mine.tsv", tuning_pairs(60))
    assert main(["train", data, "--name", "mine", "--base", DEFAULT_MODEL, *flags]) != 0
    assert message in capsys.readouterr().err


@pytest.mark.skipif(not ct2_backend.available(), reason="the ctranslate2 package is not installed")
def test_a_fine_tuned_transformer_decodes_with_ctranslate2_like_its_base(tiny_model_dir, tmp_path, monkeypatch):
    vocab = load_model_folder(tiny_model_dir).vocab
    torch.manual_seed(3)
    config = TransformerConfig(vocab_size=len(vocab), d_model=32, num_heads=4, ff_dim=64, encoder_layers=1, decoder_layers=1)
    shipped = tmp_path / "shipped"
    save_model_folder(shipped / "base-transformer", build_model(config), vocab, ModelMetadata(name="base-transformer"))
    monkeypatch.setenv("TRANSLATOR_APP_SHIPPED_MODELS", str(shipped))
    assert Translator.load("base-transformer", device="cpu").engine.startswith("CTranslate2")
    data = write_pairs(tmp_path / "mine.tsv", tuning_pairs(150))
    spec = RunSpec(name="tuned", data=[data], base_model="base-transformer", train=TrainConfig(epochs=1, learning_rate=3e-3))
    prepared = prepare_run(spec)
    target = publish_run(prepared.run_dir, "tuned", prepared.trainer.fit())
    prepared.release()
    assert Translator.load(target, device="cpu").engine.startswith("CTranslate2")
