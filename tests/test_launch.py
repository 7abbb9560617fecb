"""How a run is started on several processes or machines: docs/training.md's torchrun commands, the SLURM
script and the tiny recipe they try things with. Cheap checks of what would otherwise fail only
on a cluster: that torchrun's own parser passes the script's options through (it refuses ``--run``
as an abbreviation of its ``--run-path``), and that the sbatch script is bash that starts one
torchrun per node with the rendezvous on the job's first node.
"""

from __future__ import annotations

import importlib.util
import os
import shlex
import subprocess
from pathlib import Path

import pytest
from torch.distributed.run import get_args_parser

from conftest import BUNDLED_DATA, ROOT
from translator_app.core.types.run_spec import RunSpec

SBATCH = ROOT / "scripts" / "slurm" / "train.sbatch"
TINY_RECIPE = ROOT / "scripts" / "recipes" / "tiny-lstm.json"


def documented_torchrun_commands() -> list[list[str]]:
    """The ``torchrun`` lines of docs/training.md's section on several GPUs or machines, split as a shell would."""
    text = (ROOT / "docs" / "training.md").read_text(encoding="utf-8")
    section = text.split("\n## Training on several GPUs or machines\n", 1)[1].split("\n## ", 1)[0]
    code = "\n".join(section.split("```")[1::2])  # the code blocks only
    return [shlex.split(line)[1:] for line in code.splitlines() if line.startswith("torchrun ")]


def test_torchrun_passes_the_documented_commands_options_to_the_script():
    commands = documented_torchrun_commands()
    assert len(commands) >= 3
    for argv in commands:
        args = get_args_parser().parse_args(argv)
        script = argv.index(args.training_script)
        assert args.training_script_args == argv[script + 1 :], argv


def test_torchrun_refuses_run_so_the_script_takes_run_dir():
    with pytest.raises(SystemExit):
        get_args_parser().parse_args(["--standalone", "scripts/train_corpus.py", "RECIPE", "--run", "RUN"])


def test_sbatch_script_is_bash_that_starts_one_torchrun_per_node(tmp_path):
    subprocess.run(["bash", "-n", str(SBATCH)], check=True)
    stubs = tmp_path / "bin"
    stubs.mkdir()
    calls = tmp_path / "torchrun.args"
    for name, body in (
        # a long node list: whatever takes the first name must read them all (pipefail and SIGPIPE)
        ("scontrol", 'printf "gpu-node-07\\ngpu-node-08\\n"; for i in $(seq 100000); do echo "gpu-node-x$i"; done'),
        ("srun", 'while [ "${1#-}" != "$1" ]; do shift; done; exec "$@"'),  # drop srun's options
        ("torchrun", f'printf "%s\\n" "$@" > {shlex.quote(str(calls))}'),
    ):
        (stubs / name).write_text(f"#!/bin/bash\n{body}\n")
        (stubs / name).chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{stubs}:{os.environ['PATH']}",
        "SLURM_JOB_NODELIST": "gpu-node-[07-08]",
        "SLURM_NNODES": "2",
        "SLURM_GPUS_ON_NODE": "4",
        "SLURM_JOB_ID": "123",
    }
    subprocess.run(["bash", str(SBATCH), "RECIPE.json", "/shared/runs/x", "/shared/data"], env=env, check=True, cwd=tmp_path)
    argv = calls.read_text().splitlines()
    args = get_args_parser().parse_args(argv)
    assert (args.nnodes, args.nproc_per_node, args.rdzv_backend) == ("2", "4", "c10d")
    assert (args.rdzv_endpoint, args.rdzv_id) == ("gpu-node-07:29400", "123")
    assert args.training_script == "scripts/train_corpus.py"
    assert args.training_script_args == ["RECIPE.json", "--data", "/shared/data", "--run-dir", "/shared/runs/x", "--resume"]


def test_sbatch_script_refuses_missing_arguments(tmp_path):
    done = subprocess.run(["bash", str(SBATCH), "RECIPE.json"], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode != 0 and "usage: sbatch" in done.stderr


def test_tiny_recipe_loads_with_the_bundled_sample():
    spec_ = importlib.util.spec_from_file_location("train_corpus", ROOT / "scripts" / "train_corpus.py")
    assert spec_ is not None and spec_.loader is not None
    train_corpus = importlib.util.module_from_spec(spec_)
    spec_.loader.exec_module(train_corpus)
    spec = train_corpus.load_recipe(TINY_RECIPE, BUNDLED_DATA)  # exits if a file is missing
    assert isinstance(spec, RunSpec)
    assert spec.architecture == "packed_attention" and spec.hyperparameters["cell"] == "lstm"
    assert all(Path(f).is_file() for part in spec.corpora + spec.validation_corpora for f in part.files)
