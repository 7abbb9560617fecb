"""What kind of data was given: the format, which of two files is German, and a CSV's delimiter."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path
from typing import Sequence

from translator_app.core.readers.encodings import SNIFF_BYTES
from translator_app.core.types.errors import ParallelDataError
from translator_app.core.readers.sniff import Source, sniff

FORMATS = ("aligned", "tsv", "csv", "tmx", "po", "xliff")
PO_SUFFIXES = (".po", ".pot")
XLIFF_SUFFIXES = (".xlf", ".xliff")


def as_list(paths: Sequence[str | Path] | str | Path) -> list[str | Path]:
    # A bare string is a Sequence too; treating "a.tsv" as five paths would be a baffling error.
    if isinstance(paths, (str, Path)):
        return [paths]
    return list(paths)


def _suffix(name: str) -> str:
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    return Path(lower).suffix


def _names(paths: Sequence[str | Path]) -> str:
    return ", ".join(Path(p).name or str(p) for p in paths)


def check_count(fmt: str | None, paths: list[str | Path]) -> None:
    count = len(paths)
    if fmt is None:
        if count == 0:
            raise ParallelDataError("no file given; choose a TSV, CSV, TMX, PO or XLIFF file, or a German and an English file")
        if count > 2:
            raise ParallelDataError(
                f"expected one file (TSV, CSV, TMX, PO or XLIFF) or two line-aligned files (German and English), "
                f"but {count} were given: {_names(paths)}"
            )
    elif fmt == "aligned" and count != 2:
        given = f": {_names(paths)}" if paths else ""
        raise ParallelDataError(
            f"line-aligned text needs exactly two files (German and English), but {count} "
            f"{'was' if count == 1 else 'were'} given{given}"
        )
    elif fmt != "aligned" and count != 1:
        given = f": {_names(paths)}" if paths else ""
        raise ParallelDataError(
            f"a {fmt.upper()} is read from exactly one file, but {count} {'was' if count == 1 else 'were'} given{given}"
        )


def check_format(format: str | None) -> str | None:
    if format is None:
        return None
    fmt = str(format).strip().lower()
    if fmt not in FORMATS:
        raise ParallelDataError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    return fmt


DE_FILE_CODES = {"de", "deu", "ger", "german"}
EN_FILE_CODES = {"en", "eng", "english"}


def _file_language(name: str) -> str | None:
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    path = Path(lower)
    candidates = [path.suffix.lstrip(".")]
    if path.suffix in (".txt", ".tok", ".text"):  # train_de.txt, train-en.txt
        candidates.append(re.split(r"[._-]", path.stem)[-1])
    for code in candidates:
        if code in DE_FILE_CODES:
            return "de"
        if code in EN_FILE_CODES:
            return "en"
    return None


def order_aligned(paths: list[str | Path]) -> list[str | Path]:
    """German first: a file's language suffix beats argument order, which is easy to get wrong."""
    first, second = paths
    if Path(first).resolve() == Path(second).resolve():
        raise ParallelDataError(f"the German and the English file are the same file ({Path(first).name})")
    lang1, lang2 = _file_language(Path(first).name), _file_language(Path(second).name)
    if lang1 and lang1 == lang2:
        language = "German" if lang1 == "de" else "English"
        raise ParallelDataError(
            f"{Path(first).name} and {Path(second).name} both look {language}; choose one German and one English file"
        )
    if lang1 == "en" or lang2 == "de":
        return [second, first]
    return [first, second]


def _head_lines(src: Source, limit: int = 50) -> list[str]:
    lines = src.text_head.split(src.newline)
    if src.truncated:
        lines = lines[:-1]  # the last one is probably cut off
    return [line for line in lines if line.strip()][:limit]


def _consistency(sample: str, delimiter: str) -> float:
    """Share of rows with the most common field count, or 0 if that count is below two."""
    try:
        rows = [
            row
            for row in csv.reader(io.StringIO(sample), delimiter=delimiter, skipinitialspace=True)
            if any(cell.strip() for cell in row)
        ]
    except csv.Error:
        return 0.0
    if not rows:
        return 0.0
    width, count = Counter(len(row) for row in rows).most_common(1)[0]
    return count / len(rows) if width >= 2 else 0.0


def csv_delimiter(src: Source, candidates: str = ",;") -> tuple[str, float]:
    """The Sniffer's delimiter if it splits rows consistently, else the most consistent one.

    The Sniffer alone is easily fooled by the commas inside sentences.
    """
    sample = "\n".join(_head_lines(src))[:SNIFF_BYTES]
    try:
        sniffed: str | None = csv.Sniffer().sniff(sample, delimiters=candidates).delimiter
    except csv.Error:
        sniffed = None
    scores = {d: _consistency(sample, d) for d in candidates}
    if sniffed in scores and scores[sniffed] >= 0.8:
        return sniffed, scores[sniffed]
    best = max(candidates, key=lambda d: scores[d])
    return best, scores[best]


def detect(srcs: list[Source]) -> str:
    if len(srcs) == 2:
        return "aligned"
    src = srcs[0]
    suffix = _suffix(src.name)
    if suffix in XLIFF_SUFFIXES or (src.is_xml and re.search(r"<(?:\w+:)?xliff[\s>]", src.text_head)):
        return "xliff"
    if src.is_xml or suffix == ".tmx":
        return "tmx"
    lines = _head_lines(src, 20)
    if suffix in PO_SUFFIXES or any(re.match(r'(?:msgctxt|msgid)\s+"', line) for line in lines):
        return "po"
    if lines and 2 * sum("\t" in line for line in lines) >= len(lines):
        # A CSV may quote a tab in a field; trust the name only if commas really make the columns.
        if suffix == ".csv" and csv_delimiter(src)[1] >= 0.8:
            return "csv"
        return "tsv"
    if suffix == ".tsv":
        return "tsv"
    if suffix == ".csv" or csv_delimiter(src)[1] >= 0.8:
        return "csv"
    raise ParallelDataError(
        f"cannot tell what kind of file {src.name} is: it is not TMX, PO or XLIFF and has no tab-, comma- or "
        f"semicolon-separated columns; for line-aligned text choose the German and the English file together"
    )


def detect_format(paths: Sequence[str | Path]) -> str:
    """Guess the format from the number of files, their names and their first few KB."""
    path_list = as_list(paths)
    check_count(None, path_list)
    return detect([sniff(p) for p in path_list])
