"""Protected spans, typed: numbers, amounts, dates, times, phone numbers, codes, URLs, e-mail, emoji.

``find_spans`` reads each span of a German text and writes it the English way (``Span.english``),
so that the translation says "3.5 kg", "€1,299.99", "19%" and "October 3, 2023" where the German
says "3,5 kg", "1.299,99 €", "19 %" and "3. Oktober 2023". The model never sees the span: it copies
a placeholder (``core.protect``), and a span carries its unit or currency inside it, so neither
can be lost. Formatting is Babel's (CLDR, locale en_US); the German side reads CLDR's German unit
and month names (``tables``).

The rules for what is ambiguous, decided once:

- A point followed by exactly three digits groups thousands ("1.000" is 1,000; "12.000" is
  12,000); any other single point is a decimal point typed the English way ("3.5" stays 3.5). A
  comma is the decimal comma ("1,000" is 1.000), except in "1,299.99", which is English already.
- Digits keep the grouping they were typed with: "2023", "10115" and "12000" get no comma (years,
  postcodes and IDs are written without one; so are the numbers ``core.catalogs`` carries codes
  in); a grouped number is grouped the English way. Decimals are kept as typed ("3,50" -> "3.50").
- Units follow CLDR's en_US short or long form as the German wrote short or long ("3,5 kg" ->
  "3.5 kg", "20 Kilometer" -> "20 kilometers", "19 %" -> "19%", "2,4 Prozent" -> "2.4 percent"),
  except that temperatures keep the SI space ("35.5 °C") and durations are written out ("20 Min."
  -> "20 minutes"). A range shares its unit: "10–12 °C" -> "10–12 °C" (always an en dash).
- Money puts the en_US symbol first: "1.299,99 €", "1.299,99 Euro" and "EUR 1.299,99" all become
  "€1,299.99"; "12,50 CHF" -> "CHF 12.50"; cents have two digits ("3,5 €" -> "€3.50"); "5,- €" is
  "€5"; a catalog's "%d €", carried as "7000 €", comes back as "€7000". Scale words go after the
  amount ("1,5 Mio. €" -> "€1.5 million", "3 Mrd." -> "3 billion"; German "Billion" is a trillion).
- Dates are written the American way, as en_US: "3. Oktober 2023" and "03.10.2023" -> "October 3,
  2023"; "3. Oktober" and "3.10." -> "October 3" (so "2.4." is April 2: German writes 2.4 as
  "2,4"); "Oktober 2023" -> "October 2023". A two-digit year counts only in "03.10.23" (two-digit
  day and month too; 00-49 is 20xx). A day the month lacks is copied as written.
- Times use the 12-hour clock: "14:30 Uhr" and "14:30" -> "2:30 PM", "20 Uhr" -> "8 PM",
  "9–17 Uhr" -> "9 AM–5 PM"; "8 Uhr" -> "8 o'clock" (German uses it for morning and evening
  alike), "12 Uhr" -> "noon", "0 Uhr" -> "midnight". A day period after it is part of the span and
  decides: "8 Uhr abends" -> "8 PM", "6.30 Uhr morgens" -> "6:30 AM", "3 Uhr nachts" -> "3 AM",
  "11 Uhr nachts" -> "11 PM". "14.30" without "Uhr" is a number.
- An ordinal is one to three digits with a point before a word: "19. Jahrhundert" -> "19th"
  (CLDR's English ordinal rules); four digits with a point end a sentence ("im Jahr 2008.").
- Copied as written: phone numbers ("+49 30 1234567", "030/1234567", with the "+"), versions
  ("3.11.2", "v2.0"), ISO dates ("2023-10-03"), ratios and fractions ("1:3", "24/7"), and words
  with digits ("COVID-19", "A4", "MP3"). A number followed by letters ("20-jährige") is the number
  alone, so the model still writes "20-year-old".
"""

from translator_app.core.spans.kinds import Span, SpanKind
from translator_app.core.spans.recognize import EMOJI, find_spans

__all__ = ["EMOJI", "Span", "SpanKind", "find_spans"]
