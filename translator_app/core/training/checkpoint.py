"""Resumable training checkpoints without pickle: tensors in safetensors, the rest in JSON.

A checkpoint holds the model, the optimizer's moments, the torch RNG and the trainer's counters
(a ``TrainerState``: epoch, batch position, step, history). It is written to a temporary folder, synced and renamed
over the previous one (``core.atomic``), so a run killed at any moment leaves the last complete checkpoint behind.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from safetensors import SafetensorError

from translator_app.core.atomic import PARTIAL, old_sibling, replace_folder, sync_files, write_atomic_with
from translator_app.core.types.train_types import TrainerState
from translator_app.core.types.errors import InvalidInput

if TYPE_CHECKING:  # imported where tensors are read or written: listing runs (has_checkpoint, the state) needs none
    import torch

CHECKPOINT_DIR = "checkpoint"
STATE_FILE = "state.json"  # the counters; the tensors are in state.safetensors


def save_checkpoint(run_dir: Path, model: torch.nn.Module, optimizer: torch.optim.Optimizer, state: TrainerState) -> None:
    import torch
    from safetensors.torch import save_file

    run_dir = Path(run_dir)
    tmp = run_dir / f".{CHECKPOINT_DIR}{PARTIAL}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    tensors = {f"model.{k}": v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    optim_state = optimizer.state_dict()
    for param_id, slots in optim_state["state"].items():
        for slot, value in slots.items():
            value = value if torch.is_tensor(value) else torch.tensor(value)
            tensors[f"optim.{param_id}.{slot}"] = value.detach().cpu().contiguous()
    tensors["rng.torch"] = torch.get_rng_state()
    save_file(tensors, str(tmp / "state.safetensors"))
    meta = {"trainer": state.to_dict(), "param_groups": optim_state["param_groups"]}
    (tmp / STATE_FILE).write_text(json.dumps(meta, indent=1), encoding="utf-8")
    sync_files(tmp)
    replace_folder(tmp, run_dir / CHECKPOINT_DIR)


def has_checkpoint(run_dir: Path) -> bool:
    folder = Path(run_dir) / CHECKPOINT_DIR
    if not folder.exists() and old_sibling(folder).exists():
        return True  # killed between the two renames: the old one is complete
    return (folder / STATE_FILE).is_file() and (folder / "state.safetensors").is_file()


def read_checkpoint_state(run_dir: Path) -> TrainerState | None:
    """The trainer's counters, history and loss curve from a run's checkpoint, without its tensors
    (for listing unfinished runs and writing model cards); None when there is none or it is unreadable."""
    for folder in (Path(run_dir) / CHECKPOINT_DIR, old_sibling(Path(run_dir) / CHECKPOINT_DIR)):
        try:
            meta = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
            trainer = meta.get("trainer")
            return TrainerState.from_dict(trainer) if trainer else None
        except (OSError, ValueError, TypeError, AttributeError):
            continue
    return None


def load_checkpoint(run_dir: Path, model: torch.nn.Module, optimizer: torch.optim.Optimizer) -> TrainerState:
    """Restore model, optimizer and RNG in place; return the trainer's counters.

    Device-agnostic: the tensors are read onto the CPU (a checkpoint written on a GPU opens on a
    machine without one), the weights are copied into the model wherever it is, and the optimizer's
    moments move to their parameters' device (``Optimizer.load_state_dict``), so a run resumes on
    another device than it started on."""
    import torch
    from safetensors.torch import load_file

    run_dir = Path(run_dir)
    folder = run_dir / CHECKPOINT_DIR
    if not folder.exists() and old_sibling(folder).exists():
        os.replace(old_sibling(folder), folder)
    try:
        tensors = load_file(str(folder / "state.safetensors"), device="cpu")
        meta = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
        model.load_state_dict({k[len("model.") :]: v for k, v in tensors.items() if k.startswith("model.")})
        state: dict[int, dict[str, torch.Tensor]] = {}
        for key, value in tensors.items():
            if key.startswith("optim."):
                _, param_id, slot = key.split(".", 2)
                state.setdefault(int(param_id), {})[slot] = value
        optimizer.load_state_dict({"state": state, "param_groups": meta["param_groups"]})
        torch.set_rng_state(tensors["rng.torch"])
        return TrainerState.from_dict(meta["trainer"])
    except (SafetensorError, OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:
        raise InvalidInput(
            f"{folder}: the checkpoint is damaged and cannot be resumed ({type(exc).__name__}: "
            f"{str(exc)[:200]}); discard the run and start it again"
        ) from None


EPOCHS_DIR = "epochs"


def save_epoch_weights(run_dir: Path, model: torch.nn.Module, epoch: int, keep: int) -> Path:
    """Keep the model's weights after each of the last ``keep`` epochs, for checkpoint averaging.

    Written under a temporary name and renamed, so a snapshot on disk is always complete.
    """
    from safetensors.torch import save_file

    folder = Path(run_dir) / EPOCHS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"epoch-{epoch:03d}.safetensors"
    tensors = {k: v.detach().cpu().float().contiguous() for k, v in model.state_dict().items()}
    write_atomic_with(path, lambda tmp: save_file(tensors, str(tmp)))
    for old in epoch_weight_files(run_dir)[:-keep]:
        old.unlink()
    return path


def epoch_weight_files(run_dir: Path) -> list[Path]:
    """The saved per-epoch snapshots, oldest first."""
    return sorted((Path(run_dir) / EPOCHS_DIR).glob("epoch-*.safetensors"))


def average_weights(paths: list[Path]) -> dict[str, torch.Tensor]:
    """The element-wise mean of several snapshots of one model (Vaswani et al. 2017, §6.1)."""
    from safetensors.torch import load_file

    if not paths:
        raise InvalidInput("no snapshots to average")
    total = {k: v.double() for k, v in load_file(str(paths[0])).items()}
    for path in paths[1:]:
        tensors = load_file(str(path))
        if tensors.keys() != total.keys() or any(v.shape != total[k].shape for k, v in tensors.items()):
            raise InvalidInput(f"{path.name} is not a snapshot of the same model")
        for key, value in tensors.items():
            total[key] += value.double()
    return {k: (v / len(paths)).float() for k, v in total.items()}
