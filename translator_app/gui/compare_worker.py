"""The Compare view's worker: loads each chosen model once and translates with them on its own thread.

The models stay in the worker's ``ModelPool`` while the view is open, so a second sentence only
decodes; the host frees them when the view closes. A newer request makes an older one stop before
its next batch of sentences (``latest`` is set from the GUI thread: one int, written whole), so
comparing again, or closing the view, never waits for a stale comparison of every model.
"""

from __future__ import annotations

import logging
import traceback

from PySide6.QtCore import QObject, Signal, Slot

from translator_app.core.compare import CompareEntry, ComparedModel, ModelPool, mark_entries, translate_entry
from translator_app.gui.app import rss_mb
from translator_app.gui.thread_host import ThreadHost

log = logging.getLogger(__name__)


class CompareWorker(QObject):
    modelStarted = Signal(int, str, bool)  # request id, model name, whether it must be loaded first
    entryReady = Signal(int, object)  # request id, CompareEntry (marks not set yet)
    finished = Signal(int, object)  # request id, list[CompareEntry] with the differences marked
    memoryMeasured = Signal(object, int)  # {"rss_mb", "peak_rss_mb"}, models loaded

    def __init__(self, device: str = "auto"):
        super().__init__()
        self.pool = ModelPool(device)
        self.latest = 0  # the newest request id: older ones stop before their next model
        self.stopping = False

    @Slot(int, str, object)
    def compare(self, request_id: int, text: str, models: list[ComparedModel]) -> None:
        from translator_app.core.translator import TranslationCancelled

        def superseded() -> bool:
            return self.stopping or request_id != self.latest

        entries: list[CompareEntry] = []
        for model in models:
            if superseded():
                return
            self.modelStarted.emit(request_id, model.name, model.path not in self.pool)
            try:
                entry = translate_entry(self.pool, model, text, superseded)
            except TranslationCancelled:  # a long text stops between batches, not after every model
                return
            except Exception as exc:  # a torch error deep in a model: that model's message, never a crash
                log.error("comparing with %s failed:\n%s", model.name, traceback.format_exc())
                entry = CompareEntry(model, error=f"failed: {type(exc).__name__}: {exc}")
            entries.append(entry)
            self.entryReady.emit(request_id, entry)
        mark_entries(entries)
        self.memoryMeasured.emit(rss_mb(), len(self.pool))  # first, so the summary shown at the end has it
        self.finished.emit(request_id, entries)


class CompareThread(ThreadHost[CompareWorker]):
    """The worker on its thread; stopping it frees every model it loaded.

    A running host is held here until it is shut down, not only by its view: a view deleted with its
    window (no close event) must not take a running QThread with it, which aborts the process.
    """

    def __init__(self, device: str = "auto") -> None:
        super().__init__(CompareWorker(device), "compareThread", "comparison")

    def start(self) -> None:
        _RUNNING.add(self)
        super().start()

    def shutdown(self, wait_ms: int | None = None) -> bool:
        """Once stopped (or never started) there is nothing to join: its Qt objects may be gone by now."""
        return super().shutdown(wait_ms) if self in _RUNNING else True

    def stop_worker(self) -> None:
        self.worker.stopping = True

    def stopped(self) -> None:
        self.worker.pool.release()
        _RUNNING.discard(self)


_RUNNING: set[CompareThread] = set()
