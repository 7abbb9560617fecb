"""A text file's decoded lines, none held longer than ``MAX_LINE_BYTES``, whatever the file holds."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import AnyStr, Callable, Generator, Iterator

from translator_app.core.readers.encodings import UTF16, LineDecoder, utf16_error
from translator_app.core.types.errors import EncodingError
from translator_app.core.types.errors import ParallelDataError
from translator_app.core.readers.sniff import READ_ERRORS, BinaryFile, Source, io_error, open_binary

# The longest line a reader holds. Far above any sentence pair worth training on (max_chars is
# 1,000 by default, at most 4 bytes each), yet small enough that reading never needs more than a
# few times this much; and no more than csv's 131,072-character field limit, so a CSV line that
# fits here never trips that limit. Longer lines are skipped unread and counted as "too long".
MAX_LINE_BYTES = 1 << 17

_CHUNK = 1 << 16  # bytes (or characters) read at a time while skipping the rest of an over-long line


@dataclass(frozen=True)
class LongLine:
    """Stands in for a line over ``MAX_LINE_BYTES``, which was skipped without being held.

    Readers count it as one "too long" row or pair, so line-aligned files stay aligned.
    """

    size: int  # how much was skipped: bytes, or characters for UTF-16 (whose offsets are not reported)


def _bounded_lines(readline: Callable[[int], AnyStr], limit: int, end: AnyStr) -> Iterator[AnyStr | LongLine]:
    """Lines (with their line ends) from ``readline(size)``, none longer than ``limit``.

    Asking for at most ``limit + 1`` at a time means a runaway line is never read whole: once it is
    known to be too long, its rest is read and dropped in ``_CHUNK`` pieces up to its line end.
    """
    while line := readline(limit + 1):
        if len(line) <= limit:
            yield line
            continue
        size = len(line)
        while not line.endswith(end) and (line := readline(_CHUNK)):
            size += len(line)
        yield LongLine(size)


def bounded_lines(readline: Callable[[int], AnyStr], end: AnyStr) -> Iterator[AnyStr | LongLine]:
    """Lines from ``readline(size)``, none held longer than ``MAX_LINE_BYTES``: the readers' own loop, for
    a line source that is no file (the command line's stdin)."""
    return _bounded_lines(readline, MAX_LINE_BYTES, end)


def _byte_lines(src: Source, raw: BinaryFile) -> Iterator[bytes | LongLine]:
    """Undecoded lines of a UTF-8 or Windows-1252 file, split at ``src.newline`` only.

    Binary streams can only split at "\\n". For classic-Mac files a latin-1 text wrapper splits at
    "\\r" instead: latin-1 maps every byte to one character and back, so the bytes come back unchanged,
    and the wrapper's readline runs in C in linear time (re-splitting a growing buffer was quadratic).
    """
    if src.newline == "\n":
        return _bounded_lines(raw.readline, MAX_LINE_BYTES, b"\n")
    text = io.TextIOWrapper(raw, encoding="latin-1", newline=src.newline)
    lines = _bounded_lines(text.readline, MAX_LINE_BYTES, src.newline)
    return (line if isinstance(line, LongLine) else line.encode("latin-1") for line in lines)


def _byte_decoded_lines(src: Source, raw: BinaryFile) -> Iterator[str | LongLine]:
    """Decoded line by line under the encoding policy, so a bad byte is reported with its line and offset."""
    decoder = LineDecoder(src.text_encoding)
    for bline in _byte_lines(src, raw):
        if isinstance(bline, LongLine):
            decoder.skip(bline.size)
            yield bline
            continue
        try:
            line = decoder.decode(bline)
        except EncodingError as exc:
            raise ParallelDataError(f"{src.name} {exc}") from None
        src.text_encoding = decoder.encoding  # Windows-1252 once a line proves it
        yield line


def _utf16_lines(src: Source, raw: BinaryFile) -> Iterator[str | LongLine]:
    """Decoded by a text wrapper; its readline is bounded like the bytes one (2 bytes a character)."""
    text = io.TextIOWrapper(raw, encoding="utf-16", newline=src.newline)
    number = 0
    try:
        for line in _bounded_lines(text.readline, MAX_LINE_BYTES // 2, src.newline):
            number += 1  # the lines read, for the message when the next one is not UTF-16
            yield line
    except UnicodeDecodeError:
        raise ParallelDataError(f"{src.name} {utf16_error(number + 1)}") from None


def has_text(line: str | LongLine) -> bool:
    return isinstance(line, LongLine) or bool(line.strip())


def iter_text_lines(src: Source) -> Generator[str | LongLine, None, None]:
    """Decoded lines with their line ends, or a ``LongLine`` for each line too long to hold.

    Only "\\n" ends a line (not U+2028, U+0085 and friends as ``str.splitlines`` would), because an
    extra split in one file of a line-aligned pair would shift every later translation.
    """
    saw_text = False
    try:
        with open_binary(src.path, src.gzipped) as raw:
            lines = _utf16_lines(src, raw) if src.text_encoding is UTF16 else _byte_decoded_lines(src, raw)
            for line in lines:
                saw_text = saw_text or has_text(line)
                yield line
    except READ_ERRORS as exc:
        raise io_error(src.name, src.gzipped, exc) from exc
    if not saw_text:
        raise ParallelDataError(f"{src.name} is empty")
