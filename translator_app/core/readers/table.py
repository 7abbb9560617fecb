"""TSV and CSV: one pair a row, in the columns a header names, the text suggests or the user chose."""

from __future__ import annotations

import csv
from collections import Counter
from contextlib import closing
from itertools import chain, islice
from typing import Generator, Iterator

from translator_app.core.readers.columns import check_columns, guess_columns, guess_from_data, header_label, looks_like_header
from translator_app.core.readers.detect import csv_delimiter
from translator_app.core.readers.lines import MAX_LINE_BYTES, LongLine, iter_text_lines
from translator_app.core.readers.report import Collector, TableShape
from translator_app.core.types.errors import ParallelDataError
from translator_app.core.readers.sniff import Source

_SAMPLE_ROWS = 200  # rows looked at to guess which column holds which language
_MAX_RECORD_LINES = 500  # a CSV record this tall is an unclosed quote, not a sentence


def _unclosed_quote(src: Source, line: int, what: str) -> ParallelDataError:
    return ParallelDataError(f"{src.name} line {line:,}: a quoted field {what} (probably a quote that is never closed)")


class _EndOfFile:
    """Marks, among a CSV record's lines, the blank line fed to csv after the file's last line."""


_END_OF_FILE = _EndOfFile()


class _CsvLines:
    """The lines csv.reader reads, remembering which physical lines make up the record it is on.

    csv.reader pulls exactly the lines of one record before it returns that record, so after each
    row ``held`` is that record's lines and ``first`` the number of its first line. A line too long
    to hold is fed as a blank line (which csv drops; the caller counts it as too long). After the
    last line one more blank line is fed: if a quoted field is still open, it swallows that line
    too, so the record's held lines end in ``_END_OF_FILE`` and the unclosed quote shows.
    """

    def __init__(self, src: Source, lines: Iterator[str | LongLine]) -> None:
        self.src = src
        self.lines = lines
        self.first = 1
        self.held: list[str | LongLine | _EndOfFile] = []

    def next_record(self) -> None:
        self.first += len(self.held)
        self.held = []

    def __iter__(self) -> Iterator[str]:
        for line in self.lines:
            if self.held and isinstance(line, LongLine):  # csv wants another line: a quoted field is open
                raise _unclosed_quote(self.src, self.first, f"runs into a line of over {MAX_LINE_BYTES:,} bytes")
            if len(self.held) >= _MAX_RECORD_LINES:
                raise _unclosed_quote(self.src, self.first, f"runs on for over {_MAX_RECORD_LINES:,} lines")
            self.held.append(line)
            yield "\n" if isinstance(line, LongLine) else line
        self.held.append(_END_OF_FILE)
        yield "\n"


def _check_record(src: Source, first: int, held: list[str], delimiter: str, width: int) -> None:
    """Refuse a record spanning several lines that an unclosed quote made out of several rows.

    A real line break inside quotes is fine. A stray opening quote is instead "closed" by the next
    quote in the file, typically an opening quote further on with text right after it, which strict
    CSV parsing refuses; or by a bare quote before a delimiter, which leaves the swallowed rows
    whole inside the field: lines without quotes that split into this file's usual number of
    columns. That last test needs three or more columns, since with two, one comma in a line of
    prose would look like a row.
    """
    try:
        for _ in csv.reader(held, delimiter=delimiter, quotechar='"', skipinitialspace=True, strict=True):
            pass
    except csv.Error:
        raise _unclosed_quote(src, first, "is closed further on by a quote that has text right after it") from None
    inner = held[1:-1]  # the lines wholly inside the field
    looks_like_rows = all('"' not in line and line.count(delimiter) == width - 1 for line in inner)
    if width >= 3 and len(inner) >= 2 and looks_like_rows:
        raise _unclosed_quote(src, first, f"holds {len(inner)} lines that look like rows of their own")


def _csv_rows(src: Source, lines: Iterator[str | LongLine], delimiter: str) -> Iterator[list[str] | LongLine]:
    """Non-blank CSV records, or a ``LongLine`` for a line too long to hold; unclosed quotes are refused."""
    feed = _CsvLines(src, lines)
    reader = csv.reader(feed, delimiter=delimiter, quotechar='"', skipinitialspace=True)
    widths: Counter[int] = Counter()  # columns in one-line records, the file's usual row shape
    try:
        for row in reader:
            held, first = feed.held, feed.first
            feed.next_record()
            if isinstance(held[-1], _EndOfFile):
                if len(held) > 1:
                    raise _unclosed_quote(src, first, "runs on to the end of the file")
                continue  # the blank line after the last record
            if isinstance(held[0], LongLine):
                yield held[0]
                continue
            if len(held) > 1:
                text = [line for line in held if isinstance(line, str)]  # all of them, see the two checks above
                width = widths.most_common(1)[0][0] if widths else 0
                _check_record(src, first, text, delimiter, width)
            else:
                widths[len(row)] += 1
            if any(cell.strip() for cell in row):
                yield row
    except csv.Error as exc:
        hint = " (probably a quote that is never closed)" if "field larger" in str(exc) else ""
        raise ParallelDataError(f"{src.name} line {feed.first:,}: {exc}{hint}") from exc


def _iter_rows(src: Source, fmt: str, delimiter: str) -> Generator[list[str] | LongLine, None, None]:
    """Non-blank rows, or a ``LongLine`` where a line was too long to hold."""
    lines = iter_text_lines(src)
    try:
        if fmt == "tsv":
            # Plain splitting is exactly csv's QUOTE_NONE, minus its 128 KB field limit and its
            # errors on stray carriage returns; Tatoeba's bare quotes stay as they are.
            for line in lines:
                if isinstance(line, LongLine):
                    yield line
                elif line.strip():
                    yield line.rstrip("\r\n").split("\t")
        else:
            yield from _csv_rows(src, lines, delimiter)
    finally:
        lines.close()


def read_table(
    src: Source, fmt: str, columns: tuple[int, int] | None, has_header: bool | None, col: Collector
) -> tuple[tuple[int, int], TableShape]:
    """Reads the rows into ``col``; returns the (German, English) columns used and the table's shape."""
    delimiter = "\t" if fmt == "tsv" else csv_delimiter(src, ",;\t")[0]
    with closing(_iter_rows(src, fmt, delimiter)) as rows:
        sample = list(islice(rows, _SAMPLE_ROWS))
        if not sample:
            raise ParallelDataError(f"{src.name} has no rows with text")
        readable = [row for row in sample if not isinstance(row, LongLine)]  # what the guesses look at
        first_row = tuple(readable[0]) if readable else ()
        width = max((len(row) for row in readable), default=0)
        header: list[str] | None = None
        if has_header is None:
            has_header = bool(readable) and looks_like_header(readable[0])
        if has_header and readable:
            header = readable.pop(0)
            sample.remove(header)
        if columns is not None:
            german, english = check_columns(columns)
        elif header is not None and any(header_label(cell) for cell in header):
            german, english = guess_columns(header)
        else:
            german, english = guess_from_data(readable)

        need = max(german, english) + 1
        seen_rows = widest = 0
        for row in chain(sample, rows):
            if col.done:
                break
            seen_rows += 1
            if isinstance(row, LongLine):
                col.skip("too long")
                continue
            widest = max(widest, len(row))
            if len(row) < need:
                col.skip("missing column")
            else:
                col.add(row[german], row[english])

    kind = fmt.upper()
    if seen_rows == 0 and header is not None and not col.done:
        raise ParallelDataError(f"{src.name} has a header row but no data rows")
    if seen_rows and col.skipped["missing column"] == seen_rows:
        if widest < 2:
            raise ParallelDataError(
                f"{src.name} has only 1 column; a {kind} needs a German and an English column"
                + (" separated by a tab" if fmt == "tsv" else "")
            )
        raise ParallelDataError(
            f"{src.name} has only {widest} columns, but column {german + 1} (German) and "
            f"column {english + 1} (English) were asked for"
        )
    return (german, english), TableShape(first_row, header is not None, max(width, need))
