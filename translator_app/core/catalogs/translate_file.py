"""File → Translate File for PO and XLIFF: read, translate what the scope asks, write back atomically.

The caller passes the translating function (the window's worker and the CLI own the Translator);
everything else, and every message about the file, lives here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol

from translator_app.core.atomic import write_file_atomic
from translator_app.core.catalogs.codes import mask, unmask
from translator_app.core.catalogs.po import PoCatalog
from translator_app.core.types.catalogs import (
    MAX_CATALOG_BYTES,
    CatalogError,
    CatalogKind,
    CatalogSummary,
    Direction,
    Scope,
    Slot,
)
from translator_app.core.catalogs.xliff_write import XliffCatalog
from translator_app.core.types.errors import ParallelDataError
from translator_app.core.readers.sniff import sniff

PO_SUFFIXES = (".po", ".pot")
XLIFF_SUFFIXES = (".xlf", ".xliff")
SUFFIXES = PO_SUFFIXES + XLIFF_SUFFIXES


class Catalog(Protocol):
    kind: CatalogKind
    direction: Direction

    def summary(self) -> CatalogSummary: ...
    def slots(self, scope: Scope) -> list[Slot]: ...
    def render(self) -> bytes: ...


@dataclass(frozen=True)
class CatalogReport:
    """What Translate File did, for the status bar and the CLI."""

    source: Path
    target: Path
    kind: CatalogKind
    entries: int  # in the file
    filled: int  # texts translated and written (a PO plural's forms count one each)
    reattached: int  # codes the model lost or misplaced, put back (see ``codes``)
    characters: int  # German characters translated


def is_catalog(path: str | Path) -> bool:
    return Path(path).suffix.lower() in SUFFIXES


def _read(path: Path) -> bytes:
    try:
        src = sniff(path)  # missing, special, empty and binary files: the training readers' messages
    except ParallelDataError as exc:
        raise CatalogError(str(exc)) from None
    if src.gzipped:
        raise CatalogError(f"{src.name} is compressed; unpack it first")
    try:
        size = path.stat().st_size
        if size > MAX_CATALOG_BYTES:
            raise CatalogError(f"{src.name} is {size / 1e6:.0f} MB; files up to {MAX_CATALOG_BYTES / 1e6:.0f} MB are read")
        return path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read {src.name}: {exc.strerror or exc}") from None


def open_catalog(path: str | Path) -> Catalog:
    """A PO or XLIFF file by its name, or by its content when the name does not say."""
    path = Path(path)
    data = _read(path)
    suffix = path.suffix.lower()
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if suffix in PO_SUFFIXES or (suffix not in XLIFF_SUFFIXES and not head.startswith(b"<")):
        return PoCatalog(path, data)
    return XliffCatalog(path, data)


def summarize(path: str | Path) -> CatalogSummary:
    return open_catalog(path).summary()


def check_translatable(name: str, found: Direction) -> None:
    """Refuse an English → German file: its untranslated entries are English, which no model here reads."""
    if found is not Direction.DE_EN:
        raise CatalogError(
            f"{name} is {found.value}: its source texts are English, and this app translates "
            f"German into English. It can still be used as training data."
        )


def translate_catalog(
    source: str | Path, target: str | Path, translate: Callable[[list[str]], list[str]], scope: Scope = Scope.UNTRANSLATED
) -> CatalogReport:
    """Fill in ``source``'s entries (``scope``) with ``translate``'s English and write ``target`` whole or not at all.

    ``translate`` gets every text at once (the translator batches them by length) and may raise to
    cancel: then nothing is written.
    """
    source, target = Path(source), Path(target)
    catalog = open_catalog(source)
    check_translatable(source.name, catalog.direction)
    entries = catalog.summary().entries
    slots = catalog.slots(scope)
    masks = [mask(slot.parts) for slot in slots]
    todo = [i for i, m in enumerate(masks) if m.has_words]
    outputs = translate([masks[i].text for i in todo]) if todo else []
    if len(outputs) != len(todo):
        raise CatalogError(f"internal error: {len(todo)} texts were sent to translate and {len(outputs)} came back")
    translated = dict(zip(todo, outputs))
    reattached = 0
    for index, (slot, masked) in enumerate(zip(slots, masks)):
        parts, fixed = unmask(translated.get(index, masked.text), masked)
        reattached += fixed
        slot.fill(parts)
    data = catalog.render()
    try:
        write_file_atomic(target, data)
    except OSError as exc:
        raise CatalogError(f"cannot write {target}: {exc.strerror or exc}") from None
    characters = sum(len(masks[i].text) for i in todo)
    return CatalogReport(source, target, catalog.kind, entries, len(slots), reattached, characters)


def default_target(source: Path) -> Path:
    """``app.po`` → ``app.translated.po``: the original stays as it was unless the user picks it."""
    return source.with_name(f"{source.stem}.translated{source.suffix}")


def same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
