"""``translator-app translate --file IN.po --output OUT.po [--all]``: a PO or XLIFF file filled in.

The same core as File → Translate File (``core.catalogs.translate_file``): untranslated entries
only unless ``--all``, machine translations marked for review as the format expects, placeholders
and inline markup kept, the output written whole or not at all.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from translator_app.cli.terminal import safe
from translator_app.core.types.errors import InvalidInput


def add_file_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("translation files (gettext PO, XLIFF 1.2/2.0)")
    group.add_argument("--file", metavar="IN", help="a German → English .po, .xlf or .xliff file to fill in")
    group.add_argument("--output", metavar="OUT", help="where the filled-in file goes (may be IN itself; written atomically)")
    group.add_argument("--all", action="store_true", help="translate every entry, not only the untranslated ones")


def check_file_options(args: argparse.Namespace) -> None:
    if args.file is None and (args.output or args.all):
        raise InvalidInput("--output and --all go with --file")
    if args.file is not None and (args.text or not args.output):
        raise InvalidInput("--file needs --output and no text arguments")


def run_file(args: argparse.Namespace, translator, options) -> int:
    from translator_app.core.catalogs import translate_catalog
    from translator_app.core.types.catalogs import Scope

    def translate(texts: list[str]) -> list[str]:
        return [t.text for t in translator.translate(texts, options)]

    scope = Scope.ALL if args.all else Scope.UNTRANSLATED
    report = translate_catalog(Path(args.file), Path(args.output), translate, scope)
    repaired = f"; {report.reattached} placeholder(s) the model lost were put back" if report.reattached else ""
    print(
        safe(
            f"{report.kind.value}: filled in {report.filled:,} of {report.entries:,} entries ({report.characters:,} "
            f"German characters), marked for review, in {report.target}{repaired}"
        ),
        file=sys.stderr,
    )
    return 0
