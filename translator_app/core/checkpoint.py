"""Resumable training checkpoints without pickle: tensors in safetensors, the rest in JSON.

A checkpoint holds the model, the optimizer's moments, the torch RNG and the trainer's counters
(epoch, batch position, step, history). It is written to a temporary folder and renamed over the
previous one, so a run killed at any moment leaves the last complete checkpoint behind.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file, save_file

CHECKPOINT_DIR = "checkpoint"


def save_checkpoint(run_dir: Path, model: torch.nn.Module, optimizer: torch.optim.Optimizer, state: dict[str, Any]) -> None:
    run_dir = Path(run_dir)
    final = run_dir / CHECKPOINT_DIR
    tmp = run_dir / f".{CHECKPOINT_DIR}.partial"
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
    meta = {"trainer": state, "param_groups": optim_state["param_groups"]}
    (tmp / "state.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    for name in ("state.safetensors", "state.json"):
        with open(tmp / name, "rb") as fh:
            os.fsync(fh.fileno())
    old = run_dir / f".{CHECKPOINT_DIR}.old"
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        os.replace(final, old)
    os.replace(tmp, final)
    shutil.rmtree(old, ignore_errors=True)


def has_checkpoint(run_dir: Path) -> bool:
    folder = Path(run_dir) / CHECKPOINT_DIR
    if not folder.exists() and (Path(run_dir) / f".{CHECKPOINT_DIR}.old").exists():
        return True  # killed between the two renames: the old one is complete
    return (folder / "state.json").is_file() and (folder / "state.safetensors").is_file()


def load_checkpoint(run_dir: Path, model: torch.nn.Module, optimizer: torch.optim.Optimizer) -> dict[str, Any]:
    """Restore model, optimizer and RNG in place; return the trainer's counters."""
    run_dir = Path(run_dir)
    folder = run_dir / CHECKPOINT_DIR
    if not folder.exists() and (run_dir / f".{CHECKPOINT_DIR}.old").exists():
        os.replace(run_dir / f".{CHECKPOINT_DIR}.old", folder)
    tensors = load_file(str(folder / "state.safetensors"))
    meta = json.loads((folder / "state.json").read_text(encoding="utf-8"))
    model.load_state_dict({k[len("model."):]: v for k, v in tensors.items() if k.startswith("model.")})
    state: dict[int, dict[str, torch.Tensor]] = {}
    for key, value in tensors.items():
        if key.startswith("optim."):
            _, param_id, slot = key.split(".", 2)
            state.setdefault(int(param_id), {})[slot] = value
    optimizer.load_state_dict({"state": state, "param_groups": meta["param_groups"]})
    torch.set_rng_state(tensors["rng.torch"])
    return meta["trainer"]
