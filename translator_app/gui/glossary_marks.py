"""Where the glossary's English terms stand in the output text, and what their tooltips say.

The core reports, per sentence, the terms it put in (``SentenceTranslation.glossary``); the output
pane shows the whole text, so each sentence is found in it in order (as the confidence marks are)
and each term inside its sentence, left to right. Positions are Qt's (``text_positions``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from translator_app.core.types.glossary import GlossaryMatch
from translator_app.gui.text_positions import qt_position

GLOSSARY_TIP = "Glossary: “{source}” → “{target}” (your term for “{term}”)"


@dataclass(frozen=True)
class SentenceTerms:
    """One sentence of the best translation and the glossary terms in it, in order."""

    text: str
    terms: tuple[GlossaryMatch, ...]


def term_spans(text: str, sentences: list[SentenceTerms]) -> list[tuple[int, int, str]]:
    """(start, end, tooltip) in Qt positions of each glossary term shown in ``text``."""
    spans: list[tuple[int, int, str]] = []
    cursor_at = 0
    for sentence in sentences:
        start = text.find(sentence.text, cursor_at) if sentence.text else -1
        if start < 0:
            continue
        end = cursor_at = start + len(sentence.text)
        at = start
        for match in sentence.terms:
            found = re.compile(rf"(?<!\w){re.escape(match.target)}(?!\w)", re.IGNORECASE).search(text, at, end)
            if found is None:
                continue
            tip = GLOSSARY_TIP.format(source=match.source, target=match.target, term=match.entry.source)
            spans.append((qt_position(text, found.start()), qt_position(text, found.end()), tip))
            at = found.end()
    return spans
