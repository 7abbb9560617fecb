"""The training worker's thread: started on first need, stopped (and its run's folder tidied) once."""

from __future__ import annotations

import logging

from PySide6.QtCore import QThread

from translator_app.gui.thread_exit import join_at_exit
from translator_app.gui.training.worker import TrainingWorker, remove_unused_run

log = logging.getLogger(__name__)


class TrainingThread:
    """Owns the QThread and the worker on it; ``shutdown`` is safe to call more than once."""

    def __init__(self) -> None:
        self.thread = QThread()
        self.thread.setObjectName("trainingThread")
        self.scratch: dict = {}
        self.worker = TrainingWorker(self.scratch)
        self.worker.moveToThread(self.thread)
        join_at_exit(self)                  # a window never closed must not abort the process at exit
        self.thread.finished.connect(self.worker.deleteLater)

    def start(self) -> None:
        if not self.thread.isRunning():
            self.thread.start()

    def shutdown(self, wait_ms: int = 600_000) -> bool:
        """Stop a run at its next step (keeping its checkpoint) and join the thread."""
        self.worker.stop_for_close()
        if self.thread.isRunning():
            self.thread.quit()
            if not self.thread.wait(wait_ms):
                log.error("the training thread did not stop within %d ms", wait_ms)
                _UNFINISHED.append(self)
                return False
        held = self.scratch.pop("held_run", None)
        if held is not None:             # the thread has stopped: its run's name is free again
            held.release()
        unused = self.scratch.pop("unused_run_dir", None)
        if unused is not None:           # estimated but never started: leave no folder behind
            remove_unused_run(unused)
        return True


_UNFINISHED: list[TrainingThread] = []
