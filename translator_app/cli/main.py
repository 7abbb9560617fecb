"""``translator-app``: the command-line shell over the core.

With no arguments it opens the desktop app. Each subcommand is a module of ``cli.commands`` that
registers its own parser and handler; this module only builds the top-level parser and dispatches.
Every error is one line on stderr: an ``AppError`` exits with its kind's status (2 for the user's
bad model, file or option, 1 for a failure), as do the plain ``ValueError``s of option checks (2)
and ``OSError``s (1).
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from translator_app import __version__
from translator_app.cli import self_test
from translator_app.cli.commands import compare, evaluate, models, train, translate
from translator_app.cli.terminal import safe
from translator_app.core.types.errors import AppError

COMMANDS = (translate, compare, models, train, evaluate)  # in the order --help lists them


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="translator-app", description="Offline German-to-English translator. Run with no arguments to open the app."
    )
    parser.add_argument("--version", action="version", version=f"translator-app {__version__}")
    parser.add_argument(
        "--self-test", action="store_true", help="load the default model, translate a test sentence, exit 0 if it works"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if not argv:
        try:
            from translator_app.gui.app import run
        except ImportError as exc:  # no Qt on this machine: the CLI still works
            parser.print_help()
            print(f"\nThe desktop app is not available: {exc}", file=sys.stderr)
            return 2
        return run([sys.argv[0]])
    args = parser.parse_args(argv)
    try:
        from translator_app.core.atomic import tidy_user_folders

        tidy_user_folders()
        if args.self_test:
            return self_test.run()
        handler = getattr(args, "handler", None)
        if handler is None:
            parser.print_help()
            return 2
        return handler(args)
    except AppError as exc:  # the user's to fix (2) or the app's failure (1): its kind says which
        print(f"error: {safe(exc)}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # `| head`: the reader had enough (before OSError, of which it is one)
        return 0
    except OSError as exc:  # the system's own: a file the user named is missing (2), a full disk (1)
        print(f"error: {safe(exc.strerror or exc)}{f' ({exc.filename})' if exc.filename else ''}", file=sys.stderr)
        return 2 if isinstance(exc, (FileNotFoundError, FileExistsError, IsADirectoryError, NotADirectoryError)) else 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
