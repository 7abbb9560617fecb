"""The background worker: a ``QObject`` living on a ``QThread`` that owns the ``Translator``.

Widgets never touch the model: they hand the worker requests and get answers by signal
(``translation_messages``). The waiting jobs are kept in a ``TranslationQueue``: one pending live
request that each new one replaces, file jobs in order. torch, spaCy and the core are imported here
lazily, on the worker thread, so the window can appear before they are loaded.

A file job (minutes for a long document) lets the window's text through between its batches: the
waiting live request runs there, on a second instance of the model (the first holds its lock for
the whole file; about 1 s to load and 45 MB for the default model, once per model), and the file
goes on. So the text typed during a file job waits one batch, not the whole file.
"""

from __future__ import annotations

import logging
import sys
import time
import traceback
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot

from translator_app.core.types.modelformat import ModelFileError
from translator_app.core.types.options import DecodeOptions
from translator_app.gui.glossary_marks import SentenceTerms
from translator_app.gui.model_details import model_details
from translator_app.gui.thread_host import ThreadHost
from translator_app.gui.translation_messages import (
    FileRequest,
    FileResult,
    SentenceConfidence,
    TranslationRequest,
    TranslationResult,
)
from translator_app.gui.translation_queue import TranslationQueue

if TYPE_CHECKING:  # torch: imported on the worker thread only
    from translator_app.core.translator import Translator

log = logging.getLogger(__name__)


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
    warmedUp = Signal()  # the sentencizer is in (or a translation is running that brings it in)

    _wake = Signal()  # emitted from any thread; runs _drain on ours

    def __init__(self) -> None:
        super().__init__()
        self._queue = TranslationQueue()
        self._translator: Translator | None = None  # only touched on the worker thread
        self._loaded_as = ""  # the name or path loadModel was given for it, to load it again
        self._between: Translator | None = None  # a second instance: live requests between a file job's batches
        self._between_failed = False  # it could not be loaded (for this model)
        self._wake.connect(self._drain)

    # ---- called from the GUI thread (thread-safe) ---------------------------------------------

    def submit(self, request: TranslationRequest) -> None:
        """Queue a live translation; it replaces any live request still waiting."""
        self._queue.submit(request)
        self._wake.emit()

    def submit_file(self, request: FileRequest) -> None:
        self._queue.submit_file(request)
        self._wake.emit()

    def cancel(self, request_id: int | None = None) -> None:
        """Cancel one request (or the running one and the waiting live one when ``None``)."""
        for rid in self._queue.cancel(request_id):
            self.cancelled.emit(rid)

    def cancel_live(self, request_ids: set[int]) -> None:
        """Cancel these live requests, the running one and any still waiting."""
        for rid in self._queue.cancel_live(request_ids):
            self.cancelled.emit(rid)

    def stop(self) -> None:
        """Ask a running translation to stop at its next batch; used when the window closes."""
        self._queue.stop()

    def is_busy(self) -> bool:
        return self._queue.is_busy()

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
        if self._queue.stopping:
            return
        self.modelLoading.emit(name_or_path)
        start = time.perf_counter()
        try:
            from translator_app.core.devices import resolve_device, resolve_runtime
            from translator_app.core.translator import Translator  # torch only where PyTorch decodes

            if device not in ("auto", "cpu"):  # these always resolve; checking a GPU imports torch
                try:
                    resolve_device(device)
                except ValueError as exc:
                    self.failed.emit(-1, f"Running on the CPU: {exc}.")
                    device = "cpu"
            try:
                translator = Translator.load(name_or_path or None, runtime=resolve_runtime(device, threads))
            except (ModelFileError, ValueError, OSError) as exc:
                self.modelFailed.emit(name_or_path, str(exc))
                return
            except RuntimeError as exc:
                if "torch" not in sys.modules or not isinstance(exc, sys.modules["torch"].cuda.OutOfMemoryError):
                    raise
                self.modelFailed.emit(
                    name_or_path, "the GPU ran out of memory while loading the model; choose the CPU in Preferences"
                )
                return
        except Exception as exc:  # e.g. a torch error deep in load_state_dict: report, never crash
            log.error("loading %s failed:\n%s", name_or_path, traceback.format_exc())
            self.modelFailed.emit(name_or_path, f"{type(exc).__name__}: {exc}")
            return
        self._translator, self._loaded_as, self._between, self._between_failed = translator, name_or_path, None, False
        self.modelLoaded.emit(model_details(translator, time.perf_counter() - start))
        self._drain()

    @Slot(int)
    def setThreads(self, threads: int) -> None:
        """The CPU thread setting (0 = automatic) for the loaded model and its second instance."""
        try:
            from translator_app.core.devices import resolve_runtime

            for translator in (self._translator, self._between):
                if translator is not None:
                    translator.set_runtime(resolve_runtime(translator.runtime.device, threads))
        except Exception as exc:
            self.failed.emit(-1, f"Could not set the number of CPU threads: {exc}")
            return
        if self._translator is not None:
            self.deviceChanged.emit(self._translator.device_description())

    @Slot()
    def warmUp(self) -> None:
        """Import spaCy's sentencizer ahead of the first translation (it costs about a second)."""
        if self._translator is None or self.is_busy():
            self.warmedUp.emit()
            return
        try:
            self._translator.warm_up()
        except Exception:
            log.exception("warm-up failed")
        finally:
            self.warmedUp.emit()

    # ---- internals ------------------------------------------------------------------------------

    @Slot()
    def _drain(self) -> None:
        """Run waiting jobs until none is left: file jobs in order, then the newest live request."""
        while True:
            next_job = self._queue.take(model_loaded=self._translator is not None)
            if next_job is None:  # stopping
                return
            for orphan in next_job.orphans:  # file jobs cannot wait for a model that may never come
                self.failed.emit(orphan.id, "No translation model is loaded.")
            job = next_job.job
            if job is None:
                if not next_job.orphans:
                    self.idle.emit()
                return
            try:
                if isinstance(job, FileRequest):
                    self._run_file(job)
                else:
                    self._run_live(job)
            finally:
                self._queue.finish(job.id)

    def _loaded(self) -> Translator:
        """The translator: jobs run only once one is loaded (``_drain`` fails them before)."""
        if self._translator is None:
            raise RuntimeError("no translation model is loaded")
        return self._translator

    def _translate(
        self, job_id: int, text: str, options: dict[str, Any], *, stream: bool = False, translator: Translator | None = None
    ):
        """Run the core translator (``translator``, or the loaded one); returns the Translation or None after
        emitting why not. A file job (not ``stream``) lets waiting live requests run between its batches."""
        from translator_app.core.translator import TranslationCancelled

        try:
            decode = DecodeOptions(**options).validated()
        except (TypeError, ValueError) as exc:
            self.failed.emit(job_id, f"Invalid decoding options: {exc}")
            return None, None
        try:
            result = (translator or self._loaded()).translate(
                text,
                decode,
                progress=lambda done, total: self.progress.emit(job_id, done, total),
                cancelled=(lambda: self._queue.is_cancelled(job_id)) if stream else (lambda: self._between_batches(job_id)),
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

    def _between_batches(self, file_id: int) -> bool:
        """A file job's check between its batches: run the live request waiting meanwhile, if any, then
        say whether the file job is cancelled."""
        while self._queue.live_waiting() and (translator := self._second_instance()) is not None:
            if (live := self._queue.take_live()) is None:  # cancelled meanwhile
                break
            try:
                self._run_live(live, translator)
            finally:
                self._queue.finish(live.id)
        return self._queue.is_cancelled(file_id)

    def _second_instance(self) -> Translator | None:
        """The model loaded again for live requests inside a file job (its first instance is busy with the
        file), kept until another model is loaded; None if it cannot be (then they wait for the file)."""
        if self._between is None and not self._between_failed:
            from translator_app.core.translator import Translator

            name_or_path, runtime = self._loaded_as, self._loaded().runtime  # the first's device and threads
            started = time.perf_counter()
            try:
                self._between = Translator.load(name_or_path or None, runtime=runtime)
            except Exception:  # memory, most likely: the live request waits for the file instead
                log.exception("a second instance of %s could not be loaded; live requests wait for the file", name_or_path)
                self._between_failed = True
                return None
            log.info("a second instance of %s for live requests loaded in %.1f s", name_or_path, time.perf_counter() - started)
        return self._between

    def _run_live(self, job: TranslationRequest, translator: Translator | None = None) -> None:
        translator = translator or self._loaded()
        self.started.emit(job.id, len(job.text))
        result, decode = self._translate(job.id, job.text, job.options, stream=True, translator=translator)
        if result is None:
            return
        used = {k: getattr(decode, k) for k in job.options if hasattr(decode, k)}
        alignments = []
        if translator.has_attention:
            from translator_app.core.types.alignment import document_alignment

            alignments = [document_alignment(result, rank) for rank in range(len(result.alternatives))]
        self.translated.emit(
            TranslationResult(
                id=job.id,
                source=job.text,
                text=result.text,
                alternatives=[(a.text, float(a.confidence)) for a in result.alternatives],
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
                glossary=[SentenceTerms(s.hypotheses[0].text, tuple(s.glossary)) for s in result.sentences if s.hypotheses],
                lost=result.lost,
            )
        )

    def _run_file(self, job: FileRequest) -> None:
        from translator_app.gui.fileio import TextFileError, read_text_file, write_text_atomic

        if job.scope is not None:
            self._run_catalog(job)
            return
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
        if self._queue.is_cancelled(job.id):  # cancelled after the last batch: still write nothing
            self.cancelled.emit(job.id)
            return
        try:
            write_text_atomic(job.target, result.text)
        except TextFileError as exc:
            self.failed.emit(job.id, str(exc))
            return
        self.fileTranslated.emit(FileResult(job.id, job.source, job.target, len(text), encoding, time.perf_counter() - start))

    def _run_catalog(self, job: FileRequest) -> None:
        """A PO or XLIFF file: the core reads, masks codes, writes atomically; this lends it the translator."""
        from translator_app.core.catalogs import translate_catalog
        from translator_app.core.types.catalogs import CatalogError
        from translator_app.core.translator import TranslationCancelled

        assert job.scope is not None
        start = time.perf_counter()
        try:
            decode = DecodeOptions(**job.options).validated()
        except (TypeError, ValueError) as exc:
            self.failed.emit(job.id, f"Invalid decoding options: {exc}")
            return

        def translate(texts: list[str]) -> list[str]:
            self.started.emit(job.id, sum(len(t) for t in texts))
            results = self._loaded().translate(
                texts,
                decode,
                progress=lambda done, total: self.progress.emit(job.id, done, total),
                cancelled=lambda: self._between_batches(job.id),
            )
            if self._queue.is_cancelled(job.id):  # cancelled after the last batch: still write nothing
                raise TranslationCancelled()
            return [r.text for r in results]

        try:
            report = translate_catalog(job.source, job.target, translate, job.scope)
        except TranslationCancelled:
            self.cancelled.emit(job.id)
            return
        except CatalogError as exc:
            self.failed.emit(job.id, str(exc))
            return
        except MemoryError:
            self.failed.emit(job.id, "Out of memory while translating; try a smaller beam width.")
            return
        except Exception as exc:
            log.error("file translation %d failed:\n%s", job.id, traceback.format_exc())
            self.failed.emit(job.id, f"Translation failed ({type(exc).__name__}: {exc})")
            return
        seconds = time.perf_counter() - start
        self.fileTranslated.emit(
            FileResult(
                job.id, job.source, job.target, report.characters, report.kind.value, seconds, report.filled, report.reattached
            )
        )


class WorkerThread(ThreadHost[TranslationWorker]):
    """The translation worker on its thread. ``shutdown`` stops at the next batch boundary (cancellation
    is checked between batches, so it waits for at most one batch)."""

    def __init__(self) -> None:
        super().__init__(TranslationWorker(), "translationThread", "translation")

    def stop_worker(self) -> None:
        self.worker.stop()
