"""The Translate tab's requests: what to send, when, and which answers still count.

``LiveTranslation`` is the one owner of the live-request bookkeeping, kept out of the window so it
can be tested with a stand-in worker: the debounce of as-you-type, the request ids (shared with
file jobs, so a worker signal names exactly one job), the id below which answers are stale (a
cleared input must not fill up again), the running request and its busy indication. It reads the
input and the options through callables and answers only by signal; widgets stay with the window.

Newest text wins twice over: a burst of edits becomes one request when the typing pauses, and the
worker keeps ONE pending request (translateLocally's slot), which each new request replaces while
an earlier one runs. Text typed before a model is in waits for it (``model_loaded``).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from enum import Enum
from typing import Any, Callable

from PySide6.QtCore import QObject, QTimer, Signal

from translator_app.gui.translation_messages import TranslationRequest, TranslationResult
from translator_app.gui.worker import TranslationWorker


class Skipped(Enum):
    """Why an explicit request (the Translate button) sent nothing, so the window can say so."""

    NO_TEXT = "no text"  # the input is blank
    NO_MODEL = "no model"  # no model is loaded yet: the text is translated once one is


@dataclass(frozen=True)
class Busy:
    """What the progress indication of the running request shows."""

    done: int = 0
    total: int | None = None  # None: not known yet (a busy bar, "Translating…")


class LiveTranslation(QObject):
    requested = Signal(object)  # a TranslationRequest was sent to the worker
    shown = Signal(object)  # the TranslationResult of a current request (stale ones never come)
    partial = Signal(str)  # a long text: the running request's sentences translated so far ("" when it starts)
    partialWithdrawn = Signal()  # that half translation will not be finished: take it down
    cleared = Signal()  # the output is to be emptied (blank input, Clear)
    skipped = Signal(object)  # Skipped: an explicit request sent nothing
    runningChanged = Signal(bool)  # a request is (no longer) running: Cancel applies to it
    busyChanged = Signal(object)  # Busy to show, or None to hide the progress
    cancelled = Signal()  # the running request was cancelled

    DEBOUNCE_MS = 400  # as-you-type waits this long after the last keystroke
    LONG_TEXT_CHARS = 5_000  # from this size the progress shows at once
    BUSY_DELAY_MS = 600  # shorter translations never flash a progress bar

    def __init__(
        self,
        worker: TranslationWorker,
        text: Callable[[], str],
        options: Callable[[], dict[str, Any]],
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._worker = worker
        self._text = text
        self._options = options
        self.as_you_type = False
        self.model_ready = False
        self.last_result: TranslationResult | None = None
        self._ids = itertools.count(1)
        self._sent: set[int] = set()  # live ids that may still start (file jobs share the counter)
        self._discard_below = 0  # answers to requests older than this are stale
        self._running: int | None = None
        self._partial_shown: int | None = None  # the long request whose first sentences are on show
        self._busy_shown = False
        self._waiting_for_model = False
        self._debounce = QTimer(self, singleShot=True, interval=self.DEBOUNCE_MS)
        self._debounce.timeout.connect(lambda: self.translate(live=True))
        self._busy_timer = QTimer(self, singleShot=True, interval=self.BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(self._show_busy)
        worker.started.connect(self._on_started)
        worker.progress.connect(self._on_progress)
        worker.partial.connect(self._on_partial)
        worker.translated.connect(self._on_translated)
        worker.cancelled.connect(self._on_cancelled)
        worker.failed.connect(self._on_failed)

    @property
    def running(self) -> int | None:
        """The id of the live request the worker is running, if any."""
        return self._running

    def next_id(self) -> int:
        return next(self._ids)

    def translate(self, live: bool = False) -> int | None:
        """Send the input to the worker; returns the request id, or None when nothing was sent.

        ``live`` requests (as-you-type) are skipped when they would repeat the translation already
        shown; an explicit one always translates.
        """
        self._debounce.stop()
        text = self._text()
        if not text.strip():
            self.clear_output()
            if not live:
                self.skipped.emit(Skipped.NO_TEXT)
            return None
        if not self.model_ready:
            self._waiting_for_model = True
            if not live:
                self.skipped.emit(Skipped.NO_MODEL)
            return None
        options = self._options()
        last = self.last_result
        if live and last is not None and last.source == text and last.options == options and last.id >= self._discard_below:
            return None
        request = TranslationRequest(self.next_id(), text, options)
        self._sent.add(request.id)
        self._worker.submit(request)
        self.requested.emit(request)
        return request.id

    def schedule(self) -> None:
        """Translate once typing pauses, if as-you-type is on and there is text (an edit, new options)."""
        if self.as_you_type and self._text().strip():
            self._debounce.start()

    def text_changed(self) -> None:
        """A blank input empties the output at once and stops what runs; other edits are debounced."""
        if self._text().strip():
            self.schedule()
            return
        self._debounce.stop()
        self.clear_output()
        self.cancel()

    def cancel(self) -> bool:
        """Cancel the running request and everything asked for before this cancel: the request waiting
        behind it (an option change during a long translation queued one, which restarted by itself
        after "Translation cancelled.") and a debounced one not sent yet. False when none runs."""
        self._debounce.stop()
        ids = self._sent | ({self._running} if self._running is not None else set())  # _sent: not started yet
        if ids:
            self._worker.cancel_live(ids)
        self._sent.clear()
        return self._running is not None

    def clear_output(self) -> None:
        """Empty the output and make any translation still under way arrive as stale."""
        self._discard_below = self.next_id()
        self.last_result = None
        self.cleared.emit()

    def model_loaded(self) -> bool:
        """A model is in: translate the input with it if a translation is on show, waited for, or typed
        live. False when nothing was sent (the window may warm the worker up instead)."""
        self.model_ready = True
        sent = False
        if self._text().strip() and (self._waiting_for_model or self.last_result is not None or self.as_you_type):
            self.last_result = None
            sent = self.translate(live=False) is not None
        self._waiting_for_model = False
        return sent

    def stop(self) -> None:
        """The window closes: no timer may fire into a worker that is going away."""
        self._debounce.stop()
        self._busy_timer.stop()

    # ---- the worker's answers -------------------------------------------------------------------

    def _on_started(self, request_id: int, characters: int) -> None:
        if request_id not in self._sent:
            return  # a file job
        self._sent = {i for i in self._sent if i > request_id}  # older ones were replaced: they never start
        self._running = request_id
        self.runningChanged.emit(True)
        if characters >= self.LONG_TEXT_CHARS:  # seconds to go: the previous text's translation goes at once
            self._show_busy()
            if request_id >= self._discard_below:
                self._partial_shown = request_id
                self.partial.emit("")
        else:
            self._busy_timer.start()

    def _show_busy(self) -> None:
        if self._running is not None and not self._busy_shown:
            self._busy_shown = True
            self.busyChanged.emit(Busy())

    def _on_progress(self, request_id: int, done: int, total: int) -> None:
        if request_id == self._running and (done < total or self._busy_shown):
            self._busy_shown = True
            self.busyChanged.emit(Busy(done, total))

    def _on_partial(self, request_id: int, text: str) -> None:
        if request_id == self._running and request_id >= self._discard_below:
            self._partial_shown = request_id
            self.partial.emit(text)

    def _on_translated(self, result: TranslationResult) -> None:
        self._finished(result.id)
        if result.id < self._discard_below:
            return
        self.last_result = result
        self.shown.emit(result)

    def _on_cancelled(self, request_id: int) -> None:
        if self._stopped(request_id):
            self.cancelled.emit()

    def _on_failed(self, request_id: int, _message: str) -> None:
        self._stopped(request_id)

    def _stopped(self, request_id: int) -> bool:
        """The running request ended without a translation: no half translation stays up looking done."""
        if request_id != self._running:
            return False
        self._finished(request_id)
        if self._partial_shown == request_id:
            self.partialWithdrawn.emit()
        return True

    def _finished(self, request_id: int) -> None:
        if request_id != self._running:
            return
        self._running = None
        self._busy_timer.stop()
        self._busy_shown = False
        self.runningChanged.emit(False)
        self.busyChanged.emit(None)
