"""``translator-app translate``: text from the arguments or from stdin, one output line per input line."""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import TYPE_CHECKING, Any, Callable, Iterator

from translator_app.cli.catalog_file import add_file_options, check_file_options, run_file
from translator_app.cli.decoding import add_decoding_options, add_model_options, load_translator
from translator_app.cli.stdin_blocks import ready_blocks
from translator_app.cli.terminal import safe
from translator_app.core.language_id import LanguageGuess, identify, language_note
from translator_app.core.readers import MAX_LINE_BYTES, LongLine
from translator_app.core.types.options import DecodeOptions

if TYPE_CHECKING:
    from translator_app.core.translator import Translation, Translator

Emit = Callable[["Translation"], None]  # writes one translation out


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("translate", help="translate text given as arguments, or stdin lines")
    p.add_argument("text", nargs="*", help="German text (several arguments are joined by spaces); read stdin lines if none")
    add_model_options(p)
    p.add_argument(
        "--n-best",
        type=int,
        default=1,
        help="print K alternatives per input, each with its confidence (mean token log-probability)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object per input: text, confidence, alternatives")
    add_decoding_options(p)
    add_file_options(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    check_file_options(args)
    translator, options = load_translator(args)
    if args.file is not None:
        return run_file(args, translator, options)
    emit = _emitter(args, translator, options)
    if args.text:
        return _translate_arguments(" ".join(args.text), translator, options, emit)
    if sys.stdin is None or sys.stdin.isatty():
        print("Type German text, one sentence or paragraph per line; Ctrl+D ends.", file=sys.stderr)
    _translate_stdin(translator, options, emit, _progress_bar(enabled=not args.json and sys.stderr.isatty()))
    return 0


def _translate_arguments(text: str, translator: Translator, options: DecodeOptions, emit: Emit) -> int:
    """The arguments' text as one input: refused over a line's byte limit (stdin takes longer text)."""
    from translator_app.cli.input_bounds import bound_text  # imports torch

    size = len(text.encode("utf-8", errors="replace"))
    if size > MAX_LINE_BYTES:
        print(
            f"error: the text is {size:,} bytes, over the {MAX_LINE_BYTES:,}-byte limit of a line; give it on stdin, one paragraph a line.",
            file=sys.stderr,
        )
        return 2
    bounded = bound_text(text, translator.vocab, "the text")
    for note in bounded.notes:
        print(note, file=sys.stderr)
    emit(translator.translate(bounded.text, options))
    return 0


def _translate_stdin(translator: Translator, options: DecodeOptions, emit: Emit, bar: Any) -> None:
    """The lines that have arrived, each bounded as the readers bound theirs, translated together up
    to one line's worth of subwords, and each written and flushed at once."""
    from translator_app.cli.input_bounds import MAX_LINE_SUBWORDS, Bounded, bound_text, long_line_note  # imports torch
    from translator_app.core.translator import SENTENCES_PER_BATCH

    number = 0
    for block in ready_blocks(stdin_lines(), SENTENCES_PER_BATCH):
        texts: list[str] = []
        budget = 0
        for line in block:
            number += 1
            if isinstance(line, LongLine):
                bounded = Bounded("", (long_line_note(f"line {number}", line.size),))
            else:
                bounded = bound_text(line, translator.vocab, f"line {number}")
            if texts and budget + bounded.subwords > MAX_LINE_SUBWORDS:
                _translate_lines(translator, texts, options, emit, bar)
                texts, budget = [], 0
            for note in bounded.notes:
                print(note, file=sys.stderr)
            texts.append(bounded.text)
            budget += bounded.subwords
        _translate_lines(translator, texts, options, emit, bar)
    if bar is not None:
        bar.close()


def _emitter(args: argparse.Namespace, translator: Translator, options: DecodeOptions) -> Emit:
    """What writes each translation to stdout as the options ask (and flushes it), with its notes on stderr."""
    out = sys.stdout

    def emit(translation: Translation) -> None:
        language = identify(translation.source)  # None: too short to tell
        if args.json:
            out.write(json.dumps(_json_record(translation, language), ensure_ascii=False) + "\n")
        elif args.n_best > 1:
            out.write(
                "".join(f"{rank}\t{alt.confidence:.4f}\t{alt.text}\n" for rank, alt in enumerate(translation.alternatives, 1))
            )
            out.write("\n")
        else:
            out.write(translation.text + "\n")
        out.flush()
        if language is not None and language.foreign:  # said on stderr with --json too: the record has it
            print(f"warning: {safe(language_note(language))}", file=sys.stderr)
        if not args.json:  # the record holds the rest
            _print_notes(translation, translator, options)

    return emit


def _json_record(translation: Translation, language: LanguageGuess | None) -> dict[str, Any]:
    """One ``--json`` output line."""
    return {
        "source": translation.source,
        "text": translation.text,
        # one scale with the sentences' and the window's: the mean token log-probability (not the search's score)
        "confidence": json_number(translation.alternatives[0].confidence) if translation.alternatives else None,
        "alternatives": [{"text": a.text, "confidence": json_number(a.confidence)} for a in translation.alternatives],
        "sentences": [
            {
                "source": s.source,
                "text": s.hypotheses[0].text if s.hypotheses else "",
                "confidence": json_number(s.confidence),
                "level": s.level.value,
                "truncated": s.truncated,
                "glossary": [m.to_dict() for m in s.glossary],
                "lost": s.lost,
            }
            for s in translation.sentences
        ],
        "out_of_domain": translation.out_of_domain,
        "lost": translation.lost,
        "language": language.to_dict() if language is not None else None,
        "not_german": language is not None and language.foreign,
    }


def _print_notes(translation: Translation, translator: Translator, options: DecodeOptions) -> None:
    """On stderr, what the plain output cannot say: an unfamiliar text, a cut-short sentence, a lost number."""
    if translation.out_of_domain:
        print(safe(out_of_domain_note(translator.name, translator.domains)), file=sys.stderr)
    if translation.truncated:
        print(truncated_note(translation.truncated, options), file=sys.stderr)
    if translation.lost:
        print(safe(lost_note(translation.lost)), file=sys.stderr)


def _translate_lines(translator: Translator, texts: list[str], options: DecodeOptions, emit: Emit, bar: Any) -> None:
    """One search over ``texts``; each result emitted (and flushed) in input order."""
    step = None if bar is None else (lambda done, total: bar.set_postfix_str(f"{done}/{total} sentences"))
    for translation in translator.translate(texts, options, progress=step):
        emit(translation)
        if bar is not None:
            bar.update(1)


def _progress_bar(enabled: bool) -> Any:
    """Lines done on stderr, only on a terminal: piped or ``--json`` output stays free of it."""
    if not enabled:
        return None
    from tqdm import tqdm  # imported only when shown

    return tqdm(unit=" lines", file=sys.stderr, dynamic_ncols=True, leave=False)


def stdin_lines() -> Iterator[str | LongLine]:
    """Standard input, one text per "\n"-ended line, whatever else the line holds: a bare "\r"
    inside a line is a space (not a line break), and bytes that are not UTF-8 are replaced, with a
    warning naming the line, so that output line N is always the translation of input line N. A
    line over ``MAX_LINE_BYTES`` is a ``LongLine``, skipped unread as the readers skip one."""
    from translator_app.core.readers import bounded_lines

    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text stream without bytes (tests, embedding)
        for text in bounded_lines(sys.stdin.readline, "\n"):
            yield text if isinstance(text, LongLine) else text.rstrip("\r\n").replace("\r", " ")
        return
    for number, raw in enumerate(bounded_lines(stream.readline, b"\n"), 1):
        if isinstance(raw, LongLine):
            yield raw
            continue
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


def json_number(log_prob: float) -> float | None:
    """A confidence for ``--json``: rounded, and None for an empty output's -inf (which JSON cannot hold)."""
    return round(log_prob, 4) if math.isfinite(log_prob) else None
