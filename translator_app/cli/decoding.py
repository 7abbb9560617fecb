"""The flags shared by ``translate`` and ``evaluate`` (which model, on which device and how many
threads, decoding how), and the translator and options they make; ``train`` shares ``--threads``.

Unset decoding flags keep the model's own defaults (its card's length penalty and beam), so the CLI
decodes as the app does for the same model.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from translator_app.core.devices import THREADS, Runtime, resolve_runtime
from translator_app.core.types.options import ENGINES, DecodeOptions
from translator_app.core.paths import DEFAULT_MODEL

if TYPE_CHECKING:  # the core's translator imports torch: only when a command runs
    from translator_app.core.translator import Translator


def add_model_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model", default=None, help=f"model name or folder; 'best' = the best-quality shipped model (default: {DEFAULT_MODEL})"
    )
    parser.add_argument("--device", default="auto", help="auto, cpu, gpu, cuda or mps")
    add_threads_option(parser)
    parser.add_argument(
        "--engine",
        default="auto",
        choices=ENGINES,
        help="what decodes: auto = NumPy for the attention models and CTranslate2 for Transformers (when installed) on the CPU, else PyTorch",
    )


def add_threads_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--threads",
        type=thread_setting,
        default=0,
        metavar="N",
        help="CPU threads, for every engine alike (default 0 = automatic: one per physical core, "
        "less one on machines with no spare hardware thread)",
    )


def thread_setting(text: str) -> int:
    """``--threads``' value, checked against ``THREADS`` (argparse says what is wrong, no traceback)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not THREADS.allows(value):
        raise argparse.ArgumentTypeError(THREADS.message())
    return value


def runtime_from(args: argparse.Namespace) -> Runtime:
    """The runtime ``--device`` and ``--threads`` ask for (``core.devices.resolve_runtime``)."""
    return resolve_runtime(args.device, args.threads)


def add_decoding_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("decoding")
    group.add_argument("--beam", type=int, default=None, help="beam width (1 = greedy; default: the model's, usually 5)")
    group.add_argument("--max-len", type=int, default=None, help="maximum output length in subwords (default 200)")
    group.add_argument(
        "--max-len-ratio", type=float, default=None, help="maximum output length relative to the source (default 2.0)"
    )
    group.add_argument("--length-penalty", type=float, default=None, help="GNMT length penalty alpha (0 = none)")
    group.add_argument(
        "--no-repeat-ngram",
        type=int,
        default=None,
        help="never repeat an n-gram of subwords of this size (default 3, which halves stutters at no cost in BLEU on dev; 0 = off)",
    )
    group.add_argument(
        "--full-vocabulary",
        action="store_true",
        help="score every subword at each step, not only the model's shortlist (slower; for comparison)",
    )
    group.add_argument(
        "--glossary",
        metavar="FILE",
        default=None,
        help="keep these German terms as your English terms: a two-column TSV or CSV file (German, English)",
    )


def load_translator(args: argparse.Namespace) -> tuple["Translator", DecodeOptions]:
    """The model ``--model`` names, loaded on ``--device`` with ``--threads``, and the options the decoding flags make
    over its defaults; ``--full-vocabulary`` also switches its shortlist off."""
    from dataclasses import replace

    from translator_app.core.translator import Translator

    translator = Translator.load(args.model, engine=args.engine, runtime=runtime_from(args))
    translator.use_shortlist = not args.full_vocabulary
    overrides = {
        "beam_width": args.beam,
        "max_length": args.max_len,
        "max_length_ratio": args.max_len_ratio,
        "length_penalty": args.length_penalty,
        "no_repeat_ngram_size": args.no_repeat_ngram,
        "n_best": getattr(args, "n_best", None),
    }
    chosen: dict[str, Any] = {k: v for k, v in overrides.items() if v is not None}
    if args.glossary:
        from translator_app.core.glossary import load_glossary

        chosen["glossary"] = load_glossary(args.glossary)
        if not translator.supports_glossary:
            print(
                f"warning: {translator.name} has no placeholders in its vocabulary, so it cannot keep glossary terms; "
                "the glossary is not applied",
                file=sys.stderr,
            )
    return translator, replace(translator.default_options(), **chosen).validated()  # the one check of this command's options
