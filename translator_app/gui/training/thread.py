"""The training worker's thread: started on first need, stopped (and its run's folder tidied) once."""

from __future__ import annotations

from translator_app.gui.thread_host import ThreadHost
from translator_app.gui.training.run_folders import RunFolders
from translator_app.gui.training.worker import TrainingWorker


class TrainingThread(ThreadHost[TrainingWorker]):
    """The training worker on its thread. ``shutdown`` stops a run at its next step (keeping its
    checkpoint), then frees the run's name and removes a folder that was prepared but never trained."""

    WAIT_MS = 600_000

    def __init__(self) -> None:
        self.folders = RunFolders()  # shared with the worker (see RunFolders)
        super().__init__(TrainingWorker(self.folders), "trainingThread", "training")

    def stop_worker(self) -> None:
        self.worker.stop_for_close()

    def stopped(self) -> None:
        self.folders.close()
