"""The training worker's thread: started on first need, stopped (and its run's folder tidied) once."""

from __future__ import annotations

from typing import Any

from translator_app.gui.thread_host import ThreadHost
from translator_app.gui.training.worker import TrainingWorker, remove_unused_run


class TrainingThread(ThreadHost[TrainingWorker]):
    """The training worker on its thread. ``shutdown`` stops a run at its next step (keeping its
    checkpoint), then frees the run's name and removes a folder that was prepared but never trained."""

    WAIT_MS = 600_000

    def __init__(self) -> None:
        self.scratch: dict[str, Any] = {}  # shared with the worker as plain data (see TrainingWorker)
        super().__init__(TrainingWorker(self.scratch), "trainingThread", "training")

    def stop_worker(self) -> None:
        self.worker.stop_for_close()

    def stopped(self) -> None:
        held = self.scratch.pop("held_run", None)
        if held is not None:  # the thread has stopped: its run's name is free again
            held.release()
        unused = self.scratch.pop("unused_run_dir", None)
        if unused is not None:  # estimated but never started: leave no folder behind
            remove_unused_run(unused)
