"""The training worker's thread: started on first need, stopped (and its run's folder tidied) once."""

from __future__ import annotations

import logging

from translator_app.gui.thread_host import ThreadHost
from translator_app.gui.training.run_folders import RunFolders
from translator_app.gui.training.worker import TrainingWorker

log = logging.getLogger(__name__)


class TrainingThread(ThreadHost[TrainingWorker]):
    """The training worker on its thread. ``shutdown`` stops a run at its next step (keeping its
    checkpoint), then frees the run's name and removes a folder that was prepared but never trained."""

    WAIT_MS = 600_000

    def __init__(self) -> None:
        self.folders = RunFolders()  # shared with the worker (see RunFolders)
        super().__init__(TrainingWorker(self.folders), "trainingThread", "training")

    def stop_worker(self) -> None:
        self.worker.stop_for_close()

    def keeps_work(self) -> bool:
        """A run training now saves a checkpoint at its next step: worth the quit budget."""
        return self.worker.training

    def left_running(self) -> None:
        """The app quit mid-step (or mid-validation): the run resumes from the checkpoint it last wrote."""
        if not self.worker.training:
            super().left_running()  # listing runs, or reading a preview: nothing to keep
            return
        saved = self.worker.last_checkpoint
        if saved is None:
            log.warning("Quit before the training run wrote its first checkpoint: it starts from the beginning next time.")
            return
        run_dir, step = saved
        log.warning(
            "Quit while training: the run resumes from its last checkpoint, at step %d (%s); the steps after it are "
            "trained again.",
            step,
            run_dir,
        )

    def stopped(self) -> None:
        self.folders.close()
