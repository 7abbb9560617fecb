"""One worker ``QObject`` on its own ``QThread``: started on first need, stopped and joined once.

The translation worker and the training worker are hosted alike: the host moves the worker onto the
thread, registers itself to be joined at interpreter exit (``thread_exit``), and on ``shutdown``
asks the worker to stop at its next safe point, quits the thread's event loop and waits for it. A
thread that does not stop in time is kept referenced, never destroyed while it runs (that aborts
the process).

The app (``app.run``) ends its process with ``os._exit`` once the window has closed, so there nothing
needs a thread to have ended: ``end_process_on_close`` bounds every join (``quit_wait_ms``): a worker
saving work (a training step's checkpoint) gets what is left of one shared budget, any other a moment,
and one still busy then (a batch being translated, a step or a validation under way) ends with the
process. Nothing is lost by that: files are written atomically, and a training run keeps its last
checkpoint (``TrainingThread`` says which).
"""

from __future__ import annotations

import logging
import time
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QThread

from translator_app.gui.thread_exit import join_at_exit

log = logging.getLogger(__name__)

W = TypeVar("W", bound=QObject)

QUIT_BUDGET_S = 1.5  # a quitting app waits at most this long, all threads together, for work worth keeping
QUIT_WAIT_MS = 250  # and at most this long for a worker whose work is worth nothing once the app is gone


class _Quit:
    budget_s: float | None = None  # set by ``end_process_on_close``
    deadline: float | None = None  # from the first bounded wait


def end_process_on_close(budget_s: float | None = QUIT_BUDGET_S) -> None:
    """The process ends (``os._exit``) once the window closes: bound the joins (None: wait as long as each
    host's ``WAIT_MS`` again, as a window in a process that goes on, a test's, must)."""
    _Quit.budget_s, _Quit.deadline = budget_s, None


def quit_wait_ms(wait_ms: int, *, keeps_work: bool = False) -> int:
    """How long to wait for a worker to stop: ``wait_ms``, or, when the process ends on close, what is left
    of ``QUIT_BUDGET_S`` (for a worker that is saving work: a training run's checkpoint) or ``QUIT_WAIT_MS``
    (for one whose result goes with the window: a translation, a listing, a language check)."""
    if _Quit.budget_s is None:
        return wait_ms
    now = time.monotonic()
    if _Quit.deadline is None:
        _Quit.deadline = now + _Quit.budget_s
    left = max(0, int((_Quit.deadline - now) * 1000))
    return min(wait_ms, left if keeps_work else min(left, QUIT_WAIT_MS))


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
        wait_ms = quit_wait_ms(self.WAIT_MS if wait_ms is None else wait_ms, keeps_work=self.keeps_work())
        self.stop_worker()
        if self.thread.isRunning():
            self.thread.quit()
            if not self.thread.wait(wait_ms):
                _UNFINISHED.append(self)
                if _Quit.budget_s is None:
                    log.error("the %s thread did not stop within %d ms", self._what, wait_ms)
                else:
                    self.left_running()
                return False
        self.stopped()
        return True

    def keeps_work(self) -> bool:
        """Whether waiting for the worker keeps something (a checkpoint): then a quit waits its whole budget."""
        return False

    def left_running(self) -> None:
        """Called when a quitting app stopped waiting with the worker still busy: the process ends with it."""
        log.info("the %s thread was still busy when the app quit; the process ends with it", self._what)

    def stop_worker(self) -> None:
        """Called from the GUI thread before joining: make the worker's job end at its next safe point."""

    def stopped(self) -> None:
        """Called once the thread has stopped (or never ran): release what the worker held."""


_UNFINISHED: list[ThreadHost[Any]] = []
