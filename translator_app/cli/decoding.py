"""The decoding flags shared by ``translate`` and ``evaluate``, and the options they make.

Unset flags keep the model's own defaults (its card's length penalty and beam), so the CLI decodes
as the app does for the same model.
"""

from __future__ import annotations

import argparse


def add_decoding_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("decoding")
    group.add_argument("--beam", type=int, default=None, help="beam width (1 = greedy; default: the model's, usually 5)")
    group.add_argument("--max-len", type=int, default=None, help="maximum output length in subwords (default 200)")
    group.add_argument("--max-len-ratio", type=float, default=None, help="maximum output length relative to the source (default 2.0)")
    group.add_argument("--length-penalty", type=float, default=None, help="GNMT length penalty alpha (0 = none)")
    group.add_argument("--no-repeat-ngram", type=int, default=None, help="never repeat an n-gram of this size (0 = off)")
    group.add_argument("--full-vocabulary", action="store_true",
                       help="score every subword at each step, not only the model's shortlist (slower; for comparison)")


def decode_options_from_args(args, translator):
    """The options the flags make over the model's defaults; ``--full-vocabulary`` also switches the
    translator's shortlist off."""
    from dataclasses import replace

    translator.use_shortlist = not getattr(args, "full_vocabulary", False)
    options = translator.default_options()
    overrides = {
        "beam_width": args.beam, "max_length": args.max_len, "max_length_ratio": args.max_len_ratio,
        "length_penalty": args.length_penalty, "no_repeat_ngram_size": args.no_repeat_ngram,
        "n_best": getattr(args, "n_best", None),
    }
    return replace(options, **{k: v for k, v in overrides.items() if v is not None}).validated()
