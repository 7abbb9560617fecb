"""Training under torchrun: two gloo processes on this CPU, started with the environment torchrun sets.

Both ranks must end with the same weights as each other and as one process with the same global
batch; only rank 0 may write; and a job killed with SIGKILL mid-epoch must resume to the weights of
a job that was never stopped.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

SCRIPT = Path(__file__).parent / "distributed" / "tiny_run.py"
ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(
    vocab: Path, run: Path, out: Path, *, ranks: int, resume: bool = False, env: dict | None = None
) -> list[subprocess.Popen]:
    """Start ``ranks`` processes the way ``torchrun --nproc-per-node ranks`` does (or one plain process)."""
    base = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1", **(env or {})}
    args = [sys.executable, str(SCRIPT), str(vocab), str(run), str(out)] + (["--resume"] if resume else [])
    if ranks == 1:
        base.pop("WORLD_SIZE", None)
        return [subprocess.Popen(args, env=base, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)]
    port = str(free_port())
    return [
        subprocess.Popen(
            args,
            env={
                **base,
                "WORLD_SIZE": str(ranks),
                "RANK": str(r),
                "LOCAL_RANK": str(r),
                "MASTER_ADDR": "127.0.0.1",
                "MASTER_PORT": port,
            },
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for r in range(ranks)
    ]


def finish(processes: list[subprocess.Popen]) -> list[str]:
    outputs = []
    for p in processes:
        stdout, stderr = p.communicate(timeout=300)
        assert p.returncode == 0, stderr[-3000:]
        outputs.append(stdout)
    return outputs


def weights(path: Path) -> dict[str, torch.Tensor]:
    return load_file(str(path))


@pytest.fixture(scope="module")
def vocab(tiny_model_dir) -> Path:
    return tiny_model_dir / "spm.model"


def test_two_ranks_train_the_same_weights_as_one_process_and_only_rank_0_writes(vocab, tmp_path):
    outputs = finish(launch(vocab, tmp_path / "run2", tmp_path / "out", ranks=2))
    assert outputs[0].strip() == "rank0 finished 21" and outputs[1].strip() == "rank1 finished 21"
    finish(launch(vocab, tmp_path / "run1", tmp_path / "out", ranks=1))
    rank0, rank1, single = (weights(tmp_path / "out" / f"{n}.safetensors") for n in ("rank0", "rank1", "single"))
    for key in single:
        assert torch.equal(rank0[key], rank1[key]), key  # DDP keeps the ranks in step
        assert torch.allclose(rank0[key], single[key], atol=2e-5), key  # and matches one process
    # rank 1 had every writer replaced by a failure, and rank 0 wrote what one process writes
    assert sorted(p.name for p in (tmp_path / "run2").iterdir()) == sorted(p.name for p in (tmp_path / "run1").iterdir())


def test_a_job_killed_mid_epoch_resumes_to_the_weights_of_one_never_stopped(vocab, tmp_path):
    finish(launch(vocab, tmp_path / "straight", tmp_path / "straight-out", ranks=2))
    killed = launch(vocab, tmp_path / "killed", tmp_path / "killed-out", ranks=2, env={"KILL_AT_STEP": "9"})
    assert killed[0].stdout.readline().strip() == "killable"  # rank 0 at step 9 (epoch 2 of 3)
    for p in killed:
        os.kill(p.pid, signal.SIGKILL)
        p.wait(timeout=60)
    finish(launch(vocab, tmp_path / "killed", tmp_path / "killed-out", ranks=2, resume=True))
    straight, resumed = (
        weights(tmp_path / "straight-out" / "rank0.safetensors"),
        weights(tmp_path / "killed-out" / "rank0.safetensors"),
    )
    for key in straight:
        assert torch.equal(straight[key], resumed[key]), key


def test_translator_app_train_runs_unchanged_under_torchrun(tmp_path):
    from conftest import read_multi30k

    data = tmp_path / "d.tsv"
    data.write_text("\n".join(f"{de}\t{en}" for de, en in read_multi30k("val", 300)), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "torch.distributed.run",
            "--nproc-per-node",
            "2",
            "-m",
            "translator_app",
            "train",
            str(data),
            "--name",
            "ddp-tiny",
            "--arch",
            "lstm",
            "--vocab-size",
            "600",
            "--epochs",
            "2",
            "--batch-size",
            "32",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stderr.count("2 processes, each taking 1/2 of every batch") == 1  # rank 0 alone reports
    assert done.stdout.count("model saved as 'ddp-tiny'") == 1  # and publishes, once
    data_dir = Path(os.environ["TRANSLATOR_APP_DATA_DIR"])
    assert (data_dir / "models" / "ddp-tiny" / "model.safetensors").is_file()
    assert not (data_dir / "runs" / "ddp-tiny").exists()


def test_a_rank_that_cannot_see_rank_0s_run_folder_stops_with_a_clear_message(tmp_path, monkeypatch):
    """On a machine whose disk does not hold the run folder, rank 1 must neither read, encode nor write."""
    import translator_app.core.training.runner as training_run
    from translator_app.core.training.distributed import Distributed
    from translator_app.core.training.runner import prepare_run
    from translator_app.core.types.run_spec import RunSpec

    class Rank1(Distributed):
        def barrier(self) -> None:  # rank 0 "has prepared" its folder, on another machine
            pass

    monkeypatch.setattr(training_run, "from_environment", lambda device=None: Rank1(rank=1, world_size=2))
    data = tmp_path / "d.tsv"
    data.write_text("Ein Hund.\tA dog.\nZwei Katzen.\tTwo cats.\n", encoding="utf-8")
    run = tmp_path / "run"
    with pytest.raises(ValueError, match="rank 1 cannot see .* storage every machine of the job can read"):
        prepare_run(RunSpec(name="elsewhere", data=[str(data)]), run_dir=run)
    assert not run.exists()  # nothing read into it, nothing written
