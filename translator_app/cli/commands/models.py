"""``translator-app models``: list the installed models; rename, delete, import, export them, or print a card."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from translator_app.cli.terminal import safe


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "models",
        help="list installed models; rename, delete, import, export them",
        description="With no ACTION: list the installed models.",
    )
    p.add_argument("--json", action="store_true", help="one JSON object a line, with the architecture and its tutorial")
    p.add_argument(
        "--architecture",
        default=None,
        metavar="ARCH",
        help="only models of this architecture (lstm, gru, attention, packed_attention, convs2s, transformer) "
        "or of this tutorial number (1-6)",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    a = actions.add_parser("rename", help="rename one of your models")
    a.add_argument("old")
    a.add_argument("new")
    a = actions.add_parser("delete", help="delete one of your models")
    a.add_argument("name")
    a.add_argument("--yes", action="store_true", help="do not ask (needed when not run from a terminal)")
    a = actions.add_parser("import", help="install a model folder or a .zip exported by the app")
    a.add_argument("path")
    a.add_argument("--name", default=None, help="install under this name (default: the folder's or zip's)")
    a = actions.add_parser("export", help="write a model to a .zip that `models import` reads")
    a.add_argument("name")
    a.add_argument("zip", help="the .zip to write (or a folder: NAME.zip inside it)")
    a.add_argument("--force", action="store_true", help="replace the .zip if it exists")
    a = actions.add_parser("card", help="print a model's card (README.md)")
    a.add_argument("name")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """With an ACTION, that action; without, the table of models (or one JSON object a line)."""
    if getattr(args, "action", None):
        return _run_action(args)
    from translator_app.core.catalog import list_models, model_role
    from translator_app.core.types.architectures import tutorial_of

    models = list_models()
    if args.architecture:
        models = [m for m in models if _is_of(m.architecture, args.architecture)]
    if args.json:
        for m in models:
            tutorial = tutorial_of(m.architecture)
            family = {"tutorial": tutorial.number, "family": tutorial.family} if tutorial else {"tutorial": None, "family": None}
            print(json.dumps({**m.to_dict(), **family}, ensure_ascii=False))
        return 0
    if not models:
        print(f"No models of architecture {args.architecture} installed." if args.architecture else "No models installed.")
        return 0
    from translator_app.core.credits import credits_for
    from translator_app.core.eval_sets import TEST_DOMAINS, named_test_sets
    from translator_app.core.model_store import test_bleu

    rows = [("NAME", "DOMAINS", "ARCHITECTURE", "TUTORIAL", "SIZE", *(f"BLEU {d}" for d in TEST_DOMAINS), "WHERE", "")]
    for m in models:
        scores = test_bleu(m)
        cells = [f"{scores[d]:.1f}" if d in scores else "-" for d in TEST_DOMAINS]
        where = "shipped" if m.shipped else "user"
        rows.append(
            (
                m.name,
                ",".join(m.domains) or "-",
                m.architecture if not m.error else "broken",
                str(tutorial.number) if (tutorial := tutorial_of(m.architecture)) and not m.error else "-",
                _human_size(m.size_bytes) if m.size_bytes else "-",
                *cells,
                where,
                model_role(m, models),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print(safe("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip()))
    for m in models:
        if m.error:
            print(f"warning: {safe(m.error)}", file=sys.stderr)
    print(f"BLEU: sacreBLEU (cased, detokenized) on {named_test_sets()}. `--model best` picks the best-quality model.")
    corpora = credits_for(sorted({d for m in models if m.shipped for d in m.domains}))
    if corpora:
        print("Shipped models' training data: " + " ".join(f"{c.credit} ({c.licence})" for c in corpora))
    return 0


def _run_action(args: argparse.Namespace) -> int:
    """The model manager's actions: each one call into core.model_store, then one line saying what was done."""
    from translator_app.core import model_store

    if args.action == "rename":
        path = model_store.rename_model(args.old, args.new)
        print(safe(f"Renamed {args.old} to {args.new} ({path})"))
    elif args.action == "delete":
        folder = model_store.user_model(args.name)
        if not args.yes:
            if sys.stdin is None or not sys.stdin.isatty():
                raise model_store.ModelStoreError(f"not deleting {args.name!r} without --yes (not run from a terminal)")
            answer = input(safe(f"Delete the model {args.name} ({folder})? This cannot be undone. [y/N] "))
            if answer.strip().lower() not in ("y", "yes"):
                print("Nothing deleted.", file=sys.stderr)
                return 1
        model_store.delete_model(args.name)
        print(safe(f"Deleted {args.name}"))
    elif args.action == "import":
        try:
            path = model_store.import_model(Path(args.path), args.name)
        except model_store.NameTakenError as exc:
            raise model_store.NameTakenError(f"{exc} (pick one with --name NAME)") from None
        print(safe(f"Imported {path.name} into {path}"))
    elif args.action == "export":
        path = model_store.export_model(args.name, Path(args.zip), force=args.force)
        print(safe(f"Exported {args.name} to {path}"))
    elif args.action == "card":
        print(safe(model_store.model_card(args.name)[1]))
    return 0


def _is_of(architecture: str, wanted: str) -> bool:
    """``wanted`` is an architecture name or a tutorial number."""
    from translator_app.core.types.architectures import tutorial_of

    tutorial = tutorial_of(architecture)
    return architecture == wanted or (tutorial is not None and wanted.strip() == str(tutorial.number))


def _human_size(size: int) -> str:
    return f"{size / 1e6:.1f} MB"
