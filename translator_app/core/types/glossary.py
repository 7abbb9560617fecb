"""A glossary's entries and where one is found in a text, as plain data: what the translator reports
and the window underlines.

``core.glossary`` reads the user's file into ``GlossaryEntry``s and ``core.glossary_terms`` finds them,
inflected, as ``GlossaryMatch``es; the window draws the matches without importing either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class GlossaryEntry:
    """One line of a glossary: a German term and its English term (and plural, when irregular)."""

    source: str
    target: str
    target_plural: str = ""  # empty: the regular plural of ``target``

    @property
    def plural(self) -> str:
        return self.target_plural or english_plural(self.target)


@dataclass(frozen=True)
class GlossaryMatch:
    """Where a term occurs in a text, as written there, and the English it stands for."""

    start: int
    end: int
    source: str  # the text matched: "Reitern"
    entry: GlossaryEntry
    plural: bool
    article: str = ""  # "the" or "a" when an article comes right before it in the German, else ""

    @property
    def target(self) -> str:
        """The English put in the translation: the entry's term, or its plural."""
        return self.entry.plural if self.plural else self.entry.target

    def to_dict(self) -> dict[str, str]:
        """As ``translate --json`` shows it."""
        return {"source": self.source, "term": self.entry.source, "target": self.target}


def english_plural(term: str) -> str:
    """The regular plural of an English term's last word: tab -> tabs, box -> boxes, entry -> entries."""
    head, _, last = term.rpartition(" ")
    if not last or not last[-1].isalpha() or last.isupper() and len(last) > 1:
        plural = last + "s"  # "URL" -> "URLs"
    elif last.endswith(("s", "x", "z", "ch", "sh")):
        plural = last + "es"
    elif last.endswith("y") and len(last) > 1 and last[-2].lower() not in "aeiou":
        plural = last[:-1] + "ies"
    else:
        plural = last + "s"
    return f"{head} {plural}" if head else plural


class GlossaryTerms(Protocol):
    """What decoding asks of a glossary (``DecodeOptions.glossary``); ``core.glossary.Glossary`` is one.

    A protocol, so that the options name the glossary they carry without importing ``core.glossary``.
    """

    def __len__(self) -> int: ...

    def matches(self, text: str) -> list[GlossaryMatch]: ...
