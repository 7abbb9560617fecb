"""Where a German number followed by a period ends a sentence: a rule shared by the translator's
sentence splitter (``core.text``) and the input pane's sentence count (``core.sentence_count``).

Kept free of heavy imports so the window can use it before spaCy and SentencePiece are loaded.
"""

from __future__ import annotations

import re

# German writes ordinals with a period ("am 3. Oktober", "zum 100. Geburtstag"), so spaCy's German
# tokenizer keeps "1989." as one token and the sentencizer never ends a sentence there: "Das war
# 1989. Die Mauer fiel." stayed one sentence. Such a token ends the sentence when what follows it
# cannot follow an ordinal: after a decimal ("3,50.") or a year ("1989.") any capital letter, after
# a small number a word that opens sentences but never follows an ordinal.
_NUMBER_WITH_PERIOD = re.compile(r"\d[\d.,]*\.")
_SENTENCE_OPENERS = frozenset(
    "Der Die Das Ein Eine Einen Er Sie Es Ich Du Wir Ihr Man Mein Meine Dein Deine Sein Seine Unser "
    "Unsere Dann Danach Aber Und Doch Also Deshalb Trotzdem Jetzt Heute Hier Dort Bitte Leider "
    "Vielleicht Wie Was Wer Wo Wann Warum".split()
)


def number_ends_sentence(token: str, following: str) -> bool:
    """Whether a German token such as "1989." ends its sentence, given the word after it."""
    if not following[:1].isupper() or not _NUMBER_WITH_PERIOD.fullmatch(token):
        return False
    number = token[:-1]
    if "," in number or (number.isdigit() and len(number) == 4):
        return True
    return following in _SENTENCE_OPENERS
