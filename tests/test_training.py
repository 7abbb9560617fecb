"""The training engine end to end, on small slices of Multi30k."""

import hashlib
from pathlib import Path

import pytest
import sacrebleu
import torch

from conftest import corpus_files, read_multi30k, tuning_pairs
from translator_app.core.batching import encode_pairs, resample_pairs
from translator_app.core.training.corpus_store import EncodedPair
from translator_app.core.training.checkpoint import has_checkpoint
from translator_app.core.modelfile import load_model_folder
from translator_app.core.types.modelformat import ModelMetadata
from translator_app.core.models import build_model
from translator_app.core.models.lstm import LSTMConfig
from translator_app.core.text import BOS_ID, EOS_ID
from translator_app.core.training.trainer import Trainer
from translator_app.core.types.train_config import TrainConfig
from translator_app.core.types.errors import TrainingError
from translator_app.core.training.runner import prepare_run, publish_run
from translator_app.core.types.run_spec import RunSpec
from translator_app.core.training.facade import unfinished_runs
from translator_app.core.paths import DEFAULT_MODEL


class Crash(Exception):
    pass


def small_trainer(tmp_path, vocab, pairs, *, epochs=2, callback=None, run="run", **config):
    torch.manual_seed(0)
    model = build_model(LSTMConfig(vocab_size=len(vocab), emb_dim=16, hidden_dim=32, num_layers=1, dropout=0.0))
    encoded, _ = encode_pairs(vocab, pairs)
    settings = dict(
        epochs=epochs, batch_size=32, learning_rate=5e-3, warmup_steps=5, checkpoint_every=4, precision="fp32", patience=10
    )
    settings.update(config)
    return Trainer(
        model,
        vocab,
        encoded,
        pairs[:20],
        TrainConfig(**settings),
        tmp_path / run,
        ModelMetadata(name="t"),
        val_encoded=encoded[:20],
        callback=callback,
    )


@pytest.fixture(scope="module")
def vocab(tiny_model_dir):
    return load_model_folder(tiny_model_dir).vocab


@pytest.fixture(scope="module")
def pairs():
    return read_multi30k("train", 320)


def test_training_lowers_the_loss_and_writes_a_loadable_model(tmp_path, vocab, pairs):
    events = []
    trainer = small_trainer(tmp_path, vocab, pairs, epochs=3, callback=events.append)
    result = trainer.fit()
    losses = [e.loss for e in events if e.kind == "step"]
    assert sum(losses[-5:]) / 5 < sum(losses[:5]) / 5
    epochs = [e for e in events if e.kind == "epoch"]
    assert len(epochs) == 3 and all(e.val_loss is not None and e.val_bleu is not None for e in epochs)
    assert epochs[-1].val_loss < epochs[0].val_loss
    assert result.status == "finished" and result.steps == 3 * 10
    loaded = load_model_folder(result.best_folder)
    assert loaded.config.hidden_dim == 32


@pytest.mark.fault("guarantee", "a run killed mid-epoch resumes to the same weights")
@pytest.mark.parametrize("sampling", [0.0, 0.3], ids=["best-segmentation", "subword-sampling"])
def test_killed_run_resumes_with_the_same_steps_and_weights(tmp_path, vocab, pairs, sampling):
    full = small_trainer(tmp_path, vocab, pairs, run="full", subword_sampling=sampling)
    full_result = full.fit()

    def crash_at_step_7(event):
        if event.kind == "step" and event.step == 7:
            raise Crash()

    with pytest.raises(Crash):
        small_trainer(tmp_path, vocab, pairs, run="killed", callback=crash_at_step_7, subword_sampling=sampling).fit()
    assert has_checkpoint(tmp_path / "killed")
    steps = []
    resumed = small_trainer(
        tmp_path,
        vocab,
        pairs,
        run="killed",
        callback=lambda e: e.kind == "step" and steps.append(e.step),
        subword_sampling=sampling,
    )
    result = resumed.fit(resume=True)
    assert steps[0] == 5 and result.steps == full_result.steps == 20  # continues after the checkpoint at step 4
    for (name, a), b in zip(full.model.state_dict().items(), resumed.model.state_dict().values()):
        assert torch.allclose(a, b, atol=1e-5), name


def test_subword_sampling_redraws_segmentations_of_the_same_text(vocab, pairs):
    encoded, _ = encode_pairs(vocab, pairs)
    encoded.append(EncodedPair([5, EOS_ID], [BOS_ID, 6, EOS_ID]))  # no text: kept as it is
    first = resample_pairs(vocab, encoded, alpha=0.3, seed=1)
    assert len(first) == len(encoded) and first[-1] is encoded[-1]
    assert [vocab.decode(p.src) for p in first] == [vocab.decode(p.src) for p in encoded]
    assert [vocab.decode(p.tgt) for p in first] == [vocab.decode(p.tgt) for p in encoded]
    assert all(p.src[-1] == EOS_ID and p.tgt[0] == BOS_ID and p.tgt[-1] == EOS_ID for p in first)
    changed = sum(a.src != b.src or a.tgt != b.tgt for a, b in zip(first, encoded))
    assert changed > len(encoded) // 4
    assert [p.src for p in resample_pairs(vocab, encoded, alpha=0.3, seed=1)] == [p.src for p in first]
    assert [p.src for p in resample_pairs(vocab, encoded, alpha=0.3, seed=2)] != [p.src for p in first]


def test_cancel_keeps_the_previous_best_model(tmp_path, vocab, pairs):
    trainer = small_trainer(tmp_path, vocab, pairs, epochs=1)
    trainer.fit()
    best = tmp_path / "run" / "best" / "model.safetensors"
    digest = hashlib.sha256(best.read_bytes()).hexdigest()

    def cancel_soon(event):
        if event.kind == "step" and event.step == 13:
            again.cancel()

    again = small_trainer(tmp_path, vocab, pairs, epochs=3, callback=cancel_soon)
    result = again.fit(resume=True)
    assert result.status == "cancelled" and result.steps == 13
    assert hashlib.sha256(best.read_bytes()).hexdigest() == digest
    load_model_folder(tmp_path / "run" / "best")


def test_pause_and_resume_from_another_thread(tmp_path, vocab, pairs):
    import threading

    kinds = []
    trainer = small_trainer(tmp_path, vocab, pairs, epochs=1, callback=lambda e: kinds.append(e.kind))
    trainer.pause()
    thread = threading.Thread(target=trainer.fit)
    thread.start()
    for _ in range(200):
        if "paused" in kinds:
            break
        thread.join(0.05)
    assert "paused" in kinds and "step" not in kinds
    trainer.resume()
    thread.join(60)
    assert not thread.is_alive() and kinds.count("step") == 10


@pytest.mark.fault(6, "NaN loss (--lr inf)")
def test_nan_loss_stops_with_a_clear_error(tmp_path, vocab, pairs):
    trainer = small_trainer(tmp_path, vocab, pairs)
    with torch.no_grad():
        trainer.model.embedding.weight.fill_(float("nan"))
    with pytest.raises(TrainingError, match="loss became nan"):
        trainer.fit()


@pytest.mark.fault("guarantee", "fine-tuning never modifies a shipped model")
def test_fine_tuning_keeps_the_vocabulary_and_never_touches_the_shipped_model(shipped_dir_with_tiny, tmp_path):
    shipped = shipped_dir_with_tiny / DEFAULT_MODEL
    before = {p.name: p.read_bytes() for p in shipped.iterdir()}
    data_de, data_en = tmp_path / "mine.de", tmp_path / "mine.en"
    pairs = tuning_pairs(200)  # the run must keep a model to publish
    data_de.write_text("\n".join(p[0] for p in pairs) + "\n", encoding="utf-8")
    data_en.write_text("\n".join(p[1] for p in pairs) + "\n", encoding="utf-8")
    spec = RunSpec(
        name="mine",
        data=[str(data_de), str(data_en)],
        base_model=DEFAULT_MODEL,
        train=TrainConfig(epochs=1, batch_size=32, warmup_steps=2, precision="fp32"),
    )
    prepared = prepare_run(spec)
    result = prepared.trainer.fit()
    target = publish_run(prepared.run_dir, "mine", result)
    assert {p.name: p.read_bytes() for p in shipped.iterdir()} == before
    tuned = load_model_folder(target)
    assert tuned.vocab.model_proto == load_model_folder(shipped).vocab.model_proto
    assert tuned.metadata.training["base_model"] == "tiny-lstm"
    assert (target / "README.md").read_text().startswith("# mine")
    with pytest.raises(FileExistsError):
        publish_run(prepared.run_dir, "mine", result)
    with pytest.raises(FileExistsError, match="shipped model"):
        prepare_run(RunSpec(name=DEFAULT_MODEL, data=spec.data))


def test_fine_tuning_measures_the_base_model_first_and_records_before_and_after(shipped_dir_with_tiny, tmp_path):
    pairs = read_multi30k("val", 100)
    (tmp_path / "a.tsv").write_text("\n".join(f"{de}\t{en}" for de, en in pairs), encoding="utf-8")
    events = []
    spec = RunSpec(
        name="after",
        data=[str(tmp_path / "a.tsv")],
        base_model=DEFAULT_MODEL,
        train=TrainConfig(epochs=1, batch_size=16, checkpoint_every=0, precision="fp32", learning_rate=1e-4),
    )
    prepared = prepare_run(spec, callback=lambda e: e.kind != "step" and events.append(e))
    result = prepared.trainer.fit()
    assert events[0].kind == "baseline" and events[0].step == 0 and events[0].val_bleu is not None
    assert result.base_val_bleu == events[0].val_bleu
    if result.best_folder is not None:
        target = publish_run(prepared.run_dir, "after", result)
        assert load_model_folder(target).metadata.training["base_val_bleu"] == round(result.base_val_bleu, 2)
    prepared.release()


def test_unfinished_runs_are_listed_for_resuming(shipped_dir_with_tiny, tmp_path):
    pairs = read_multi30k("val", 100)
    (tmp_path / "a.tsv").write_text("\n".join(f"{de}\t{en}" for de, en in pairs), encoding="utf-8")
    spec = RunSpec(
        name="later",
        data=[str(tmp_path / "a.tsv")],
        base_model=DEFAULT_MODEL,
        train=TrainConfig(epochs=2, batch_size=16, checkpoint_every=2, precision="fp32"),
    )
    prepared = prepare_run(spec)
    prepared.trainer.callback = lambda e: e.kind == "step" and e.step == 3 and prepared.trainer.cancel()
    assert prepared.trainer.fit().status == "cancelled"
    assert unfinished_runs() == []  # still held: this process may resume it at once
    prepared.release()
    assert [p.name for p in unfinished_runs()] == ["later"]


def test_evaluate_bleu_equals_sacrebleu_directly(tiny_model_dir, tmp_path, capsys):
    import json

    from translator_app.cli.main import main
    from translator_app.core.types.options import DecodeOptions
    from translator_app.core.translator import Translator

    src, ref = corpus_files("test_2016_flickr")  # or its Tatoeba stand-in
    out = tmp_path / "hyp.txt"
    assert (
        main(
            [
                "evaluate",
                "--model",
                str(tiny_model_dir),
                "--src",
                str(src),
                "--ref",
                str(ref),
                "--beam",
                "1",
                "--max-len",
                "30",
                "--json",
                "--output",
                str(out),
            ]
        )
        == 0
    )
    scores = json.loads(capsys.readouterr().out)
    hyps = out.read_text(encoding="utf-8").splitlines()
    refs = [p[1] for p in read_multi30k("test_2016_flickr")]
    assert len(hyps) == len(refs) == scores["sentences"]
    assert scores["sacrebleu"] == pytest.approx(sacrebleu.corpus_bleu(hyps, [refs]).score)
    assert scores["chrf"] == pytest.approx(sacrebleu.corpus_chrf(hyps, [refs]).score)
    direct = Translator.load(tiny_model_dir).translate_sentences(
        [p[0] for p in read_multi30k("test_2016_flickr")][:5], DecodeOptions(beam_width=1, max_length=30)
    )
    assert [d.hypotheses[0].text for d in direct] == hyps[:5]


def test_cli_train_from_scratch_and_resume_flags(tmp_path, capsys):
    from translator_app.cli.main import main
    from translator_app.core.paths import user_models_dir

    pairs = read_multi30k("train", 150)
    tsv = tmp_path / "tatoeba.tsv"
    tsv.write_text("\n".join(f"{en}\t{de}\tCC-BY 2.0 #{i}" for i, (de, en) in enumerate(pairs)), encoding="utf-8")
    code = main(
        [
            "train",
            str(tsv),
            "--name",
            "scratch",
            "--epochs",
            "1",
            "--vocab-size",
            "400",
            "--batch-size",
            "32",
            "--subword-sampling",
            "0.3",
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert "model saved as 'scratch'" in capsys.readouterr().out
    assert load_model_folder(user_models_dir() / "scratch").metadata.training["hyperparameters"]["subword_sampling"] == 0.3
    assert main(["train", str(tsv), "--name", "other", "--subword-sampling", "2"]) == 2
    assert "--subword-sampling must be between 0 (off) and 1" in capsys.readouterr().err
    assert main(["models", "--json"]) == 0
    assert '"name": "scratch"' in capsys.readouterr().out
    assert main(["train", str(tsv), "--name", "scratch", "--epochs", "1"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["train", str(tmp_path / "missing.tsv"), "--name", "x"]) == 2
    assert "missing.tsv" in capsys.readouterr().err


def test_the_last_epochs_weights_are_kept_and_average_elementwise(tmp_path, vocab, pairs):
    from safetensors.torch import load_file

    from translator_app.core.training.checkpoint import average_weights, epoch_weight_files

    trainer = small_trainer(tmp_path, vocab, pairs, epochs=4, keep_epoch_weights=2)
    trainer.fit()
    snapshots = epoch_weight_files(tmp_path / "run")
    assert [p.name for p in snapshots] == ["epoch-003.safetensors", "epoch-004.safetensors"]
    last = {k: v for k, v in trainer.model.state_dict().items()}
    third, fourth = (load_file(str(p)) for p in snapshots)
    assert all(torch.equal(fourth[k], last[k].float()) for k in last)  # the final epoch, exactly
    averaged = average_weights(snapshots)
    for key in last:
        assert torch.allclose(averaged[key], (third[key] + fourth[key]) / 2, atol=1e-6)
    trainer.model.load_state_dict(averaged)  # loads as a model's weights
    other = small_trainer(tmp_path, vocab, pairs, epochs=1, run="other", keep_epoch_weights=1)
    other.model = build_model(LSTMConfig(vocab_size=len(vocab), emb_dim=8, hidden_dim=16, num_layers=1))
    other.optimizer = torch.optim.AdamW(other.model.parameters())
    other.fit()
    with pytest.raises(ValueError, match="not a snapshot of the same model"):
        average_weights([snapshots[0], *epoch_weight_files(tmp_path / "other")])


@pytest.mark.fault(1, "train --resume --name with a path that escapes the runs folder")
@pytest.mark.parametrize("name", ["/tmp/victim", "../victim", "a/../../victim", "..", "a/b"])
def test_resume_refuses_names_that_escape_the_runs_folder(tmp_path, capsys, name):
    from translator_app.cli.main import main

    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "important.txt").write_text("keep", encoding="utf-8")
    (victim / "run.json").write_text('{"name": "ft", "data": ["x.de", "x.en"]}', encoding="utf-8")
    target = str(victim) if name.startswith("/") else name
    assert main(["train", "--name", target, "--resume"]) == 2
    assert "model name" in capsys.readouterr().err  # refused, saying why (too long, or a / in it)
    assert (victim / "important.txt").read_text(encoding="utf-8") == "keep"


@pytest.mark.parametrize(
    "field, value",
    [
        ("epochs", 0),
        ("epochs", -1),
        ("batch_size", -5),
        ("batch_size", 0),
        ("learning_rate", 0.0),
        ("learning_rate", float("inf")),
        ("learning_rate", 1e6),
        ("patience", 0),
        ("subword_sampling", 2.0),
        ("epochs", 2.5),
    ],
)
@pytest.mark.fault(10, "impossible numbers in TrainConfig")
def test_impossible_training_numbers_are_refused(field, value):
    with pytest.raises(ValueError):
        TrainConfig(**{field: value})


@pytest.mark.parametrize(
    "flags, message",
    [
        (["--batch-size", "-5"], "batch size"),
        (["--epochs", "0"], "epochs"),
        (["--lr", "0"], "learning rate"),
        (["--patience", "0"], "patience"),
    ],
)
@pytest.mark.fault(10, "impossible numbers on the command line")
def test_cli_refuses_impossible_training_numbers(tmp_path, capsys, flags, message):
    from translator_app.cli.main import main

    pairs = read_multi30k("val", 50)
    tsv = tmp_path / "d.tsv"
    tsv.write_text("\n".join(f"{de}\t{en}" for de, en in pairs), encoding="utf-8")
    assert main(["train", str(tsv), "--name", "x", *flags]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.fault(13, "a model name with a trailing newline")
def test_model_name_with_a_trailing_newline_is_refused():
    from translator_app.core.types.run_spec import check_name_pattern

    with pytest.raises(ValueError):
        check_name_pattern("model\n")


@pytest.mark.fault(9, "a folder in the current directory named like a model")
def test_a_folder_in_the_current_directory_does_not_shadow_a_model_name(shipped_dir_with_tiny, tmp_path, monkeypatch):
    from translator_app.core.catalog import find_model

    monkeypatch.chdir(tmp_path)
    (tmp_path / DEFAULT_MODEL).mkdir()
    (tmp_path / DEFAULT_MODEL / "config.json").write_text("{broken", encoding="utf-8")
    assert find_model(DEFAULT_MODEL) == shipped_dir_with_tiny / DEFAULT_MODEL
    assert find_model(f"./{DEFAULT_MODEL}") == Path(f"./{DEFAULT_MODEL}")  # an explicit path is a path


@pytest.mark.fault(6, "a full disk during training")
def test_a_full_disk_stops_the_run_with_one_message_and_keeps_the_last_checkpoint(tmp_path, vocab, pairs, monkeypatch):
    import errno
    import json as jsonlib

    import translator_app.core.training.checkpoint as checkpoint
    from translator_app.core.training import trainer as trainer_module

    real = checkpoint.save_checkpoint
    calls = []

    def fills_up(run_dir, model, optimizer, state):
        calls.append(state.step)
        if len(calls) > 1:  # the first checkpoint is written; then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")
        real(run_dir, model, optimizer, state)

    monkeypatch.setattr(trainer_module, "save_checkpoint", fills_up)
    with pytest.raises(TrainingError, match="the disk is full.*last good checkpoint is kept"):
        small_trainer(tmp_path, vocab, pairs, run="full").fit()
    saved = jsonlib.loads((tmp_path / "full" / "checkpoint" / "state.json").read_text())["trainer"]
    assert saved["step"] == calls[0] and has_checkpoint(tmp_path / "full")


def test_the_loss_curve_is_kept_in_the_checkpoint_and_thinned_on_long_runs(tmp_path, vocab, pairs, monkeypatch):
    import json as jsonlib

    import translator_app.core.training.trainer as trainer_module

    monkeypatch.setattr(trainer_module, "MAX_STEP_LOSSES", 8)
    small_trainer(tmp_path, vocab, pairs, epochs=2).fit()  # 20 steps
    state = jsonlib.loads((tmp_path / "run" / "checkpoint" / "state.json").read_text(encoding="utf-8"))["trainer"]
    steps = [step for step, _ in state["step_losses"]]
    assert 4 <= len(steps) <= 8 and steps == sorted(steps) and steps[0] == 1 and steps[-1] == 20
    assert all(isinstance(loss, float) for _, loss in state["step_losses"])


# ---- typed events, statuses and trainer state ---------------------------------------------------

OLD_STATE = {
    "epoch": 1,
    "batch": 3,
    "step": 13,
    "best_bleu": 4.25,
    "best_epoch": 1,
    "bad_epochs": 0,
    "history": [{"epoch": 1, "step": 10, "val_loss": 5.1, "val_perplexity": 164.0, "val_bleu": 4.25, "seconds": 3.2}],
    "seconds": 4.5,
    "step_losses": [[1, 7.8], [13, 5.2]],
}


def test_event_kinds_and_statuses_are_their_old_words():
    import json as jsonlib

    from translator_app.core.types.train_types import RunStatus, TrainEventKind

    assert [k.value for k in TrainEventKind] == ["step", "epoch", "baseline", "checkpoint", "log", "paused", "resumed"]
    assert [s.value for s in RunStatus] == ["finished", "early-stopped", "cancelled", "closing"]
    assert TrainEventKind.STEP == "step" and RunStatus("early-stopped") is RunStatus.EARLY_STOPPED
    assert f"{RunStatus.EARLY_STOPPED}: done" == "early-stopped: done" and str(TrainEventKind.LOG) == "log"
    assert jsonlib.dumps({"status": RunStatus.CANCELLED}) == '{"status": "cancelled"}'


@pytest.mark.parametrize(
    "base", [None, {"val_loss": 6.0, "val_perplexity": 403.4, "val_bleu": 1.5}], ids=["scratch", "fine-tune"]
)
def test_trainer_state_keeps_the_checkpoints_json_keys(base):
    from translator_app.core.types.train_types import TrainerState

    old = {**OLD_STATE, **({"base": base} if base else {})}
    state = TrainerState.from_dict(old)
    assert state.step == 13 and state.best_bleu == 4.25 and state.base == base and state.history == old["history"]
    assert state.to_dict() == old and list(state.to_dict()) == list(old)  # the same keys, in the same order
    assert TrainerState.from_dict({}) == TrainerState()  # missing keys: where a run starts
    with pytest.raises((TypeError, ValueError)):
        TrainerState.from_dict({"step": "many"})


@pytest.mark.fault("guarantee", "a checkpoint written before TrainerState resumes")
def test_a_checkpoint_in_the_old_dict_shape_still_resumes(tmp_path, vocab, pairs):
    """The counters of a checkpoint as the trainer wrote them as a plain dict, by hand: the run goes on from them."""
    import json as jsonlib

    from translator_app.core.training.checkpoint import read_checkpoint_state

    full = small_trainer(tmp_path, vocab, pairs, run="full")
    full.fit()

    def crash_at_step_7(event):
        if event.kind == "step" and event.step == 7:
            raise Crash()

    with pytest.raises(Crash):
        small_trainer(tmp_path, vocab, pairs, run="old", callback=crash_at_step_7).fit()
    state_file = tmp_path / "old" / "checkpoint" / "state.json"
    meta = jsonlib.loads(state_file.read_text(encoding="utf-8"))
    meta["trainer"] = {
        "epoch": 0,
        "batch": 4,
        "step": 4,
        "best_bleu": None,
        "best_epoch": None,
        "bad_epochs": 0,
        "history": [],
        "seconds": 2.5,
        "step_losses": [[1, 6.5], [2, 6.4], [3, 6.3], [4, 6.2]],
    }
    state_file.write_text(jsonlib.dumps(meta, indent=1), encoding="utf-8")

    listed = read_checkpoint_state(tmp_path / "old")
    assert listed is not None and (listed.epoch, listed.step, listed.seconds) == (0, 4, 2.5)
    steps = []
    resumed = small_trainer(tmp_path, vocab, pairs, run="old", callback=lambda e: e.kind == "step" and steps.append(e.step))
    result = resumed.fit(resume=True)
    assert steps[0] == 5 and result.steps == 20 and result.status == "finished"
    for (name, a), b in zip(full.model.state_dict().items(), resumed.model.state_dict().values()):
        assert torch.allclose(a, b, atol=1e-5), name
    written = jsonlib.loads(state_file.read_text(encoding="utf-8"))["trainer"]
    assert list(written) == list(meta["trainer"])  # still the same keys on disk
    assert written["step_losses"][:4] == [[1, 6.5], [2, 6.4], [3, 6.3], [4, 6.2]] and written["seconds"] > 2.5


def test_estimate_seconds_times_the_trainers_own_train_step_on_a_copy(tmp_path, vocab, pairs, monkeypatch):
    import time

    from translator_app.core.training.facade import PreparedRun
    from translator_app.core.training.runner import estimate_seconds

    trainer = small_trainer(tmp_path, vocab, pairs, epochs=2)
    prepared = PreparedRun(trainer, tmp_path / "run", RunSpec(name="t"), "", len(pairs), 20)
    real_step, real_validate = Trainer.train_step, Trainer.validate
    stepped, validated = [], []

    def train_step(self, *args, **kwargs):
        stepped.append(self)
        return real_step(self, *args, **kwargs)

    def validate(self):
        validated.append((self, len(self.val_pairs)))
        if len(self.val_pairs) > 2:
            time.sleep(0.5)  # the timed validation of the sample: 20 pairs, all of them here
        return real_validate(self)

    monkeypatch.setattr(Trainer, "train_step", train_step)
    monkeypatch.setattr(Trainer, "validate", validate)
    before = {k: v.clone() for k, v in trainer.model.state_dict().items()}
    seconds = estimate_seconds(prepared, sample_steps=3)
    assert len(stepped) == 6 and all(shadow is not trainer for shadow in stepped)  # 3 warm-up steps, 3 timed
    shadow = stepped[0]
    assert shadow.model is not trainer.model and shadow.optimizer is not trainer.optimizer and shadow.optimizer.state
    assert not trainer.optimizer.state and all(torch.equal(before[k], v) for k, v in trainer.model.state_dict().items())
    assert [(s is shadow, n) for s, n in validated] == [(True, 2), (True, 20)]
    assert seconds >= 0.5 * trainer.config.epochs  # one validation an epoch, in the estimate


def test_cli_caps_the_warm_up_of_a_short_run_as_the_tab_does(tmp_path):
    import argparse

    from translator_app.cli.commands import train
    from translator_app.core.types.run_spec import capped_warmup, default_warmup

    tsv = tmp_path / "short.tsv"
    tsv.write_text("\n".join(f"{de}\t{en}" for de, en in read_multi30k("train", 150)), encoding="utf-8")
    parser = argparse.ArgumentParser()
    train.register(parser.add_subparsers())
    spec = train._new_run(parser.parse_args(["train", str(tsv), "--name", "short", "--epochs", "2", "--batch-size", "16"]))
    steps = 2 * -(-(150 - 8) // 16)  # 8 pairs held out for validation
    assert spec.train.warmup_steps == capped_warmup(300, steps) == default_warmup(False, 150, 0.05, 16, 2) == 1
    spec = train._new_run(
        parser.parse_args(["train", str(tsv), "--name", "short", "--val", str(tsv), "--epochs", "400", "--batch-size", "16"])
    )
    assert spec.train.warmup_steps == capped_warmup(300, 400 * 10) == 300  # a long run keeps the default
