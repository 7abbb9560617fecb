"""A user glossary: German terms the translation must render as the user's English terms.

The file is two columns, German then English (a third, optional, gives an irregular English
plural), as TSV or CSV (comma or semicolon, as spreadsheets save them), in any encoding the
readers accept; blank lines and lines starting with "#" are skipped, and so is a header row.
Every problem is a ``GlossaryError`` naming the file and the line.

At translation time each term found in a sentence (inflected: ``core.glossary_terms``) is masked
like a number (``core.protect``): one private-use placeholder the model copies, restored as the
English term, so the term survives whatever the model makes of the rest. Numbers and terms share
the placeholders, numbered in order of appearance; past ``MAX_PLACEHOLDERS`` the rest stay text,
and a term left as text is not reported as applied. A model whose vocabulary has no placeholders
cannot keep a term this way, so the glossary is not applied to it (``Translator.supports_glossary``).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from translator_app.core.atomic import write_file_atomic
from translator_app.core.types.errors import GlossaryError
from translator_app.core.glossary_terms import find_matches
from translator_app.core.types.glossary import GlossaryEntry, GlossaryMatch, GlossaryTerms
from translator_app.core.protect import MAX_PLACEHOLDERS, PLACEHOLDERS, PRIVATE_USE, Masked, protect, restore, split_for_budget
from translator_app.core.spans import find_spans

__all__ = ["Glossary", "TermMask", "budget_parts", "load_glossary", "mask_terms", "save_glossary"]

MAX_ENTRIES = 10_000
MAX_TERM_CHARS = 200
MAX_FILE_BYTES = 5_000_000
MAX_ERRORS_SHOWN = 5
_HEADER_SOURCE = {"de", "german", "deutsch", "source", "quelle", "term", "begriff", "german term"}
_HEADER_TARGET = {"en", "english", "englisch", "target", "ziel", "translation", "übersetzung", "english term"}
_STRAY = re.compile("[" + PLACEHOLDERS[0] + "-" + PLACEHOLDERS[-1] + "]")
_QUOTES = " \"'„“”‚‘’«»("
# English words after which a noun needs no article of its own.
_DETERMINERS = frozenset(
    "the a an this that these those my your his her its our their no any some every each all both several many "
    "few another other which what whose one two three four five six seven eight nine ten".split()
)
_HEADER_LINE = "# German term\tEnglish term\tEnglish plural (optional)\n"


@dataclass(frozen=True)
class Glossary:
    """The entries of one glossary, validated (no empty term, no German term twice)."""

    entries: tuple[GlossaryEntry, ...] = ()

    def __len__(self) -> int:
        return len(self.entries)

    def matches(self, text: str) -> list[GlossaryMatch]:
        return find_matches(self.entries, text)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, list[str]]], name: str = "the glossary", unit: str = "line") -> "Glossary":
        """Entries from (line number, fields) rows; every problem found (the first few) in one GlossaryError."""
        entries: list[GlossaryEntry] = []
        seen: dict[str, int] = {}
        errors: list[str] = []
        first = True
        for line, raw in rows:
            fields = [_STRAY.sub("", f).strip() for f in raw]
            while len(fields) > 2 and not fields[-1]:
                fields.pop()  # a spreadsheet's empty trailing columns
            if not any(fields):
                continue
            if fields[0].startswith("#"):
                continue
            if first and len(fields) >= 2 and fields[0].casefold() in _HEADER_SOURCE and fields[1].casefold() in _HEADER_TARGET:
                first = False
                continue
            first = False
            problem = _problem(fields)
            key = " ".join(fields[0].split()).casefold()
            if problem is None and key in seen:
                problem = f"“{fields[0]}” is already on {unit} {seen[key]}; keep one of them"
            if problem is not None:
                errors.append(f"{unit} {line}: {problem}")
                continue
            seen[key] = line
            entries.append(GlossaryEntry(" ".join(fields[0].split()), " ".join(fields[1].split()), " ".join(fields[2:3])))
        if errors:
            more = f" (and {len(errors) - MAX_ERRORS_SHOWN} more)" if len(errors) > MAX_ERRORS_SHOWN else ""
            raise GlossaryError(f"{name}: " + "; ".join(errors[:MAX_ERRORS_SHOWN]) + more)
        if len(entries) > MAX_ENTRIES:
            raise GlossaryError(f"{name} has {len(entries):,} entries; at most {MAX_ENTRIES:,} are supported")
        return cls(tuple(entries))


def _problem(fields: list[str]) -> str | None:
    """What is wrong with one line's fields, or None."""
    if len(fields) == 1:
        return "only one column; put the German term, a tab (or a comma in a .csv file), then the English term"
    if len(fields) > 3:
        return f"{len(fields)} columns; a line has two (German, English) or three (and the English plural)"
    if not fields[0]:
        return "the German term is empty"
    if not fields[1]:
        return "the English term is empty"
    if max(len(f) for f in fields) > MAX_TERM_CHARS:
        return f"a term is longer than {MAX_TERM_CHARS} characters"
    if not any(ch.isalpha() for ch in fields[0]):
        return f"“{fields[0]}” has no letters; numbers are kept as they are anyway"
    return None


def parse_glossary(text: str, name: str = "the glossary", csv_file: bool = False) -> Glossary:
    """A glossary from its text: tab-separated, or comma/semicolon-separated when ``csv_file`` or no line has a tab."""
    lines = text.splitlines()
    if csv_file or not any("\t" in line for line in lines):
        sample = next((ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")), "")
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
    else:
        delimiter = "\t"
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        rows = [(reader.line_num, fields) for fields in reader]
    except csv.Error as exc:
        raise GlossaryError(f"{name}: line {reader.line_num}: {exc} (a quote is not closed?)") from None
    return Glossary.from_rows(rows, name)


def load_glossary(path: str | Path) -> Glossary:
    """Read and validate a glossary file; every problem is a GlossaryError naming it."""
    from translator_app.core.readers import decode_text
    from translator_app.core.types.errors import EncodingError

    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise GlossaryError(f"{path} is larger than {MAX_FILE_BYTES // 1_000_000} MB; is it really a glossary?")
        data = path.read_bytes()
    except IsADirectoryError:
        raise GlossaryError(f"{path} is a folder, not a glossary file") from None
    except OSError as exc:
        raise GlossaryError(f"cannot read the glossary {path}: {exc.strerror or exc}") from None
    try:
        text, _encoding = decode_text(data)
    except EncodingError as exc:
        raise GlossaryError(f"the glossary {path} {exc}") from None
    return parse_glossary(text, str(path), csv_file=path.suffix.lower() == ".csv")


def glossary_text(glossary: Glossary, delimiter: str = "\t") -> str:
    """The file's text: a comment line naming the columns, then one entry a line."""
    out = io.StringIO(newline="")
    if delimiter == "\t":
        out.write(_HEADER_LINE)
    else:
        out.write(_HEADER_LINE.replace("\t", delimiter))
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    for e in glossary.entries:
        writer.writerow([e.source, e.target, e.target_plural] if e.target_plural else [e.source, e.target])
    return out.getvalue()


def save_glossary(path: str | Path, glossary: Glossary) -> None:
    """Write UTF-8 TSV (CSV for a .csv name) atomically: the old file stays whole until the new one is."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_file_atomic(path, glossary_text(glossary, "," if path.suffix.lower() == ".csv" else "\t").encode("utf-8"))


@dataclass(frozen=True)
class TermMask:
    """A sentence with its numbers and glossary terms masked, and how to put them back."""

    masked: Masked  # spans[i]: what the translation gets for placeholder i (a number, or the English term)
    sources: tuple[str, ...] = ()  # what placeholder i stood for in the German (for the attention view)
    matches: tuple[GlossaryMatch, ...] = ()  # the terms masked, in order
    terms: dict[int, GlossaryMatch] = field(default_factory=dict)  # placeholder index -> its term

    def restore(self, text: str) -> str:
        """The translation with every span put back; a term gets "a"/"an" to suit it, and a capital
        letter when the translation starts with it."""
        spans = list(self.masked.spans)
        for index, match in self.terms.items():
            placeholder = PLACEHOLDERS[index]
            text = _with_articles(text, placeholder, match)
            if text.lstrip(_QUOTES).startswith(placeholder):
                spans[index] = spans[index][:1].upper() + spans[index][1:]
        return restore(text, tuple(spans))


def _with_articles(text: str, placeholder: str, match: GlossaryMatch) -> str:
    """``text`` with the articles before ``placeholder`` suited to the term it stands for."""
    if match.article:  # "in ⟨tab⟩" -> "in the tab": the models learnt that placeholders (numbers) take no article
        text = re.sub(
            rf"(?<!\S)([^\W\d]+)( +)({placeholder})",
            lambda m: m.group(0) if m.group(1).lower() in _DETERMINERS else f"{m.group(1)} {match.article} {m.group(3)}",
            text,
        )
    return re.sub(rf"\b([Aa])n? ({placeholder})", lambda m: _article(m.group(1), match.target) + " " + m.group(2), text)


def _found(text: str, glossary: GlossaryTerms) -> list[tuple[int, int, str, str, GlossaryMatch | None]]:
    """Every term and protected span of ``text``: (start, end, German, what the English gets, term), in order."""
    matches = glossary.matches(text)
    found: list[tuple[int, int, str, str, GlossaryMatch | None]] = [(m.start, m.end, m.source, m.target, m) for m in matches]
    for span in find_spans(text):
        if all(span.end <= m.start or span.start >= m.end for m in matches):  # a term wins over a number in it
            found.append((span.start, span.end, span.source, span.english, None))
    found.sort(key=lambda item: item[0])
    return found


def budget_parts(text: str, glossary: GlossaryTerms | None) -> list[str]:
    """``text`` (without private-use characters) in parts that each need at most ``MAX_PLACEHOLDERS``
    placeholders, so that no number or term past the budget is left to the model as plain text."""
    text = PRIVATE_USE.sub("", text)
    spans = [(s.start, s.end) for s in find_spans(text)] if not glossary else [f[:2] for f in _found(text, glossary)]
    return split_for_budget(text, spans) if len(spans) > MAX_PLACEHOLDERS else [text]


def mask_terms(text: str, glossary: GlossaryTerms | None) -> TermMask:
    """``text`` with numbers (as ``protect``) and glossary terms masked, in order of appearance."""
    if not glossary:
        plain = protect(text)
        return TermMask(plain, plain.sources)
    text = PRIVATE_USE.sub("", text)
    found = _found(text, glossary)
    pieces: list[str] = []
    spans: list[str] = []
    sources: list[str] = []
    applied: list[GlossaryMatch] = []
    terms: dict[int, GlossaryMatch] = {}
    last = 0
    for start, end, source, target, match in found[:MAX_PLACEHOLDERS]:
        pieces += [text[last:start], PLACEHOLDERS[len(spans)]]
        if match is not None:
            terms[len(spans)] = match
            applied.append(match)
        spans.append(target)
        sources.append(source)
        last = end
    masked = Masked("".join(pieces) + text[last:], tuple(spans), tuple(sources))
    return TermMask(masked, tuple(sources), tuple(applied), terms)


def _article(article: str, word: str) -> str:
    """ "a" or "an" for ``word`` (by its first sound, roughly), in the case ``article`` had."""
    lower = word.lower()
    vowel_sound = lower[:1] in "aeiou" and not lower.startswith(("uni", "use", "usu", "eu", "one", "ur"))
    vowel_sound |= lower.startswith(("hour", "honest", "honor", "honour"))
    vowel_sound |= word[:2].isupper() and word[:1] in "AEFHILMNORSX"  # an "SMS", an "HTML" file
    chosen = "an" if vowel_sound else "a"
    return chosen.capitalize() if article.isupper() else chosen
