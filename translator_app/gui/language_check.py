"""Is the text on show German? ``core.language_id`` asked off the GUI thread, one check at a time.

The detector's model takes about 0.7 s to unpack, more than the window may freeze for; a check
after that takes well under a millisecond. So checks run on a private one-thread pool and answer by
signal with the id of the result they were about, and the window shows the note only if that
result is still the one on show.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QThreadPool, Signal

from translator_app.core import language_id
from translator_app.gui.thread_host import quit_wait_ms

log = logging.getLogger(__name__)


class LanguageCheck(QObject):
    checked = Signal(int, object)  # result id, LanguageGuess when clearly not German, else None

    WAIT_MS = 3000  # at shutdown: a check is quick, the model's first load is the longest wait

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one model, loaded once; checks in the order asked

    def warm_up(self) -> None:
        """Load the detector now, so the first translation's check is quick."""
        self._pool.start(self._warm_up)

    def check(self, result_id: int, text: str) -> None:
        self._pool.start(lambda: self._check(result_id, text))

    def shutdown(self) -> bool:
        """Drop the checks not yet started and wait for the running one; False if it did not end in time."""
        self._pool.clear()
        return self._pool.waitForDone(quit_wait_ms(self.WAIT_MS))  # a check is worth nothing once the app is gone

    def _warm_up(self) -> None:
        try:
            language_id.warm_up()
        except Exception:  # no detector: translating goes on without the note
            log.exception("loading the language detector failed")

    def _check(self, result_id: int, text: str) -> None:
        try:
            guess = language_id.foreign_language(text)
        except Exception:
            log.exception("language identification failed")
            guess = None
        self.checked.emit(result_id, guess)
