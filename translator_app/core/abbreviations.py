"""German abbreviations: where their period ends a sentence, and the English a translation writes.

One table serves three readers: the sentence splitter (``core.text``), the input pane's sentence
count (``core.sentence_count``, through ``core.sentence_ends``) and the protected spans (``core.spans``).
So "inkl. 19 % MwSt. Am 3. Oktober ..." is two sentences for all of them, and "MwSt." comes out as
"VAT" rather than as a word the model never learned.

Two kinds of abbreviation, decided once:

- Those that stand before what they qualify ("inkl.", "z. B.", "Nr.", "Dr.") never end a sentence:
  the capital after them is a noun or a name.
- Those that stand for a noun or close a list ("MwSt.", "usw.", "etc.") end the sentence when a
  capital follows: German nouns after them are rare, a new sentence is common.

Only the abbreviations whose English is fixed get one; the rest ("ca.", "bzw.") read better when
the model words them ("about 300 people", not "approx. people came in 300": measured on the
shipped models), so they only guide the sentence rules. Keep this module free of heavy imports:
the window's sentence count uses it before spaCy is loaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Abbreviation:
    german: str  # as written, with its periods; a space inside may be left out ("z.B." or "z. B.")
    ends_sentence: bool  # whether its period ends the sentence when a capital follows
    english: str | None = None  # a fixed English form, protected like a number; None: the model words it


ABBREVIATIONS: tuple[Abbreviation, ...] = (
    Abbreviation("MwSt.", True, "VAT"),
    Abbreviation("usw.", True, "etc."),
    Abbreviation("etc.", True, "etc."),
    Abbreviation("inkl.", False, "incl."),
    Abbreviation("exkl.", False, "excl."),
    Abbreviation("zzgl.", False, "plus"),
    Abbreviation("z. B.", False, "e.g."),
    Abbreviation("d. h.", False, "i.e."),
    Abbreviation("Nr.", False, "No."),
    Abbreviation("ca.", False),
    Abbreviation("bzw.", False),
    Abbreviation("u. a.", False),
    Abbreviation("vgl.", False),
    Abbreviation("ggf.", False),
    Abbreviation("evtl.", False),
    Abbreviation("sog.", False),
    Abbreviation("Dr.", False),
    Abbreviation("Prof.", False),
    Abbreviation("Hr.", False),
    Abbreviation("Fr.", False),
    Abbreviation("Tel.", False),
    Abbreviation("St.", False),
)

_BY_KEY = {a.german.replace(" ", ""): a for a in ABBREVIATIONS}
_PATTERN = re.compile(
    r"(?<![\w.])(?:"
    + "|".join(re.escape(a.german).replace(r"\ ", r"\s?") for a in sorted(ABBREVIATIONS, key=lambda a: -len(a.german)))
    + ")"
)


@dataclass(frozen=True)
class Found:
    """An abbreviation found in a text: where it stands, and which it is."""

    start: int
    end: int  # just past its last period
    abbreviation: Abbreviation


def find_abbreviations(text: str) -> list[Found]:
    """Every abbreviation of the table in ``text``, in order."""
    return [Found(m.start(), m.end(), _BY_KEY[re.sub(r"\s", "", m.group())]) for m in _PATTERN.finditer(text)]


def ends_sentence(found: Found, text: str) -> bool:
    """Whether the abbreviation's period also ends the sentence: nothing but space follows it, or a
    capital follows one that may end a sentence."""
    rest = text[found.end :].lstrip()
    if not rest:
        return True
    return found.abbreviation.ends_sentence and rest[0].isupper() and text[found.end].isspace()
