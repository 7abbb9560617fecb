"""The flags shared by ``translate`` and ``evaluate`` (which model, on which device, decoding how),
and the translator and options they make.

Unset decoding flags keep the model's own defaults (its card's length penalty and beam), so the CLI
decodes as the app does for the same model.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from translator_app.core.options import ENGINES
from translator_app.core.paths import DEFAULT_MODEL

if TYPE_CHECKING:  # the core's translator imports torch: only when a command runs
    from translator_app.core.options import DecodeOptions
    from translator_app.core.translator import Translator


def add_model_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model", default=None, help=f"model name or folder; 'best' = the best-quality shipped model (default: {DEFAULT_MODEL})"
    )
    parser.add_argument("--device", default="auto", help="auto, cpu, gpu, cuda or mps")
    parser.add_argument(
        "--engine",
        default="auto",
        choices=ENGINES,
        help="what decodes: auto = CTranslate2 for Transformer models on the CPU when installed, else PyTorch",
    )


def add_decoding_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("decoding")
    group.add_argument("--beam", type=int, default=None, help="beam width (1 = greedy; default: the model's, usually 5)")
    group.add_argument("--max-len", type=int, default=None, help="maximum output length in subwords (default 200)")
    group.add_argument(
        "--max-len-ratio", type=float, default=None, help="maximum output length relative to the source (default 2.0)"
    )
    group.add_argument("--length-penalty", type=float, default=None, help="GNMT length penalty alpha (0 = none)")
    group.add_argument("--no-repeat-ngram", type=int, default=None, help="never repeat an n-gram of this size (0 = off)")
    group.add_argument(
        "--full-vocabulary",
        action="store_true",
        help="score every subword at each step, not only the model's shortlist (slower; for comparison)",
    )


def load_translator(args: argparse.Namespace) -> tuple["Translator", "DecodeOptions"]:
    """The model ``--model`` names, loaded on ``--device``, and the options the decoding flags make
    over its defaults; ``--full-vocabulary`` also switches its shortlist off."""
    from dataclasses import replace

    from translator_app.core.translator import Translator

    translator = Translator.load(args.model, device=args.device, engine=args.engine)
    translator.use_shortlist = not args.full_vocabulary
    overrides = {
        "beam_width": args.beam,
        "max_length": args.max_len,
        "max_length_ratio": args.max_len_ratio,
        "length_penalty": args.length_penalty,
        "no_repeat_ngram_size": args.no_repeat_ngram,
        "n_best": getattr(args, "n_best", None),
    }
    options = replace(translator.default_options(), **{k: v for k, v in overrides.items() if v is not None}).validated()
    return translator, options
