"""The status bar, and the one policy for what it says.

Every error, from any source, goes through ``StatusReporter.report_error``: shown in the status bar
(the full text in its tooltip) and sent out as ``errorReported``. An error stays up for a while and
passing background news does not push it away, but each error says what it is about
(``ErrorSource``) so that it goes as soon as that works again (``resolve_errors``). The permanent
widgets on the right show the model, the device, the last translation's time and the running
translation's progress with its Cancel button.
"""

from __future__ import annotations

import time
from enum import Enum

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFrame, QLabel, QProgressBar, QStatusBar, QToolButton

from translator_app.gui.live_translation import Busy
from translator_app.gui.model_details import ModelDetails
from translator_app.gui.named import named
from translator_app.gui.worker import TranslationWorker


class ErrorSource(Enum):
    """What an error in the status bar is about, so it goes away when that works again."""

    MODEL = "model"  # loading a model: cleared by a later successful load
    TRANSLATION = "translation"  # a translation failed: cleared by the next one that succeeds
    TRAINING = "training"  # the Training tab: cleared when a run goes on, or by translating
    OTHER = "other"  # stays until it times out or the user does something


class StatusReporter(QObject):
    errorReported = Signal(str)  # every error, also shown in the status bar
    cancelRequested = Signal()  # the Cancel button beside the progress

    ERROR_MS = 30_000
    NOTICE_MS = 20_000

    def __init__(self, bar: QStatusBar):
        super().__init__(bar)
        self.bar = bar
        self.last_error: str | None = None
        self._sticky_until = 0.0  # monotonic time until which an error/notice stays up
        self._error_source: ErrorSource | None = None  # what the error on show is about
        bar.setObjectName("statusBar")
        self.progress_bar = named(QProgressBar(), "translationProgress")
        # wide enough for its longest text, so it is never clipped (and never wraps: one line)
        self.progress_bar.setMinimumWidth(bar.fontMetrics().horizontalAdvance("100% of 100,000 sentences") + 24)
        self.progress_bar.setTextVisible(True)
        self.progress_bar.setVisible(False)
        self.cancel_button = named(QToolButton(), "cancelButton")
        self.cancel_button.setText("Cancel")
        self.cancel_button.setToolTip("Stop this translation (Esc)")
        self.cancel_button.clicked.connect(self.cancelRequested)
        self.cancel_button.setVisible(False)
        self.model_status = named(QLabel("Model: —"), "modelStatusLabel")
        self.device_status = named(QLabel("Device: —"), "deviceStatusLabel")
        self.time_status = named(QLabel("Last: —"), "timeStatusLabel")
        self.time_status.setToolTip("How long the last translation took")
        bar.addPermanentWidget(self.progress_bar)
        bar.addPermanentWidget(self.cancel_button)
        for i, label in enumerate((self.model_status, self.device_status, self.time_status)):
            if i:
                separator = QFrame()
                separator.setFrameShape(QFrame.Shape.VLine)
                separator.setFrameShadow(QFrame.Shadow.Sunken)
                bar.addPermanentWidget(separator)
            bar.addPermanentWidget(label)

    def connect_worker(self, worker: TranslationWorker) -> None:
        """The translation worker's errors come here, whatever they are about, and so does its device."""
        worker.failed.connect(lambda _request_id, message: self.report_error(message, ErrorSource.TRANSLATION))
        worker.deviceChanged.connect(self.device_status.setText)

    # ---- the one place errors go ----------------------------------------------------------------

    def report_error(self, message: str, source: ErrorSource = ErrorSource.OTHER) -> None:
        """Show an error for ``ERROR_MS``; background news (a model loaded) does not push it away,
        but ``resolve_errors`` takes it down as soon as what it was about works again."""
        self.last_error = message
        self._error_source = source
        self._show_sticky(f"⚠ {message}", self.ERROR_MS)
        self.errorReported.emit(message)

    def resolve_errors(self, *sources: ErrorSource) -> None:
        """The condition behind an error from one of ``sources`` is gone: clear it from the status bar."""
        if self._error_source in sources and time.monotonic() < self._sticky_until:
            self._error_source = None
            self._sticky_until = 0.0
            self.bar.clearMessage()
            self.bar.setToolTip("")

    def report_notice(self, message: str, source: ErrorSource | None = None) -> None:
        """Something the user should read though nothing failed (settings were reset, …); with a
        ``source``, it goes when that is resolved, as an error would."""
        self._error_source = source
        self._show_sticky(message, self.NOTICE_MS)

    def show_info(self, message: str, timeout_ms: int, *, background: bool = False) -> None:
        """A passing message. ``background`` ones (not caused by the user) never hide an error."""
        if background and time.monotonic() < self._sticky_until:
            return
        self._sticky_until = 0.0
        self.bar.setToolTip("")
        if message:
            self.bar.showMessage(message, timeout_ms)
        else:
            self.bar.clearMessage()

    def clear_waiting_message(self) -> None:
        """A translation arrived: "Cancelling…" or "still loading" no longer applies."""
        if self.bar.currentMessage().startswith(("Cancelling", "The model is still loading")):
            self.show_info("", 0, background=True)

    def _show_sticky(self, message: str, timeout_ms: int) -> None:
        self._sticky_until = time.monotonic() + timeout_ms / 1000
        self.bar.showMessage(message, timeout_ms)
        self.bar.setToolTip(message)

    # ---- the permanent widgets ------------------------------------------------------------------

    def show_model(self, details: ModelDetails) -> None:
        self.model_status.setText(f"Model: {details.name}")
        self.model_status.setToolTip(
            f"{details.description}\n{details.architecture} · {details.path}\nloaded in {details.seconds:.1f} s"
        )
        self.device_status.setText(details.device)
        self.device_status.setToolTip("Where the model runs (change it in Preferences)")

    def show_model_state(self, text: str) -> None:
        """No model in use yet: "Loading …" or "No model" where its name goes."""
        self.model_status.setText(text)

    def show_time(self, seconds: float) -> None:
        self.time_status.setText(f"Last: {seconds:.2f} s")
        self.time_status.setToolTip(f"The last translation took {seconds:.3f} s")

    def show_busy(self, busy: Busy | None) -> None:
        """The running translation's progress and its Cancel button, or neither (None)."""
        self.progress_bar.setVisible(busy is not None)
        self.cancel_button.setVisible(busy is not None)
        if busy is None:
            return
        if busy.total is None:
            self.progress_bar.setRange(0, 0)
            self.progress_bar.setFormat("Translating…")
        else:
            self.progress_bar.setRange(0, busy.total)
            self.progress_bar.setValue(busy.done)
            self.progress_bar.setFormat(f"%p% of {busy.total:,} sentences")

    def set_compact(self, compact: bool) -> None:
        """A narrow window leaves the model's name to the picker and drops the time."""
        self.model_status.setVisible(not compact)
        self.time_status.setVisible(not compact)
