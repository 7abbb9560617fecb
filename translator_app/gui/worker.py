"""The background worker: a ``QObject`` living on a ``QThread`` that owns the ``Translator``.

Widgets never touch the model: they hand the worker requests and get answers by signal.
Live translations (as-you-type, the Translate button) go through a single pending slot, as in
translateLocally: while one translation runs, each new request replaces the waiting one, so after a
burst of edits only the newest text is translated next. File jobs queue in order and are never
dropped. torch, spaCy and the core are imported here lazily, on the worker thread, so the window
can appear before they are loaded.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot

from translator_app.gui.thread_host import ThreadHost
from translator_app.core.catalog import ModelInfo as ModelEntry  # noqa: F401 (re-exported: the GUI's name for a listed model; torch-free)
from translator_app.core.confidence import Confidence  # torch-free too

if TYPE_CHECKING:  # torch: imported on the worker thread only
    from translator_app.core.translator import Translator

log = logging.getLogger(__name__)

FILE_JOB = "file"


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


@dataclass
class TranslationResult:
    id: int
    source: str
    text: str
    alternatives: list[tuple[str, float]]  # best first; [0][0] == text when not empty
    sentences: int
    seconds: float
    options: dict[str, Any]  # the options used, after validation
    alignments: list[Any] = field(default_factory=list)  # DocumentAlignment per alternative; empty without attention
    confidence: list["SentenceConfidence"] = field(default_factory=list)  # per sentence of the best translation
    out_of_domain: bool = False  # most sentences low-confidence: the text is unlike the training data
    truncated: int = 0  # sentences the maximum output length cut short


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
    encoding: str
    seconds: float


@dataclass
class ModelDetails:
    """What the window shows about the loaded model (plain data: no torch objects cross threads)."""

    name: str
    path: Path
    architecture: str
    device: str
    description: str = ""
    card: str = ""  # the folder's README.md, or one built from config.json
    default_options: dict[str, Any] = field(default_factory=dict)
    has_attention: bool = False
    seconds: float = 0.0
    domains: list[str] = field(default_factory=list)  # what the model was trained on
    confidence: dict[str, float] = field(default_factory=dict)  # the model's thresholds (core.confidence)


class TranslationWorker(QObject):
    """Loads models and translates on its own thread; every outcome is a signal."""

    modelsListed = Signal(list)  # [catalog.ModelInfo]
    modelLoading = Signal(str)  # name or path being loaded
    modelLoaded = Signal(object)  # ModelDetails
    modelFailed = Signal(str, str)  # requested name/path, user-facing message
    started = Signal(int, int)  # request id, characters
    progress = Signal(int, int, int)  # request id, pieces done, pieces total
    partial = Signal(int, str)  # request id, the translation of the sentences done so far (long texts)
    translated = Signal(object)  # TranslationResult
    fileTranslated = Signal(object)  # FileResult
    cancelled = Signal(int)  # request id
    failed = Signal(int, str)  # request id (-1: not about a request), message
    deviceChanged = Signal(str)  # where the model runs now, e.g. after a new thread count
    idle = Signal()  # nothing running and nothing waiting

    _wake = Signal()  # emitted from any thread; runs _drain on ours

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._pending: TranslationRequest | None = None
        self._files: deque[FileRequest] = deque()
        self._cancel_ids: set[int] = set()
        self._running_id: int | None = None
        self._stopping = False
        self._translator: Translator | None = None  # only touched on the worker thread
        self._default_threads: int | None = None
        self._wake.connect(self._drain)

    # ---- called from the GUI thread (thread-safe) ---------------------------------------------

    def submit(self, request: TranslationRequest) -> None:
        """Queue a live translation; it replaces any live request still waiting."""
        with self._lock:
            self._pending = request
        self._wake.emit()

    def submit_file(self, request: FileRequest) -> None:
        with self._lock:
            self._files.append(request)
        self._wake.emit()

    def cancel(self, request_id: int | None = None) -> None:
        """Cancel one request (or the running one and the waiting live one when ``None``)."""
        dropped: list[int] = []
        with self._lock:
            if request_id is None:
                if self._running_id is not None:
                    self._cancel_ids.add(self._running_id)
                if self._pending is not None:
                    dropped.append(self._pending.id)
                    self._pending = None
            else:
                self._cancel_ids.add(request_id)
                if self._pending is not None and self._pending.id == request_id:
                    dropped.append(request_id)
                    self._pending = None
                for job in list(self._files):
                    if job.id == request_id:
                        self._files.remove(job)
                        dropped.append(request_id)
        for rid in dropped:
            self.cancelled.emit(rid)

    def stop(self) -> None:
        """Ask a running translation to stop at its next batch; used when the window closes."""
        with self._lock:
            self._stopping = True
            self._pending = None
            self._files.clear()

    def is_busy(self) -> bool:
        with self._lock:
            return self._running_id is not None or self._pending is not None or bool(self._files)

    # ---- worker-thread slots --------------------------------------------------------------------

    @Slot()
    def listModels(self) -> None:
        try:
            from translator_app.core.catalog import list_models

            entries = list_models()
        except Exception as exc:  # a listing problem must not kill the thread
            log.exception("listing models failed")
            self.failed.emit(-1, f"Could not list the installed models: {exc}")
            entries = []
        self.modelsListed.emit(entries)

    @Slot(str, str, int)
    def loadModel(self, name_or_path: str, device: str, threads: int) -> None:
        """Load a model; on any failure the previous model stays in use and modelFailed says why."""
        if self._stopping:
            return
        self.modelLoading.emit(name_or_path)
        start = time.perf_counter()
        try:
            import torch

            from translator_app.core.devices import resolve_device
            from translator_app.core.modelfile import ModelFileError
            from translator_app.core.translator import Translator

            self._apply_threads(threads)
            try:
                resolve_device(device)
            except ValueError as exc:
                self.failed.emit(-1, f"Running on the CPU: {exc}.")
                device = "cpu"
            try:
                translator = Translator.load(name_or_path or None, device=device)
            except (ModelFileError, ValueError, OSError) as exc:
                self.modelFailed.emit(name_or_path, str(exc))
                return
            except torch.cuda.OutOfMemoryError:
                self.modelFailed.emit(
                    name_or_path, "the GPU ran out of memory while loading the model; choose the CPU in Preferences"
                )
                return
        except Exception as exc:  # e.g. a torch error deep in load_state_dict: report, never crash
            log.error("loading %s failed:\n%s", name_or_path, traceback.format_exc())
            self.modelFailed.emit(name_or_path, f"{type(exc).__name__}: {exc}")
            return
        self._translator = translator
        self.modelLoaded.emit(self._details(translator, time.perf_counter() - start))
        self._drain()

    @Slot(int)
    def setThreads(self, threads: int) -> None:
        try:
            self._apply_threads(threads)
        except Exception as exc:
            self.failed.emit(-1, f"Could not set the number of CPU threads: {exc}")
            return
        if self._translator is not None:
            self.deviceChanged.emit(self._translator.device_description())

    @Slot()
    def warmUp(self) -> None:
        """Import spaCy's sentencizer ahead of the first translation (it costs about a second)."""
        if self._translator is None or self.is_busy():
            return
        try:
            from translator_app.core.text import split_sentences

            split_sentences("Hallo Welt.")
        except Exception:
            log.exception("warm-up failed")

    # ---- internals ------------------------------------------------------------------------------

    def _apply_threads(self, threads: int) -> None:
        import torch

        if self._default_threads is None:
            self._default_threads = torch.get_num_threads()
        wanted = threads if threads > 0 else automatic_threads(self._default_threads)
        if wanted != torch.get_num_threads():
            torch.set_num_threads(wanted)

    @staticmethod
    def _details(translator, seconds: float) -> ModelDetails:
        meta = translator.metadata
        card_path = Path(translator.path) / "README.md"
        try:
            card = card_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            card = card_from_metadata(meta, translator.architecture)
        try:
            defaults = {
                k: getattr(translator.default_options(), k)
                for k in ("beam_width", "max_length", "length_penalty", "n_best", "no_repeat_ngram_size")
            }
        except (TypeError, ValueError):
            defaults = {}
        return ModelDetails(
            name=translator.name,
            path=Path(translator.path),
            architecture=translator.architecture,
            device=translator.device_description(),
            description=meta.description,
            card=card,
            default_options=defaults,
            has_attention=bool(translator.has_attention),
            seconds=seconds,
            domains=list(translator.domains),
            confidence=dict(meta.confidence),
        )

    @Slot()
    def _drain(self) -> None:
        """Run waiting jobs until none is left: file jobs in order, then the newest live request."""
        while True:
            job: FileRequest | TranslationRequest | None
            with self._lock:
                if self._stopping:
                    return
                if self._translator is None:
                    jobs = list(self._files)
                    self._files.clear()
                    job = None
                elif self._files:
                    jobs, job = [], self._files.popleft()
                elif self._pending is not None:
                    jobs, job = [], self._pending
                    self._pending = None
                else:
                    jobs, job = [], None
                if job is not None:
                    self._running_id = job.id
            for orphan in jobs:  # file jobs cannot wait for a model that may never come
                self.failed.emit(orphan.id, "No translation model is loaded.")
            if job is None:
                if not jobs:
                    self.idle.emit()
                return
            try:
                if isinstance(job, FileRequest):
                    self._run_file(job)
                else:
                    self._run_live(job)
            finally:
                with self._lock:
                    self._running_id = None
                    self._cancel_ids.discard(job.id)

    def _loaded(self) -> Translator:
        """The translator: jobs run only once one is loaded (``_drain`` fails them before)."""
        if self._translator is None:
            raise RuntimeError("no translation model is loaded")
        return self._translator

    def _is_cancelled(self, request_id: int) -> bool:
        with self._lock:
            return self._stopping or request_id in self._cancel_ids

    def _translate(self, job_id: int, text: str, options: dict[str, Any], *, stream: bool = False):
        """Run the core translator; returns the Translation or None after emitting why not."""
        from translator_app.core.search import DecodeOptions
        from translator_app.core.translator import TranslationCancelled

        try:
            decode = DecodeOptions(**options).validated()
        except (TypeError, ValueError) as exc:
            self.failed.emit(job_id, f"Invalid decoding options: {exc}")
            return None, None
        try:
            result = self._loaded().translate(
                text,
                decode,
                progress=lambda done, total: self.progress.emit(job_id, done, total),
                cancelled=lambda: self._is_cancelled(job_id),
                partial=(lambda so_far: self.partial.emit(job_id, so_far)) if stream else None,
            )
        except TranslationCancelled:
            self.cancelled.emit(job_id)
            return None, None
        except MemoryError:
            self.failed.emit(job_id, "Out of memory while translating; try a shorter text or a smaller beam width.")
            return None, None
        except Exception as exc:
            log.error("translation %d failed:\n%s", job_id, traceback.format_exc())
            self.failed.emit(job_id, f"Translation failed ({type(exc).__name__}: {exc})")
            return None, None
        return result, decode

    def _run_live(self, job: TranslationRequest) -> None:
        self.started.emit(job.id, len(job.text))
        result, decode = self._translate(job.id, job.text, job.options, stream=True)
        if result is None:
            return
        used = {k: getattr(decode, k) for k in job.options if hasattr(decode, k)}
        alignments = []
        if self._loaded().has_attention:
            from translator_app.core.alignment import document_alignment

            alignments = [document_alignment(result, rank) for rank in range(len(result.alternatives))]
        self.translated.emit(
            TranslationResult(
                id=job.id,
                source=job.text,
                text=result.text,
                alternatives=[(a.text, float(a.score)) for a in result.alternatives],
                sentences=len(result.sentences),
                seconds=float(result.seconds),
                options=used,
                alignments=alignments,
                confidence=[
                    SentenceConfidence(s.hypotheses[0].text, s.level, float(s.confidence))
                    for s in result.sentences
                    if s.hypotheses
                ],
                out_of_domain=result.out_of_domain,
                truncated=result.truncated,
            )
        )

    def _run_file(self, job: FileRequest) -> None:
        from translator_app.gui.fileio import TextFileError, read_text_file, write_text_atomic

        start = time.perf_counter()
        try:
            text, encoding = read_text_file(job.source)
        except TextFileError as exc:
            self.failed.emit(job.id, str(exc))
            return
        self.started.emit(job.id, len(text))
        result, _ = self._translate(job.id, text, job.options)
        if result is None:
            return
        if self._is_cancelled(job.id):  # cancelled after the last batch: still write nothing
            self.cancelled.emit(job.id)
            return
        try:
            write_text_atomic(job.target, result.text)
        except TextFileError as exc:
            self.failed.emit(job.id, str(exc))
            return
        self.fileTranslated.emit(FileResult(job.id, job.source, job.target, len(text), encoding, time.perf_counter() - start))


def automatic_threads(torch_default: int, cpus: int | None = None) -> int:
    """Torch's choice (one thread per physical core), less one core on small machines.

    Keeping a core for the window (and whatever else runs) matters more than it seems: with as
    many OpenMP threads as cores, any other busy process makes the threads wait on each other, and
    on a 2-core laptop with a busy browser a 2-sentence translation went from 0.1 s to 2 s.
    """
    cpus = cpus if cpus is not None else (os.cpu_count() or 1)
    return max(1, min(torch_default, cpus - 1))


def card_from_metadata(meta, architecture: str) -> str:
    """A Markdown model card from config.json, for model folders without a README.md."""
    lines = [f"# {meta.name}", ""]
    if meta.description:
        lines += [meta.description, ""]
    lines += [f"- Architecture: {architecture}", f"- Languages: {meta.source_language} → {meta.target_language}"]
    if meta.metrics:
        lines += ["", "## Metrics", ""] + [f"- {k}: {v}" for k, v in meta.metrics.items()]
    if meta.training:
        lines += ["", "## Training", ""]
        for key, value in meta.training.items():
            if isinstance(value, dict):
                value = ", ".join(f"{k}={v}" for k, v in value.items())
            lines.append(f"- {key}: {value}")
    if meta.default_decoding:
        lines += ["", "## Default decoding", ""] + [f"- {k}: {v}" for k, v in meta.default_decoding.items()]
    return "\n".join(lines) + "\n"


class WorkerThread(ThreadHost[TranslationWorker]):
    """The translation worker on its thread. ``shutdown`` stops at the next batch boundary (cancellation
    is checked between batches, so it waits for at most one batch)."""

    def __init__(self) -> None:
        super().__init__(TranslationWorker(), "translationThread", "translation")

    def stop_worker(self) -> None:
        self.worker.stop()
