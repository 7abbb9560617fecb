"""The ``Translator`` facade: text in, English out, for the GUI, the CLI and the evaluator.

It owns the whole pipeline of DESIGN.md: split into sentences, encode to subwords, run one batched
search over all sentences, decode and rejoin with the original spacing. Calls are serialised by a
lock, so a worker thread can translate while another thread only reads the model's description.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence, overload

from translator_app.core.catalog import find_model
from translator_app.core.confidence import looks_out_of_domain, sentence_score
from translator_app.core.types.confidence import Confidence, ConfidenceThresholds
from translator_app.core.devices import Runtime, resolve_runtime
from translator_app.core.engine import Engine
from translator_app.core.engine_choice import engine_setting, numpy_chosen
from translator_app.core.types.errors import ControlFlowSignal, InvalidInput
from translator_app.core.glossary import TermMask, budget_parts, mask_terms
from translator_app.core.types.glossary import GlossaryMatch
from translator_app.core.hypothesis import Hypothesis
from translator_app.core.numpy_engine import NumpyModel, load_numpy_model
from translator_app.core.types.options import DecodeOptions
from translator_app.core.protect import PLACEHOLDERS, PRIVATE_USE, SPAN, Masked, missing_spans, scrub
from translator_app.core.text import EOS_ID, Segment, segment_document, split_sentences

if TYPE_CHECKING:  # torch is imported only where PyTorch decodes (or is asked for: ``Translator.model``)
    import torch

    from translator_app.core.modelfile import LoadedModel

MAX_SOURCE_SUBWORDS = 150  # longer "sentences" (no punctuation in a long paste) are cut into pieces
SENTENCES_PER_BATCH = 64
STREAM_SENTENCES = 4 * SENTENCES_PER_BATCH  # a long text streams in document-order windows of up to this many
STREAM_FIRST = SENTENCES_PER_BATCH // 4  # the first window: the first sentences show within a second or two

ProgressCallback = Callable[[int, int], None]


class TranslationCancelled(ControlFlowSignal):
    """Raised inside ``translate`` when its ``cancelled`` callback says stop: the user's own wish, not an error."""


@dataclass
class SentenceHypothesis:
    text: str
    score: float
    log_prob: float
    tokens: list[str]  # output subwords, without the end-of-sentence marker
    token_log_probs: list[float]  # one per token, plus the end-of-sentence marker's last
    attention: list[list[float]] | None = None  # [output token][source subword]
    truncated: bool = False  # the maximum output length ended it: it may be cut short


@dataclass
class SentenceTranslation:
    source: str
    source_tokens: list[str]
    hypotheses: list[SentenceHypothesis]
    confidence: float = 0.0  # mean token log-probability of the best translation
    level: Confidence = Confidence.HIGH  # from the model's thresholds (core.confidence)
    glossary: list[GlossaryMatch] = field(default_factory=list)  # the terms the options' glossary put in, in order
    lost: list[str] = field(default_factory=list)  # numbers, addresses, emoji of the source the best translation lacks

    @property
    def truncated(self) -> bool:
        """The best translation was ended by the maximum output length, not by the model."""
        return bool(self.hypotheses) and self.hypotheses[0].truncated


@dataclass
class Alternative:
    text: str
    score: float  # the search's ranking score (length-normalised, core.search)
    confidence: float = 0.0  # mean token log-probability over the whole text: the confidence marks' scale


@dataclass
class Translation:
    source: str
    text: str
    alternatives: list[Alternative] = field(default_factory=list)  # best first; [0].text == text
    sentences: list[SentenceTranslation] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def truncated(self) -> int:
        """How many sentences the maximum output length cut short."""
        return sum(s.truncated for s in self.sentences)

    @property
    def lost(self) -> list[str]:
        """The source's numbers, addresses and emoji that the translation does not hold (said, never silent)."""
        return [span for s in self.sentences for span in s.lost]

    @property
    def out_of_domain(self) -> bool:
        """Most sentences are low-confidence: the text is unlike what the model was trained on."""
        return looks_out_of_domain([s.level for s in self.sentences])


class Translator:
    """One facade over one ``Engine`` (``core.engine``), whichever decodes: PyTorch (the reference,
    and what training uses; ``core.torch_engine``), CTranslate2 for Transformers (``core.ct2_backend``)
    or NumPy for the attention models (``core.numpy_engine``), which needs no torch at all: a
    NumPy-decoded translator imports torch only when ``model``, ``shortlist`` or ``device`` is asked
    for, and then loads the PyTorch reference beside it."""

    def __init__(
        self,
        loaded: "LoadedModel | NumpyModel",
        device: "torch.device | None" = None,
        engine: Engine | None = None,
        runtime: Runtime | None = None,
    ):
        """``engine``: what decodes (CTranslate2's); without, a NumPy model decodes itself and a
        PyTorch one through ``core.torch_engine``. ``runtime``: the threads it decodes with (``load``
        always gives one); without, a model already in memory (validation during training) keeps the
        threads the process has."""
        self._loaded = loaded
        numpy = loaded if isinstance(loaded, NumpyModel) else None
        self._reference: LoadedModel | None = None if numpy is not None else loaded  # type: ignore[assignment]
        self._device = device
        runtime = runtime or (numpy.runtime if numpy is not None else _process_runtime(self.device))
        self._engine: Engine = engine or numpy or _torch_engine(self._pytorch(), self.device, runtime)
        self._engine.runtime = runtime
        self.thresholds = ConfidenceThresholds.from_metadata(loaded.metadata.confidence)
        self._lock = threading.Lock()
        self.use_shortlist = True  # score only a sentence's likely target subwords, where the model has a shortlist

    @classmethod
    def load(
        cls,
        name_or_path: str | Path | None = None,
        device: str = "auto",
        precision: str = "auto",
        engine: str = "auto",
        runtime: Runtime | None = None,
    ) -> "Translator":
        """Load a model by name (shipped or user) or folder path; raises ModelFileError or ValueError.
        ``engine`` chooses what decodes it (``core.types.options.ENGINES``; ``core.engine_choice``);
        ``runtime`` where and on how many threads (``core.devices.resolve_runtime``), or ``device`` alone
        with the automatic thread count."""
        if runtime is not None and device != "auto":
            raise InvalidInput("give the device in the runtime or as device, not both")
        runtime = runtime or resolve_runtime(device)
        folder = find_model(name_or_path)
        engine = engine_setting(engine)
        if numpy_chosen(folder, runtime.device, precision, engine):
            runtime = replace(runtime, device="cpu")
            return cls(load_numpy_model(folder, runtime), runtime=runtime)
        from translator_app.core.ct2_backend import open_engine
        from translator_app.core.devices import apply_torch_threads, inference_dtype, resolve_device
        from translator_app.core.modelfile import load_model_folder

        apply_torch_threads(runtime.threads)  # loading (and converting for CTranslate2) runs on torch too
        target = resolve_device(runtime.device)
        runtime = replace(runtime, device=str(target))
        dtype = inference_dtype(target, precision)
        loaded = load_model_folder(folder, device=target)
        decoder = open_engine(loaded, target, engine, precision, runtime=runtime)  # converted from the fp32 weights
        loaded.model.to(dtype)
        return cls(loaded, target, decoder, runtime)

    @property
    def runtime(self) -> Runtime:
        """Where it runs (the device resolved: "cpu", "cuda", "mps") and on how many CPU threads."""
        return self._engine.runtime

    def set_runtime(self, runtime: Runtime) -> None:
        """Decode on ``runtime``'s threads from the next translation on (Preferences); its device must
        be the one the model is on: another needs the model loaded again."""
        if runtime.device != self.runtime.device:
            raise InvalidInput(f"{self.name} runs on {self.runtime.device}; load it again to run it on {runtime.device}")
        with self._lock:
            self._engine.runtime = runtime

    def _pytorch(self) -> "LoadedModel":
        """The PyTorch model: the one loaded, or the reference loaded now beside the NumPy engine."""
        if self._reference is None:
            from translator_app.core.modelfile import load_model_folder

            self._reference = load_model_folder(self._loaded.path)
        return self._reference

    @property
    def name(self) -> str:
        return self._loaded.metadata.name

    @property
    def path(self) -> Path:
        return self._loaded.path

    @property
    def architecture(self) -> str:
        return self._loaded.config.architecture

    @property
    def has_attention(self) -> bool:
        return self._engine.has_attention

    @property
    def metadata(self):
        return self._loaded.metadata

    @property
    def domains(self) -> list[str]:
        """What the model was trained on (everyday, news, parliament, captions), for the user."""
        return self._loaded.metadata.domains

    @property
    def vocab(self):
        return self._loaded.vocab

    @property
    def model(self):
        """The PyTorch model (for a NumPy-decoded translator, loaded on first use: it imports torch)."""
        return self._pytorch().model

    @property
    def shortlist(self):
        """The model's vocabulary shortlist as PyTorch's search takes it (core.shortlist), None when it has none."""
        return self._pytorch().shortlist

    @property
    def device(self) -> "torch.device":
        """Where PyTorch runs the model; the CPU for a NumPy-decoded one (asking imports torch)."""
        if self._device is None:
            import torch

            self._device = torch.device("cpu")
        return self._device

    @property
    def dtype(self) -> Any:
        """What the engine computes in: a torch dtype, NumPy's float32 (the fp16 weights widened), or CTranslate2's compute type."""
        return self._engine.dtype

    @property
    def engine(self) -> str:
        """What decodes: "PyTorch", "NumPy float32" or "CTranslate2 int8" (or float32)."""
        return self._engine.name

    def device_description(self) -> str:
        return self._engine.describe()

    @property
    def supports_glossary(self) -> bool:
        """Glossary terms are kept through placeholders, which only newer vocabularies hold (core.glossary)."""
        return bool(self._loaded.vocab.has_placeholders)

    def warm_up(self) -> None:
        """Load spaCy's sentencizer now (it costs about a second), so the first translation does not wait for it."""
        split_sentences("Hallo Welt.")

    def default_options(self) -> DecodeOptions:
        return DecodeOptions(
            **{k: v for k, v in self._loaded.metadata.default_decoding.items() if k in DecodeOptions.__dataclass_fields__}
        )

    @overload
    def translate(
        self,
        texts: str,
        options: DecodeOptions | None = None,
        *,
        progress: ProgressCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
        partial: Callable[[str], None] | None = None,
    ) -> Translation: ...

    @overload
    def translate(
        self,
        texts: list[str],
        options: DecodeOptions | None = None,
        *,  # a list: str is a Sequence too
        progress: ProgressCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
        partial: Callable[[str], None] | None = None,
    ) -> list[Translation]: ...

    def translate(
        self,
        texts: str | Sequence[str],
        options: DecodeOptions | None = None,
        *,
        progress: ProgressCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
        partial: Callable[[str], None] | None = None,
    ) -> Translation | list[Translation]:
        """Translate one text (→ Translation) or a list of texts (→ list, same order).

        Each text may hold several sentences and paragraphs; all sentences of all texts are
        translated together in length-sorted batches. ``progress(done, total)`` is called after
        each batch and ``cancelled()`` checked before each one. With ``partial`` (one text only), a
        long text goes in document-order windows of ``STREAM_SENTENCES``, and ``partial(text)`` gets
        the translation of every sentence done so far, in order, while the rest is translated.
        """
        single = isinstance(texts, str)
        items = [texts] if isinstance(texts, str) else list(texts)
        options = (options or DecodeOptions()).checked()
        start = time.perf_counter()
        documents = [segment_document(t) for t in items]
        sentences = [s.text for doc in documents for s in doc if s.translatable]
        with self._lock:
            if partial is not None and single and len(sentences) > min(STREAM_FIRST, STREAM_SENTENCES):
                translated = self._translate_streaming(items[0], documents[0], sentences, options, progress, cancelled, partial)
            else:
                translated = self._translate_sentences(sentences, options, progress, cancelled)
        seconds = time.perf_counter() - start
        results, cursor = [], 0
        for text, doc in zip(items, documents):
            count = sum(s.translatable for s in doc)
            results.append(_assemble(text, doc, translated[cursor : cursor + count], options.n_best, seconds))
            cursor += count
        return results[0] if single else results

    def _translate_streaming(self, text, doc, sentences, options, progress, cancelled, partial) -> list[SentenceTranslation]:
        """Windows of sentences in document order, each sorted by length inside; the prefix shown after each.

        The windows grow from ``STREAM_FIRST`` to ``STREAM_SENTENCES``, doubling: the first sentences
        show at once, and the later, larger windows sort by length (less padding) over more sentences.
        With fixed windows of 256, a 332-sentence paste showed nothing until 77% was done.
        """
        done: list[SentenceTranslation] = []
        total = len(sentences)
        size = min(STREAM_FIRST, STREAM_SENTENCES)
        while len(done) < total:
            offset = len(done)
            window = sentences[offset : offset + size]
            size = min(2 * size, STREAM_SENTENCES)
            step = (lambda d, _t, offset=offset: progress(offset + d, total)) if progress is not None else None
            done += self._translate_sentences(window, options, step, cancelled)
            if len(done) < total:
                partial(_assemble(text, _prefix(doc, len(done)), done, 1, 0.0).text)
        return done

    def translate_sentences(self, sentences: Sequence[str], options: DecodeOptions | None = None) -> list[SentenceTranslation]:
        """One result per input line, with no sentence splitting (for evaluation on test sets)."""
        with self._lock:
            return self._translate_sentences(list(sentences), (options or DecodeOptions()).checked(), None, None)

    def _translate_sentences(self, sentences, options, progress, cancelled) -> list[SentenceTranslation]:
        vocab = self._loaded.vocab
        # numbers, URLs, addresses, emoji and glossary terms become placeholders the model copies
        # (core.protect); a sentence with more than there are placeholders goes in parts (units)
        units: list[tuple[int, TermMask]] = []
        for index, sentence in enumerate(sentences):
            if vocab.has_placeholders:
                units += [(index, mask_terms(part, options.glossary)) for part in budget_parts(sentence, options.glossary)]
            else:
                units.append((index, TermMask(Masked(sentence, (), ()))))
        pieces: list[list[int]] = []  # source pieces (long units are cut)
        owner: list[int] = []  # the unit of each piece
        for index, ids in enumerate(vocab.encode_batch([m.masked.text for _, m in units])):
            chunks = [ids[i : i + MAX_SOURCE_SUBWORDS] for i in range(0, len(ids), MAX_SOURCE_SUBWORDS)] or [[]]
            for chunk in chunks:
                pieces.append(chunk + [EOS_ID])
                owner.append(index)
        order = sorted(range(len(pieces)), key=lambda i: len(pieces[i]))
        hypotheses: list[list[Hypothesis]] = [[] for _ in pieces]
        total = len(pieces)
        for start in range(0, total, SENTENCES_PER_BATCH):
            if cancelled is not None and cancelled():
                raise TranslationCancelled()
            batch = order[start : start + SENTENCES_PER_BATCH]
            for i, hyps in zip(batch, self._search([pieces[i] for i in batch], options)):
                hypotheses[i] = hyps
            if progress is not None:
                progress(min(start + SENTENCES_PER_BATCH, total), total)

        results = [SentenceTranslation(s, [], []) for s in sentences]
        unit_pieces: dict[int, list[int]] = {}
        for piece_index, unit_index in enumerate(owner):
            unit_pieces.setdefault(unit_index, []).append(piece_index)
        sentence_units: dict[int, list[int]] = {}
        for unit_index, (sentence_index, _) in enumerate(units):
            sentence_units.setdefault(sentence_index, []).append(unit_index)
        for sentence_index, unit_indices in sentence_units.items():
            result = results[sentence_index]
            result.source_tokens = [
                token
                for u in unit_indices
                for token in _unmask_pieces(
                    [p for i in unit_pieces[u] for p in vocab.pieces(pieces[i][:-1])], units[u][1].sources
                )
            ]
            result.glossary = [m for u in unit_indices for m in units[u][1].matches]
            only = unit_pieces[unit_indices[0]]
            if len(unit_indices) == 1 and len(only) == 1:
                mask = units[unit_indices[0]][1]
                result.hypotheses = _dedupe(
                    [_restored(self._to_sentence_hypothesis(h, len(pieces[only[0]]) - 1), mask) for h in hypotheses[only[0]]]
                )
            else:  # a cut sentence: the best translation of each piece, each unit's spans restored, joined
                result.hypotheses = [
                    _joined(
                        [
                            _restored(
                                _joined(
                                    [
                                        self._to_sentence_hypothesis(hypotheses[i][0], len(pieces[i]) - 1)
                                        for i in unit_pieces[u]
                                        if hypotheses[i]
                                    ]
                                ),
                                units[u][1],
                            )
                            for u in unit_indices
                        ]
                    )
                ]
            if result.hypotheses:
                expected = (
                    [s for u in unit_indices for k, s in enumerate(units[u][1].masked.spans) if k not in units[u][1].terms]
                    if vocab.has_placeholders
                    else [m.group(0) for m in SPAN.finditer(PRIVATE_USE.sub("", result.source))]
                )
                result.lost = missing_spans(expected, result.hypotheses[0].text, whole=not vocab.has_placeholders)
                result.confidence = sentence_score(result.hypotheses[0].token_log_probs)
                result.level = self.thresholds.level(result.confidence)
        return results

    def _search(self, sources: list[list[int]], options: DecodeOptions) -> list[list[Hypothesis]]:
        """Each source's hypotheses; none holds a placeholder its source lacks (``SourceBans``)."""
        placeholders = self._loaded.vocab.placeholder_ids
        banned = [tuple(p for p in placeholders if p not in set(ids)) for ids in sources]
        return self._engine.search(sources, options, banned, self.use_shortlist)

    def _to_sentence_hypothesis(self, h: Hypothesis, source_length: int) -> SentenceHypothesis:
        """Drop the end-of-sentence markers, so attention is [output subword][source subword]."""
        ids = h.token_ids[:-1] if h.token_ids and h.token_ids[-1] == EOS_ID else h.token_ids
        vocab = self._loaded.vocab
        attention = [row[:source_length] for row in h.attention[: len(ids)]] if h.attention is not None else None
        return SentenceHypothesis(
            vocab.decode(ids), h.score, h.log_prob, vocab.pieces(ids), h.token_log_probs, attention, h.truncated
        )


def _torch_engine(loaded: "LoadedModel", device: "torch.device", runtime: Runtime) -> Engine:
    from translator_app.core.torch_engine import TorchEngine  # imports torch: only for a PyTorch-decoded model

    return TorchEngine(loaded, device, runtime)


def _process_runtime(device: "torch.device") -> Runtime:
    """The runtime of a model made elsewhere: its device, and the threads the process has now."""
    import torch

    return Runtime(str(device), torch.get_num_threads())


def _unmask_pieces(pieces: list[str], spans: tuple[str, ...]) -> list[str]:
    """Subword pieces with each placeholder shown as the span it stands for (for the attention view);
    any other private-use character is removed, as from the text."""
    table = {p: span for p, span in zip(PLACEHOLDERS, spans)}
    return [table[piece] if piece in table else PRIVATE_USE.sub("", piece) for piece in pieces]


def _restored(h: SentenceHypothesis, mask: TermMask) -> SentenceHypothesis:
    """``h`` with its spans put back and no placeholder left, whether or not its source had spans."""
    h.text = mask.restore(h.text) if mask.masked.spans else scrub(h.text)
    h.tokens = _unmask_pieces(h.tokens, mask.masked.spans)
    return h


def _joined(parts: list[SentenceHypothesis]) -> SentenceHypothesis:
    """The pieces of a cut sentence as one hypothesis (no attention: the pieces' sources differ)."""
    if len(parts) == 1:
        return parts[0]
    return SentenceHypothesis(
        text=" ".join(p.text for p in parts if p.text),
        score=sum(p.score for p in parts) / max(len(parts), 1),
        log_prob=sum(p.log_prob for p in parts),
        tokens=[t for p in parts for t in p.tokens],
        token_log_probs=[x for p in parts for x in p.token_log_probs],
        truncated=any(p.truncated for p in parts),
    )


def _dedupe(hypotheses: list[SentenceHypothesis]) -> list[SentenceHypothesis]:
    """Different subword paths can spell the same text; keep the best-scored spelling."""
    seen, unique = set(), []
    for h in hypotheses:
        if h.text not in seen:
            seen.add(h.text)
            unique.append(h)
    return unique


def _prefix(doc: list[Segment], count: int) -> list[Segment]:
    """The segments up to and including the ``count``-th translatable one."""
    seen = 0
    for i, segment in enumerate(doc):
        seen += segment.translatable
        if seen == count:
            return doc[: i + 1]
    return doc


def _assemble(source: str, doc: list[Segment], sentences: list[SentenceTranslation], n_best: int, seconds: float) -> Translation:
    """Put translated sentences back between the original separators; build whole-text alternatives."""
    if not sentences:
        return Translation(source=source, text="", alternatives=[], sentences=[], seconds=seconds)
    depth = max(1, min(n_best, max(len(s.hypotheses) for s in sentences)))
    alternatives = []
    for k in range(depth):
        parts, scores, token_log_probs, it = [], [], [], iter(sentences)
        for segment in doc:
            if not segment.translatable:
                parts.append(segment.text)
                continue
            hyps = next(it).hypotheses
            chosen = hyps[min(k, len(hyps) - 1)] if hyps else None
            parts.append(chosen.text if chosen else "")
            scores.append(chosen.score if chosen else 0.0)
            token_log_probs += chosen.token_log_probs if chosen else []
        alternatives.append(Alternative("".join(parts).strip(), sum(scores) / len(scores), sentence_score(token_log_probs)))
    unique: list[Alternative] = []
    for alt in alternatives:
        if alt.text not in {a.text for a in unique}:
            unique.append(alt)
    return Translation(source=source, text=unique[0].text, alternatives=unique, sentences=sentences, seconds=seconds)
