"""Finding the protected spans of a German text, each typed and with its English rendering.

One regular expression with a named alternative per kind; at each position the first alternative
that matches wins, so their order is the precedence of the rules: a phone number before a number,
a date before an ordinal, an amount before a bare number. Rules for the ambiguous cases are in
``core.spans``' docstring.
"""

from __future__ import annotations

import re

from translator_app.core.abbreviations import ends_sentence, find_abbreviations
from translator_app.core.spans.english import (
    cents_forms,
    date_forms,
    measure_forms,
    money_forms,
    number_forms,
    ordinal_forms,
    read_number,
    scale_forms,
    time_forms,
)
from translator_app.core.spans.kinds import Span, SpanKind
from translator_app.core.spans.tables import CENTS, CURRENCIES, DAY_PERIODS, MONTHS, SCALES, UNITS, alternation

URL = r"(?:https?://|www\.)[^\s<>\"]+[^\s<>\".,;:!?)\]}'»“”]"
EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}"
# An emoji is one span per grapheme cluster (one symbol on screen), so a family stays one family
# and a flag one flag: a flag is two regional indicators, a keycap a digit, # or * with U+20E3, a
# subdivision flag a black flag with tag characters, and any pictograph may carry skin-tone and
# variation modifiers and be joined to the next by ZWJ (U+200D).
_EMOJI_CHAR = "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff]"
_EMOJI_MODIFIERS = "[\ufe0f\U0001f3fb-\U0001f3ff]*"
_FLAG = "[\U0001f1e6-\U0001f1ff]{2}"
_KEYCAP = "[0-9#*]\ufe0f?\u20e3"
_TAG_FLAG = "\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"
_EMOJI_ELEMENT = f"(?:{_FLAG}|{_TAG_FLAG}|{_EMOJI_CHAR}{_EMOJI_MODIFIERS})"
EMOJI = f"{_KEYCAP}|{_EMOJI_ELEMENT}(?:\u200d{_EMOJI_ELEMENT})*"


def _words(words) -> str:
    """An alternation of words that ends at a word's end ("Mio." and "Mio", not "Mond")."""
    return "(?:" + alternation(words).replace(r"\ ", r"\s") + r")(?![\w²³])"


# A number: English-grouped with decimals, German-grouped, decimal comma, decimal point, integer.
_NUM = r"(?:\d{1,3}(?:,\d{3})+\.\d+|\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+|\d+\.\d+|\d+)(?![.,]?\d)"
_SIGNED = rf"(?:(?<![^\s(])[-−])?(?<![\d.,]){_NUM}"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_HOUR = r"(?:[01]?\d|2[0-4])"
_CLOCK = rf"{_HOUR}(?:[:.][0-5]\d)?"
_CURRENCY = _words(CURRENCIES)
_CURRENCY_BEFORE = "(?:" + alternation(c for c in CURRENCIES if len(c) <= 3) + ")"  # "€ 5", "CHF 12.50"
_SCALE = _words(SCALES)
_PATTERNS = {
    "url": URL,
    "email": EMAIL,
    "emoji": EMOJI,
    "phone": r"(?<![\w+])\+\d{1,3}(?:[ /-]?(?:\(\d{1,4}\)|\d+))+|(?<![\w.,])(?:\(0\d{1,5}\)|0\d{2,5})(?:[ /-]\d{2,}){1,4}(?!\d)",
    "named_date": rf"(?<![\d.,])(?:(?P<nd>{_DAY})\.\s?(?P<nm>{_words(MONTHS)})(?:\s(?P<ny>\d{{4}})(?!\d))?|(?P<om>{_words(MONTHS)})\s(?P<oy>\d{{4}})(?!\d))",
    "numeric_date": rf"(?<![\d.,])(?P<dd>{_DAY})\.(?P<dm>{_MONTH})\.(?P<dy>\d{{4}}|\d{{2}})?(?![\d]|\.\d)",
    "time": rf"(?<![\d.,:])(?P<t1>{_CLOCK})(?:\s?[-–]\s?(?P<t2>{_CLOCK}))?\s?Uhr(?!\w)(?:\s(?P<tp>{_words(DAY_PERIODS)}))?"
    rf"|(?<![\d.,:])(?P<t3>{_HOUR}:[0-5]\d)(?![\d:])",
    "code": r"(?<![\w.,-])(?:[vV]\d+(?:\.\d+)+|(?!\d{1,3}(?:\.\d{3})+(?![.,]?\d))\d+(?:\.\d+){2,}|\d{4}-\d{2}-\d{2}|\d+(?:[:/]\d+)+|[^\W\d_]+(?:-?\d\w*)+)(?![.,]?\d)",
    "money": rf"(?P<ma>{_SIGNED})(?:,[-–])?\s?(?:(?P<ms>{_SCALE})\s?)?(?P<mc>{_CURRENCY})"
    rf"|(?P<pc>{_CURRENCY_BEFORE})\s?(?P<pa>{_SIGNED})(?:\s?(?P<ps>{_SCALE}))?",
    "cents": rf"(?P<ca>{_SIGNED})\s?{_words(CENTS)}",
    "measure": rf"(?P<ua>{_SIGNED})(?:\s?[-–]\s?(?P<ub>{_NUM}))?\s?(?P<uu>{_words(UNITS)}|%(?!\w))",
    "scale": rf"(?P<sa>{_SIGNED})\s?(?P<ss>{_SCALE})",
    "ordinal": r"(?<![\d.,])(?P<o>\d{1,3})\.(?=\s[^\W\d])",
    "number": _SIGNED,
}
_SPAN = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _PATTERNS.items()))


# Every span holds one of these: most sentences hold none, and skip the long expression (training
# masks every pair of a corpus).
_MAYBE = re.compile(r"[\d@\u20e3\u2300-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff]|www\.|https?:")


def find_spans(text: str) -> list[Span]:
    """Every protected span of ``text``, in order, none overlapping."""
    spans = [_typed(match) for match in _SPAN.finditer(text)] if _MAYBE.search(text) else []
    abbreviations = _abbreviations(text, spans)
    return sorted(spans + abbreviations, key=lambda s: s.start) if abbreviations else spans


def _abbreviations(text: str, spans: list[Span]) -> list[Span]:
    """The abbreviations with a fixed English form. One whose period also ends the sentence leaves
    that period outside the span, so the translation keeps its full stop ("... MwSt." -> "... VAT.")."""
    found = []
    for a in find_abbreviations(text):
        english = a.abbreviation.english
        if english is None or any(s.start < a.end and a.start < s.end for s in spans):
            continue
        end = a.end
        if ends_sentence(a, text):
            end, english = end - 1, english.rstrip(".")
        found.append(Span(SpanKind.ABBREVIATION, a.start, end, text[a.start : end], english, (english,)))
    return found


def _typed(m: re.Match) -> Span:
    kind, forms = _read(m)
    return Span(kind, m.start(), m.end(), m.group(0), forms[0], forms)


def _read(m: re.Match) -> tuple[SpanKind, tuple[str, ...]]:
    name, g = m.lastgroup, m.group
    whole = (g(0),)
    if name in ("url", "email", "emoji", "phone", "code"):
        return SpanKind(name), whole
    try:
        if name == "named_date":
            month = MONTHS[_collapse(g("nm") or g("om"))]
            return SpanKind.DATE, date_forms(_int(g("nd")), month, _int(g("ny") or g("oy")))
        if name == "numeric_date":
            year = g("dy")
            if year and len(year) == 2:  # "03.10.23": a two-digit year only with two-digit day and month
                if len(g("dd")) < 2 or len(g("dm")) < 2:
                    return SpanKind.CODE, whole
                year = ("20" if int(year) < 50 else "19") + year
            return SpanKind.DATE, date_forms(int(g("dd")), int(g("dm")), _int(year))
    except ValueError:  # "31. Februar": no such day; copied as written
        return SpanKind.CODE, whole
    if name == "time":
        ends = [e for e in (g("t1"), g("t2"), g("t3")) if e]
        period = DAY_PERIODS[g("tp")] if g("tp") else None
        return SpanKind.TIME, time_forms([_clock(e) for e in ends], period)
    if name == "money":
        amount, scale = (g("ma"), g("ms")) if g("ma") else (g("pa"), g("ps"))
        code = CURRENCIES[_collapse(g("mc") or g("pc"))]
        return SpanKind.MONEY, money_forms(read_number(amount), code, SCALES[_collapse(scale)] if scale else None)
    if name == "cents":
        return SpanKind.MONEY, cents_forms(read_number(g("ca")))
    if name == "measure":
        numbers = [read_number(n) for n in (g("ua"), g("ub")) if n]
        unit = UNITS["%"] if g("uu") == "%" else UNITS[_collapse(g("uu"))]
        return SpanKind.MEASURE, measure_forms(numbers, unit)
    if name == "scale":
        return SpanKind.SCALE, scale_forms(read_number(g("sa")), SCALES[_collapse(g("ss"))])
    if name == "ordinal":
        return SpanKind.ORDINAL, ordinal_forms(int(g("o")))
    return SpanKind.NUMBER, number_forms(read_number(g(0)))


def _collapse(words: str) -> str:
    """ "Grad\u00a0Celsius" as the table writes it: one plain space between words."""
    return " ".join(words.split())


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def _clock(text: str) -> tuple[int, int | None]:
    """ "14:30" or "14.30" -> (14, 30); "14" -> (14, None)."""
    hour, _, minute = text.replace(".", ":").partition(":")
    return int(hour), int(minute) if minute else None
