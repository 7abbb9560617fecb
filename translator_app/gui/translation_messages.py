"""What the window and the translation worker hand each other: requests in, results out, as plain data.

The worker builds the results on its thread from what the core returned; the window only reads
them, so nothing the core owns (a Translator, a tensor) ever crosses to the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from translator_app.core.types.catalogs import Scope  # torch-free
from translator_app.core.types.confidence import Confidence
from translator_app.gui.glossary_marks import SentenceTerms


@dataclass(frozen=True)
class TranslationRequest:
    id: int
    text: str
    options: dict[str, Any]  # DecodeOptions keyword arguments


@dataclass(frozen=True)
class FileRequest:
    id: int
    source: Path
    target: Path
    options: dict[str, Any]
    scope: Scope | None = None  # a PO or XLIFF file: which entries to fill in; None: a text file


@dataclass
class TranslationResult:
    id: int
    source: str
    text: str
    alternatives: list[tuple[str, float]]  # (text, mean token log-probability), best first; [0][0] == text when not empty
    sentences: int
    seconds: float
    options: dict[str, Any]  # the options used, after validation
    alignments: list[Any] = field(default_factory=list)  # DocumentAlignment per alternative; empty without attention
    confidence: list["SentenceConfidence"] = field(default_factory=list)  # per sentence of the best translation
    out_of_domain: bool = False  # most sentences low-confidence: the text is unlike the training data
    truncated: int = 0  # sentences the maximum output length cut short
    glossary: list[SentenceTerms] = field(default_factory=list)  # per sentence of the best translation
    lost: list[str] = field(default_factory=list)  # numbers, addresses, emoji of the source not in the translation


@dataclass(frozen=True)
class SentenceConfidence:
    text: str  # the sentence's translation, as it appears in ``text``
    level: Confidence
    score: float  # mean token log-probability


@dataclass
class FileResult:
    id: int
    source: Path
    target: Path
    characters: int
    encoding: str  # a text file's encoding, or a catalog's kind ("gettext PO", "XLIFF 1.2", ...)
    seconds: float
    filled: int | None = None  # a PO or XLIFF file: the texts filled in (None: a text file)
    reattached: int = 0  # placeholders or markup the model lost and that were put back
