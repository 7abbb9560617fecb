"""Fault injection: hostile model folders and checkpoints.

A number in ``config.json`` that disagrees with the weights is refused before any memory is
spent on it (item 4), and no file the app reads is ever unpickled: a pickle payload in place of
the weights or of a checkpoint is an error, and its code never runs.
"""

from __future__ import annotations

import json
import pickle
import shutil
import time
from pathlib import Path

import pytest

from translator_app.cli.main import main
from translator_app.core.modelfile import load_model_folder, update_config_fields
from translator_app.core.types.modelformat import ModelFileError
from translator_app.devtools.peak_memory import load_peak_mb, torch_baseline_mb

# a model of hidden size 16384 would take ~4 GB to build; refusing it must cost about as much as importing torch
EXTRA_MB_ALLOWED = 150


def _with_hidden(folder: Path, tiny_model_dir: Path, value) -> Path:
    shutil.copytree(tiny_model_dir, folder)
    hyper = json.loads((folder / "config.json").read_text(encoding="utf-8"))["hyperparameters"]
    update_config_fields(folder, hyperparameters={**hyper, "hidden_dim": value})
    return folder


@pytest.mark.fault(4, "config.json says hidden_dim 8192 / 16384, the weights say 64")
@pytest.mark.parametrize("hidden", [8192, 16384])
def test_a_config_that_disagrees_with_the_weights_is_refused_before_building(tmp_path, tiny_model_dir, hidden):
    folder = _with_hidden(tmp_path / "m", tiny_model_dir, hidden)
    started = time.perf_counter()
    with pytest.raises(ModelFileError, match=rf"has shape .*, but config.json describes .*{hidden}"):
        load_model_folder(folder)
    assert time.perf_counter() - started < 5


@pytest.mark.slow
@pytest.mark.fault(4, "peak memory of refusing hidden_dim 16384")
def test_refusing_a_huge_config_costs_no_memory(tmp_path, tiny_model_dir):
    folder = _with_hidden(tmp_path / "m", tiny_model_dir, 16384)
    assert load_peak_mb(folder) < torch_baseline_mb() + EXTRA_MB_ALLOWED


@pytest.mark.fault(4, "config.json says hidden_dim 10^9, 0 or -1")
@pytest.mark.parametrize("hidden", [10**9, 0, -1])
def test_impossible_hyperparameters_are_one_clear_error(tmp_path, tiny_model_dir, capsys, hidden):
    folder = _with_hidden(tmp_path / "m", tiny_model_dir, hidden)
    assert main(["translate", "--model", str(folder), "Ein Hund."]) == 2
    err = capsys.readouterr().err
    assert "hidden_dim" in err and "whole number from 1 to" in err and "Traceback" not in err


class _Payload:
    """Unpickling this creates ``marker``: proof that a pickle was executed."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


@pytest.mark.fault("guarantee", "a pickle payload as the model's weights")
def test_a_pickle_in_place_of_the_weights_is_never_executed(tmp_path, tiny_model_dir):
    folder = tmp_path / "m"
    shutil.copytree(tiny_model_dir, folder)
    marker = tmp_path / "executed"
    (folder / "model.safetensors").write_bytes(pickle.dumps({"state_dict": _Payload(marker)}))
    with pytest.raises(ModelFileError, match="model.safetensors"):
        load_model_folder(folder)
    assert not marker.exists()


@pytest.mark.fault("guarantee", "a pickle payload as a run's checkpoint")
def test_a_pickle_in_place_of_a_checkpoint_is_never_executed(tmp_path, tiny_model_dir):
    import torch

    from translator_app.core.training.checkpoint import load_checkpoint, save_checkpoint
    from translator_app.core.types.train_types import TrainerState

    loaded = load_model_folder(tiny_model_dir)
    optimizer = torch.optim.AdamW(loaded.model.parameters())
    save_checkpoint(tmp_path / "run", loaded.model, optimizer, TrainerState())
    marker = tmp_path / "executed"
    (tmp_path / "run" / "checkpoint" / "state.safetensors").write_bytes(pickle.dumps(_Payload(marker)))
    with pytest.raises(ValueError, match="checkpoint is damaged"):
        load_checkpoint(tmp_path / "run", loaded.model, optimizer)
    assert not marker.exists()
