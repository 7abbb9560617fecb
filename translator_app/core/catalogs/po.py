"""gettext PO files through polib: what they hold, which entries to fill, and the file with them filled.

polib reads a file leniently (an unterminated string passes unnoticed), so every line is checked
against the PO grammar first and a bad one is refused with its line number. Direction comes from
the ``Language`` header: msgids are the source language, so ``Language: en`` is German → English
(the app's own direction) and ``Language: de`` is the usual English → German translation, which is
as good as training data when turned around. Machine translations get the ``fuzzy`` flag: gettext's
own mark for "a human must check this", and ``msgfmt`` leaves fuzzy entries out of the compiled
catalog until someone clears it.
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path
from typing import Iterator

import polib  # type: ignore[import-untyped]

from translator_app.core.catalogs.codes import split_placeholders, text_of
from translator_app.core.types.catalogs import (
    CatalogError,
    CatalogKind,
    CatalogSummary,
    Direction,
    EntryState,
    Pair,
    Part,
    Scope,
    Slot,
    direction,
)

_LINE = re.compile(
    r"""\s*(?:\#.*|(?:\#~\s*)?(?:\#\|\s*)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*")?\s*"""
)
_CHARSET = re.compile(rb"charset=([A-Za-z0-9._-]+)")


def _decode(name: str, data: bytes) -> tuple[str, str]:
    match = _CHARSET.search(data[:4096])
    charset = match.group(1).decode("ascii") if match else "utf-8"
    if charset.upper() == "CHARSET":  # a template's placeholder
        charset = "utf-8"
    try:
        return data.decode(charset).removeprefix("\ufeff"), charset
    except LookupError:
        raise CatalogError(f"{name} declares the unknown charset {charset!r}; re-save it as UTF-8") from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogError(f"{name} is not valid {charset} (line {line:,}), although its header says so") from None


def check_syntax(name: str, text: str) -> None:
    for number, line in enumerate(text.splitlines(), 1):
        if not _LINE.fullmatch(line):
            shown = line.strip()[:60]
            raise CatalogError(f"{name} is not a valid PO file: line {number:,} ({shown!r}) is not a comment, keyword or string")


def load(name: str, data: bytes) -> tuple[polib.POFile, str]:
    text, charset = _decode(name, data)
    if "\x00" in text:
        raise CatalogError(f"{name} looks like a binary file, not a PO file")
    check_syntax(name, text)
    try:
        # polib takes a string that names no file as the content; the leading newline makes sure of that
        catalog = polib.pofile("\n" + text, wrapwidth=78)
    except (OSError, ValueError) as exc:
        raise CatalogError(f"{name} is not a valid PO file: {exc}") from None
    return catalog, charset


def state(entry: polib.POEntry) -> EntryState:
    if entry.obsolete:
        return EntryState.OBSOLETE
    if "fuzzy" in entry.flags:
        return EntryState.FUZZY
    return EntryState.TRANSLATED if entry.translated() else EntryState.UNTRANSLATED


def entries(catalog: polib.POFile) -> Iterator[polib.POEntry]:
    """Every entry but the header, obsolete ones included (polib iterates those too)."""
    return (e for e in catalog if e.msgid or e.msgctxt or e.obsolete)


def pairs(entry: polib.POEntry) -> list[Pair]:
    """One pair per form: msgid → msgstr, or msgid → msgstr[0] and msgid_plural → msgstr[1..]."""
    st = state(entry)
    if not entry.msgid_plural:
        return [Pair(entry.msgid, entry.msgstr, st)]
    forms = entry.msgstr_plural or {0: ""}
    return [Pair(entry.msgid if i == 0 else entry.msgid_plural, forms[i], st) for i in sorted(forms)]


def language(catalog: polib.POFile) -> tuple[str | None, str | None]:
    """(msgid language, msgstr language): X-Source-Language if given, else the msgids are the other one."""
    target = catalog.metadata.get("Language") or None
    source = catalog.metadata.get("X-Source-Language") or {"en": "de", "de": "en"}.get((target or "")[:2].lower())
    return source, target


class PoCatalog:
    kind = CatalogKind.PO

    def __init__(self, path: Path, data: bytes):
        self.name = Path(path).name
        self.catalog, self.charset = load(self.name, data)
        source, target = language(self.catalog)
        if target is None:
            # a file made from a template may not say; the user chose it to translate from German
            source, target = "de", "en"
            self.catalog.metadata["Language"] = "en"
        self.direction = direction(self.name, source, target)
        self.filled = 0

    def summary(self) -> CatalogSummary:
        states: dict[EntryState, int] = {}
        count = 0
        for entry in entries(self.catalog):
            count += 1
            states[state(entry)] = states.get(state(entry), 0) + 1
        return CatalogSummary(self.kind, self.direction, count, states)

    def slots(self, scope: Scope) -> list[Slot]:
        wanted = {EntryState.UNTRANSLATED} | ({EntryState.TRANSLATED, EntryState.FUZZY} if scope is Scope.ALL else set())
        slots: list[Slot] = []
        for entry in entries(self.catalog):
            if state(entry) not in wanted:
                continue
            if not entry.msgid_plural:
                slots.append(Slot(split_placeholders(entry.msgid), partial(self._set, entry, None)))
                continue
            count = max(len(entry.msgstr_plural), 2)
            for form in range(count):
                source = entry.msgid if form == 0 else entry.msgid_plural
                slots.append(Slot(split_placeholders(source), partial(self._set, entry, form)))
        return slots

    def _set(self, entry: polib.POEntry, form: int | None, parts: list[Part]) -> None:
        if form is None:
            entry.msgstr = text_of(parts)
        else:
            entry.msgstr_plural[form] = text_of(parts)
        if "fuzzy" not in entry.flags:
            entry.flags.insert(0, "fuzzy")
        self.filled += 1

    def render(self) -> bytes:
        if self.direction is not Direction.DE_EN:
            raise CatalogError(f"{self.name} is English → German (Language: de); only German → English files can be filled in")
        try:
            return str(self.catalog).encode(self.charset)
        except UnicodeEncodeError as exc:
            raise CatalogError(
                f"a translation holds {exc.object[exc.start : exc.end]!r}, which {self.charset} (the charset "
                f"{self.name} declares) cannot hold; change its charset to UTF-8"
            ) from None
