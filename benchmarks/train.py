"""Training speed: target tokens per second of the LSTM training step on CPU, and of whole runs on several processes.

The default mode compares the engine's step (length-bucketed batches, fp32 and bf16 autocast) with
the tutorial-style loop (batches in corpus order with no length bucketing, fp32). Same model size,
same batch size; the median over several windows of steps.

``--distributed`` trains a recipe (the tiny LSTM on the bundled Tatoeba sample by default) through
the real trainer, ``scripts/train_corpus.py`` under ``torchrun --standalone --nproc-per-node N``
(run as ``python -m torch.distributed.run``, torchrun's own module): 1 process, 1 process with N
times the threads, and N processes (gloo), on the CPU; on a CUDA machine also 1 GPU and all of
them. Each run is one epoch; its figure is the tokens/s the trainer itself reports (all ranks
together) at the epoch's last step, before validation. The median over ``--repeats`` runs, taken
in turn so that a change in the machine's load falls on every setup alike.

    python benchmarks/train.py [--steps 20] [--windows 3]
    python benchmarks/train.py --distributed [--processes 2] [--threads 1] [--repeats 3]

Prints a table and writes benchmarks/results/train.json (train-distributed.json).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F

from translator_app.core.batching import collate, encode_pairs, make_batches
from translator_app.core.models import build_model
from translator_app.core.models.lstm import LSTMConfig
from translator_app.core.readers.splits import SHARED_DATA, read_split
from translator_app.core.text import PAD_ID, SubwordVocab

ROOT = Path(__file__).resolve().parents[1]
DATA = SHARED_DATA / "multi30k"
RESULTS = ROOT / "benchmarks" / "results"
TINY_RECIPE = ROOT / "scripts" / "recipes" / "tiny-lstm.json"
STEP_LINE = re.compile(r"step (\d+)/(\d+) .*? (\d+) tok/s")  # scripts/train_corpus.py's progress line


def load_pairs(limit: int) -> list[tuple[str, str]]:
    de, en = read_split(DATA / "train", limit)
    return list(zip(de, en))


def tokens_per_second(model, pairs, batches, steps: int, windows: int, amp: torch.dtype | None) -> float:
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    model.train()
    rates = []
    cursor = 0
    for _ in range(windows + 1):  # the first window warms up
        tokens, start = 0, time.perf_counter()
        for _ in range(steps):
            batch = collate(pairs, batches[cursor % len(batches)])
            cursor += 1
            with torch.autocast("cpu", dtype=amp or torch.float32, enabled=amp is not None):
                logits = model(batch.src, batch.src_lengths, batch.tgt_in)
            loss = F.cross_entropy(logits.float().reshape(-1, logits.size(-1)), batch.tgt_out.reshape(-1), ignore_index=PAD_ID)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            tokens += batch.target_tokens
        rates.append(tokens / (time.perf_counter() - start))
    return statistics.median(rates[1:])


def step_main(args: argparse.Namespace) -> None:
    """The one-process step: tutorial loop against the engine's, fp32 and bf16."""
    output = args.output or RESULTS / "train.json"
    pairs_text = load_pairs(8000)
    vocab = SubwordVocab.from_file(args.vocab)
    pairs, _ = encode_pairs(vocab, pairs_text)
    bucketed = make_batches(pairs, args.batch_size, seed=1, epoch=0)
    in_order = [list(range(i, min(i + args.batch_size, len(pairs)))) for i in range(0, len(pairs), args.batch_size)]

    results = {}
    for name, batches, amp in (
        ("tutorial loop, fp32", in_order, None),
        ("engine, fp32", bucketed, None),
        ("engine, bf16 autocast", bucketed, torch.bfloat16),
    ):
        torch.manual_seed(0)
        model = build_model(LSTMConfig(vocab_size=len(vocab)))
        results[name] = tokens_per_second(model, pairs, batches, args.steps, args.windows, amp)
    base = results["tutorial loop, fp32"]
    print(
        f"LSTM {LSTMConfig().emb_dim}/{LSTMConfig().hidden_dim}x{LSTMConfig().num_layers}, batch {args.batch_size}, "
        f"{torch.get_num_threads()} CPU threads"
    )
    print(f"{'loop':<26}{'target tokens/s':>16}{'vs tutorial':>13}")
    for name, rate in results.items():
        print(f"{name:<26}{rate:>16.0f}{rate / base:>12.2f}x")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(
        json.dumps(
            {
                "threads": torch.get_num_threads(),
                "batch_size": args.batch_size,
                "tokens_per_second": results,
                "ratios": {k: v / base for k, v in results.items()},
            },
            indent=2,
        )
        + "\n"
    )


@dataclass(frozen=True)
class Setup:
    """One way to run the same training: how many processes, CPU threads each, on the GPUs or not."""

    label: str
    processes: int
    threads: int
    gpu: bool = False


def setups(processes: int, threads: int) -> list[Setup]:
    """The CPU setups (1 process; 1 process with as many threads as N; N processes), then 1 GPU and all GPUs."""
    rows = [
        Setup(f"CPU, 1 process x {threads} thread{'s' * (threads > 1)}", 1, threads),
        Setup(f"CPU, 1 process x {processes * threads} threads", 1, processes * threads),
        Setup(f"CPU, {processes} processes x {threads} thread{'s' * (threads > 1)}", processes, threads),
    ]
    gpus = torch.cuda.device_count() if torch.cuda.is_available() else 0
    if gpus:
        rows.append(Setup("GPU, 1 process", 1, threads, gpu=True))
    if gpus > 1:
        rows.append(Setup(f"GPU, {gpus} processes (all GPUs)", gpus, threads, gpu=True))
    return rows


def run_once(setup: Setup, args: argparse.Namespace, run_dir: Path) -> tuple[float, int]:
    """Train one epoch of the recipe under torchrun; the trainer's tokens/s at its last step, and the steps."""
    command = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--standalone",
        "--nproc-per-node",
        str(setup.processes),
        str(ROOT / "scripts" / "train_corpus.py"),
        str(args.recipe),
        "--data",
        str(args.data),
        "--run-dir",
        str(run_dir),
        "--threads",
        str(setup.threads),
        "--log-every",
        "1",
        "--set",
        "epochs=1",
    ]
    if args.batch_size:
        command += ["--set", f"batch_size={args.batch_size}"]
    env = {**os.environ, "OMP_NUM_THREADS": str(setup.threads)}
    if not setup.gpu:
        env["CUDA_VISIBLE_DEVICES"] = ""  # the CPU rows train on the CPU even on a CUDA machine
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    progress = STEP_LINE.findall(done.stdout)
    if done.returncode != 0 or not progress:
        raise SystemExit(f"{setup.label}: the run failed ({' '.join(command)}):\n{(done.stdout + done.stderr)[-3000:]}")
    _step, total, rate = progress[-1]
    return float(rate), int(total)


def shown(path: Path) -> str:
    """A path as the results file records it: relative to the project when inside it."""
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def distributed_main(args: argparse.Namespace) -> None:
    """Whole runs through the real trainer: 1 process against N processes (and 1 GPU against all)."""
    output = args.output or RESULTS / "train-distributed.json"
    rows = setups(args.processes, args.threads)
    runs: dict[str, list[float]] = {row.label: [] for row in rows}
    steps = 0
    with tempfile.TemporaryDirectory(prefix="train-benchmark-") as scratch:
        for repeat in range(args.repeats):
            for n, row in enumerate(rows):
                rate, steps = run_once(row, args, Path(scratch) / f"run-{repeat}-{n}")
                runs[row.label].append(rate)
                print(f"  {row.label}: {rate:.0f} tokens/s ({steps} steps)", flush=True)
    medians = {label: statistics.median(rates) for label, rates in runs.items()}
    base = {False: medians[rows[0].label], True: medians["GPU, 1 process"] if any(r.gpu for r in rows) else 0.0}
    ratios = {row.label: medians[row.label] / base[row.gpu] for row in rows}
    batch_size = args.batch_size or json.loads(args.recipe.read_text(encoding="utf-8"))["train"]["batch_size"]
    print(
        f"{shown(args.recipe)} on {shown(args.data)}: one epoch, {steps} steps of batch {batch_size}, "
        f"median of {args.repeats} runs; {os.cpu_count()} CPU cores"
    )
    print(f"{'setup':<36}{'target tokens/s':>16}{'vs 1 process':>14}")
    for row in rows:
        print(f"{row.label:<36}{medians[row.label]:>16.0f}{ratios[row.label]:>13.2f}x")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(
        json.dumps(
            {
                "recipe": shown(args.recipe),
                "data": shown(args.data),
                "epochs": 1,
                "steps": steps,
                "batch_size": batch_size,
                "repeats": args.repeats,
                "cpu_cores": os.cpu_count(),
                "gpus": [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
                if torch.cuda.is_available()
                else [],
                "tokens_per_second": medians,
                "runs": runs,
                "ratios": ratios,
            },
            indent=2,
        )
        + "\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=15)
    parser.add_argument("--windows", type=int, default=3)
    parser.add_argument(
        "--batch-size", type=int, default=None, help="pairs per batch (default: 128; --distributed: the recipe's)"
    )
    parser.add_argument("--vocab", type=Path, default=ROOT / "models" / "lstm-de-en" / "spm.model")
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="results file (default: benchmarks/results/train.json, or train-distributed.json)",
    )
    parser.add_argument(
        "--distributed",
        action="store_true",
        help="whole runs of a recipe under torchrun: 1 process against several (and 1 GPU against all)",
    )
    parser.add_argument("--processes", type=int, default=2, help="--distributed: CPU processes to compare with one")
    parser.add_argument("--threads", type=int, default=1, help="--distributed: CPU threads per process")
    parser.add_argument("--repeats", type=int, default=3, help="--distributed: runs per setup (the median is shown)")
    parser.add_argument("--recipe", type=Path, default=TINY_RECIPE, help="--distributed: the recipe to train")
    parser.add_argument(
        "--data",
        type=Path,
        default=ROOT / "tests" / "data",
        help="--distributed: the data folder the recipe's files are relative to",
    )
    args = parser.parse_args()
    if args.distributed:
        distributed_main(args)
    else:
        args.batch_size = args.batch_size or 128
        step_main(args)


if __name__ == "__main__":
    main()
