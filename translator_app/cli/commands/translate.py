"""``translator-app translate``: text from the arguments or from stdin, one output line per input line."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Iterator

from translator_app.cli.catalog_file import add_file_options, check_file_options, run_file
from translator_app.cli.decoding import add_decoding_options, add_model_options, load_translator
from translator_app.cli.terminal import safe


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("translate", help="translate text given as arguments, or stdin lines")
    p.add_argument("text", nargs="*", help="German text (several arguments are joined by spaces); read stdin lines if none")
    add_model_options(p)
    p.add_argument("--n-best", type=int, default=1, help="print K alternatives per input")
    p.add_argument("--json", action="store_true", help="print one JSON object per input: text, score, alternatives")
    add_decoding_options(p)
    add_file_options(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    check_file_options(args)
    translator, options = load_translator(args)
    if args.file is not None:
        return run_file(args, translator, options)
    if args.text:
        inputs = [" ".join(args.text)]
    else:
        if sys.stdin is None or sys.stdin.isatty():
            print("Type German text, one sentence or paragraph per line; Ctrl+D ends.", file=sys.stderr)
        inputs = None
    out = sys.stdout

    def emit(translation) -> None:
        if args.json:
            record = {
                "source": translation.source,
                "text": translation.text,
                "score": translation.alternatives[0].score if translation.alternatives else None,
                "alternatives": [{"text": a.text, "score": a.score} for a in translation.alternatives],
                "sentences": [
                    {
                        "source": s.source,
                        "text": s.hypotheses[0].text if s.hypotheses else "",
                        "confidence": round(s.confidence, 4),
                        "level": s.level.value,
                        "truncated": s.truncated,
                        "glossary": [m.to_dict() for m in s.glossary],
                        "lost": s.lost,
                    }
                    for s in translation.sentences
                ],
                "out_of_domain": translation.out_of_domain,
                "lost": translation.lost,
            }
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
        if translation.lost and not args.json:
            print(safe(lost_note(translation.lost)), file=sys.stderr)

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


def stdin_lines() -> Iterator[str]:
    """Standard input, one text per "\n"-ended line, whatever else the line holds: a bare "\r"
    inside a line is a space (not a line break), and bytes that are not UTF-8 are replaced, with a
    warning naming the line, so that output line N is always the translation of input line N."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text stream without bytes (tests, embedding)
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
    return (
        f"note: {sentences} reached the maximum output length ({options.max_length} subwords, or "
        f"{options.max_length_ratio:g}× the source) and may be cut short; raise --max-len or --max-len-ratio."
    )


def lost_note(lost: list[str], shown: int = 5) -> str:
    """Said when a number, address or emoji of the source is not in the translation (never silently)."""
    listed = ", ".join(lost[:shown]) + (f" and {len(lost) - shown} more" if len(lost) > shown else "")
    which = "1 number, address or emoji" if len(lost) == 1 else f"{len(lost)} numbers, addresses or emoji"
    return f"note: {which} of the source could not be kept in the translation: {listed}."


def out_of_domain_note(model: str, domains: list[str]) -> str:
    trained = f" (trained on {', '.join(domains)} text)" if domains else ""
    return f"note: the model is unsure of most of this text: it looks unlike what {model}{trained} was trained on."
