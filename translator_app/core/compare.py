"""Comparing models on one text: every chosen model's translation beside the others'.

The window's Compare view and ``translator-app compare`` both call this module. Each model is
loaded once into a ``ModelPool`` and kept there until the pool is released, so comparing a second
sentence costs only the decoding. Models run one after another: each already spreads its matrix
work over every core, so running two at once would only make them wait on each other.

Each result carries the model's facts (architecture, the tutorial it comes from, domains, its
measured test BLEU per domain from its config), the translation, its confidence and decode time,
the word alignment where the model has attention, and which of its words the other models do not
share (``mark_differences``), so a reader sees at a glance where the models disagree.
"""

from __future__ import annotations

import difflib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from translator_app.core.catalog import ModelInfo, list_models
from translator_app.core.types.confidence import Confidence
from translator_app.core.model_store import test_bleu
from translator_app.core.types.architectures import ARCHITECTURE_TITLES, family_order, tutorial_of
from translator_app.core.types.modelformat import ModelFileError
from translator_app.core.types.errors import InvalidInput

if TYPE_CHECKING:
    from translator_app.core.types.alignment import DocumentAlignment
    from translator_app.core.translator import Translation, Translator

WORD = re.compile(r"\w+|[^\w\s]")  # a word or one punctuation mark: the unit differences are marked in
DISAGREEMENT = 0.5  # a word fewer than half of the other models also wrote is marked as different
_LEVEL_ORDER = (Confidence.LOW, Confidence.MEDIUM, Confidence.HIGH)


@dataclass(frozen=True)
class ComparedModel:
    """What the comparison shows about a model before it translates anything (from its config)."""

    name: str
    path: Path
    architecture: str
    tutorial: int | None  # 1-6: which PyTorch seq2seq tutorial the architecture comes from
    family: str  # the tutorial's short title, or the architecture's own
    title: str  # the architecture's full title (core.types.architectures.ARCHITECTURE_TITLES)
    domains: tuple[str, ...]
    test_bleu: dict[str, float]  # sacreBLEU per domain's test set, as measured when it was published
    shipped: bool

    @classmethod
    def from_info(cls, info: ModelInfo) -> "ComparedModel":
        tutorial = tutorial_of(info.architecture)
        return cls(
            name=info.name,
            path=info.path,
            architecture=info.architecture,
            tutorial=tutorial.number if tutorial else None,
            family=tutorial.family if tutorial else info.architecture,
            title=ARCHITECTURE_TITLES.get(info.architecture, info.architecture),
            domains=tuple(info.domains),
            test_bleu=test_bleu(info),
            shipped=info.shipped,
        )

    @property
    def tutorial_label(self) -> str:
        return f"Tutorial {self.tutorial}" if self.tutorial else "not a tutorial model"

    def bleu_summary(self) -> str:
        """ "everyday 37.9 · news 10.1 · captions 38.3", or "not measured"."""
        return " · ".join(f"{d} {v:.1f}" for d, v in self.test_bleu.items()) or "not measured"


@dataclass(frozen=True)
class WordMark:
    """One word of an output and how many of the other outputs wrote it too (0-1)."""

    start: int
    end: int
    word: str
    agreement: float

    @property
    def differs(self) -> bool:
        return self.agreement < DISAGREEMENT


@dataclass
class CompareEntry:
    """One model's answer; ``error`` set (and ``text`` empty) when it could not load or translate."""

    model: ComparedModel
    text: str = ""
    confidence: float | None = None  # mean token log-probability over the sentences (0 is certain)
    level: Confidence | None = None  # the least sure sentence's level, by the model's own thresholds
    seconds: float = 0.0  # decoding only
    load_seconds: float = 0.0  # 0 when the model was already loaded
    alignment: "DocumentAlignment | None" = None  # word alignment, for models with attention
    error: str | None = None
    marks: list[WordMark] = field(default_factory=list)  # filled by mark_entries

    @property
    def has_attention(self) -> bool:
        return self.alignment is not None and self.alignment.has_attention

    def to_dict(self) -> dict[str, Any]:
        m = self.model
        return {
            "name": m.name,
            "architecture": m.architecture,
            "tutorial": m.tutorial,
            "family": m.family,
            "domains": list(m.domains),
            "test_bleu": m.test_bleu,
            "text": self.text,
            "confidence": round(self.confidence, 4) if self.confidence is not None else None,
            "level": self.level.value if self.level else None,
            "seconds": round(self.seconds, 4),
            "load_seconds": round(self.load_seconds, 4),
            "has_attention": self.has_attention,
            "differs": [w.word for w in self.marks if w.differs],
            "error": self.error,
        }


def comparable_models(models: Sequence[ModelInfo] | None = None) -> list[ModelInfo]:
    """The loadable models in tutorial order (then shipped first, then by name)."""
    found = list_models() if models is None else list(models)
    usable = [m for m in found if not m.error]
    return sorted(usable, key=lambda m: (family_order(m.architecture), not m.shipped, m.name))


def default_selection(models: Sequence[ModelInfo]) -> list[str]:
    """Every shipped model takes part unless the user chooses otherwise."""
    return [m.name for m in models if m.shipped]


def choose(models: Sequence[ModelInfo], names: Sequence[str] | None) -> list[ModelInfo]:
    """The models called ``names`` (all shipped ones when None), in tutorial order; unknown names raise."""
    if names is None:
        wanted = set(default_selection(models))
        return [m for m in models if m.name in wanted]
    by_name = {m.name: m for m in models}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise InvalidInput(
            f"no usable model named {', '.join(repr(n) for n in unknown)} (installed: {', '.join(by_name) or 'none'})"
        )
    wanted = set(names)
    return [m for m in models if m.name in wanted]


class ModelPool:
    """Translators loaded once and kept until ``release``; used from one thread at a time."""

    def __init__(self, device: str = "auto"):
        self.device = device
        self._loaded: dict[Path, "Translator"] = {}

    def __contains__(self, path: Path) -> bool:
        return Path(path) in self._loaded

    def __len__(self) -> int:
        return len(self._loaded)

    def get(self, model: ComparedModel) -> tuple["Translator", float]:
        """The model's translator and the seconds loading it took now (0 when it was kept)."""
        path = Path(model.path)
        if path in self._loaded:
            return self._loaded[path], 0.0
        from translator_app.core.translator import Translator

        start = time.perf_counter()
        translator = Translator.load(path, device=self.device)
        self._loaded[path] = translator
        return translator, time.perf_counter() - start

    def keep_only(self, paths: Sequence[Path]) -> None:
        """Free the models no longer chosen."""
        keep = {Path(p) for p in paths}
        for path in [p for p in self._loaded if p not in keep]:
            del self._loaded[path]

    def release(self) -> None:
        self._loaded.clear()
        import gc

        gc.collect()


def translate_entry(
    pool: ModelPool, model: ComparedModel, text: str, cancelled: Callable[[], bool] | None = None
) -> CompareEntry:
    """One model's translation of ``text`` at its own default decoding; failures become the entry's error.
    ``cancelled`` is asked between batches: a long text stops there (core.translator.TranslationCancelled)."""
    try:
        translator, load_seconds = pool.get(model)
    except (ModelFileError, ValueError, OSError) as exc:
        return CompareEntry(model, error=f"could not load: {exc}")
    try:
        translation = translator.translate(text, translator.default_options().validated(), cancelled=cancelled)
    except (ValueError, RuntimeError) as exc:
        return CompareEntry(model, load_seconds=load_seconds, error=f"could not translate: {exc}")
    return entry_from(model, translation, load_seconds, translator.has_attention)


def entry_from(model: ComparedModel, translation: "Translation", load_seconds: float, attention: bool) -> CompareEntry:
    from translator_app.core.types.alignment import document_alignment

    sentences = [s for s in translation.sentences if s.hypotheses]
    confidence = sum(s.confidence for s in sentences) / len(sentences) if sentences else None
    level = min((s.level for s in sentences), key=_LEVEL_ORDER.index, default=None)
    return CompareEntry(
        model,
        text=translation.text,
        confidence=confidence,
        level=level,
        seconds=translation.seconds,
        load_seconds=load_seconds,
        alignment=document_alignment(translation) if attention and sentences else None,
    )


def compare(
    text: str,
    models: Sequence[ComparedModel],
    pool: ModelPool,
    on_entry: Callable[[CompareEntry], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[CompareEntry]:
    """Every model's entry, in order, each passed to ``on_entry`` as it is done; marks set at the end."""
    from translator_app.core.translator import TranslationCancelled

    entries: list[CompareEntry] = []
    for model in models:
        if cancelled is not None and cancelled():
            break
        try:
            entry = translate_entry(pool, model, text, cancelled)
        except TranslationCancelled:
            break
        entries.append(entry)
        if on_entry is not None:
            on_entry(entry)
    mark_entries(entries)
    return entries


def mark_entries(entries: Sequence[CompareEntry]) -> None:
    """Set each entry's word marks against the other entries that translated."""
    done = [e for e in entries if e.error is None]
    for entry, marks in zip(done, mark_differences([e.text for e in done])):
        entry.marks = marks


def mark_differences(texts: Sequence[str]) -> list[list[WordMark]]:
    """For each text, its words and the share of the other texts that have the same word in the
    same place (an aligned match, case-insensitive). One text alone agrees with itself everywhere."""
    tokens = [[(m.start(), m.end(), m.group(0)) for m in WORD.finditer(t)] for t in texts]
    keys = [[w.casefold() for _, _, w in words] for words in tokens]
    result = []
    for i, words in enumerate(tokens):
        others = [j for j in range(len(texts)) if j != i]
        counts = [0] * len(words)
        for j in others:
            matcher = difflib.SequenceMatcher(None, keys[i], keys[j], autojunk=False)
            for block in matcher.get_matching_blocks():
                for k in range(block.a, block.a + block.size):
                    counts[k] += 1
        share = [c / len(others) if others else 1.0 for c in counts]
        result.append([WordMark(s, e, w, a) for (s, e, w), a in zip(words, share)])
    return result
