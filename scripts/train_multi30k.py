"""Train a model from scratch on Multi30k (train), selecting on val: how the caption models are made.

    python scripts/train_multi30k.py --arch lstm --run runs/lstm --train '{"epochs": 25}'
    python scripts/train_multi30k.py --arch lstm --run runs/lstm --resume      # after any stop
    python scripts/train_multi30k.py --run runs/lstm-restart --init runs/lstm/best --train '{"epochs": 8}'

A recipe made from the arguments (Multi30k task 1's train split, validated on val, no placeholders)
and trained by ``scripts/train_corpus.py``'s loop over the training facade, as every other run is.
``--init`` is a warm restart: the run goes on from that model folder's weights and vocabulary (a
fine-tune on Multi30k alone, no replay), and keeps an epoch only if it beats them on val. The run
folder holds the vocabulary, a resumable checkpoint and the best model so far (``best/``);
``scripts/publish_model.py`` then evaluates it on test_2016_flickr and writes the half-precision
model folder with its card into ``models/``. Validation uses the first 1,000 of val's 1,014 pairs
(``run_spec.MAX_VALIDATION_PAIRS``), as every run does.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from train_corpus import DEFAULT_DATA, train
from translator_app.cli.decoding import add_threads_option
from translator_app.core.devices import apply_torch_threads, resolve_runtime
from translator_app.core.types.run_spec import CorpusPart, RunSpec
from translator_app.core.types.train_config import TrainConfig


def recipe(args: argparse.Namespace) -> RunSpec:
    """The run the arguments ask for, as a recipe over the Multi30k files in ``args.data``."""
    files = [str(args.data / f"{split}.{lang}.gz") for split in ("train", "val") for lang in ("de", "en")]
    missing = [f for f in files if not Path(f).is_file()]
    if missing:
        raise ValueError(f"missing Multi30k file(s): {', '.join(missing)} (--data names the folder)")
    return RunSpec(
        name=args.name,
        description=f"{args.arch} trained on Multi30k task 1 (de-en)",
        architecture=args.arch,
        hyperparameters=json.loads(args.hparams),
        vocab_size=args.vocab_size,
        placeholders=False,
        base_model=str(args.init) if args.init else None,
        replay_ratio=0.0,
        corpora=[CorpusPart(files[:2], domain="captions", limit=args.limit)],
        validation_corpora=[CorpusPart(files[2:], domain="captions")],
        train=TrainConfig.from_dict(json.loads(args.train)),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--arch", default="lstm")
    parser.add_argument("--run", type=Path, required=True)
    parser.add_argument("--name", default="lstm-de-en")
    parser.add_argument("--vocab-size", type=int, default=8000)
    parser.add_argument("--hparams", default="{}", help="JSON hyperparameters for the architecture")
    parser.add_argument("--train", default="{}", help="JSON TrainConfig overrides")
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--init", type=Path, help="start from this model folder's weights (a warm restart; its vocabulary)")
    parser.add_argument("--limit", type=int, default=0, help="use only this many training pairs (smoke tests)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA / "multi30k", help="the Multi30k folder")
    add_threads_option(parser)
    args = parser.parse_args(argv)
    apply_torch_threads(resolve_runtime(threads=args.threads).threads)
    try:
        spec = recipe(args)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return 2
    return train(spec, args.run, resume=args.resume, explicit=set(json.loads(args.train)), log_every=50)


if __name__ == "__main__":
    sys.exit(main())
