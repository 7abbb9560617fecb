"""What a protected span is: its kind, where it stands, and the English it is restored as."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class SpanKind(Enum):
    NUMBER = "number"  # "12.000" -> "12,000"
    ORDINAL = "ordinal"  # "19. Jahrhundert" -> "19th"
    MEASURE = "measure"  # a number with its unit or a percentage: "3,5 kg" -> "3.5 kg", "19 %" -> "19%"
    MONEY = "money"  # "1.299,99 €" -> "€1,299.99"
    SCALE = "scale"  # "3 Mio." -> "3 million"
    DATE = "date"  # "3. Oktober 2023" -> "October 3, 2023"
    TIME = "time"  # "14:30 Uhr" -> "2:30 PM"
    PHONE = "phone"  # copied as written
    CODE = "code"  # versions, model names, ratios: copied as written ("3.11.2", "COVID-19", "24/7")
    URL = "url"
    EMAIL = "email"
    EMOJI = "emoji"
    ABBREVIATION = "abbreviation"  # "MwSt." -> "VAT", "z. B." -> "e.g." (core.abbreviations)


@dataclass(frozen=True)
class Span:
    """One protected span of a German text."""

    kind: SpanKind
    start: int
    end: int
    source: str  # as the German text writes it
    english: str  # what the translation gets
    accepted: tuple[str, ...]  # English forms a training target may write for it, ``english`` first
