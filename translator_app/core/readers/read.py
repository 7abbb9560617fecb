"""The entry points: read every pair, or preview the first few while counting them all."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from translator_app.core.readers.aligned import read_aligned
from translator_app.core.readers.detect import as_list, check_count, check_format, detect, order_aligned
from translator_app.core.readers.report import Collector, PairSink, ParallelData, ReadReport, TableShape
from translator_app.core.readers.sniff import sniff
from translator_app.core.readers.table import read_table
from translator_app.core.readers.tmx import read_tmx


def _read(
    paths: Sequence[str | Path],
    format: str | None,
    columns: tuple[int, int] | None,
    has_header: bool | None,
    max_chars: int | None,
    dedupe: bool,
    keep: int | None,
    stop: int | None,
    sink: PairSink | None = None,
) -> ParallelData:
    fmt = check_format(format)
    path_list = as_list(paths)
    check_count(fmt, path_list)
    if fmt == "aligned" or (fmt is None and len(path_list) == 2):
        path_list = order_aligned(path_list)
    srcs = [sniff(p) for p in path_list]
    if fmt is None:
        fmt = detect(srcs)

    col = Collector(max_chars, dedupe, keep, stop, sink)
    used_columns: tuple[int, int] | None = None
    table: TableShape | None = None
    if fmt == "aligned":
        read_aligned(srcs, col)
    elif fmt == "tmx":
        read_tmx(srcs[0], col)
    elif fmt in ("po", "xliff"):
        # here, not at the top: core.catalogs builds on this package's report and sniff modules
        from translator_app.core.readers.catalogs import read_po, read_xliff

        (read_po if fmt == "po" else read_xliff)(srcs[0], col)
    else:
        used_columns, table = read_table(srcs[0], fmt, columns, has_header, col)

    encodings = list(dict.fromkeys(src.encoding for src in srcs))
    report = ReadReport(
        format=fmt,
        files=[str(p) for p in path_list],
        total_rows=col.total,
        kept=col.kept,
        skipped={reason: n for reason, n in col.skipped.items() if n},
        encoding=" / ".join(encodings),
        columns=used_columns,
        table=table,
    )
    return ParallelData(col.pairs, report)


def read_parallel(
    paths: Sequence[str | Path],
    format: str | None = None,
    *,
    columns: tuple[int, int] | None = None,
    has_header: bool | None = None,
    max_chars: int | None = 1000,
    dedupe: bool = True,
    limit: int | None = None,
) -> ParallelData:
    """Read (German, English) pairs, cleaned, with a report of what was skipped and why."""
    return _read(paths, format, columns, has_header, max_chars, dedupe, keep=None, stop=limit)


def read_parallel_into(
    paths: Sequence[str | Path],
    sink: PairSink,
    format: str | None = None,
    *,
    columns: tuple[int, int] | None = None,
    has_header: bool | None = None,
    max_chars: int | None = 1000,
    dedupe: bool = True,
) -> ReadReport:
    """``read_parallel`` that hands each kept pair to ``sink`` as it is read, and keeps none.

    Training reads through this, so a corpus of millions of pairs never lives in memory as strings;
    deduplication holds an 8-byte fingerprint a pair.
    """
    return _read(paths, format, columns, has_header, max_chars, dedupe, keep=0, stop=None, sink=sink).report


def preview(
    paths: Sequence[str | Path],
    format: str | None = None,
    *,
    columns: tuple[int, int] | None = None,
    has_header: bool | None = None,
    rows: int = 20,
    max_chars: int | None = 1000,
    dedupe: bool = True,
) -> ParallelData:
    """The first ``rows`` usable pairs, but counts over the whole file so the user sees what training gets."""
    return _read(paths, format, columns, has_header, max_chars, dedupe, keep=max(rows, 0), stop=None)
