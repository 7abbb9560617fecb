"""Which TSV/CSV column holds German and which English: from a header's names, else from the text."""

from __future__ import annotations

import re
from typing import Iterable

from translator_app.core.types.errors import ParallelDataError

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


def header_label(cell: str) -> tuple[str, int] | None:
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


def looks_like_header(row: list[str]) -> bool:
    languages = {label[0] for label in map(header_label, row) if label}
    return languages == {"de", "en"}


def guess_columns(header_or_first_row: list[str]) -> tuple[int, int]:
    """(German column, English column) from column names; (0, 1) when the names say nothing."""
    best: dict[str, tuple[int, int]] = {}  # language -> (strength, index)
    for index, cell in enumerate(header_or_first_row):
        label = header_label(cell)
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
    "ja", "nein", "bin", "bist", "hast", "er", "doch", "mal", "schon", "jetzt",
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


def guess_from_data(rows: list[list[str]]) -> tuple[int, int]:
    """Column order from content: skip ID-like columns, then put the German-looking one first."""
    if not rows:
        return (0, 1)
    width = min(max(len(row) for row in rows), 12)
    text_columns = [c for c in range(width) if not _is_meta_column([row[c] for row in rows if len(row) > c])]
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


def check_columns(columns: tuple[int, int]) -> tuple[int, int]:
    try:
        german, english = (int(c) for c in columns)
    except (TypeError, ValueError) as exc:
        raise ParallelDataError(f"columns must be two column numbers (German, English), not {columns!r}") from exc
    if german < 0 or english < 0:
        raise ParallelDataError(f"column numbers cannot be negative: {columns!r}")
    if german == english:
        raise ParallelDataError(f"the German and the English column must differ (both are {german})")
    return (german, english)
