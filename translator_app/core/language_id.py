"""Does the input look German? A warning for text in another language, shared by the window and the CLI.

The models translate German only: English input ("What is the work of that, I don't have it?")
comes out as confident nonsense, and the out-of-domain note does not say why. ``py3langid`` (the
maintained fork of langid.py; chosen by ``benchmarks/language_id.py`` over lingua for its 4.6 MB
against 100 MB, at the same accuracy on short dev sentences) is asked to choose among a few
languages a user is likely to paste (``CANDIDATES``). A verdict needs enough words to go on and a
clear margin, so a short name, a greeting or a German sentence full of loanwords draws no warning:
a false warning costs more trust than a missed one. The model (about 0.7 s to unpack) is loaded
once, on first use, under a lock, so a worker thread can warm it up.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

GERMAN = "de"
CANDIDATES = ("de", "en", "fr", "es", "it", "nl", "pt", "pl", "sv", "da", "cs", "tr")
NAMES = {
    "de": "German",
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "nl": "Dutch",
    "pt": "Portuguese",
    "pl": "Polish",
    "sv": "Swedish",
    "da": "Danish",
    "cs": "Czech",
    "tr": "Turkish",
}
MIN_WORDS = 3  # "Guten Morgen", "Hallo Tom": too little to judge
MIN_LETTERS = 12
MIN_PROBABILITY = 0.95  # of the best language among CANDIDATES, normalised
SAMPLE_CHARS = 4000  # a long text is judged on its beginning: enough, and constant time

_WORD = re.compile(r"[^\W\d_]{2,}")
_lock = threading.Lock()
_identifier: Any = None


@dataclass(frozen=True)
class LanguageGuess:
    code: str  # ISO 639-1, one of CANDIDATES
    probability: float  # among CANDIDATES

    @property
    def name(self) -> str:
        return NAMES[self.code]

    @property
    def german(self) -> bool:
        return self.code == GERMAN

    @property
    def foreign(self) -> bool:
        """Clearly another language than German: the warning is due."""
        return not self.german and self.probability >= MIN_PROBABILITY

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "probability": round(self.probability, 4)}


def _loaded() -> Any:
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            identifier.set_languages(list(CANDIDATES))
            _identifier = identifier
        return _identifier


def is_loaded() -> bool:
    """Whether the model is in (the start-up benchmark checks it waits for the first translation)."""
    return _identifier is not None


def warm_up() -> None:
    """Load the model now (it takes about 0.7 s), e.g. on a worker thread before the first check."""
    _loaded()


def identify(text: str) -> LanguageGuess | None:
    """The language ``text`` is most likely in, or None when it is too short to say."""
    sample = text[:SAMPLE_CHARS]
    words = _WORD.findall(sample)
    if len(words) < MIN_WORDS or sum(len(w) for w in words) < MIN_LETTERS:
        return None
    code, probability = _loaded().classify(sample)
    return LanguageGuess(str(code), float(probability))


def foreign_language(text: str) -> LanguageGuess | None:
    """The language ``text`` is clearly in when that is not German; None otherwise (German, unsure, too short)."""
    guess = identify(text)
    return guess if guess is not None and guess.foreign else None


def language_note(guess: LanguageGuess) -> str:
    """The warning, one sentence the window and the CLI both show."""
    return (
        f"This text looks like {guess.name}, not German: the model translates German only, "
        "so its translation is likely to be wrong."
    )
