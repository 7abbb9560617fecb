"""The input pane's sentence count, cheap enough to run on every keystroke.

The translator splits sentences with spaCy (``core.text``), but importing spaCy on the GUI thread would
delay the window and a 100,000-character paste would freeze it; this regex follows the same rule of
thumb (end punctuation, then space and a capital, digit or quote, except after a German ordinal such
as "am 3. Oktober" or an abbreviation that does not end sentences) and costs milliseconds. It lives in
the core beside the splitter's rules (``core.sentence_ends``, ``core.abbreviations``) so that the two
agree, and imports neither spaCy nor torch.
"""

from __future__ import annotations

import re

from translator_app.core.abbreviations import Found, ends_sentence, find_abbreviations
from translator_app.core.sentence_ends import number_ends_sentence

_SENTENCE_END = re.compile(r"[.!?…]+[\"'»«“”‘’)\]]*(?=\s+[\"'„»«“‘(\[]?[A-ZÄÖÜ0-9])")
_LINE_BREAKS = re.compile(r"\n+")
_WORD_BEFORE = re.compile(r"\S*$")
_WORD_AFTER = re.compile(r"\s+(\S+)")


def count_sentences(text: str) -> int:
    count = 0
    for line in (line.strip() for line in _LINE_BREAKS.split(text)):
        if line:
            abbreviations = find_abbreviations(line)
            count += 1 + sum(_ends_sentence(line, end, abbreviations) for end in _SENTENCE_END.finditer(line))
    return count


def _ends_sentence(line: str, end: re.Match[str], abbreviations: list[Found]) -> bool:
    """False for the period of a number that reads as an ordinal (core.sentence_ends) and for one
    inside or after an abbreviation that does not end sentences (core.abbreviations)."""
    for found in abbreviations:
        if found.start <= end.start() < found.end:
            return end.end() == found.end and ends_sentence(found, line)
    if end.group() != "." or not line[end.start() - 1 : end.start()].isdigit():
        return True
    before = _WORD_BEFORE.search(line[max(0, end.start() - 40) : end.start()])  # a bounded look back
    after = _WORD_AFTER.match(line, end.end())
    if before is None or after is None:
        return True
    token = before.group() + "."
    return number_ends_sentence(token, re.sub(r"\W+$", "", after.group(1)))
