"""Training ready for a GPU (issue 27, item 5): ``scripts/train_corpus.py --device --precision --batch-size``.

There is no GPU here, so what a GPU run relies on is checked on the CPU: a run started in bf16
autocast with a larger batch, stopped mid-epoch, resumes in fp32 at the same step with the same
optimizer state and the same batches in the same order; checkpoints are read onto the CPU and the
optimizer's moments follow the parameters to whatever device the resumed run trains on.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path

import pytest
import torch
from conftest import ROOT, read_multi30k
from translator_app.core.types.train_config import KEPT_ON_RESUME, TrainConfig, resumed_config
from translator_app.core.types.train_types import TrainerState
from translator_app.core.training import runner
from translator_app.core.training.checkpoint import load_checkpoint, save_checkpoint
from translator_app.core.training.trainer import Trainer

_spec = importlib.util.spec_from_file_location("train_corpus", ROOT / "scripts" / "train_corpus.py")
assert _spec is not None and _spec.loader is not None
train_corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(train_corpus)

STOP_AT = 5  # steps of the first leg; an epoch is 300 / 24 = 13 steps


def write_recipe(path: Path) -> Path:
    """A tiny LSTM on 300 training and 8 validation pairs written beside it, batches of 16 unless told otherwise."""
    pairs = read_multi30k("train", 308)
    for stem, part in (("train", pairs[:300]), ("dev", pairs[300:])):
        for side, lang in ((0, "de"), (1, "en")):
            with gzip.open(path.parent / f"{stem}.{lang}.gz", "wt", encoding="utf-8") as f:
                f.write("\n".join(p[side] for p in part) + "\n")
    spec = {
        "name": "tiny-gpu-ready",
        "architecture": "lstm",
        "vocab_size": 400,
        "hyperparameters": {"emb_dim": 16, "hidden_dim": 24, "num_layers": 1, "dropout": 0.0},
        "corpora": [{"files": ["train.de.gz", "train.en.gz"], "domain": "everyday"}],
        "validation_corpora": [{"files": ["dev.de.gz", "dev.en.gz"], "domain": "everyday"}],
        "train": {"epochs": 1, "batch_size": 16, "learning_rate": 0.005, "warmup_steps": 3, "checkpoint_every": 0},
        "device": "auto",
    }
    path.write_text(json.dumps(spec), encoding="utf-8")
    return path


class Recorder:
    """Every optimizer step's (schedule step, batch) and each leg's autocast dtype; stops a leg after ``stop_at`` steps."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.steps: list[tuple[int, tuple[int, ...]]] = []
        self.amp: list[torch.dtype | None] = []
        self.trainers: list[Trainer] = []
        self.stop_at: int | None = None
        real_step, real_prepare = Trainer.train_step, runner.prepare_run

        def train_step(trainer, pairs, batch, step, **kwargs):
            self.steps.append((step, tuple(batch)))
            return real_step(trainer, pairs, batch, step, **kwargs)

        def prepare_run(spec, *, callback, **kwargs):
            def stopping(event):
                callback(event)
                if self.stop_at is not None and event.kind == "step" and event.step >= self.stop_at:
                    self.trainers[-1].cancel()  # as the window's Cancel, or a kill between checkpoints

            prepared = real_prepare(spec, callback=stopping, **kwargs)
            self.trainers.append(prepared.trainer)
            self.amp.append(prepared.trainer.amp_dtype)
            return prepared

        monkeypatch.setattr(Trainer, "train_step", train_step)
        monkeypatch.setattr(runner, "prepare_run", prepare_run)  # what the facade calls


def _run(recipe: Path, run: Path, *flags: str) -> int:
    """The command, in this process; the data folder is the recipe's own."""
    return train_corpus.main([str(recipe), "--data", str(recipe.parent), "--run", str(run), "--threads", "1", *flags])


def _state(run: Path) -> dict:
    return json.loads((run / "checkpoint" / "state.json").read_text(encoding="utf-8"))


def test_bf16_run_stopped_mid_epoch_resumes_in_fp32_at_the_same_step_and_data_order(tmp_path, monkeypatch, capsys):
    recipe = write_recipe(tmp_path / "recipe.json")
    straight = Recorder(monkeypatch)
    assert _run(recipe, tmp_path / "straight", "--batch-size", "24", "--precision", "fp32") == 0
    expected = list(straight.steps)
    assert [s for s, _ in expected] == list(range(13)) and all(len(b) <= 24 for _, b in expected)

    legs = Recorder(monkeypatch)
    legs.stop_at = STOP_AT
    assert _run(recipe, tmp_path / "gpu", "--device", "cpu", "--precision", "bf16", "--batch-size", "24") == 0
    stopped = _state(tmp_path / "gpu")
    assert stopped["trainer"]["step"] == STOP_AT and (stopped["trainer"]["epoch"], stopped["trainer"]["batch"]) == (0, STOP_AT)
    first_leg = len(legs.steps)
    legs.stop_at = None
    # resumed without --batch-size: the run's own batches (24), not the recipe's (16)
    assert _run(recipe, tmp_path / "gpu", "--resume", "--precision", "fp32") == 0
    assert legs.amp == [torch.bfloat16, None]  # bf16 autocast, then fp32
    assert f"Resumed at epoch 1, step {STOP_AT}" in capsys.readouterr().out
    assert legs.steps[:first_leg] == expected[:STOP_AT]
    assert legs.steps[first_leg:] == expected[STOP_AT:]  # same schedule steps, same batches, same order
    resumed = legs.trainers[-1]
    assert resumed.config.batch_size == 24 and resumed.config.precision == "fp32"
    steps = {float(slots["step"]) for slots in resumed.optimizer.state.values()}
    assert steps == {13.0}  # Adam's moments went on from the stopped run's 5 updates
    assert _state(tmp_path / "gpu")["trainer"]["step"] == 13


def test_a_resumed_run_refuses_another_batch_size(tmp_path, monkeypatch, capsys):
    recipe = write_recipe(tmp_path / "recipe.json")
    legs = Recorder(monkeypatch)
    legs.stop_at = 2
    assert _run(recipe, tmp_path / "run", "--precision", "bf16") == 0
    capsys.readouterr()
    assert _run(recipe, tmp_path / "run", "--resume", "--batch-size", "32") == 2
    err = capsys.readouterr().err
    assert "the run began with batch_size 16" in err and "Traceback" not in err
    assert _state(tmp_path / "run")["trainer"]["step"] == 2  # nothing trained


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the message of a machine without CUDA")
def test_cuda_asked_on_a_machine_without_one_is_a_message(tmp_path, capsys):
    assert _run(write_recipe(tmp_path / "recipe.json"), tmp_path / "run", "--device", "cuda") == 2
    err = capsys.readouterr().err
    assert "no CUDA GPU is available" in err and "Traceback" not in err
    assert not (tmp_path / "run").exists()


def test_resumed_config_keeps_the_schedule_and_takes_the_precision():
    started = TrainConfig(batch_size=512, learning_rate=2e-3, warmup_steps=50, precision="bf16", epochs=2)
    recipe = TrainConfig(batch_size=64, learning_rate=1e-3, precision="fp32", epochs=4)
    resumed = resumed_config(started, recipe)
    assert all(getattr(resumed, f) == getattr(started, f) for f in KEPT_ON_RESUME)
    assert (resumed.precision, resumed.epochs) == ("fp32", 4)
    assert resumed_config(started, recipe, explicit={"precision", "epochs"}) == resumed
    with pytest.raises(ValueError, match="learning_rate 0.002"):
        resumed_config(started, recipe, explicit={"learning_rate", "precision"})


def test_checkpoints_are_read_onto_the_cpu_and_moments_follow_the_run_device(tmp_path, monkeypatch):
    """A checkpoint written by a CUDA run: safetensors keeps no device, and the loader asks for the
    CPU (never a device this machine may lack); the optimizer's moments then go where the resumed
    run's parameters are (here the meta device stands in for a GPU)."""
    import safetensors.torch

    model = torch.nn.Linear(4, 3)
    optimizer = torch.optim.AdamW(model.parameters())
    model(torch.randn(2, 4)).sum().backward()
    optimizer.step()
    save_checkpoint(tmp_path, model, optimizer, TrainerState(step=1))

    asked: list[object] = []
    real_load = safetensors.torch.load_file

    def load_file(path, device=None):
        asked.append(device)
        return real_load(path, device=device or "cpu")

    monkeypatch.setattr(safetensors.torch, "load_file", load_file)
    on_device = torch.nn.Linear(4, 3, device="meta")
    moved = torch.optim.AdamW(on_device.parameters())
    with pytest.warns(UserWarning, match="meta"):  # copying weights into meta parameters does nothing
        state = load_checkpoint(tmp_path, on_device, moved)
    assert asked == ["cpu"] and state.step == 1
    moments = [v for slots in moved.state.values() for k, v in slots.items() if k != "step"]
    assert moments and all(v.device.type == "meta" for v in moments)
