"""Fault injection: training runs and model folders under concurrency, kills and leftovers.

Each test reproduces one case of the fault-injection run (``benchmarks/faults.py`` prints them
all with their outcomes): two runs with one name (item 2), and what a kill during publish or
during the final clean-up leaves behind (item 11), plus the guarantee that a kill at any moment of
a save never leaves a half-written model visible.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import read_multi30k
from translator_app.cli.main import main
from translator_app.core.atomic import STALE_AFTER_SECONDS, temp_sibling, tidy_user_folders
from translator_app.core.catalog import list_models
from translator_app.core.modelfile import load_model_folder
from translator_app.core.paths import DEFAULT_MODEL, user_models_dir, user_runs_dir
from translator_app.core.training.runlock import RunBusyError, RunLock
from translator_app.core.types.train_config import TrainConfig
from translator_app.core.training.facade import discard_run
from translator_app.core.training.runner import prepare_run
from translator_app.core.types.run_spec import RunSpec
from translator_app.core.training.facade import unfinished_runs


def _tsv(folder: Path, name: str, start: int, count: int = 120) -> Path:
    path = folder / name
    pairs = read_multi30k("train", start + count)[start:]
    path.write_text("\n".join(f"{de}\t{en}" for de, en in pairs), encoding="utf-8")
    return path


def _spec(data: Path, name: str = "ft") -> RunSpec:
    return RunSpec(
        name=name,
        data=[str(data)],
        architecture="lstm",
        vocab_size=600,
        hyperparameters={"emb_dim": 16, "hidden_dim": 16, "num_layers": 1},
        train=TrainConfig(epochs=1, batch_size=32, checkpoint_every=0, precision="fp32"),
    )


@pytest.mark.fault(2, "a second run with the same name, in this process")
def test_a_second_run_with_the_same_name_is_refused_while_the_first_lives(tmp_path):
    first = prepare_run(_spec(_tsv(tmp_path, "a.tsv", 0)))
    marker = first.run_dir / "spm.model"
    before = marker.read_bytes()
    with pytest.raises(RunBusyError, match="already in progress"):
        prepare_run(_spec(_tsv(tmp_path, "b.tsv", 500)))
    with pytest.raises(RunBusyError):
        discard_run(first.run_dir)  # nobody deletes a live run's folder
    assert marker.read_bytes() == before  # the first run's folder is untouched
    first.release()
    second = prepare_run(_spec(_tsv(tmp_path, "b.tsv", 500)))
    second.release()


@pytest.mark.fault(2, "a second run with the same name, from another process")
def test_the_cli_refuses_a_run_whose_name_another_process_is_training(tmp_path, capsys):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys
            from translator_app.core.training.runlock import RunLock
            lock = RunLock({str(user_runs_dir() / 'ft')!r}).acquire()
            print("locked", flush=True)
            sys.stdin.read()
        """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        data = _tsv(tmp_path, "d.tsv", 0)
        assert main(["train", str(data), "--name", "ft", "--epochs", "1", "--batch-size", "32"]) == 2
        assert "already in progress" in capsys.readouterr().err
        assert main(["train", "--name", "ft", "--resume"]) == 2
    finally:
        holder.communicate("", timeout=30)
    assert RunLock(user_runs_dir() / "ft").acquire().held  # the holder's exit freed the name


@pytest.mark.fault(2, "a run in progress elsewhere is not offered for resuming")
def test_a_run_in_progress_is_not_listed_as_unfinished(tmp_path, monkeypatch):
    import translator_app.core.training.facade as run_folders  # where the listing lives (torch-free)

    prepared = prepare_run(_spec(_tsv(tmp_path, "a.tsv", 0)))
    monkeypatch.setattr(run_folders, "has_checkpoint", lambda run_dir: True)  # as if it had trained a while
    assert unfinished_runs() == []
    prepared.release()
    assert unfinished_runs() == [prepared.run_dir]


@pytest.mark.fault(10, "a fine-tune that never beats its base model (e.g. a learning rate far too high)")
def test_a_fine_tune_worse_than_its_base_is_not_published(shipped_dir_with_tiny, tmp_path, capsys, monkeypatch):
    from translator_app.core.training.trainer import Trainer

    scores = iter([(10.0, 1.0), (5.0, 2.0), (4.0, 3.0)])  # (BLEU, loss) of the base model, then each epoch
    real = Trainer.validate

    def validate(self):
        bleu, loss = next(scores)
        return {**real(self), "val_bleu": bleu, "val_loss": loss}

    monkeypatch.setattr(Trainer, "validate", validate)
    data = _tsv(tmp_path, "d.tsv", 0)
    assert main(["train", str(data), "--name", "worse", "--base", DEFAULT_MODEL, "--epochs", "2", "--batch-size", "32"]) == 1
    assert "No epoch improved on the base model (validation BLEU 10.00 before training" in capsys.readouterr().err
    assert not (user_models_dir() / "worse").exists()
    assert not (user_runs_dir() / "worse").exists() and unfinished_runs() == []  # nothing left to resume


@pytest.mark.fault(11, "a kill during publish leaves a hidden .partial")
def test_stale_partial_models_are_removed_at_start_up_and_fresh_ones_kept(tiny_model_dir, capsys):
    models = user_models_dir()
    models.mkdir(parents=True)
    stale, fresh = temp_sibling(models / "ft", ".partial"), temp_sibling(models / "ft2", ".partial")
    for folder in (stale, fresh):
        folder.mkdir()
        (folder / "model.safetensors").write_bytes(b"\0" * 1024)
    old = time.time() - STALE_AFTER_SECONDS - 60
    os.utime(stale, (old, old))
    assert main(["models"]) == 0  # any start of the CLI (or the app) tidies
    assert not stale.exists() and fresh.exists()  # a save still in progress elsewhere is left alone
    assert "ft" not in capsys.readouterr().out


@pytest.mark.fault(11, "a kill between the two renames of a model replacement")
def test_a_replaced_model_whose_replacement_never_arrived_is_restored(tiny_model_dir):
    import shutil

    models = user_models_dir()
    models.mkdir(parents=True)
    shutil.copytree(tiny_model_dir, models / ".mine.old")  # moved aside, then the process died
    shutil.copytree(tiny_model_dir, models / ".other.old")  # moved aside, replacement in place
    shutil.copytree(tiny_model_dir, models / "other")
    tidy_user_folders()
    assert load_model_folder(models / "mine").metadata.name  # restored, loadable
    assert not (models / ".mine.old").exists() and not (models / ".other.old").exists()
    assert (models / "other").is_dir()


@pytest.mark.fault(11, "a kill during the final clean-up of a run")
def test_a_kill_while_deleting_a_run_never_leaves_half_a_run(tmp_path, monkeypatch):
    import translator_app.core.atomic as atomic

    prepared = prepare_run(_spec(_tsv(tmp_path, "a.tsv", 0)))
    (prepared.run_dir / "best").mkdir()
    (prepared.run_dir / "best" / "model.safetensors").write_bytes(b"weights")

    def killed(path, ignore_errors=False):
        raise KeyboardInterrupt  # the process dies in the middle of the delete

    with monkeypatch.context() as patch, pytest.raises(KeyboardInterrupt):
        patch.setattr(atomic.shutil, "rmtree", killed)
        discard_run(prepared.run_dir, held=prepared)
    prepared.release()
    assert not prepared.run_dir.exists()  # the name is free, nothing to "resume"
    assert unfinished_runs() == []
    leftovers = [p for p in user_runs_dir().iterdir() if p.is_dir()]
    assert [p.name.endswith(".deleting") for p in leftovers] == [True]
    tidy_user_folders()
    assert [p for p in user_runs_dir().iterdir() if p.is_dir()] == []
    prepare_run(_spec(_tsv(tmp_path, "a.tsv", 0))).release()  # and the name can be used again


@pytest.mark.slow
@pytest.mark.fault("guarantee", "kill -9 at any moment of saving a model")
def test_kill_9_during_a_save_never_leaves_a_half_written_model(tiny_model_dir):
    saver = textwrap.dedent(f"""
        from pathlib import Path
        from translator_app.core.modelfile import load_model_folder, save_model_folder
        loaded = load_model_folder(Path({str(tiny_model_dir)!r}))
        target = Path({str(user_models_dir() / "k")!r})
        while True:
            save_model_folder(target, loaded.model, loaded.vocab, loaded.metadata, overwrite=True)
            print("saved", flush=True)
    """)
    for delay in (0.0, 0.003, 0.011, 0.029, 0.047):
        process = subprocess.Popen([sys.executable, "-c", saver], stdout=subprocess.PIPE, text=True)
        assert process.stdout.readline().strip() == "saved"
        time.sleep(delay)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        tidy_user_folders()
        listed = [m for m in list_models() if not m.shipped]
        assert [m.name for m in listed] == ["k"] and listed[0].error is None
        load_model_folder(user_models_dir() / "k")  # complete, whichever moment it died


@pytest.mark.fault("28.8", "a refused train leaves no run folder, and says why in the app's words")
@pytest.mark.parametrize(
    "flags, message",
    [
        (["--val-fraction", "2"], "validation fraction must be between 0 and 0.5"),
        (["--vocab-size", "1"], "vocabulary size must be from 300"),
        ([], "needs at least"),  # too few pairs: refused once the data is read, inside the run's lock
    ],
)
def test_a_refused_train_leaves_nothing_behind(tmp_path, capsys, flags, message):
    data = tmp_path / "few.tsv"
    data.write_text("Hallo\tHello\n" if not flags else "".join(f"Satz {i}\tSentence {i}\n" for i in range(40)), encoding="utf-8")
    assert main(["train", str(data), "--name", "refused", *flags]) != 0
    err = capsys.readouterr().err
    assert message in err and "INTERNAL" not in err and "Traceback" not in err
    assert not (user_runs_dir() / "refused").exists()
