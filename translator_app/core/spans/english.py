"""German numbers, amounts, dates and times read, and written the English way with Babel (en_US).

Each ``*_forms`` function returns the English forms of one span, the one the translation gets
first, then others a human translation may write for the same value (used to find the span in a
training target: ``core.protect.protect_pair``).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_decimal, get_currency_name

from translator_app.core.spans.tables import CURRENCY_SYMBOLS, ENGLISH, ENGLISH_FORMS, Unit

_ORDINAL_SUFFIX = {"one": "st", "two": "nd", "few": "rd", "other": "th"}  # CLDR's English ordinal categories
_EN = Locale.parse(ENGLISH)


@dataclass(frozen=True)
class Number:
    """A number as typed: its value, how many decimals it shows, and whether it was grouped."""

    value: Decimal
    decimals: int
    grouped: bool


def read_number(text: str) -> Number:
    """A German number: "1.299,99", "12.000", "3,5"; also one typed the English way ("3.5", "1,299.99").

    A point followed by exactly three digits groups thousands ("1.000" is 1000); any other single
    point is a decimal point typed English-style ("3.5"); a comma is the decimal comma, unless it
    groups an English-style number that also has a decimal point ("1,299.99").
    """
    sign = "-" if text[:1] in "-−" else ""
    body = text.lstrip("-−")
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+\.\d+", body):
        plain, grouped = body.replace(",", ""), True
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", body):
        plain, grouped = body.replace(".", "").replace(",", "."), True
    else:
        plain, grouped = body.replace(",", "."), False
    decimals = len(plain.partition(".")[2])
    return Number(Decimal(sign + plain), decimals, grouped)


def english_number(number: Number, grouped: bool | None = None) -> str:
    """``number`` in English, with the decimals it was typed with and grouped as it was ("12000" stays)."""
    group = number.grouped if grouped is None else grouped
    pattern = ("#,##0" if group else "0") + ("." + "0" * number.decimals if number.decimals else "")
    return format_decimal(number.value, format=pattern, locale=ENGLISH)


def _is_one(number: Number) -> bool:
    return number.value == 1 and number.decimals == 0


def number_forms(number: Number) -> tuple[str, ...]:
    english = english_number(number)
    return _unique(english, english_number(number, grouped=not number.grouped) if number.decimals == 0 else english)


def measure_forms(numbers: list[Number], unit: Unit) -> tuple[str, ...]:
    """ "3,5 kg" -> "3.5 kg"; a range "10–12 °C" -> "10–12 °C" (an en dash between the numbers)."""
    value = "–".join(english_number(n) for n in numbers)
    one = len(numbers) == 1 and _is_one(numbers[0])
    forms = [(u.one if one else u.other).format(value) for u in (unit, *ENGLISH_FORMS.get(unit.cldr, ()))]
    forms += [f.replace(" ", "", 1) for f in forms if f.startswith(value + " ") and len(f) - len(value) <= 4]  # "3.5kg"
    forms += [f.replace("meter", "metre").replace("liter", "litre") for f in forms]  # British spelling
    if unit.cldr == "concentr-percent":
        forms.append(f"{value} per cent")
    return _unique(*forms)


def money_forms(number: Number, code: str, scale: str | None) -> tuple[str, ...]:
    """ "1.299,99 €" -> "€1,299.99"; "12,50 CHF" -> "CHF 12.50"; "1,5 Mio. €" -> "€1.5 million";
    cents have two digits ("3,5 €" -> "€3.50") unless a scale word follows."""
    typed = number
    if number.decimals == 1 and not scale:
        number = Number(number.value, 2, number.grouped)
    symbol = CURRENCY_SYMBOLS[code]
    name = get_currency_name(code, count=1 if _is_one(number) and not scale else 2, locale=ENGLISH)
    forms = []
    for shown in (number, typed, Number(number.value, number.decimals, not number.grouped)):
        amount = english_number(shown) + (f" {scale}" if scale else "")
        english = f"{symbol} {amount}" if symbol.isalpha() else f"{symbol}{amount}"
        forms += [english, f"{symbol} {amount}", f"{code} {amount}", f"{amount} {code}", f"{amount} {name}", f"{amount} {symbol}"]
    return _unique(*forms)


def cents_forms(number: Number) -> tuple[str, ...]:
    value = english_number(number)
    return _unique(f"{value} cent" if _is_one(number) else f"{value} cents", f"{value} ct")


def scale_forms(number: Number, scale: str) -> tuple[str, ...]:
    return (f"{english_number(number)} {scale}",)


def ordinal_forms(value: int) -> tuple[str, ...]:
    return (f"{value}{_ORDINAL_SUFFIX[_EN.ordinal_form(value)]}",)


def date_forms(day: int | None, month: int, year: int | None) -> tuple[str, ...]:
    """ "3. Oktober 2023" -> "October 3, 2023" (American order, as the rest is en_US); without a year
    "October 3", without a day "October 2023". Raises ValueError for a day the month lacks."""
    when = datetime.date(year or 2000, month, day or 1)  # 2000 is a leap year: "29. Februar" exists
    if day is None:
        return (format_date(when, "MMMM y", locale=ENGLISH),)
    nth = ordinal_forms(day)[0]
    month_name = format_date(when, "MMMM", locale=ENGLISH)
    if year is None:
        return _unique(
            f"{month_name} {day}", f"{day} {month_name}", f"{month_name} {nth}", f"{nth} {month_name}", f"{nth} of {month_name}"
        )
    return _unique(
        f"{month_name} {day}, {year}",
        f"{day} {month_name} {year}",
        f"{month_name} {day} {year}",
        f"{month_name} {nth}, {year}",
        f"{nth} {month_name} {year}",
        f"{nth} of {month_name} {year}",
        f"{nth} of {month_name}, {year}",
    )


def on_clock(hour: int, period: str | None) -> int:
    """The hour on the 24-hour clock, given a German day period ("8 Uhr abends" -> 20). At night
    six to eleven are evening hours and the rest morning ones: "11 Uhr nachts" is 11 PM, "3 Uhr
    nachts" 3 AM, "12 Uhr nachts" midnight; "12 Uhr mittags" is noon."""
    if period is None or hour > 12:
        return hour
    if period == "morning":
        return hour % 12
    if period == "night":
        return 0 if hour == 12 else hour + 12 if hour >= 6 else hour
    return hour if hour == 12 else hour + 12


def _clock(hour: int, minute: int | None, told: bool) -> str:
    """One time of day: "14:30" -> "2:30 PM"; a full hour "20 Uhr" -> "8 PM", but "8 Uhr" -> "8 o'clock"
    (German says "8 Uhr" for eight in the morning and in the evening alike, unless a day period
    says which: ``told``), "12 Uhr" -> "noon", "0 Uhr" -> "midnight"."""
    if minute is None:
        if hour in (0, 24):
            return "midnight"
        if hour == 12:
            return "noon"
        if hour < 12 and not told:
            return f"{hour} o'clock"
        return format_time(datetime.time(hour), "h a", locale=ENGLISH).replace("\u202f", " ")
    return format_time(datetime.time(hour % 24, minute), "h:mm a", locale=ENGLISH).replace("\u202f", " ")


def time_forms(times: list[tuple[int, int | None]], period: str | None = None) -> tuple[str, ...]:
    """ "14:30 Uhr" -> "2:30 PM" (12-hour clock, as en_US writes it); a range "9–17 Uhr" -> "9 AM–5 PM";
    a day period decides the half of the day: "8 Uhr abends" -> "8 PM", "6.30 Uhr morgens" -> "6:30 AM"."""
    times = [(on_clock(h, period), m) for h, m in times]
    if len(times) == 2 and times[0][1] is None and times[1][1] is None:  # both ends AM/PM, not "o'clock"
        ends = [format_time(datetime.time(h % 24), "h a", locale=ENGLISH).replace("\u202f", " ") for h, _ in times]
        english = "–".join(ends)
    else:
        english = "–".join(_clock(h, m, period is not None) for h, m in times)
    h, m = times[0]
    if len(times) == 1 and m is not None:
        twelve = english.removesuffix(" AM").removesuffix(" PM")
        half = "a.m." if english.endswith("AM") else "p.m."
        dotted = twelve.replace(":", ".")  # British "2.30 pm"
        marks = (half, half[0] + half[2])
        others = (f"{t}{gap}{mark}" for t in (twelve, dotted) for mark in marks for gap in (" ", ""))
        return _unique(english, *others, f"{h}:{m:02d}", f"{h}.{m:02d}")
    if len(times) == 1 and h not in (0, 12, 24):
        return _unique(
            english, f"{h % 12 or 12} {'am' if h < 12 else 'pm'}", f"{h % 12 or 12} {'a.m.' if h < 12 else 'p.m.'}", f"{h}:00"
        )
    return (english,)


def _unique(*forms: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(forms))
