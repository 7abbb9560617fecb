"""``translator-app evaluate``: BLEU (two ways) and chrF of a model on a test set."""

from __future__ import annotations

import argparse
import json

from translator_app.cli.decoding import add_decoding_options, add_model_options, load_translator
from translator_app.cli.terminal import safe


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("evaluate", help="BLEU (two ways) and chrF of a model on a test set")
    add_model_options(p)
    p.add_argument("--src", required=True, help="German sentences, one a line (plain or .gz)")
    p.add_argument("--ref", required=True, help="English references, line-aligned with --src")
    p.add_argument("--output", help="also write the translations to this file")
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    add_decoding_options(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from translator_app.core.evaluation import evaluate_files

    translator, options = load_translator(args)
    report = evaluate_files(translator, args.src, args.ref, options, output=args.output)
    s = report.scores
    if args.json:
        print(json.dumps({"model": translator.name, "options": report.options, **s.to_dict(), "seconds": report.seconds}))
        return 0
    print(
        safe(
            f"model           {translator.name} ({translator.architecture}), beam {options.beam_width}, max length {options.max_length}"
        )
    )
    print(f"sentences       {s.sentences}")
    print(f"sacreBLEU       {s.sacrebleu:.2f}   ({s.sacrebleu_signature})")
    print(f"tokenized BLEU  {s.tokenized_bleu:.2f}   (lowercased, spaCy-tokenized, as the PyTorch tutorials)")
    print(f"chrF            {s.chrf:.2f}")
    print(f"time            {report.seconds:.1f} s ({s.sentences / max(report.seconds, 1e-9):.0f} sentences/s)")
    return 0
