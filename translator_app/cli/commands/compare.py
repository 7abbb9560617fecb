"""``translator-app compare``: one German text through several models, side by side (core.compare)."""

from __future__ import annotations

import argparse
import json
import sys

from translator_app.cli.terminal import safe


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "compare",
        help="translate one German text with several models and show the translations side by side",
        description="Every shipped model by default; words a model wrote that most of the others did not are marked [like this].",
    )
    p.add_argument("text", nargs="+", help="German text (several arguments are joined by spaces)")
    p.add_argument(
        "--models",
        default=None,
        metavar="NAMES",
        help="comma-separated model names (default: every shipped model); 'all' adds your own",
    )
    p.add_argument("--device", default="auto", help="auto, cpu, gpu, cuda or mps")
    p.add_argument("--json", action="store_true", help="print one JSON object per model")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from translator_app.core.compare import ComparedModel, ModelPool, choose, comparable_models, compare

    text = " ".join(args.text).strip()
    if not text:
        print("error: give the German text to compare", file=sys.stderr)
        return 2
    available = comparable_models()
    if args.models == "all":
        chosen = available
    else:
        names = [n.strip() for n in args.models.split(",") if n.strip()] if args.models else None
        chosen = choose(available, names)
    if not chosen:
        print("error: no usable model is installed", file=sys.stderr)
        return 2
    models = [ComparedModel.from_info(m) for m in chosen]
    pool = ModelPool(args.device)

    def progress(entry) -> None:
        if not args.json and sys.stderr.isatty():
            print(f"{entry.model.name}: done", file=sys.stderr)

    entries = compare(text, models, pool, on_entry=progress)
    if args.json:
        for entry in entries:
            print(json.dumps(entry.to_dict(), ensure_ascii=False))
    else:
        for entry in entries:
            print(safe(_block(entry)))
    return 0 if any(e.error is None for e in entries) else 1


def _block(entry) -> str:
    """One model's answer as a few lines: what it is, what it wrote, how sure and how fast, how good on tests."""
    m = entry.model
    head = f"{m.name} · {m.tutorial_label}: {m.family} · {', '.join(m.domains) or 'domains not recorded'}"
    if entry.error:
        return f"{head}\n  {entry.error}\n"
    marked, cursor = [], 0
    for word in entry.marks:
        marked.append(entry.text[cursor : word.start])
        marked.append(f"[{word.word}]" if word.differs else word.word)
        cursor = word.end
    marked.append(entry.text[cursor:])
    confidence = f"{entry.level.value} ({entry.confidence:.2f})" if entry.level and entry.confidence is not None else "-"
    return f"{head}\n  {''.join(marked)}\n  confidence {confidence} · {entry.seconds:.2f} s · test BLEU {m.bleu_summary()}\n"
