"""Generated training pairs that teach the models to copy typed spans: amounts, units, dates, times.

    python scripts/number_pairs.py [--pairs 20000] [--seed 1] [--out runs/number_pairs/train_numbers]

Writes ``OUT.de.gz`` and ``OUT.en.gz`` (line-aligned, gzip), to be added to a recipe as one more
corpus (e.g. ``{"files": [".../train_numbers.de.gz", ".../train_numbers.en.gz"], "weight": 1.0,
"domain": "numbers"}``). Each pair is a hand-written German/English sentence template (below) with
its slots filled by random values written the German way (numbers formatted by Babel's German
locale: "1.299,99"; units, currencies and month names as ``core.spans.tables`` reads them). The
English side gets each span's English rendering from ``core.spans`` itself, so the pair is exactly
what training masks: ``protect_pair`` turns every slot into the same placeholder on both sides
(a pair where it would not is dropped and counted). The real corpora hold few amounts, dates and
times; these pairs show the placeholders in the contexts such spans take ("am ⟨0⟩" -> "on ⟨0⟩",
"um ⟨0⟩" -> "at ⟨0⟩", "kostet ⟨0⟩" -> "costs ⟨0⟩"), several per sentence and reordered.
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
from decimal import Decimal
from pathlib import Path

from babel.numbers import format_decimal

from translator_app.core.protect import PLACEHOLDERS, protect_pair
from translator_app.core.spans import find_spans

ROOT = Path(__file__).resolve().parents[1]

TEMPLATES = [
    ("Das kostet {money}.", "That costs {money}."),
    ("Der Preis liegt bei {money}.", "The price is {money}."),
    ("Sie hat {money} dafür bezahlt.", "She paid {money} for it."),
    ("Er verdient {money} im Monat.", "He earns {money} a month."),
    ("Für {money} bekommt man {mass} Käse.", "For {money} you get {mass} of cheese."),
    ("Die Miete steigt auf {money}.", "The rent is rising to {money}."),
    ("Die Firma machte einen Umsatz von {bigmoney}.", "The company had sales of {bigmoney}."),
    ("Der Staat gibt {bigmoney} für Straßen aus.", "The state is spending {bigmoney} on roads."),
    ("Das Paket wiegt {mass}.", "The parcel weighs {mass}."),
    ("Der Hund wiegt {mass} und läuft {length} am Tag.", "The dog weighs {mass} and walks {length} a day."),
    ("Wir sind heute {length} gewandert.", "We hiked {length} today."),
    ("Die Strecke ist {length} lang.", "The route is {length} long."),
    ("Der Turm ist {length} hoch.", "The tower is {length} tall."),
    ("Draußen hat es {temp}.", "It is {temp} outside."),
    ("Die Temperatur stieg auf {temp}.", "The temperature rose to {temp}."),
    ("Morgen werden bis zu {temp} erwartet.", "Up to {temp} is expected tomorrow."),
    ("Die Inflation lag bei {percent}.", "Inflation was {percent}."),
    ("Der Anteil stieg um {percent}.", "The share rose by {percent}."),
    ("Rund {percent} der Befragten stimmten zu.", "Around {percent} of those asked agreed."),
    ("Der Preis stieg um {percent} auf {money}.", "The price rose by {percent} to {money}."),
    ("Das Auto fuhr mit {speed} durch die Stadt.", "The car drove through the town at {speed}."),
    ("Das Handy hat {digital} Speicher.", "The phone has {digital} of storage."),
    ("Der Tank fasst {volume}.", "The tank holds {volume}."),
    ("Die Fahrt dauert {duration}.", "The journey takes {duration}."),
    ("Am {date} ist die Sitzung.", "The meeting is on {date}."),
    ("Er wurde am {date} geboren.", "He was born on {date}."),
    ("Das Geschäft öffnet am {date} wieder.", "The shop reopens on {date}."),
    ("Die Frist endet am {date}.", "The deadline is {date}."),
    ("Seit dem {date} gilt der neue Preis von {money}.", "The new price of {money} has applied since {date}."),
    ("Im {month_year} war es sehr kalt.", "It was very cold in {month_year}."),
    ("Die Brücke wurde im {month_year} eröffnet.", "The bridge was opened in {month_year}."),
    ("Der Zug fährt um {time} ab.", "The train leaves at {time}."),
    ("Wir treffen uns um {time} am Bahnhof.", "We are meeting at the station at {time}."),
    ("Am {date} um {time} beginnt das Konzert.", "The concert begins on {date} at {time}."),
    ("Das Büro ist von {hours} geöffnet.", "The office is open from {hours}."),
    ("Rufen Sie uns unter {phone} an.", "Call us on {phone}."),
    ("Meine Nummer ist {phone}.", "My number is {phone}."),
    ("Die Stadt hat {number} Einwohner.", "The town has {number} inhabitants."),
    ("Es kamen {number} Besucher.", "{number} visitors came."),
    ("Weltweit nutzen {scale} Menschen die App.", "{scale} people around the world use the app."),
    ("Sie belegte den {ordinal} Platz.", "She came {ordinal}."),
    ("Die Kirche stammt aus dem {ordinal} Jahrhundert.", "The church dates from the {ordinal} century."),
    ("Am {date} liefen {number} Menschen {length}.", "On {date}, {number} people ran {length}."),
    ("Das {mass} schwere Paket kostet {money} Porto.", "The {mass} parcel costs {money} in postage."),
    ("Bei {temp} und {percent} Luftfeuchtigkeit war es schwül.", "At {temp} and {percent} humidity it was muggy."),
    ("{money} kostet der Eintritt.", "Admission costs {money}."),
]
_MONTHS = "Januar Februar März April Mai Juni Juli August September Oktober November Dezember".split()
_UNITS = {
    "mass": ["kg", "g", "t", "Kilogramm", "Gramm", "Tonnen"],
    "length": ["km", "m", "cm", "mm", "Kilometer", "Meter", "Zentimeter"],
    "temp": ["°C", "Grad"],
    "percent": ["%", "Prozent", "Prozentpunkte"],
    "speed": ["km/h"],
    "digital": ["GB", "MB", "TB"],
    "volume": ["l", "ml", "Liter"],
    "duration": ["Stunden", "Minuten", "Std.", "Min."],
}


def german_number(rng: random.Random, low: float, high: float, decimals: int | None = None) -> str:
    """A random number in [low, high] as German writes it: decimal comma, thousands point or none."""
    places = rng.choice([0, 0, 1, 2]) if decimals is None else decimals
    value = Decimal(str(round(rng.uniform(low, high), places)))
    grouping = "#,##0" if value >= 1000 and rng.random() < 0.8 else "0"
    return format_decimal(value, format=grouping + ("." + "0" * places if places else ""), locale="de")


def _slot(kind: str, rng: random.Random) -> str:
    """One span, German-style, of the slot's kind."""
    if kind == "money":
        amount = german_number(rng, 0.5, 5000, rng.choice([0, 2]))
        form = rng.choice(["{} €", "{} Euro", "{} EUR", "€ {}", "{} Dollar", "{} $", "{} CHF", "{} Franken", "{} £"])
        return form.format(amount)
    if kind == "bigmoney":
        scale = rng.choice(["Mio.", "Millionen", "Mrd.", "Milliarden"])
        return f"{german_number(rng, 1, 900, rng.choice([0, 1]))} {scale} {rng.choice(['Euro', '€', 'Dollar'])}"
    if kind in _UNITS:
        high = {"temp": 45, "percent": 99, "speed": 250}.get(kind, 5000)
        low = -20 if kind == "temp" else 0.1
        unit = rng.choice(_UNITS[kind])
        gap = "" if unit == "%" and rng.random() < 0.5 else " "
        return f"{german_number(rng, low, high)}{gap}{unit}"
    if kind == "date":
        day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1950, 2035)
        return rng.choice(
            [f"{day}. {_MONTHS[month - 1]} {year}", f"{day}. {_MONTHS[month - 1]}", f"{day:02d}.{month:02d}.{year}"]
        )
    if kind == "month_year":
        return f"{rng.choice(_MONTHS)} {rng.randint(1950, 2035)}"
    if kind == "time":
        hour = rng.randint(0, 23)
        return rng.choice(
            [f"{hour}:{rng.randrange(0, 60, 5):02d} Uhr", f"{hour} Uhr", f"{hour}.{rng.randrange(0, 60, 15):02d} Uhr"]
        )
    if kind == "hours":
        return f"{rng.randint(6, 11)}–{rng.randint(13, 22)} Uhr"
    if kind == "phone":
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(6, 8)))
        return rng.choice(
            [f"+49 {rng.randint(30, 999)} {digits}", f"0{rng.randint(30, 999)} {digits}", f"0{rng.randint(151, 179)}/{digits}"]
        )
    if kind == "number":
        return german_number(rng, 2, 900_000, 0)
    if kind == "scale":
        return f"{german_number(rng, 1, 900, rng.choice([0, 1]))} {rng.choice(['Millionen', 'Mio.', 'Milliarden'])}"
    if kind == "ordinal":
        return f"{rng.randint(1, 21)}."
    raise ValueError(kind)


def make_pair(rng: random.Random) -> tuple[str, str] | None:
    """One filled template, or None where the German's spans are not exactly its slots."""
    german, english = rng.choice(TEMPLATES)
    kinds = re.findall(r"\{(\w+)\}", german)
    values = [_slot(kind, rng) for kind in kinds]
    for kind, value in zip(kinds, values):
        german = german.replace("{" + kind + "}", value, 1)
    spans = find_spans(german)
    if [s.source for s in spans] != values:
        return None
    for kind, span in zip(kinds, spans):
        rendered = span.english[:1].upper() + span.english[1:] if english.startswith("{" + kind) else span.english
        english = english.replace("{" + kind + "}", rendered, 1)
    return german, english


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "runs" / "number_pairs" / "train_numbers")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    pairs: list[tuple[str, str]] = []
    skipped = 0
    while len(pairs) < args.pairs:
        pair = make_pair(rng)
        masked = protect_pair(*pair) if pair else None
        if pair is None or masked is None or not _fully_masked(pair[0], masked):
            skipped += 1
            continue
        pairs.append(pair)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    for side, suffix in ((0, ".de.gz"), (1, ".en.gz")):
        with gzip.open(str(args.out) + suffix, "wt", encoding="utf-8") as handle:
            handle.writelines(p[side] + "\n" for p in pairs)
    print(f"wrote {len(pairs)} pairs to {args.out}.de.gz / .en.gz ({skipped} generated and dropped)")


def _fully_masked(german: str, masked: tuple[str, str]) -> bool:
    """Every span of the German is a placeholder on both sides (what the pair is for)."""
    count = len(find_spans(german))
    return all(sum(ch in PLACEHOLDERS for ch in side) == count for side in masked)


if __name__ == "__main__":
    main()
