"""One worker ``QObject`` on its own ``QThread``: started on first need, stopped and joined once.

The translation worker and the training worker are hosted alike: the host moves the worker onto the
thread, registers itself to be joined at interpreter exit (``thread_exit``), and on ``shutdown``
asks the worker to stop at its next safe point, quits the thread's event loop and waits for it. A
thread that does not stop in time is kept referenced, never destroyed while it runs (that aborts
the process).
"""

from __future__ import annotations

import logging
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QThread

from translator_app.gui.thread_exit import join_at_exit

log = logging.getLogger(__name__)

W = TypeVar("W", bound=QObject)


class ThreadHost(Generic[W]):
    """Owns the QThread and the worker on it; ``shutdown`` is safe to call more than once."""

    WAIT_MS = 120_000  # how long ``shutdown`` waits by default

    def __init__(self, worker: W, name: str, what: str) -> None:
        self.thread = QThread()
        self.thread.setObjectName(name)
        self.worker = worker
        self.worker.moveToThread(self.thread)
        self._what = what  # "translation", "training": for the log
        join_at_exit(self)  # a window never closed must not abort the process at exit
        self.thread.finished.connect(self.worker.deleteLater)

    def start(self) -> None:
        if not self.thread.isRunning():
            self.thread.start()

    def shutdown(self, wait_ms: int | None = None) -> bool:
        """Ask the worker to stop, join the thread, then tidy up; False if it did not stop in time."""
        wait_ms = self.WAIT_MS if wait_ms is None else wait_ms
        self.stop_worker()
        if self.thread.isRunning():
            self.thread.quit()
            if not self.thread.wait(wait_ms):
                log.error("the %s thread did not stop within %d ms", self._what, wait_ms)
                _UNFINISHED.append(self)
                return False
        self.stopped()
        return True

    def stop_worker(self) -> None:
        """Called from the GUI thread before joining: make the worker's job end at its next safe point."""

    def stopped(self) -> None:
        """Called once the thread has stopped (or never ran): release what the worker held."""


_UNFINISHED: list[ThreadHost[Any]] = []
