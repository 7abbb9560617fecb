"""Train a model from a corpus recipe: how the shipped general-domain models are made.

    python scripts/train_corpus.py scripts/recipes/general-transformer.json --run runs/general-transformer
    python scripts/train_corpus.py RECIPE --run DIR --resume        # after any stop, even kill -9
    torchrun --standalone --nproc-per-node 2 scripts/train_corpus.py RECIPE --run-dir DIR   # 2 processes

A recipe is a ``RunSpec`` in JSON (the same ``run.json`` the app writes for a user's run) whose
``corpora`` list the training files with their sampling weights and domains, and whose
``validation_corpora`` the dev sets that select the best epoch. Its file names are relative to the
data folder (``--data``, default ``../shared/data`` from the project root), or else to the project
root (generated pairs, e.g. ``runs/number_pairs/`` from ``scripts/number_pairs.py``). The run goes through
``training_run.prepare_run`` and the one ``Trainer``, exactly as a user's run in the app does: on a
CUDA machine it trains there in bf16 with nothing else changed. The run folder holds the
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

import torch

from translator_app.core.training_run import RunSpec, prepare_run

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("recipe", type=Path)
    # --run-dir under torchrun, whose parser refuses "--run" as an ambiguous abbreviation of its --run-path
    parser.add_argument(
        "--run", "--run-dir", dest="run", type=Path, required=True, help="run folder (checkpoints, vocabulary, best model)"
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="data folder the recipe's files are relative to")
    parser.add_argument("--resume", action="store_true", help="continue the run in --run from its last checkpoint")
    parser.add_argument("--threads", type=int, default=0, help="CPU threads (default: all cores)")
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
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    spec = load_recipe(args.recipe, args.data)
    overrides = {k: json.loads(v) for k, v in (item.split("=", 1) for item in args.set)}
    spec.train = dataclasses.replace(spec.train, **overrides)

    def report(event) -> None:
        if event.kind == "step" and event.step % max(args.log_every, 1) == 0:
            print(
                f"step {event.step}/{event.total_steps} loss {event.loss:.3f} lr {event.learning_rate:.2e} "
                f"{event.tokens_per_second:.0f} tok/s eta {event.eta_seconds / 60:.0f} min",
                flush=True,
            )
        elif event.kind in ("epoch", "log"):
            print(time.strftime("%H:%M:%S"), event.message, flush=True)

    started = time.perf_counter()
    prepared = prepare_run(spec, callback=report, resume=args.resume, run_dir=args.run, check_name=False)
    main_rank = prepared.trainer.distributed.is_main  # under torchrun, rank 0 reports
    if main_rank:
        print(
            f"{prepared.train_pairs:,} training pairs, {prepared.validation_pairs:,} validation pairs, "
            f"{prepared.trainer.model.num_parameters():,} parameters, {len(prepared.trainer.vocab):,} subwords; "
            f"prepared in {time.perf_counter() - started:.0f} s",
            flush=True,
        )
        print(prepared.data_report, flush=True)
    result = prepared.trainer.fit(resume=args.resume)
    if main_rank:
        print(json.dumps(result.summary()), flush=True)
    prepared.trainer.distributed.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
