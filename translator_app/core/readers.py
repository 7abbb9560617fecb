"""Readers for parallel German-English training data: line-aligned files, TSV, CSV and TMX.

Everything streams line by line (or unit by unit for TMX), so files of a few hundred thousand pairs
read in seconds and never need to fit in memory twice. No line is ever held whole beyond
``MAX_LINE_BYTES``: a longer one is skipped piece by piece and counted as "too long", so one runaway
line (or a small gzip that expands to one) cannot exhaust memory. Every problem a user can cause
with a file becomes a ``ParallelDataError`` whose message names the file and says what to do about it.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
import stat
import zlib
import xml.etree.ElementTree as ET
from collections import Counter
from contextlib import closing
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import IO, AnyStr, Callable, Iterable, Iterator, Sequence

__all__ = [
    "FORMATS",
    "MAX_LINE_BYTES",
    "ParallelData",
    "ParallelDataError",
    "ReadReport",
    "detect_format",
    "guess_columns",
    "preview",
    "read_parallel",
]

FORMATS = ("aligned", "tsv", "csv", "tmx")

# The longest line a reader holds. Far above any sentence pair worth training on (max_chars is
# 1,000 by default, at most 4 bytes each), yet small enough that reading never needs more than a
# few times this much; and no more than csv's 131,072-character field limit, so a CSV line that
# fits here never trips that limit. Longer lines are skipped unread and counted as "too long".
MAX_LINE_BYTES = 1 << 17

_HEAD_BYTES = 8192  # how much of each file is sniffed for encoding, binary content and format
_SAMPLE_ROWS = 200  # rows looked at to guess which column holds which language
_MAX_RECORD_LINES = 500  # a CSV record this tall is an unclosed quote, not a sentence
_MAX_XML_DEPTH = 100  # a TMX needs about ten levels (tmx/body/tu/tuv/seg and inline tags); more is hostile
_CHUNK = 1 << 16  # bytes (or characters) read at a time while skipping the rest of an over-long line
_SKIP_ORDER = ("empty", "too long", "duplicate", "missing column", "missing language")
_NOT_UTF8 = "is not UTF-8 text (tried UTF-8, UTF-8 with BOM, UTF-16 with BOM); re-save it as UTF-8"


class ParallelDataError(Exception):
    """A file that cannot be read as parallel text; the message is shown to the user as is."""


@dataclass
class ReadReport:
    """What was read and what was dropped, so the user can tell whether the data is what they meant."""

    format: str
    files: list[str]
    total_rows: int
    kept: int
    skipped: dict[str, int]
    encoding: str
    columns: tuple[int, int] | None = None  # (German, English) column actually used for TSV/CSV

    def summary(self) -> str:
        """One line for a status bar or log."""
        text = f"{self.kept:,} pair{'' if self.kept == 1 else 's'} kept"
        total_skipped = sum(self.skipped.values())
        if total_skipped:
            order = {reason: i for i, reason in enumerate(_SKIP_ORDER)}
            reasons = sorted(self.skipped, key=lambda r: (order.get(r, len(order)), r))
            details = ", ".join(f"{self.skipped[r]:,} {r}" for r in reasons if self.skipped[r])
            text += f", {total_skipped:,} skipped ({details})"
        return text


@dataclass
class ParallelData:
    pairs: list[tuple[str, str]]
    report: ReadReport


# --------------------------------------------------------------------------------------------
# Opening and sniffing files


@dataclass(frozen=True)
class _Source:
    """A file that passed the cheap checks, plus what the first few KB told us about it."""

    path: Path
    name: str
    gzipped: bool
    encoding: str  # as reported to the user
    codec: str  # "utf-8" or "utf-16"; XML files are decoded by the XML parser instead
    bom: int  # bytes of UTF-8 BOM to drop from the first line
    newline: str  # "\n", or "\r" for classic-Mac files that have no "\n" at all
    text_head: str  # the sniffed bytes decoded leniently, for format detection only
    truncated: bool  # whether the file is longer than the sniffed head
    is_xml: bool


_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document; copy its text into a UTF-8 text file"),
    (b"PK\x03\x04", "a ZIP archive or an Office document; unpack it or export the sheet as CSV"),
    (b"\xd0\xcf\x11\xe0", "an old Office document; export it as CSV or plain text"),
    (b"7z\xbc\xaf", "a 7-Zip archive; unpack it first"),
    (b"\xfd7zXZ\x00", "an XZ archive; unpack it first"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "a program"),
)


def _open_binary(path: Path, gzipped: bool) -> IO[bytes]:
    return gzip.open(path, "rb") if gzipped else open(path, "rb")  # noqa: SIM115


def _io_error(name: str, gzipped: bool, exc: BaseException) -> ParallelDataError:
    if gzipped and not isinstance(exc, PermissionError):
        return ParallelDataError(f"{name} is a damaged gzip file ({exc}); download or compress it again")
    reason = getattr(exc, "strerror", None) or str(exc)
    return ParallelDataError(f"cannot read {name}: {reason}")


def _looks_utf16_without_bom(head: bytes) -> bool:
    """ASCII text in UTF-16 has a NUL in every other byte; real binary data does not."""
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    for zeros, other in ((odd, even), (even, odd)):
        if zeros.count(0) >= 0.4 * len(zeros) and other.count(0) <= 0.05 * len(other):
            return True
    return False


def _xml_encoding(text_head: str) -> str | None:
    match = re.match(r"\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)", text_head)
    return match.group(1).lower() if match else None


def _special_file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _check_regular_file(p: Path, name: str) -> None:
    """Refuse anything but a regular file before opening it.

    Opening a named pipe waits until something writes to it (forever, for a user who picked it by
    mistake), and a device such as /dev/zero never ends. ``stat`` follows symbolic links, so a link
    to a real file is fine and a link to a pipe is refused like the pipe.
    """
    try:
        mode = p.stat().st_mode
    except FileNotFoundError:
        raise ParallelDataError(f"{name} does not exist (looked for {p})") from None
    except OSError as exc:
        raise _io_error(name, False, exc) from exc
    if stat.S_ISDIR(mode):
        raise ParallelDataError(f"{name} is a folder, not a file")
    if not stat.S_ISREG(mode):
        raise ParallelDataError(
            f"{name} is not a regular file (it is {_special_file_kind(mode)}); choose a data file saved on disk"
        )


def _sniff(path: str | Path) -> _Source:
    """Reject missing, special, empty, binary and wrongly encoded files before any real reading starts."""
    p = Path(path)
    name = p.name or str(path)
    _check_regular_file(p, name)
    gzipped = False
    try:
        with open(p, "rb") as f:
            gzipped = f.read(2) == b"\x1f\x8b"  # by content: downloads often lose or gain ".gz"
        with _open_binary(p, gzipped) as f:
            head = f.read(_HEAD_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise _io_error(name, gzipped, exc) from exc
    truncated = len(head) > _HEAD_BYTES
    head = head[:_HEAD_BYTES]

    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise ParallelDataError(f"{name} {_NOT_UTF8} (it looks like UTF-32)")
    bom, codec, encoding = 0, "utf-8", "utf-8"
    if head.startswith(codecs.BOM_UTF8):
        bom, encoding = 3, "utf-8-sig"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = encoding = "utf-16"
    else:
        for magic, what in _MAGIC:
            if head.startswith(magic):
                raise ParallelDataError(f"{name} looks like a binary file, not text ({what})")
        if b"\x00" in head:
            if _looks_utf16_without_bom(head):
                raise ParallelDataError(f"{name} {_NOT_UTF8} (it looks like UTF-16 without a byte-order mark)")
            raise ParallelDataError(f"{name} looks like a binary file, not text (it contains NUL bytes)")

    if codec == "utf-16":
        text_head = head[: len(head) // 2 * 2].decode("utf-16", errors="ignore")
    else:
        text_head = head[bom:].decode("utf-8", errors="replace")
    if not truncated and not text_head.strip():
        raise ParallelDataError(f"{name} is empty")

    stripped = text_head.lstrip("\ufeff \t\r\n").lower()
    is_xml = stripped.startswith(("<?xml", "<tmx", "<!doctype tmx"))
    if is_xml and codec == "utf-8" and not bom:
        encoding = _xml_encoding(text_head) or "utf-8"
    newline = "\r" if "\r" in text_head and "\n" not in text_head else "\n"
    return _Source(p, name, gzipped, encoding, codec, bom, newline, text_head, truncated, is_xml)


@dataclass(frozen=True)
class _LongLine:
    """Stands in for a line over ``MAX_LINE_BYTES``, which was skipped without being held.

    Readers count it as one "too long" row or pair, so line-aligned files stay aligned.
    """

    size: int  # how much was skipped: bytes, or characters for UTF-16 (whose offsets are not reported)


def _bounded_lines(readline: Callable[[int], AnyStr], limit: int, end: AnyStr) -> Iterator[AnyStr | _LongLine]:
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
        yield _LongLine(size)


def _byte_lines(src: _Source, raw: IO[bytes]) -> Iterator[bytes | _LongLine]:
    """Undecoded lines of a UTF-8 file, split at ``src.newline`` only.

    Binary streams can only split at "\\n". For classic-Mac files a latin-1 text wrapper splits at
    "\\r" instead: latin-1 maps every byte to one character and back, so the bytes come back unchanged,
    and the wrapper's readline runs in C in linear time (re-splitting a growing buffer was quadratic).
    """
    if src.newline == "\n":
        return _bounded_lines(raw.readline, MAX_LINE_BYTES, b"\n")
    text = io.TextIOWrapper(raw, encoding="latin-1", newline=src.newline)
    lines = _bounded_lines(text.readline, MAX_LINE_BYTES, src.newline)
    return (line if isinstance(line, _LongLine) else line.encode("latin-1") for line in lines)


def _utf8_lines(src: _Source, raw: IO[bytes]) -> Iterator[str | _LongLine]:
    """Decoded line by line, so a bad byte can be reported with its line and offset."""
    offset = 0
    for number, bline in enumerate(_byte_lines(src, raw), 1):
        if isinstance(bline, _LongLine):
            offset += bline.size
            yield bline
            continue
        if number == 1 and src.bom:
            bline = bline[src.bom :]
            offset = src.bom
        try:
            line = bline.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ParallelDataError(
                f"{src.name} {_NOT_UTF8} (first bad byte 0x{bline[exc.start]:02X} "
                f"at line {number:,}, byte offset {offset + exc.start:,})"
            ) from exc
        offset += len(bline)
        yield line


def _utf16_lines(src: _Source, raw: IO[bytes]) -> Iterator[str | _LongLine]:
    """Decoded by a text wrapper; its readline is bounded like the bytes one (2 bytes a character)."""
    text = io.TextIOWrapper(raw, encoding="utf-16", newline=src.newline)
    number = 0
    try:
        for number, line in enumerate(_bounded_lines(text.readline, MAX_LINE_BYTES // 2, src.newline), 1):
            yield line
    except UnicodeDecodeError as exc:
        raise ParallelDataError(
            f"{src.name} is not valid UTF-16 text (near line {number + 1}); re-save it as UTF-8"
        ) from exc


def _has_text(line: str | _LongLine) -> bool:
    return isinstance(line, _LongLine) or bool(line.strip())


def _iter_text_lines(src: _Source) -> Iterator[str | _LongLine]:
    """Decoded lines with their line ends, or a ``_LongLine`` for each line too long to hold.

    Only "\\n" ends a line (not U+2028, U+0085 and friends as ``str.splitlines`` would), because an
    extra split in one file of a line-aligned pair would shift every later translation.
    """
    saw_text = False
    try:
        with _open_binary(src.path, src.gzipped) as raw:
            lines = _utf16_lines(src, raw) if src.codec == "utf-16" else _utf8_lines(src, raw)
            for line in lines:
                saw_text = saw_text or _has_text(line)
                yield line
    except (OSError, EOFError, zlib.error) as exc:
        raise _io_error(src.name, src.gzipped, exc) from exc
    if not saw_text:
        raise ParallelDataError(f"{src.name} is empty")


# --------------------------------------------------------------------------------------------
# Cleaning and counting


def _clean(text: str) -> str:
    return " ".join(text.replace("\ufeff", "").split())


class _Collector:
    """Applies the cleaning rules and keeps the counts, identically for every format."""

    def __init__(self, max_chars: int | None, dedupe: bool, keep: int | None, stop: int | None) -> None:
        self.max_chars = max_chars
        self.dedupe = dedupe
        self.keep = keep  # pairs stored (preview stores a few but counts everything)
        self.stop = stop  # kept pairs after which reading stops
        self.pairs: list[tuple[str, str]] = []
        self.seen: set[tuple[str, str]] = set()
        self.total = 0
        self.kept = 0
        self.skipped: Counter[str] = Counter()

    @property
    def done(self) -> bool:
        return self.stop is not None and self.kept >= self.stop

    def skip(self, reason: str) -> None:
        self.total += 1
        self.skipped[reason] += 1

    def add(self, german: str, english: str) -> None:
        self.total += 1
        german, english = _clean(german), _clean(english)
        if not german or not english:
            self.skipped["empty"] += 1
            return
        if self.max_chars and (len(german) > self.max_chars or len(english) > self.max_chars):
            self.skipped["too long"] += 1
            return
        if self.dedupe:
            pair = (german, english)
            if pair in self.seen:
                self.skipped["duplicate"] += 1
                return
            self.seen.add(pair)
        self.kept += 1
        if self.keep is None or len(self.pairs) < self.keep:
            self.pairs.append((german, english))


# --------------------------------------------------------------------------------------------
# Format detection and path handling


def _as_list(paths: Sequence[str | Path] | str | Path) -> list[str | Path]:
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


def _check_count(fmt: str | None, paths: list[str | Path]) -> None:
    count = len(paths)
    if fmt is None:
        if count == 0:
            raise ParallelDataError("no file given; choose a TSV, CSV or TMX file, or a German and an English file")
        if count > 2:
            raise ParallelDataError(
                f"expected one file (TSV, CSV or TMX) or two line-aligned files (German and English), "
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
            f"a {fmt.upper()} is read from exactly one file, but {count} "
            f"{'was' if count == 1 else 'were'} given{given}"
        )


def _check_format(format: str | None) -> str | None:
    if format is None:
        return None
    fmt = str(format).strip().lower()
    if fmt not in FORMATS:
        raise ParallelDataError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    return fmt


_DE_FILE_CODES = {"de", "deu", "ger", "german"}
_EN_FILE_CODES = {"en", "eng", "english"}


def _file_language(name: str) -> str | None:
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    path = Path(lower)
    candidates = [path.suffix.lstrip(".")]
    if path.suffix in (".txt", ".tok", ".text"):  # train_de.txt, train-en.txt
        candidates.append(re.split(r"[._-]", path.stem)[-1])
    for code in candidates:
        if code in _DE_FILE_CODES:
            return "de"
        if code in _EN_FILE_CODES:
            return "en"
    return None


def _order_aligned(paths: list[str | Path]) -> list[str | Path]:
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


def _head_lines(src: _Source, limit: int = 50) -> list[str]:
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


def _csv_delimiter(src: _Source, candidates: str = ",;") -> tuple[str, float]:
    """The Sniffer's delimiter if it splits rows consistently, else the most consistent one.

    The Sniffer alone is easily fooled by the commas inside sentences.
    """
    sample = "\n".join(_head_lines(src))[:_HEAD_BYTES]
    try:
        sniffed: str | None = csv.Sniffer().sniff(sample, delimiters=candidates).delimiter
    except csv.Error:
        sniffed = None
    scores = {d: _consistency(sample, d) for d in candidates}
    if sniffed in scores and scores[sniffed] >= 0.8:
        return sniffed, scores[sniffed]
    best = max(candidates, key=lambda d: scores[d])
    return best, scores[best]


def _detect(srcs: list[_Source]) -> str:
    if len(srcs) == 2:
        return "aligned"
    src = srcs[0]
    suffix = _suffix(src.name)
    if src.is_xml or suffix == ".tmx":
        return "tmx"
    lines = _head_lines(src, 20)
    if lines and 2 * sum("\t" in line for line in lines) >= len(lines):
        # A CSV may quote a tab in a field; trust the name only if commas really make the columns.
        if suffix == ".csv" and _csv_delimiter(src)[1] >= 0.8:
            return "csv"
        return "tsv"
    if suffix == ".tsv":
        return "tsv"
    if suffix == ".csv" or _csv_delimiter(src)[1] >= 0.8:
        return "csv"
    raise ParallelDataError(
        f"cannot tell what kind of file {src.name} is: it is not TMX and has no tab-, comma- or "
        f"semicolon-separated columns; for line-aligned text choose the German and the English file together"
    )


def detect_format(paths: Sequence[str | Path]) -> str:
    """Guess the format from the number of files, their names and their first few KB."""
    path_list = _as_list(paths)
    _check_count(None, path_list)
    return _detect([_sniff(p) for p in path_list])


# --------------------------------------------------------------------------------------------
# Column guessing for TSV/CSV

_DE_STRONG = {"de", "deu", "ger", "german", "deutsch"}
_EN_STRONG = {"en", "eng", "english", "englisch"}
_DE_WEAK = {"source", "src"}  # this app translates German -> English, so the source is German
_EN_WEAK = {"target", "tgt", "trg"}
_HEADER_FILLER = {
    "text", "texts", "txt", "sentence", "sentences", "sent", "lang", "language", "translation",
    "col", "column", "segment", "segments", "seg", "string", "side", "original", "phrase",
    "phrases", "line", "lines", "data", "sprache", "satz", "übersetzung", "version",
}  # fmt: skip
_REGIONS = {"at", "ch", "li", "lu", "gb", "us", "uk", "au", "ca", "ie", "nz", "za"}
_HEADER_TOKEN = re.compile(r"[a-zäöüß]+|\d+")


def _header_label(cell: str) -> tuple[str, int] | None:
    """("de" or "en", strength) for a header cell such as "German text", "de-DE" or "tgt"."""
    text = cell.strip().lower()
    if not text or len(text) > 40:
        return None
    tokens = _HEADER_TOKEN.findall(text)
    if not tokens or len(tokens) > 4:
        return None
    strong: set[str] = set()
    weak: set[str] = set()
    for i, token in enumerate(tokens):
        if token in _DE_STRONG and not (token == "de" and i > 0 and tokens[i - 1] in _EN_STRONG):
            strong.add("de")
        elif token in _EN_STRONG:
            strong.add("en")
        elif token in _DE_WEAK:
            weak.add("de")
        elif token in _EN_WEAK:
            weak.add("en")
        elif not (token in _HEADER_FILLER or token in _REGIONS or token == "de" or token.isdigit()):
            return None  # real words mean this is a sentence, not a column name
    if len(strong) == 1:
        return next(iter(strong)), 2
    if not strong and len(weak) == 1:
        return next(iter(weak)), 1
    return None


def _looks_like_header(row: list[str]) -> bool:
    languages = {label[0] for label in map(_header_label, row) if label}
    return languages == {"de", "en"}


def guess_columns(header_or_first_row: list[str]) -> tuple[int, int]:
    """(German column, English column) from column names; (0, 1) when the names say nothing."""
    best: dict[str, tuple[int, int]] = {}  # language -> (strength, index)
    for index, cell in enumerate(header_or_first_row):
        label = _header_label(cell)
        if label and (label[0] not in best or label[1] > best[label[0]][0]):
            best[label[0]] = (label[1], index)
    german = best["de"][1] if "de" in best else None
    english = best["en"][1] if "en" in best else None
    if german is None and english is None:
        return (0, 1)
    if german is None:
        german = 0 if english != 0 else 1
    if english is None:
        english = 0 if german != 0 else 1
    return (german, english)


_DE_WORDS = {
    "der", "die", "das", "und", "ist", "nicht", "ich", "ein", "eine", "einen", "einem", "zu", "mit",
    "auf", "sie", "es", "wir", "du", "den", "dem", "des", "sich", "von", "für", "sind", "habe",
    "haben", "wird", "kann", "auch", "noch", "aber", "oder", "wenn", "dass", "mir", "mich", "dir",
    "dich", "ihr", "euch", "uns", "sein", "seine", "mein", "meine", "dein", "kein", "keine", "im",
    "zum", "zur", "vom", "bei", "nach", "aus", "über", "wie", "wo", "warum", "wer", "sehr", "hier",
    "ja", "nein", "bin", "bist", "hast", "er", "nicht", "doch", "mal", "schon", "jetzt",
}  # fmt: skip
_EN_WORDS = {
    "the", "and", "is", "not", "i", "a", "to", "with", "on", "you", "it", "we", "are", "of", "that",
    "this", "have", "has", "were", "be", "been", "he", "she", "they", "my", "your", "his", "her",
    "what", "where", "why", "who", "there", "here", "can", "would", "do", "does", "did", "don",
    "at", "for", "from", "but", "or", "if", "me", "him", "them", "our", "their", "very", "yes",
    "m", "s", "t", "ll", "re", "going", "just",
}  # fmt: skip
_WORD = re.compile(r"[a-zäöüß]+")
_META_CELL = re.compile(r"\s*[#\d][\d#.,:/ -]*\s*")


def _language_hits(cells: Iterable[str]) -> tuple[int, int]:
    german = english = 0
    for cell in cells:
        lower = cell.lower()
        for word in _WORD.findall(lower):
            if word in _DE_WORDS:
                german += 1
            elif word in _EN_WORDS:
                english += 1
        if "ä" in lower or "ö" in lower or "ü" in lower or "ß" in lower:
            german += 1
    return german, english


def _is_meta_column(cells: list[str]) -> bool:
    """IDs, numbers and language-code columns (Tatoeba exports have all three) hold no sentences."""
    values = [cell.strip() for cell in cells if cell.strip()]
    if not values:
        return True
    if sum(bool(_META_CELL.fullmatch(v)) for v in values) >= 0.9 * len(values):
        return True
    return len(values) >= 10 and len(set(values)) <= 3 and all(len(v) <= 8 for v in values)


def _guess_from_data(rows: list[list[str]]) -> tuple[int, int]:
    """Column order from content: skip ID-like columns, then put the German-looking one first."""
    if not rows:
        return (0, 1)
    width = min(max(len(row) for row in rows), 12)
    text_columns = [
        c for c in range(width) if not _is_meta_column([row[c] for row in rows if len(row) > c])
    ]
    if len(text_columns) < 2:
        return (0, 1)
    first, second = text_columns[:2]

    def lean(column: int) -> tuple[int, int, float]:
        de, en = _language_hits(row[column] for row in rows if len(row) > column)
        return de, en, (de - en) / (de + en + 1)

    de1, en1, lean1 = lean(first)
    de2, en2, lean2 = lean(second)
    if en1 >= 3 and lean1 < -0.3 and de2 >= 3 and lean2 > 0.3:
        return (second, first)
    return (first, second)


def _check_columns(columns: tuple[int, int]) -> tuple[int, int]:
    try:
        german, english = (int(c) for c in columns)
    except (TypeError, ValueError) as exc:
        raise ParallelDataError(f"columns must be two column numbers (German, English), not {columns!r}") from exc
    if german < 0 or english < 0:
        raise ParallelDataError(f"column numbers cannot be negative: {columns!r}")
    if german == english:
        raise ParallelDataError(f"the German and the English column must differ (both are {german})")
    return (german, english)


# --------------------------------------------------------------------------------------------
# The readers


def _read_aligned(srcs: list[_Source], col: _Collector) -> None:
    de_src, en_src = srcs
    with closing(_iter_text_lines(de_src)) as de_lines, closing(_iter_text_lines(en_src)) as en_lines:
        count = 0
        while not col.done:
            german = next(de_lines, None)
            english = next(en_lines, None)
            if german is None or english is None:
                break
            count += 1
            if isinstance(german, _LongLine) or isinstance(english, _LongLine):
                col.skip("too long")
            else:
                col.add(german, english)
        else:
            return  # stopped at the limit
        if german is None and english is None:
            return
        # One file ran out first. Trailing blank lines are harmless; any more text is misalignment.
        longer, first_extra = (de_lines, german) if english is None else (en_lines, english)
        extra, has_text = 1, _has_text(first_extra)
        for line in longer:
            extra += 1
            has_text = has_text or _has_text(line)
        if has_text:
            de_count = count + (extra if english is None else 0)
            en_count = count + (extra if german is None else 0)
            raise ParallelDataError(
                f"{de_src.name} has {de_count:,} line{'' if de_count == 1 else 's'} but {en_src.name} has "
                f"{en_count:,}; the two files must be line-aligned (line n of one is the translation of line n "
                f"of the other)"
            )


def _unclosed_quote(src: _Source, line: int, what: str) -> ParallelDataError:
    return ParallelDataError(
        f"{src.name} line {line:,}: a quoted field {what} (probably a quote that is never closed)"
    )


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

    def __init__(self, src: _Source, lines: Iterator[str | _LongLine]) -> None:
        self.src = src
        self.lines = lines
        self.first = 1
        self.held: list[str | _LongLine | _EndOfFile] = []

    def next_record(self) -> None:
        self.first += len(self.held)
        self.held = []

    def __iter__(self) -> Iterator[str]:
        for line in self.lines:
            if self.held and isinstance(line, _LongLine):  # csv wants another line: a quoted field is open
                raise _unclosed_quote(self.src, self.first, f"runs into a line of over {MAX_LINE_BYTES:,} bytes")
            if len(self.held) >= _MAX_RECORD_LINES:
                raise _unclosed_quote(self.src, self.first, f"runs on for over {_MAX_RECORD_LINES:,} lines")
            self.held.append(line)
            yield "\n" if isinstance(line, _LongLine) else line
        self.held.append(_END_OF_FILE)
        yield "\n"


def _check_record(src: _Source, first: int, held: list[str], delimiter: str, width: int) -> None:
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


def _csv_rows(src: _Source, lines: Iterator[str | _LongLine], delimiter: str) -> Iterator[list[str] | _LongLine]:
    """Non-blank CSV records, or a ``_LongLine`` for a line too long to hold; unclosed quotes are refused."""
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
            if isinstance(held[0], _LongLine):
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


def _iter_rows(src: _Source, fmt: str, delimiter: str) -> Iterator[list[str] | _LongLine]:
    """Non-blank rows, or a ``_LongLine`` where a line was too long to hold."""
    lines = _iter_text_lines(src)
    try:
        if fmt == "tsv":
            # Plain splitting is exactly csv's QUOTE_NONE, minus its 128 KB field limit and its
            # errors on stray carriage returns; Tatoeba's bare quotes stay as they are.
            for line in lines:
                if isinstance(line, _LongLine):
                    yield line
                elif line.strip():
                    yield line.rstrip("\r\n").split("\t")
        else:
            yield from _csv_rows(src, lines, delimiter)
    finally:
        lines.close()


def _read_table(
    src: _Source,
    fmt: str,
    columns: tuple[int, int] | None,
    has_header: bool | None,
    col: _Collector,
) -> tuple[int, int]:
    delimiter = "\t" if fmt == "tsv" else _csv_delimiter(src, ",;\t")[0]
    with closing(_iter_rows(src, fmt, delimiter)) as rows:
        sample = list(islice(rows, _SAMPLE_ROWS))
        if not sample:
            raise ParallelDataError(f"{src.name} has no rows with text")
        readable = [row for row in sample if not isinstance(row, _LongLine)]  # what the guesses look at
        header: list[str] | None = None
        if has_header is None:
            has_header = bool(readable) and _looks_like_header(readable[0])
        if has_header and readable:
            header = readable.pop(0)
            sample.remove(header)
        if columns is not None:
            german, english = _check_columns(columns)
        elif header is not None and any(_header_label(cell) for cell in header):
            german, english = guess_columns(header)
        else:
            german, english = _guess_from_data(readable)

        need = max(german, english) + 1
        seen_rows = widest = 0
        for row in chain(sample, rows):
            if col.done:
                break
            seen_rows += 1
            if isinstance(row, _LongLine):
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
    return (german, english)


_PLACEHOLDERS = {"ph", "bpt", "ept", "it", "ut"}  # their content is markup, not text


def _local(tag: object) -> str:
    return tag.rpartition("}")[2].lower() if isinstance(tag, str) else ""


def _seg_text(elem: ET.Element) -> str:
    """The text of a segment without its placeholders' markup.

    Recursion is safe: ``_read_tmx`` refuses elements nested deeper than ``_MAX_XML_DEPTH``.
    """
    parts = [elem.text or ""]
    for child in elem:
        if _local(child.tag) not in _PLACEHOLDERS:
            parts.append(_seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _tuv_language(tuv: ET.Element) -> str:
    """Primary language subtag of xml:lang (TMX 1.4) or lang (TMX 1.1), e.g. "EN_us" -> "en"."""
    for key, value in tuv.attrib.items():
        if _local(key) == "lang":
            code = value.strip().lower().replace("_", "-").split("-")[0]
            if code in _DE_FILE_CODES:
                return "de"
            if code in _EN_FILE_CODES:
                return "en"
            return code
    return ""


def _read_tmx(src: _Source, col: _Collector) -> None:
    units = 0
    stopped = False
    languages: Counter[str] = Counter()
    try:
        with _open_binary(src.path, src.gzipped) as raw:
            stack: list[ET.Element] = []
            for event, elem in ET.iterparse(raw, events=("start", "end")):
                if event == "start":
                    stack.append(elem)
                    if len(stack) > _MAX_XML_DEPTH:
                        raise ParallelDataError(
                            f"{src.name} nests XML elements more than {_MAX_XML_DEPTH} deep; a TMX file needs "
                            f"about ten levels, so this one is broken or not a translation memory"
                        )
                    continue
                stack.pop()
                if _local(elem.tag) != "tu":
                    continue
                if col.done:
                    stopped = True
                    break
                units += 1
                texts: dict[str, str] = {}
                for tuv in elem:
                    if _local(tuv.tag) != "tuv":
                        continue
                    language = _tuv_language(tuv)
                    languages[language or "?"] += 1
                    if language in ("de", "en") and language not in texts:
                        seg = next((c for c in tuv if _local(c.tag) == "seg"), None)
                        texts[language] = _seg_text(seg) if seg is not None else ""
                if "de" in texts and "en" in texts:
                    col.add(texts["de"], texts["en"])
                else:
                    col.skip("missing language")
                if stack:  # drop finished units so memory stays flat on big files
                    stack[-1].remove(elem)
    except ET.ParseError as exc:
        line, column = getattr(exc, "position", (0, -1))
        reason = re.sub(r":\s*line \d+, column \d+$", "", str(exc))
        raise ParallelDataError(
            f"{src.name} is not well-formed XML (line {line:,}, column {column + 1:,}: {reason})"
        ) from exc
    except (OSError, EOFError, zlib.error) as exc:
        raise _io_error(src.name, src.gzipped, exc) from exc
    if stopped:
        return
    if units == 0:
        raise ParallelDataError(f"{src.name} has no translation units (<tu> elements); is it really a TMX file?")
    if col.kept == 0 and col.skipped["missing language"] == units:
        found = ", ".join(sorted(languages)) or "none"
        raise ParallelDataError(
            f"{src.name} has no translation unit with both German and English (languages found: {found})"
        )


def _read(
    paths: Sequence[str | Path],
    format: str | None,
    columns: tuple[int, int] | None,
    has_header: bool | None,
    max_chars: int | None,
    dedupe: bool,
    keep: int | None,
    stop: int | None,
) -> ParallelData:
    fmt = _check_format(format)
    path_list = _as_list(paths)
    _check_count(fmt, path_list)
    if fmt == "aligned" or (fmt is None and len(path_list) == 2):
        path_list = _order_aligned(path_list)
    srcs = [_sniff(p) for p in path_list]
    if fmt is None:
        fmt = _detect(srcs)

    col = _Collector(max_chars, dedupe, keep, stop)
    used_columns: tuple[int, int] | None = None
    if fmt == "aligned":
        _read_aligned(srcs, col)
    elif fmt == "tmx":
        _read_tmx(srcs[0], col)
    else:
        used_columns = _read_table(srcs[0], fmt, columns, has_header, col)

    encodings = list(dict.fromkeys(src.encoding for src in srcs))
    report = ReadReport(
        format=fmt,
        files=[str(p) for p in path_list],
        total_rows=col.total,
        kept=col.kept,
        skipped={reason: n for reason, n in col.skipped.items() if n},
        encoding=" / ".join(encodings),
        columns=used_columns,
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
