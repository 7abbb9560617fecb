"""What crosses the catalog modules' boundaries: entry states, scopes, text parts and language checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Callable

from translator_app.core.types.errors import ParallelDataError

MAX_CATALOG_BYTES = 64_000_000  # a PO or XLIFF file is read whole; this is far above any real one


class CatalogError(ParallelDataError):
    """A PO or XLIFF file that cannot be read, translated or written; the message is shown as is.

    A ``ParallelDataError``, so the training readers, the CLI and the window report it like any
    other unreadable data file.
    """


class CatalogKind(Enum):
    PO = "gettext PO"
    XLIFF12 = "XLIFF 1.2"
    XLIFF20 = "XLIFF 2.0"


class EntryState(Enum):
    """An entry's state, as the skip reasons of training name it."""

    TRANSLATED = "translated"
    UNTRANSLATED = "untranslated"
    FUZZY = "fuzzy"  # PO's fuzzy flag, XLIFF 1.2's needs-review-*/needs-adaptation/needs-l10n
    OBSOLETE = "obsolete"  # PO's #~ entries
    LOCKED = "not for translation"  # XLIFF translate="no"


class Scope(Enum):
    """Which entries Translate File fills in."""

    UNTRANSLATED = "untranslated"  # empty targets only (the default: a human's work is never replaced)
    ALL = "all"  # every translatable entry, replacing what is there (and flagging it for review)


class Direction(Enum):
    DE_EN = "German → English"
    EN_DE = "English → German"


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Code:
    """Markup copied, not translated: a printf/brace placeholder, or an XLIFF inline element (as XML)."""

    markup: str
    kind: str = "standalone"  # "standalone", or "open"/"close" of a paired element (XLIFF <g>, <pc>, <mrk>)
    pair: int = -1  # the same number on an "open" and its "close"


Part = Text | Code


@dataclass(frozen=True)
class Pair:
    """One source text and its target as the file holds them (a PO plural gives one per form)."""

    source: str
    target: str
    state: EntryState


@dataclass
class Slot:
    """A text to translate, and what to do with its translation (set a msgstr, splice a target)."""

    parts: list[Part]
    fill: Callable[[list[Part]], None]


@dataclass(frozen=True)
class CatalogSummary:
    """What a file holds, for the window's question before translating and for the CLI's report."""

    kind: CatalogKind
    direction: Direction
    entries: int
    states: dict[EntryState, int] = field(default_factory=dict)

    def count(self, state: EntryState) -> int:
        return self.states.get(state, 0)


_GERMAN = {"de", "deu", "ger", "german"}
_ENGLISH = {"en", "eng", "english"}


def primary(code: str | None) -> str:
    """``de_AT`` / ``en-GB`` / ``German`` → ``de`` / ``en`` / ``german``'s code, else the primary subtag."""
    tag = (code or "").strip().lower().replace("_", "-").split("-")[0].split("@")[0].split(".")[0]
    return "de" if tag in _GERMAN else "en" if tag in _ENGLISH else tag


def direction(name: str, source: str | None, target: str | None) -> Direction:
    """German → English or English → German, else a CatalogError saying what the file holds."""
    pair = (primary(source), primary(target))
    if pair == ("de", "en"):
        return Direction.DE_EN
    if pair == ("en", "de"):
        return Direction.EN_DE
    shown = f"{source or '(not given)'} → {target or '(not given)'}"
    raise CatalogError(
        f"{name} is {shown}; this app works with German and English only (German → English, or "
        f"English → German for training data)"
    )
