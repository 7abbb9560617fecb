"""Train a model from a corpus recipe: how the shipped general-domain models are made.

    python scripts/train_corpus.py scripts/recipes/general-transformer.json --run runs/general-transformer
    python scripts/train_corpus.py RECIPE --run DIR --resume        # after any stop, even kill -9
    torchrun --standalone --nproc-per-node 2 scripts/train_corpus.py RECIPE --run-dir DIR   # 2 processes
    python scripts/train_corpus.py RECIPE --run DIR --device cuda --precision bf16 --batch-size 512   # a GPU

A recipe is a ``RunSpec`` in JSON (the same ``run.json`` the app writes for a user's run) whose
``corpora`` list the training files with their sampling weights and domains, and whose
``validation_corpora`` the dev sets that select the best epoch. Its file names are relative to the
data folder (``--data``, default ``../shared/data`` from the project root), or else to the project
root (generated pairs, e.g. ``runs/number_pairs/`` from ``scripts/number_pairs.py``). The run goes through
the training facade (``core.training.facade``) and the one ``Trainer``, exactly as a user's run in the app does: on a
CUDA machine it trains there in bf16 with nothing else changed. The device and the precision are
this process's, so a run started on a GPU resumes on a CPU and the other way round; its batches and
learning-rate schedule are the run's (``train_config.KEPT_ON_RESUME``). The run folder holds the
vocabulary, a resumable checkpoint and the best model so far (``best/``), which
``scripts/publish_model.py`` evaluates and publishes.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path
from typing import Collection

from translator_app.cli.decoding import add_threads_option
from translator_app.core.devices import DEVICE_CHOICES, PRECISIONS, apply_torch_threads, resolve_runtime
from translator_app.core.types.errors import TrainingError
from translator_app.core.training import facade
from translator_app.core.types.run_spec import RunSpec

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"


def load_recipe(path: Path, data_root: Path) -> RunSpec:
    """The recipe as a RunSpec, its file names made absolute under ``data_root``."""
    spec = RunSpec.from_dict(json.loads(path.read_text(encoding="utf-8")))
    for part in spec.corpora + spec.validation_corpora:
        # a generated corpus (scripts/number_pairs.py writes runs/...) is found under the project instead
        part.files = [str((data_root / f if (data_root / f).is_file() else ROOT / f).resolve()) for f in part.files]
        missing = [f for f in part.files if not Path(f).is_file()]
        if missing:
            raise SystemExit(f"{path}: missing data file(s): {', '.join(missing)}")
    return spec


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("recipe", type=Path)
    # --run-dir under torchrun, whose parser refuses "--run" as an ambiguous abbreviation of its --run-path
    parser.add_argument(
        "--run", "--run-dir", dest="run", type=Path, required=True, help="run folder (checkpoints, vocabulary, best model)"
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="data folder the recipe's files are relative to")
    parser.add_argument("--resume", action="store_true", help="continue the run in --run from its last checkpoint")
    add_threads_option(parser)
    parser.add_argument(
        "--device", choices=DEVICE_CHOICES, help="where to train (default: the recipe's, auto: a CUDA GPU when there is one)"
    )
    parser.add_argument(
        "--precision", choices=PRECISIONS, help="bf16: autocast to bfloat16 (on a GPU, or a CPU to test); default: the recipe's"
    )
    parser.add_argument(
        "--batch-size", type=int, metavar="PAIRS", help="sentence pairs per batch (and batches by pairs); a new run only"
    )
    parser.add_argument("--batch-tokens", type=int, metavar="TOKENS", help="padded tokens per batch; a new run only")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=JSON",
        help="override a TrainConfig field, e.g. --set epochs=8 (for smoke tests)",
    )
    parser.add_argument(
        "--log-every",
        type=int,
        default=100,
        metavar="STEPS",
        help="print loss, learning rate and tokens/s every STEPS steps (benchmarks/train.py reads them)",
    )
    args = parser.parse_args(argv)
    apply_torch_threads(resolve_runtime(threads=args.threads).threads)
    try:
        spec, explicit = run_spec(args)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return 2
    return train(spec, args.run, resume=args.resume, explicit=explicit, log_every=args.log_every)


def run_spec(args: argparse.Namespace) -> tuple[RunSpec, set[str]]:
    """The recipe with this command's settings, and the training settings those named."""
    spec = load_recipe(args.recipe, args.data)
    try:
        overrides = {k: json.loads(v) for k, v in (item.split("=", 1) for item in args.set)}
    except ValueError:
        raise ValueError(f"--set takes KEY=JSON, e.g. epochs=8, not {' '.join(args.set)!r}") from None
    named = {"batch_size": args.batch_size, "batch_tokens": args.batch_tokens, "precision": args.precision}
    overrides.update({k: v for k, v in named.items() if v is not None})
    explicit = set(overrides)
    if args.batch_size is not None and args.batch_tokens is None:
        overrides.setdefault("batch_tokens", 0)  # pairs per batch asked for: batches by pairs
    unknown = sorted(set(overrides) - set(spec.train.__dataclass_fields__))
    if unknown:
        raise ValueError(f"no training setting is called {', '.join(unknown)}")
    spec.train = dataclasses.replace(spec.train, **overrides)
    if args.device is not None:
        spec.device = args.device
    return spec, explicit


def train(spec: RunSpec, run: Path, *, resume: bool, explicit: Collection[str] = (), log_every: int = 100) -> int:
    """Train (or, ``resume``, go on with) the recipe ``spec`` in the folder ``run``, printing its progress;
    the exit status. ``scripts/train_multi30k.py`` trains through here too."""
    try:
        return _train(spec, run, resume, explicit, log_every)
    except (ValueError, OSError, TrainingError) as exc:  # a bad recipe, option or folder: said, not a traceback
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return 2


def _train(spec: RunSpec, run: Path, resume: bool, explicit: Collection[str], log_every: int) -> int:
    def report(event) -> None:
        if event.kind == "step" and event.step % max(log_every, 1) == 0:
            print(
                f"step {event.step}/{event.total_steps} loss {event.loss:.3f} lr {event.learning_rate:.2e} "
                f"{event.tokens_per_second:.0f} tok/s eta {event.eta_seconds / 60:.0f} min",
                flush=True,
            )
        elif event.kind in ("epoch", "log"):
            print(time.strftime("%H:%M:%S"), event.message, flush=True)

    started = time.perf_counter()
    if resume:  # with the batches and schedule the run began with; a folder with no run yet starts it
        prepared = facade.resume(run, callback=report, recipe=spec, explicit=explicit)
    else:
        prepared = facade.prepare(spec, callback=report, run_dir=run, check_name=False)
    if prepared.is_main:  # under torchrun, rank 0 reports
        print(
            f"{prepared.train_pairs:,} training pairs, {prepared.validation_pairs:,} validation pairs, "
            f"{prepared.trainer.model.num_parameters():,} parameters, {len(prepared.trainer.vocab):,} subwords; "
            f"prepared in {time.perf_counter() - started:.0f} s",
            flush=True,
        )
        print(prepared.data_report, flush=True)
    try:
        result = facade.start(prepared)  # the run is kept: scripts/publish_model.py publishes it
    finally:
        prepared.release()
        prepared.trainer.distributed.close()
    if prepared.is_main:
        print(json.dumps(result.summary()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
