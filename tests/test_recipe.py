"""The corpus-recipe training entry point (scripts/train_corpus.py): weighted corpora, domains,
placeholders, and a run killed with SIGKILL that resumes to the very same weights."""

from __future__ import annotations

import gzip
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from conftest import ROOT, read_multi30k
from translator_app.core.protect import PLACEHOLDERS
from translator_app.core.types.run_spec import CorpusPart
from translator_app.core.training.runner import prepare_run
from translator_app.core.types.run_spec import RunSpec

SCRIPT = ROOT / "scripts" / "train_corpus.py"


def write_split(folder: Path, stem: str, pairs) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for side, lang in ((0, "de"), (1, "en")):
        with gzip.open(folder / f"{stem}.{lang}.gz", "wt", encoding="utf-8") as f:
            f.write("\n".join(p[side] for p in pairs) + "\n")


@pytest.fixture(scope="module")
def data_root(tmp_path_factory) -> Path:
    """A small data folder laid out like ../shared/data: two training corpora and their dev sets."""
    root = tmp_path_factory.mktemp("data")
    pairs = read_multi30k("train", 700)
    numbered = [(f"Ich habe {n} Katzen.", f"I have {n} cats.") for n in range(10, 60)]
    write_split(root / "everyday", "train", pairs[:300] + numbered)
    write_split(root / "captions", "train", pairs[300:600])
    write_split(root / "everyday", "dev", pairs[600:650])
    write_split(root / "captions", "dev", pairs[650:700])
    return root


def recipe(path: Path, **train) -> Path:
    spec = {
        "name": "tiny-recipe",
        "architecture": "lstm",
        "vocab_size": 500,
        "hyperparameters": {"emb_dim": 24, "hidden_dim": 32, "num_layers": 1, "dropout": 0.0},
        "corpora": [
            {"files": ["everyday/train.de.gz", "everyday/train.en.gz"], "weight": 1.5, "domain": "everyday"},
            {"files": ["captions/train.de.gz", "captions/train.en.gz"], "weight": 0.5, "domain": "captions"},
        ],
        "validation_corpora": [
            {"files": ["everyday/dev.de.gz", "everyday/dev.en.gz"], "domain": "everyday", "limit": 20},
            {"files": ["captions/dev.de.gz", "captions/dev.en.gz"], "domain": "captions", "limit": 20},
        ],
        "train": {
            "epochs": 2,
            "batch_size": 16,
            "learning_rate": 0.005,
            "warmup_steps": 5,
            "checkpoint_every": 4,
            "precision": "fp32",
            "val_max_length": 20,
            **train,
        },
    }
    path.write_text(json.dumps(spec), encoding="utf-8")
    return path


def test_recipe_run_mixes_corpora_and_masks_spans(tmp_path, data_root):
    spec = RunSpec.from_dict(json.loads(recipe(tmp_path / "r.json").read_text()))
    for part in spec.corpora + spec.validation_corpora:
        part.files = [str(data_root / f) for f in part.files]
    assert isinstance(spec.corpora[0], CorpusPart) and RunSpec.from_dict(spec.to_dict()) == spec
    prepared = prepare_run(spec, run_dir=tmp_path / "run", check_name=False)
    assert "350 pairs kept × 1.5" in prepared.data_report and "300 pairs kept × 0.5" in prepared.data_report
    found = re.search(r"; (\d+) longer than 100 subwords dropped", prepared.data_report)  # too long for the tiny vocabulary
    dropped = int(found.group(1)) if found else 0  # Multi30k's captions have some; the Tatoeba stand-in's rarely
    assert prepared.train_pairs + dropped == round(350 * 1.5) + 150  # 1.5 × everyday, 0.5 × captions
    assert prepared.validation_pairs == 40
    trainer = prepared.trainer
    assert trainer.vocab.has_placeholders
    assert trainer.metadata.domains == ["everyday", "captions"]
    assert all(p.text is None for p in trainer.train_pairs)  # no subword sampling: the text is not kept
    masked = [p for p in trainer.train_pairs if PLACEHOLDERS[0] in trainer.vocab.pieces(p.src)]
    assert masked and all(
        PLACEHOLDERS[0] in trainer.vocab.pieces(p.tgt) for p in masked
    )  # "12 cats": a placeholder on both sides
    prepared.release()


def _weights(run: Path) -> dict[str, torch.Tensor]:
    return {k: v for k, v in load_file(str(run / "checkpoint" / "state.safetensors")).items() if k.startswith("model.")}


def _train(args, **kwargs):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(SCRIPT), *map(str, args), "--threads", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **kwargs,
    )


@pytest.mark.fault("guarantee", "kill -9 of a training run, then resume: the same weights")
def test_recipe_run_killed_with_sigkill_resumes_to_the_same_weights(tmp_path, data_root):
    spec = recipe(tmp_path / "recipe.json")
    common = [spec, "--data", data_root]
    straight = _train([*common, "--run", tmp_path / "straight"])
    out, _ = straight.communicate(timeout=600)
    assert straight.returncode == 0, out
    assert json.loads(out.strip().splitlines()[-1])["status"] == "finished"

    killed = _train([*common, "--run", tmp_path / "killed"])
    state = tmp_path / "killed" / "checkpoint" / "state.json"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and killed.poll() is None:
        if state.is_file() and json.loads(state.read_text())["trainer"]["step"] >= 8:
            break
        time.sleep(0.05)
    assert killed.poll() is None, "the run finished before it could be killed"
    os.kill(killed.pid, signal.SIGKILL)
    killed.communicate(timeout=60)
    step = json.loads(state.read_text())["trainer"]
    assert step["epoch"] == 0 and step["batch"] > 0  # killed mid-epoch

    resumed = _train([*common, "--run", tmp_path / "killed", "--resume"])
    out, _ = resumed.communicate(timeout=600)
    assert resumed.returncode == 0, out
    assert "Resumed at epoch 1" in out
    a, b = _weights(tmp_path / "straight"), _weights(tmp_path / "killed")
    assert a.keys() == b.keys()
    for name in a:
        assert torch.equal(a[name], b[name]), name
