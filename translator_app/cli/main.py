"""``translator-app``: the command-line shell over the core.

With no arguments it opens the desktop app. Subcommands: translate, models, train, evaluate.
Every user error (bad model, bad file, bad option) is one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from translator_app import __version__
from translator_app.cli.decoding import add_decoding_options, decode_options_from_args
from translator_app.cli.terminal import safe
from translator_app.core.paths import DEFAULT_MODEL


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="translator-app", description="Offline German-to-English translator. Run with no arguments to open the app.")
    parser.add_argument("--version", action="version", version=f"translator-app {__version__}")
    parser.add_argument("--self-test", action="store_true", help="load the default model, translate a test sentence, exit 0 if it works")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("translate", help="translate text given as arguments, or stdin lines")
    p.add_argument("text", nargs="*", help="German text (several arguments are joined by spaces); read stdin lines if none")
    p.add_argument("--model", default=None, help=f"model name or folder; 'best' = the best-quality shipped model (default: {DEFAULT_MODEL})")
    p.add_argument("--device", default="auto", help="auto, cpu, gpu, cuda or mps")
    p.add_argument("--n-best", type=int, default=1, help="print K alternatives per input")
    p.add_argument("--json", action="store_true", help="print one JSON object per input: text, score, alternatives")
    add_decoding_options(p)

    p = sub.add_parser("models", help="list installed models; rename, delete, import, export them",
                       description="With no ACTION: list the installed models.")
    p.add_argument("--json", action="store_true")
    add_model_actions(p)

    from translator_app.cli.training import add_train_parser, add_evaluate_parser

    add_train_parser(sub)
    add_evaluate_parser(sub)
    return parser


def cmd_translate(args) -> int:
    from translator_app.core.translator import Translator

    translator = Translator.load(args.model, device=args.device)
    options = decode_options_from_args(args, translator)
    if args.text:
        inputs = [" ".join(args.text)]
    else:
        if sys.stdin is None or sys.stdin.isatty():
            print("Type German text, one sentence or paragraph per line; Ctrl+D ends.", file=sys.stderr)
        inputs = None
    out = sys.stdout

    def emit(translation) -> None:
        if args.json:
            record = {"source": translation.source, "text": translation.text,
                      "score": translation.alternatives[0].score if translation.alternatives else None,
                      "alternatives": [{"text": a.text, "score": a.score} for a in translation.alternatives],
                      "sentences": [{"source": s.source, "text": s.hypotheses[0].text if s.hypotheses else "",
                                     "confidence": round(s.confidence, 4), "level": s.level.value,
                                     "truncated": s.truncated}
                                    for s in translation.sentences],
                      "out_of_domain": translation.out_of_domain}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        elif args.n_best > 1:
            for rank, alt in enumerate(translation.alternatives, 1):
                out.write(f"{rank}\t{alt.score:.4f}\t{alt.text}\n")
            out.write("\n")
        else:
            out.write(translation.text + "\n")
        out.flush()
        if translation.out_of_domain and not args.json:
            print(safe(out_of_domain_note(translator.name, translator.domains)), file=sys.stderr)
        if translation.truncated and not args.json:
            print(truncated_note(translation.truncated, options), file=sys.stderr)

    if inputs is not None:
        emit(translator.translate(inputs[0], options))
        return 0
    # stdin: translate in blocks so a long pipe streams, keeping one output line per input line
    block: list[str] = []
    for text in stdin_lines():
        block.append(text)
        if len(block) >= 64:
            for t in translator.translate(block, options):
                emit(t)
            block = []
    if block:
        for t in translator.translate(block, options):
            emit(t)
    return 0


def stdin_lines():
    """Standard input, one text per "\n"-ended line, whatever else the line holds: a bare "\r"
    inside a line is a space (not a line break), and bytes that are not UTF-8 are replaced, with a
    warning naming the line, so that output line N is always the translation of input line N."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:                     # a text stream without bytes (tests, embedding)
        yield from (line.rstrip("\r\n").replace("\r", " ") for line in sys.stdin)
        return
    for number, raw in enumerate(stream, 1):
        raw = raw.rstrip(b"\n").rstrip(b"\r").replace(b"\r", b" ")
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            print(f"warning: input line {number} is not valid UTF-8; the undecodable bytes were replaced", file=sys.stderr)
            yield raw.decode("utf-8", errors="replace")


def truncated_note(count: int, options) -> str:
    sentences = "1 sentence" if count == 1 else f"{count} sentences"
    return (f"note: {sentences} reached the maximum output length ({options.max_length} subwords, or "
            f"{options.max_length_ratio:g}× the source) and may be cut short; raise --max-len or --max-len-ratio.")


def out_of_domain_note(model: str, domains: list[str]) -> str:
    trained = f" (trained on {', '.join(domains)} text)" if domains else ""
    return f"note: the model is unsure of most of this text: it looks unlike what {model}{trained} was trained on."


def _human_size(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def add_model_actions(parser: argparse.ArgumentParser) -> None:
    """``models rename|delete|import|export|card``; with no action ``models`` lists, as before."""
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
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
    a = actions.add_parser("card", help="print a model's card (README.md)")
    a.add_argument("name")


def cmd_model_action(args) -> int:
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
        path = model_store.export_model(args.name, Path(args.zip))
        print(safe(f"Exported {args.name} to {path}"))
    elif args.action == "card":
        print(safe(model_store.model_card(args.name)[1]))
    return 0


def cmd_models(args) -> int:
    if getattr(args, "action", None):
        return cmd_model_action(args)
    from translator_app.core.catalog import list_models, model_role

    models = list_models()
    if args.json:
        for m in models:
            print(json.dumps(m.to_dict(), ensure_ascii=False))
        return 0
    if not models:
        print("No models installed.")
        return 0
    from translator_app.core.credits import credits_for

    measured = ("everyday", "news", "captions")
    rows = [("NAME", "DOMAINS", "ARCHITECTURE", "SIZE", *(f"BLEU {d}" for d in measured), "WHERE", "")]
    for m in models:
        scores = m.domain_scores
        legacy = {"captions": m.metrics.get("test_sacrebleu")} if not scores else {}   # cards from before the general sets
        cells = [f"{v:.1f}" if isinstance(v, (int, float)) else "-" for v in (scores.get(d, legacy.get(d)) for d in measured)]
        where = "shipped" if m.shipped else "user"
        rows.append((m.name, ",".join(m.domains) or "-", m.architecture if not m.error else "broken",
                     _human_size(m.size_bytes) if m.size_bytes else "-", *cells, where, model_role(m, models)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print(safe("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip()))
    for m in models:
        if m.error:
            print(f"warning: {safe(m.error)}", file=sys.stderr)
    print("BLEU: sacreBLEU (cased, detokenized) on Tatoeba test (everyday), newstest2014 (news) and Multi30k "
          "test_2016_flickr (captions). `--model best` picks the best-quality model.")
    corpora = credits_for(sorted({d for m in models if m.shipped for d in m.domains}))
    if corpora:
        print("Shipped models' training data: " + " ".join(f"{c.credit} ({c.licence})" for c in corpora))
    return 0


def cmd_self_test() -> int:
    from translator_app.core.search import DecodeOptions
    from translator_app.core.translator import Translator

    translator = Translator.load(None, device="cpu")
    result = translator.translate("Ein Mann fährt mit dem Fahrrad die Straße entlang.", DecodeOptions(beam_width=5))
    text = result.text
    ok = bool(text.strip()) and "<unk>" not in text and "⁇" not in text and text.isascii()
    print(safe(f"model: {translator.name} ({translator.architecture}) on {translator.device_description()}"))
    print(f"translation: {text}")
    print("self-test: " + ("OK" if ok else "FAILED"))
    return 0 if ok else 1


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
    from translator_app.core.modelfile import ModelFileError
    from translator_app.core.readers import ParallelDataError
    from translator_app.core.errors import TrainingError
    from translator_app.core.model_store import ModelStoreError

    try:
        from translator_app.core.atomic import tidy_user_folders

        tidy_user_folders()
        if args.self_test:
            return cmd_self_test()
        if args.command == "translate":
            return cmd_translate(args)
        if args.command == "models":
            return cmd_models(args)
        if args.command in ("train", "evaluate"):
            from translator_app.cli import training

            return training.cmd_train(args) if args.command == "train" else training.cmd_evaluate(args)
        parser.print_help()
        return 2
    except (ModelFileError, ModelStoreError, ParallelDataError, ValueError, FileExistsError, FileNotFoundError) as exc:
        print(f"error: {safe(exc)}", file=sys.stderr)
        return 2
    except TrainingError as exc:
        print(f"error: {safe(exc)}", file=sys.stderr)
        return 1
    except BrokenPipeError:     # `| head`: the reader had enough (before OSError, of which it is one)
        return 0
    except OSError as exc:      # a full disk, a read-only folder: the message, not a traceback
        print(f"error: {safe(exc.strerror or exc)}{f' ({exc.filename})' if exc.filename else ''}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
