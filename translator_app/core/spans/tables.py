"""What the span recognizer reads in German and the English it writes, taken from Babel (CLDR).

Units, month names and currency symbols come from the CLDR data Babel ships, so the German forms
("Kilogramm", "Okt.", "°C") and their English ones ("kilograms", "October") are not typed in by
hand; only the few things CLDR does not hold (the short currency words, the scale words "Mio."
and "Mrd.", a dative plural "Metern") are listed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from babel import Locale
from babel.dates import get_month_names
from babel.numbers import get_currency_name, get_currency_symbol

ENGLISH = "en_US"
_DE = Locale("de")
_EN = Locale.parse(ENGLISH)

# The CLDR units a German text writes after a number. Durations are written out in English
# ("20 Min." -> "20 minutes"): "20 min" or "20 hr" is not how a translator writes prose.
_UNITS = (
    "length-kilometer length-meter length-centimeter length-millimeter length-mile length-inch "
    "mass-kilogram mass-gram mass-milligram mass-tonne volume-liter volume-milliliter volume-cubic-meter "
    "area-square-meter area-square-kilometer area-hectare temperature-celsius temperature-fahrenheit "
    "temperature-generic concentr-percent concentr-permille speed-kilometer-per-hour speed-meter-per-second "
    "energy-kilowatt-hour energy-kilocalorie power-watt power-kilowatt power-megawatt power-horsepower "
    "electric-volt electric-ampere frequency-hertz frequency-megahertz frequency-gigahertz "
    "digital-kilobyte digital-megabyte digital-gigabyte digital-terabyte graphics-megapixel "
    "pressure-hectopascal pressure-bar duration-hour duration-minute duration-second duration-millisecond"
).split()
_WRITTEN_OUT = {"duration-hour", "duration-minute", "duration-second"}
# German short forms CLDR lacks but texts use, as (German, unit): the SI symbols of the durations.
_EXTRA_SHORT = (("Std", "duration-hour"), ("Min", "duration-minute"), ("Sek", "duration-second"), ("h", "duration-hour"))
# Where CLDR's English is not what a translator writes: "30 degrees temperature" is "30 degrees".
_ENGLISH_LONG = {"temperature-generic": ("{0} degree", "{0} degrees")}
# Temperatures keep the SI space before the degree sign ("35.5 °C", not CLDR's "35.5°C").
_SPACED = {"temperature-celsius", "temperature-fahrenheit"}


@dataclass(frozen=True)
class Unit:
    """A unit as written after a German number, and its English pattern ("{0} kg", one and other)."""

    cldr: str
    one: str
    other: str


def _pattern(locale: Locale, unit: str, length: str, count: str) -> str:
    patterns = locale._data["unit_patterns"][unit][length]
    return str(patterns.get(count, patterns["other"])).replace("\xa0", " ")


def _english(unit: str, length: str) -> Unit:
    if unit in _WRITTEN_OUT:
        length = "long"
    if length == "long" and unit in _ENGLISH_LONG:
        one, other = _ENGLISH_LONG[unit]
        return Unit(unit, one, other)
    one, other = (_pattern(_EN, unit, length, c) for c in ("one", "other"))
    if unit in _SPACED:
        one, other = (p.replace("{0}°", "{0} °") for p in (one, other))
    return Unit(unit, one, other)


def _units() -> dict[str, Unit]:
    """German unit word or symbol -> its English unit, from CLDR's German short and long patterns."""
    table: dict[str, Unit] = {}
    for unit in _UNITS:
        for length in ("short", "long"):
            for count in ("one", "other"):
                german = _pattern(_DE, unit, length, count).replace("{0}", "").strip()
                if german:
                    table.setdefault(german, _english(unit, length))
                    if length == "long" and german.endswith(("er", "el")):  # dative plural: "nach 10 Kilometern"
                        table.setdefault(german + "n", _english(unit, length))
    for ambiguous in ("in", "mi"):  # "die Top 3 in Europa" is not three inches
        table.pop(ambiguous, None)
    for german, unit in _EXTRA_SHORT:
        table.setdefault(german + "." if german != "h" else german, _english(unit, "short"))
    table["Prozentpunkte"] = table["Prozentpunkten"] = Unit("percentage-point", "{0} percentage point", "{0} percentage points")
    table["Prozentpunkt"] = table["Prozentpunkte"]
    table["mAh"] = Unit("milliampere-hour", "{0} mAh", "{0} mAh")  # battery capacity: not in CLDR
    return table


UNITS = _units()
# Every English form of a unit, short and long ("3.5 kg", "3.5 kilograms"): what a training
# target may write for it (``Span.accepted``).
ENGLISH_FORMS: dict[str, tuple[Unit, ...]] = {
    u.cldr: (_english(u.cldr, "short"), _english(u.cldr, "long")) for u in UNITS.values() if u.cldr in _UNITS
}
ENGLISH_FORMS["percentage-point"] = (UNITS["Prozentpunkte"],)

# Currencies: ISO code -> how German writes it. The symbols and full names come from CLDR; the
# everyday words ("Dollar", "Franken") are added. English writes the CLDR en_US symbol before the
# amount ("€1,299.99"), or the code with a space where the symbol is letters ("CHF 12.50").
_CURRENCY_WORDS = {
    "EUR": ("Euro", "Euros"),
    "USD": ("Dollar", "US-Dollar"),
    "GBP": ("Pfund Sterling",),
    "CHF": ("Franken",),
    "JPY": ("Yen",),
}


def _currencies() -> dict[str, str]:
    table: dict[str, str] = {}
    for code, words in _CURRENCY_WORDS.items():
        for german in (code, get_currency_symbol(code, locale=ENGLISH), get_currency_name(code, locale=_DE), *words):
            table.setdefault(german, code)
    return table


CURRENCIES = _currencies()
CURRENCY_SYMBOLS = {code: get_currency_symbol(code, locale=ENGLISH) for code in _CURRENCY_WORDS}
CENTS = ("Cent", "Cents", "ct")

# Scale words after a number: "1,5 Mio." is "1.5 million". German "Billion" is 10^12.
SCALES = {
    "Tsd.": "thousand",
    "Mio.": "million",
    "Mio": "million",
    "Million": "million",
    "Millionen": "million",
    "Mrd.": "billion",
    "Mrd": "billion",
    "Milliarde": "billion",
    "Milliarden": "billion",
    "Bio.": "trillion",
    "Billion": "trillion",
    "Billionen": "trillion",
}


def _months() -> dict[str, int]:
    """German month name or abbreviation (with or without its dot) -> month number."""
    table: dict[str, int] = {"Jänner": 1, "Sep.": 9}
    wide = {str(name) for name in get_month_names("wide", locale=_DE).values()}
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            for number, name in get_month_names(width, context, locale=_DE).items():
                table.setdefault(str(name), number)
                if name not in wide:  # an abbreviation, with or without its dot: "Okt" and "Okt."
                    table.setdefault(str(name).rstrip(".") + ".", number)
                    table.setdefault(str(name).rstrip("."), number)
    return table


MONTHS = _months()


def _day_periods() -> dict[str, str]:
    """German day period after a time ("8 Uhr abends") -> "morning", "afternoon", "evening" or "night"."""
    table = {"früh": "morning"}
    for width in ("wide", "abbreviated"):
        for period, word in _DE.day_periods["format"][width].items():
            if period.startswith(("morning", "afternoon", "evening", "night")):
                table[str(word)] = period.rstrip("12")
    return table


DAY_PERIODS = _day_periods()


def alternation(words) -> str:
    """A regex alternation of ``words``, longest first (so "km/h" wins over "km")."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
