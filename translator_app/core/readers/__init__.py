"""Readers for parallel German-English training data: line-aligned files, TSV, CSV, TMX, PO and XLIFF.

Everything streams line by line (or unit by unit for TMX), so files of a few hundred thousand pairs
read in seconds; ``read_parallel`` returns the pairs, ``read_parallel_into`` hands each to a sink
and keeps none (training reads a corpus of any size that way, see ``core.training.run_text``). No line is ever held whole beyond
``MAX_LINE_BYTES``: a longer one is skipped piece by piece and counted as "too long", so one runaway
line (or a small gzip that expands to one) cannot exhaust memory. Every problem a user can cause
with a file becomes a ``ParallelDataError`` whose message names the file and says what to do about it.

The modules, in the order reading uses them: ``encodings`` (the text-file encoding policy, shared
with File → Translate File), ``sniff`` (refusing unreadable files, sniffing the head), ``lines``
(bounded, decoded lines), ``detect`` (format, file order, delimiter), ``columns`` (which column is
German), ``aligned``, ``table``, ``tmx`` and ``catalogs`` (the readers; PO and XLIFF are parsed by
``core.catalogs``, which File → Translate File shares), ``report`` (the result and the
cleaning rules) and ``read`` (the entry points).
"""

from translator_app.core.readers.columns import guess_columns
from translator_app.core.readers.detect import FORMATS, detect_format
from translator_app.core.readers.encodings import decode_text
from translator_app.core.readers.lines import MAX_LINE_BYTES, LongLine, bounded_lines
from translator_app.core.readers.read import preview, read_parallel, read_parallel_into
from translator_app.core.readers.report import ParallelData, ReadReport, TableShape

__all__ = [
    "FORMATS",
    "MAX_LINE_BYTES",
    "LongLine",
    "ParallelData",
    "ReadReport",
    "TableShape",
    "bounded_lines",
    "decode_text",
    "detect_format",
    "guess_columns",
    "preview",
    "read_parallel",
    "read_parallel_into",
]
