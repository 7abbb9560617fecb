"""``translator-app train``: a new model, or a fine-tuned one, from the user's parallel data; or resume a run."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace

from translator_app.cli.decoding import add_threads_option, runtime_from
from translator_app.core.readers import FORMATS  # torch-free
from translator_app.core.types.model_names import NAME_RULE, normalized_name
from translator_app.core.types.run_spec import (  # torch-free: the defaults, shared with the Training tab
    DEFAULT_ARCHITECTURE,
    DEFAULT_VOCAB_SIZE,
    HOLDOUT_FRACTION,
    RunSpec,
    check_run_numbers,
    default_replay_ratio,
    default_train_config,
    default_warmup,
)
from translator_app.core.types.errors import InvalidInput


def register(subparsers: argparse._SubParsersAction) -> None:
    scratch, fine = default_train_config(fine_tune=False), default_train_config(fine_tune=True)
    transformer = default_train_config(fine_tune=True, architecture="transformer")

    def defaults(field: str) -> str:
        new, tuned, other = getattr(scratch, field), getattr(fine, field), getattr(transformer, field)
        text = f"default {new:g}" if new == tuned else f"default {new:g} from scratch, {tuned:g} when fine-tuning"
        return text + (f" ({other:g} a Transformer)" if other != tuned else "")

    p = subparsers.add_parser("train", help="train a new model, or fine-tune one, on your parallel data")
    p.add_argument("data", nargs="*", help="two line-aligned files (German, English), or one TSV/CSV/TMX/PO/XLIFF file")
    p.add_argument(
        "--name", type=normalized_name, help=f"name of the new model (saved in your data folder; {NAME_RULE}; quote spaces)"
    )
    p.add_argument("--format", choices=FORMATS, help="file format (default: detected)")
    p.add_argument("--columns", help="for TSV/CSV: German and English column numbers, 0-based, e.g. '1,0'")
    p.add_argument("--val", nargs="*", default=[], help="separate validation file(s); default: hold out --val-fraction")
    p.add_argument(
        "--val-fraction",
        type=float,
        default=HOLDOUT_FRACTION,
        help="share of the pairs held out for validation without --val (default %(default)s)",
    )
    p.add_argument("--base", help="fine-tune this model (name or folder) instead of training from scratch")
    p.add_argument("--arch", default=DEFAULT_ARCHITECTURE, help="architecture when training from scratch (default %(default)s)")
    p.add_argument(
        "--vocab-size", type=int, default=DEFAULT_VOCAB_SIZE, help="subwords of a new model's vocabulary (default %(default)s)"
    )
    p.add_argument("--epochs", type=int, help=defaults("epochs"))
    p.add_argument(
        "--batch-size",
        type=int,
        default=None,
        help=f"sentence pairs per batch ({defaults('batch_size')}); when fine-tuning, setting it batches by pairs "
        "instead of by tokens",
    )
    p.add_argument(
        "--batch-tokens", type=int, default=None, help=f"padded tokens per batch, 0 = batch by pairs ({defaults('batch_tokens')})"
    )
    p.add_argument(
        "--replay-ratio",
        type=float,
        default=None,
        metavar="R",
        help="fine-tuning: pairs of the base model's own training data mixed in per pair of yours, so that it keeps the "
        f"German it knew (default {default_replay_ratio(None):g}, {default_replay_ratio('transformer'):g} for a Transformer)",
    )
    p.add_argument("--no-mix", action="store_true", help="fine-tuning: train on your pairs alone (--replay-ratio 0)")
    p.add_argument(
        "--forgetting-budget",
        type=float,
        default=None,
        metavar="BLEU",
        help=f"fine-tuning: an epoch that loses more BLEU than this on the base model's general sample is not kept "
        f"({defaults('forgetting_budget')})",
    )
    p.add_argument("--lr", type=float, help=f"peak learning rate ({defaults('learning_rate')})")
    p.add_argument(
        "--patience",
        type=int,
        default=None,
        help=f"stop after this many epochs without a better validation BLEU ({defaults('patience')})",
    )
    p.add_argument(
        "--subword-sampling",
        type=float,
        default=scratch.subword_sampling,
        metavar="ALPHA",
        help="re-split the training text into subwords at random every epoch (subword regularization; "
        "0.3 is a good value, lower splits more finely; default %(default)g = off)",
    )
    p.add_argument("--device", default="auto")
    add_threads_option(p)
    p.add_argument("--resume", action="store_true", help="continue the unfinished run called --name")
    p.set_defaults(handler=run)


def _parse_columns(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    try:
        de, en = (int(x) for x in text.split(","))
        return de, en
    except ValueError:
        raise InvalidInput(f"--columns must be two numbers like '1,0', not {text!r}") from None


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from translator_app.core.devices import apply_torch_threads
    from translator_app.core.types.train_types import TrainEvent, TrainEventKind
    from translator_app.core.training import facade

    if not args.name:
        raise InvalidInput("--name is required: the new model's name")
    apply_torch_threads(runtime_from(args).threads)  # training, and its validation's translations, run on these
    spec = None if args.resume else _new_run(args)

    bar = tqdm(
        total=0, unit="step", dynamic_ncols=True, file=sys.stderr, disable=os.environ.get("RANK", "0") != "0"
    )  # under torchrun, rank 0's bar only

    stepping = False  # the bar's rate counts from the first step, not the reading and the base's validation

    def on_event(event: TrainEvent) -> None:
        nonlocal stepping
        if bar.total != event.total_steps:
            bar.total = event.total_steps
        if event.kind is TrainEventKind.STEP and not stepping:
            stepping = True
            bar.reset(total=event.total_steps)
        if event.kind is TrainEventKind.STEP:
            bar.n = event.step
            left = int(event.eta_seconds or 0)  # the trainer's: the steps and the validations still to come
            bar.set_postfix(
                epoch=event.epoch + 1,
                loss=f"{event.loss:.3f}",
                tok_s=f"{event.tokens_per_second:.0f}",
                left=f"{left // 60}:{left % 60:02d}",
            )
        elif event.kind in (TrainEventKind.EPOCH, TrainEventKind.BASELINE, TrainEventKind.LOG):
            bar.write(event.message)

    if spec is None:  # a path as the name would train in, then delete, a folder outside the runs'
        prepared = facade.resume(facade.run_folder(args.name), callback=on_event)
    else:
        prepared = facade.prepare(spec, callback=on_event)
    spec = prepared.spec
    try:
        if prepared.is_main:  # under torchrun, rank 0 reports and publishes
            print(
                f"Data: {prepared.data_report}; {prepared.train_pairs} training and {prepared.validation_pairs} "
                f"validation pairs" + _ranks(prepared.trainer.distributed),
                file=sys.stderr,
            )
        try:
            result = facade.start(prepared)
        except KeyboardInterrupt:
            prepared.cancel()
            bar.close()
            print(f"\nInterrupted. Continue with: translator-app train --name {spec.name} --resume", file=sys.stderr)
            return 130
        finally:
            bar.close()
        target = facade.finish(prepared, result)  # publish, or discard a run with nothing left to resume
    finally:
        prepared.release()
    if not prepared.is_main:
        return 0
    if target is None:
        print(facade.no_model_reason(result), file=sys.stderr)
        return 1
    print(
        f"{result.status}: best validation BLEU {result.best_val_bleu:.2f} at epoch {result.best_epoch}; "
        f"model saved as {spec.name!r} in {target}"
    )
    report = result.gain_report(spec.train.forgetting_budget)
    if report:
        print(report)
    if result.fall_warning():
        print(f"warning: {result.fall_warning()}", file=sys.stderr)
    return 0


def _new_run(args: argparse.Namespace) -> RunSpec:
    """The run the flags ask for, from the Training tab's defaults (its warm-up capped for a short run, as there)."""
    from translator_app.core.model_store import validate_model_name
    from translator_app.core.readers import preview

    if not args.data:
        raise InvalidInput("give the training data: two aligned files, or one TSV/CSV/TMX file")
    validate_model_name(args.name)  # before the data is read: a large corpus takes a while
    check_run_numbers(args.vocab_size, args.val_fraction)
    if not 0 <= args.subword_sampling <= 1:
        raise InvalidInput("--subword-sampling must be between 0 (off) and 1")
    fine_tune = bool(args.base)
    architecture = _architecture(args.base) if fine_tune else None
    train = default_train_config(fine_tune, architecture)
    if args.replay_ratio is not None and args.replay_ratio < 0:
        raise InvalidInput("--replay-ratio must be 0 (off) or more")
    chosen = {
        "epochs": args.epochs,
        "learning_rate": args.lr,
        "batch_size": args.batch_size,
        "patience": args.patience,
        "forgetting_budget": args.forgetting_budget,
        # pairs per batch asked for: batches by pairs, unless tokens are asked for too
        "batch_tokens": args.batch_tokens if args.batch_tokens is not None else (0 if args.batch_size else None),
    }
    train = replace(train, subword_sampling=args.subword_sampling, **{k: v for k, v in chosen.items() if v is not None})
    columns = _parse_columns(args.columns)
    pairs = preview(args.data, args.format, columns=columns, rows=0).report.kept  # counted as the tab counts them
    warmup = default_warmup(fine_tune, pairs, None if args.val else args.val_fraction, train.batch_size, train.epochs)
    return RunSpec(
        name=args.name,
        data=args.data,
        format=args.format,
        columns=columns,
        validation=args.val,
        validation_fraction=args.val_fraction,
        base_model=args.base,
        architecture=args.arch,
        vocab_size=args.vocab_size,
        train=replace(train, warmup_steps=warmup),
        device=args.device,
        replay_ratio=0.0
        if args.no_mix
        else (args.replay_ratio if args.replay_ratio is not None else default_replay_ratio(architecture)),
    )


def _architecture(model: str) -> str:
    """The architecture of the model ``--base`` names (its config alone is read: the defaults depend on it)."""
    from translator_app.core.catalog import find_model
    from translator_app.core.types.modelformat import read_config

    return str(read_config(find_model(model))["architecture"])


def _ranks(distributed) -> str:
    if not distributed.enabled:
        return ""
    return (
        f"; {distributed.world_size} processes, each taking 1/{distributed.world_size} of every batch "
        "(the global batch and the learning-rate schedule are those of one process)"
    )
