"""Train a model from scratch on Multi30k (train), selecting on val: how the shipped models are made.

    python scripts/train_multi30k.py --arch lstm --run runs/lstm --epochs 25

The run folder holds the vocabulary, a resumable checkpoint and the best model so far (``best/``);
``--resume`` continues a killed run. ``scripts/publish_model.py`` then evaluates the best model on
test_2016_flickr and writes the half-precision model folder with its card into ``models/``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import torch

from multi30k import read_pairs
from translator_app.cli.decoding import add_threads_option
from translator_app.core.batching import encode_pairs
from translator_app.core.devices import apply_torch_threads, resolve_runtime
from translator_app.core.checkpoint import has_checkpoint
from translator_app.core.modelfile import load_model_folder
from translator_app.core.types.modelformat import ModelMetadata
from translator_app.core.models import build_model, config_from_dict
from translator_app.core.text import SubwordVocab
from translator_app.core.trainer import Trainer
from translator_app.core.types.train_config import TrainConfig


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--arch", default="lstm")
    parser.add_argument("--run", type=Path, required=True)
    parser.add_argument("--name", default="lstm-de-en")
    parser.add_argument("--vocab-size", type=int, default=8000)
    parser.add_argument("--hparams", default="{}", help="JSON hyperparameters for the architecture")
    parser.add_argument("--train", default="{}", help="JSON TrainConfig overrides")
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--init", type=Path, help="start from this model folder's weights (a warm restart; same vocabulary)")
    parser.add_argument("--limit", type=int, default=0, help="use only this many training pairs (smoke tests)")
    add_threads_option(parser)
    args = parser.parse_args()
    apply_torch_threads(resolve_runtime(threads=args.threads).threads)

    train, val = read_pairs("train"), read_pairs("val")
    if args.limit:
        train = train[: args.limit]
    args.run.mkdir(parents=True, exist_ok=True)
    vocab_path = args.run / "spm.model"
    if vocab_path.exists():
        vocab = SubwordVocab.from_file(vocab_path)
    else:
        vocab = SubwordVocab.train([s for pair in train for s in pair], vocab_size=args.vocab_size)
        vocab.save(vocab_path)
    start = load_model_folder(args.init) if args.init else None
    if start is not None and start.vocab.model_proto != vocab.model_proto:
        raise SystemExit(f"{args.init}: its vocabulary differs from {vocab_path}")
    hparams = {"vocab_size": len(vocab), **json.loads(args.hparams)}
    config = start.config if start is not None else config_from_dict(args.arch, hparams)
    train_config = TrainConfig.from_dict(json.loads(args.train))
    model = build_model(config)
    if start is not None and not (args.resume and has_checkpoint(args.run)):
        model.load_state_dict(start.model.state_dict())  # a resumed run's own checkpoint wins over --init
    encoded, dropped = encode_pairs(vocab, train)
    val_encoded, _ = encode_pairs(vocab, val)
    print(f"{len(encoded)} training pairs ({dropped} too long), {model.num_parameters():,} parameters", flush=True)
    metadata = ModelMetadata(
        name=args.name,
        description=f"{args.arch} trained on Multi30k task 1 (de-en)",
        training={
            "data": "Multi30k task 1 train (29,000 pairs), selected on val (1,014)",
            "pairs": len(encoded),
            "vocabulary": f"SentencePiece unigram, joint de+en, {len(vocab)} pieces, byte fallback",
            "config": train_config.__dict__,
            "hardware": f"{torch.get_num_threads()} CPU threads",
        },
    )

    def report(event):
        if event.kind == "step" and event.step % 50 == 0:
            print(
                f"step {event.step}/{event.total_steps} loss {event.loss:.3f} lr {event.learning_rate:.2e} "
                f"{event.tokens_per_second:.0f} tok/s eta {event.eta_seconds / 60:.0f} min",
                flush=True,
            )
        elif event.kind in ("epoch", "log"):
            print(time.strftime("%H:%M:%S"), event.message, flush=True)

    trainer = Trainer(model, vocab, encoded, val, train_config, args.run, metadata, val_encoded=val_encoded, callback=report)
    result = trainer.fit(resume=args.resume)
    print(json.dumps(result.summary()), flush=True)


if __name__ == "__main__":
    sys.exit(main())
