"""Finding a glossary's German terms in text, inflected, and the English form each one takes.

A glossary lists a German noun (or noun phrase) once, in its dictionary form; running text has it
in four cases and two numbers ("Reiter", "Reiters", "Reitern"; "Datei", "Dateien"; "Absatz",
"Absätze"). Each term becomes one pattern that allows the endings its last letters admit (a noun in
-e only takes -n, one in -ung only -en, ...), an umlauted plural stem, and adjective endings on the
words before the last ("neuer Reiter", "im neuen Reiter"). The first letter of each word may be
either case (a sentence may start with it); the rest is as written. A match never starts or ends
inside a word: letters, digits and hyphens on either side rule it out ("Dateimanager" and
"PDF-Datei" do not contain "Datei"). Of overlapping matches the longest wins.

The English side needs the number only: the match's ending, and the word before it, say whether
the German is plural ("den Reitern", "drei Reiter"), and a plural match gets the entry's English
plural, or a regular one made from its last word ("tab" -> "tabs", "entry" -> "entries").
"""

from __future__ import annotations

import re
from functools import lru_cache

from translator_app.core.types.glossary import GlossaryEntry, GlossaryMatch

_FEMININE_IN = ("erin", "gin", "tin", "fin")
# Endings a noun takes, by how its dictionary form ends (the first rule that fits).
_NOUN_ENDINGS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("ung", "heit", "keit", "schaft", "ion", "tät", "ik"), ("en",)),
    (_FEMININE_IN, ("nen",)),  # Benutzerin, Benutzerinnen (not Termin, Magazin)
    (("e",), ("n", "ns", "s")),  # Seite -> Seiten; Name -> Namen, Namens; Cookie -> Cookies
    (("el", "er", "en"), ("n", "s")),  # Reiter -> Reitern, Reiters
    (("a", "i", "o", "u", "y", "ä", "ö", "ü"), ("s", "en")),  # Menü -> Menüs, Datei -> Dateien
    ((), ("s", "es", "e", "en", "er", "ern")),  # Programm -> Programme, Bild -> Bilder, Link -> Links
)
_UMLAUT_ENDINGS = ("e", "en", "er", "ern", "")  # Absätze, Wörter, Gärten: always plural
_ADJECTIVE_ENDINGS = ("e", "em", "en", "er", "es")  # neuer, neuen, neuem, neue, neues
_SINGULAR_ENDINGS = ("", "s", "es", "ns")  # Reiter, Reiters, Bildes, Namens
# Words before a noun that make it singular whatever its ending (the genitive and dative of
# articles and determiners: "des Menüs", "dem Kunden"), or plural although it has none ("alle Reiter").
_SINGULAR_CUES = frozenset(
    "des dem eines einem einen jedes jedem jeden dieses diesem jenes jenem welches welchem keines keinem "
    "meines meinem deines deinem seines seinem ihres ihrem unseres unserem eures eurem".split()
)
_PLURAL_CUES = frozenset(
    "alle allen aller beide beiden beider mehrere mehreren mehrerer viele vielen vieler einige einigen wenige wenigen "
    "manche manchen sämtliche sämtlichen sämtlicher zwei drei vier fünf sechs sieben acht neun zehn elf zwölf zwanzig hundert tausend".split()
)
_DEFINITE = frozenset("der die das den dem des im ins am ans zum zur vom beim".split())
_INDEFINITE = frozenset("ein eine einen einem einer eines".split())
_BOUNDARY_BEFORE = r"(?<![\w-])"
_BOUNDARY_AFTER = r"(?![\w-])"
_WORD_BEFORE = re.compile(r"([\w]+)\W*$")
_VOWELS = "aeiouyäöü"
_UMLAUTS = {"au": "äu", "a": "ä", "o": "ö", "u": "ü", "A": "Ä", "O": "Ö", "U": "Ü"}


def find_matches(entries: tuple[GlossaryEntry, ...], text: str) -> list[GlossaryMatch]:
    """Every term of ``entries`` in ``text``, inflected, longest first where they overlap; in text order."""
    found: list[GlossaryMatch] = []
    for entry in entries:
        pattern = term_pattern(entry.source)
        for m in pattern.finditer(text):
            plural = _is_plural(m, text, entry.source)
            found.append(GlossaryMatch(m.start(), m.end(), m.group(0), entry, plural, _german_article(text, m.start(), plural)))
    chosen: list[GlossaryMatch] = []
    for match in sorted(found, key=lambda m: (-(m.end - m.start), m.start)):
        if all(match.end <= c.start or match.start >= c.end for c in chosen):
            chosen.append(match)
    return sorted(chosen, key=lambda m: m.start)


@lru_cache(maxsize=4096)
def term_pattern(term: str) -> re.Pattern[str]:
    """The pattern of a German term's inflected forms (compiled once per term)."""
    words = term.split()
    parts = [_modifier_pattern(w) for w in words[:-1]] + [_noun_pattern(words[-1])]
    return re.compile(_BOUNDARY_BEFORE + r"\s+".join(parts) + _BOUNDARY_AFTER)


def _german_article(text: str, start: int, plural: bool) -> str:
    """ "the" after a German definite article ("im", "den"), "a" after an indefinite one (singular only)."""
    before = _WORD_BEFORE.search(text, 0, start)
    word = before.group(1).lower() if before and before.end(1) >= start - 1 else ""
    if word in _DEFINITE:
        return "the"
    return "a" if word in _INDEFINITE and not plural else ""


def _is_plural(m: re.Match[str], text: str, term: str) -> bool:
    """Umlauted, after a plural word, or with a plural ending (-s only after a vowel: "Menüs", not "Reiters")."""
    ending, umlauted = m.group("end") or "", m.groupdict().get("uml") is not None
    before = _WORD_BEFORE.search(text, 0, m.start())
    cue = before.group(1).lower() if before else ""
    if umlauted:
        return True
    if cue in _SINGULAR_CUES:
        return False
    if cue in _PLURAL_CUES or (cue.isdigit() and cue != "1"):
        return True
    return ending not in _SINGULAR_ENDINGS or (ending == "s" and term[-1:].lower() in _VOWELS)


def _noun_pattern(word: str) -> str:
    lower = word.lower()
    endings = next(e for suffixes, e in _NOUN_ENDINGS if not suffixes or lower.endswith(suffixes))
    plain = f"(?P<base>{_first_letter(word)})(?P<end>{_alternatives(endings)})?"
    umlauted = _umlauted(word)
    if umlauted is None:
        return f"(?:{plain})"
    return f"(?:{plain}|(?P<uml>{_first_letter(umlauted)})(?:{_alternatives(_UMLAUT_ENDINGS)}))"


def _modifier_pattern(word: str) -> str:
    """A word before the last: an adjective takes its endings on its stem ("Neuer" -> "neuen")."""
    stem = word
    for ending in sorted(_ADJECTIVE_ENDINGS, key=len, reverse=True):
        if word.lower().endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[: -len(ending)]
            break
    return f"(?:{_first_letter(stem)}(?:{_alternatives(_ADJECTIVE_ENDINGS)})?|{_first_letter(word)})"


def _first_letter(word: str) -> str:
    """``word`` escaped, its first letter in either case."""
    first, rest = word[:1], re.escape(word[1:])
    if first.lower() != first.upper():
        return f"[{re.escape(first.lower())}{re.escape(first.upper())}]{rest}"
    return re.escape(first) + rest


def _alternatives(endings: tuple[str, ...]) -> str:
    return "|".join(re.escape(e) for e in sorted(endings, key=len, reverse=True))


def _umlauted(word: str) -> str | None:
    """The stem with its last a, o, u or au umlauted ("Absatz" -> "Absätz"), or None if it has none."""
    found = [(m.start(), m.group(0)) for m in re.finditer("au|[aouAOU]", word)]
    if not found:
        return None
    at, vowel = found[-1]
    if word.lower().endswith(("e", "ung", "heit", "keit", "ion") + _FEMININE_IN):
        return None  # these plural with -n, -en or -nen only
    return word[:at] + _UMLAUTS[vowel] + word[at + len(vowel) :]
