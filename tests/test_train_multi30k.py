"""``scripts/train_multi30k.py`` rebuilt on the training facade: its arguments become a recipe.

A tiny run on a Multi30k-shaped folder trains only the first ``--limit`` pairs, validates on val
and leaves a best model; ``--init`` warm-restarts from that model (its vocabulary, its weights,
measured first); a folder without Multi30k is a message, not a traceback.
"""

from __future__ import annotations

import gzip
import json
import math
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, read_multi30k

SCRIPT = ROOT / "scripts" / "train_multi30k.py"
TINY = [
    "--arch",
    "lstm",
    "--vocab-size",
    "400",
    "--hparams",
    json.dumps({"emb_dim": 16, "hidden_dim": 24, "num_layers": 1, "dropout": 0.0}),
    "--train",
    json.dumps(
        {"epochs": 1, "batch_size": 16, "warmup_steps": 2, "checkpoint_every": 0, "precision": "fp32", "val_max_length": 20}
    ),
    "--threads",
    "1",
]


def _multi30k(folder: Path) -> Path:
    pairs = read_multi30k("train", 330)
    folder.mkdir()
    for split, part in (("train", pairs[:320]), ("val", pairs[320:])):
        for side, lang in ((0, "de"), (1, "en")):
            with gzip.open(folder / f"{split}.{lang}.gz", "wt", encoding="utf-8") as f:
                f.write("\n".join(p[side] for p in part) + "\n")
    return folder


def _run(*args) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True, env=env, cwd=ROOT, timeout=600
    )


def _state(run: Path) -> dict:
    return json.loads((run / "checkpoint" / "state.json").read_text(encoding="utf-8"))["trainer"]


def test_a_limited_run_then_a_warm_restart_from_its_best_model(tmp_path):
    data = _multi30k(tmp_path / "multi30k")
    first = _run("--run", tmp_path / "first", "--data", data, "--limit", 200, *TINY)
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout.strip().splitlines()[-1])
    assert summary["status"] == "finished" and (tmp_path / "first" / "best" / "model.safetensors").is_file()
    pairs = int(first.stdout.split(" training pairs")[0].split()[-1].replace(",", ""))
    assert 190 <= pairs <= 200  # the first 200, less any too long for the tiny vocabulary
    assert _state(tmp_path / "first")["step"] == math.ceil(pairs / 16)
    assert json.loads((tmp_path / "first" / "run.json").read_text())["validation_corpora"][0]["domain"] == "captions"

    restart = _run("--run", tmp_path / "restart", "--data", data, "--init", tmp_path / "first" / "best", *TINY)
    assert restart.returncode == 0, restart.stderr
    assert json.loads((tmp_path / "restart" / "run.json").read_text())["base_model"] == str(tmp_path / "first" / "best")
    assert (tmp_path / "restart" / "spm.model").read_bytes() == (tmp_path / "first" / "spm.model").read_bytes()
    assert _state(tmp_path / "restart")["base"]  # the model it started from, measured on val first


def test_a_folder_without_multi30k_is_a_message(tmp_path):
    done = _run("--run", tmp_path / "run", "--data", tmp_path, *TINY)
    assert done.returncode == 2 and "missing Multi30k file(s)" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "run").exists()
