"""``translator-app train`` and ``translator-app evaluate``."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import replace

from translator_app.cli.decoding import add_decoding_options, decode_options_from_args
from translator_app.cli.terminal import safe


def add_train_parser(sub) -> None:
    p = sub.add_parser("train", help="train a new model, or fine-tune one, on your parallel data")
    p.add_argument("data", nargs="*", help="two line-aligned files (German, English), or one TSV/CSV/TMX file")
    p.add_argument("--name", help="name of the new model (saved in your data folder)")
    p.add_argument("--format", choices=["aligned", "tsv", "csv", "tmx"], help="file format (default: detected)")
    p.add_argument("--columns", help="for TSV/CSV: German and English column numbers, 0-based, e.g. '1,0'")
    p.add_argument("--val", nargs="*", default=[], help="separate validation file(s); default: hold out --val-fraction")
    p.add_argument("--val-fraction", type=float, default=0.05)
    p.add_argument("--base", help="fine-tune this model (name or folder) instead of training from scratch")
    p.add_argument("--arch", default="lstm", help="architecture when training from scratch")
    p.add_argument("--vocab-size", type=int, default=8000)
    p.add_argument("--epochs", type=int, help="default 20 from scratch, 5 when fine-tuning")
    p.add_argument("--batch-size", type=int, default=None)
    p.add_argument("--lr", type=float, help="peak learning rate (default 1e-3 from scratch, 3e-4 fine-tuning)")
    p.add_argument("--patience", type=int, default=None, help="stop after this many epochs without a better validation BLEU")
    p.add_argument("--subword-sampling", type=float, default=0.0, metavar="ALPHA",
                   help="re-split the training text into subwords at random every epoch (subword regularization; "
                        "0.3 is a good value, lower splits more finely; default 0 = off)")
    p.add_argument("--device", default="auto")
    p.add_argument("--resume", action="store_true", help="continue the unfinished run called --name")


def add_evaluate_parser(sub) -> None:
    p = sub.add_parser("evaluate", help="BLEU (two ways) and chrF of a model on a test set")
    p.add_argument("--model", default=None)
    p.add_argument("--src", required=True, help="German sentences, one a line (plain or .gz)")
    p.add_argument("--ref", required=True, help="English references, line-aligned with --src")
    p.add_argument("--device", default="auto")
    p.add_argument("--output", help="also write the translations to this file")
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    add_decoding_options(p)


def _parse_columns(text: str | None):
    if not text:
        return None
    try:
        de, en = (int(x) for x in text.split(","))
        return de, en
    except ValueError:
        raise ValueError(f"--columns must be two numbers like '1,0', not {text!r}") from None


def cmd_train(args) -> int:
    from tqdm import tqdm

    from translator_app.core.paths import user_runs_dir
    from translator_app.core.trainer import TrainConfig
    from translator_app.core.training_run import (RunSpec, check_name_pattern, discard_run, load_run_spec, no_model_reason,
                                                  prepare_run, publish_run)

    if not args.name:
        raise ValueError("--name is required: the new model's name")
    if args.resume:
        check_name_pattern(args.name)      # a path here would train in, then delete, a folder outside the runs'

        run_dir = user_runs_dir() / args.name
        spec = load_run_spec(run_dir)
    else:
        if not args.data:
            raise ValueError("give the training data: two aligned files, or one TSV/CSV/TMX file")
        fine_tune = bool(args.base)
        train = TrainConfig(epochs=(5 if fine_tune else 20) if args.epochs is None else args.epochs,
                            learning_rate=(3e-4 if fine_tune else 1e-3) if args.lr is None else args.lr,
                            warmup_steps=50 if fine_tune else 300)
        if args.batch_size is not None:
            train = replace(train, batch_size=args.batch_size)
        if args.patience is not None:
            train = replace(train, patience=args.patience)
        if not 0 <= args.subword_sampling <= 1:
            raise ValueError("--subword-sampling must be between 0 (off) and 1")
        train = replace(train, subword_sampling=args.subword_sampling)
        spec = RunSpec(name=args.name, data=args.data, format=args.format, columns=_parse_columns(args.columns),
                       validation=args.val, validation_fraction=args.val_fraction, base_model=args.base,
                       architecture=args.arch, vocab_size=args.vocab_size, train=train, device=args.device)
        run_dir = None

    bar = tqdm(total=0, unit="step", dynamic_ncols=True, file=sys.stderr,
               disable=os.environ.get("RANK", "0") != "0")       # under torchrun, rank 0's bar only

    def on_event(event) -> None:
        if bar.total != event.total_steps:
            bar.total = event.total_steps
        if event.kind == "step":
            bar.n = event.step
            bar.set_postfix(epoch=event.epoch + 1, loss=f"{event.loss:.3f}", tok_s=f"{event.tokens_per_second:.0f}")
        elif event.kind in ("epoch", "log"):
            bar.write(event.message)

    prepared = prepare_run(spec, callback=on_event, resume=args.resume, run_dir=run_dir)
    main_rank = prepared.trainer.distributed.is_main      # under torchrun, rank 0 reports and publishes
    try:
        if main_rank:
            print(f"Data: {prepared.data_report}; {prepared.train_pairs} training and {prepared.validation_pairs} "
                  f"validation pairs" + _ranks(prepared.trainer.distributed), file=sys.stderr)
        try:
            result = prepared.trainer.fit(resume=args.resume)
        except KeyboardInterrupt:
            prepared.trainer.cancel()
            bar.close()
            print(f"\nInterrupted. Continue with: translator-app train --name {spec.name} --resume", file=sys.stderr)
            return 130
        finally:
            bar.close()
        if not main_rank:
            return 0
        if result.best_folder is None:
            if result.status != "cancelled":     # it ran to the end: nothing is left to resume
                discard_run(prepared.run_dir, lock=prepared.lock)
            print(no_model_reason(result), file=sys.stderr)
            return 1
        target = publish_run(prepared.run_dir, spec.name, result)
        discard_run(prepared.run_dir, lock=prepared.lock)
    finally:
        prepared.release()
    print(f"{result.status}: best validation BLEU {result.best_val_bleu:.2f} at epoch {result.best_epoch}; "
          f"model saved as {spec.name!r} in {target}")
    return 0


def _ranks(distributed) -> str:
    if not distributed.enabled:
        return ""
    return (f"; {distributed.world_size} processes, each taking 1/{distributed.world_size} of every batch "
            "(the global batch and the learning-rate schedule are those of one process)")


def cmd_evaluate(args) -> int:
    from translator_app.core.evaluation import evaluate_files
    from translator_app.core.translator import Translator

    translator = Translator.load(args.model, device=args.device)
    options = decode_options_from_args(args, translator)
    report = evaluate_files(translator, args.src, args.ref, options, output=args.output)
    s = report.scores
    if args.json:
        print(json.dumps({"model": translator.name, "options": report.options, **s.to_dict(), "seconds": report.seconds}))
        return 0
    print(safe(f"model           {translator.name} ({translator.architecture}), beam {options.beam_width}, max length {options.max_length}"))
    print(f"sentences       {s.sentences}")
    print(f"sacreBLEU       {s.sacrebleu:.2f}   ({s.sacrebleu_signature})")
    print(f"tokenized BLEU  {s.tokenized_bleu:.2f}   (lowercased, spaCy-tokenized, as the PyTorch tutorials)")
    print(f"chrF            {s.chrf:.2f}")
    print(f"time            {report.seconds:.1f} s ({s.sentences / max(report.seconds, 1e-9):.0f} sentences/s)")
    return 0
