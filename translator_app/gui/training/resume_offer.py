"""The unfinished runs the Training tab offers: in the banner while nothing runs, announced once.

The worker lists them at start-up and after every job; ``ResumeOffer`` puts the list in the
``ResumeBanner``, shows the banner only while the tab is idle, says once per session that a run can
be resumed, and asks before a run's checkpoint is deleted. Resuming moves the run's state, so the
tab hands the chosen run (``selected_run``) to its ``RunFlow``.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from translator_app.gui.training.banner import ResumeBanner
from translator_app.gui.training.results import UnfinishedRun
from translator_app.gui.training.worker import TrainingWorker


class ResumeOffer(QObject):
    noticeOccurred = Signal(str)  # for the status bar: a run can be resumed
    runsListed = Signal(list)  # [UnfinishedRun], once the banner shows them

    _discardRequested = Signal(str)  # run folder: for the worker

    def __init__(self, banner: ResumeBanner, worker: TrainingWorker, tab: QWidget):
        super().__init__(tab)
        self._tab = tab  # the confirmation opens over it
        self.banner = banner
        self._idle = True
        self._announced = False
        worker.runsFound.connect(self.show_runs)
        self._discardRequested.connect(worker.discardRun)

    @property
    def runs(self) -> list[UnfinishedRun]:
        return self.banner.runs

    def show_runs(self, runs: list[UnfinishedRun]) -> None:
        """The worker's latest list (it may be empty)."""
        self.banner.set_runs(runs)
        self._show_banner()
        if runs and not self._announced:
            self._announced = True
            self.noticeOccurred.emit(f"An unfinished training run (“{runs[0].name}”) can be resumed in the Training tab.")
        self.runsListed.emit(runs)

    def set_idle(self, idle: bool) -> None:
        """A run is resumed or discarded only while nothing runs: the banner shows only then."""
        self._idle = idle
        self._show_banner()

    def _show_banner(self) -> None:
        self.banner.setVisible(self._idle and bool(self.runs))
        self.banner.resume_button.setEnabled(self._idle)
        self.banner.discard_button.setEnabled(self._idle)

    def selected_run(self) -> UnfinishedRun | None:
        """The run chosen in the banner, or None (also while a run is under way)."""
        return self.banner.selected_run() if self._idle else None

    def discard_selected_run(self) -> None:
        run = self.selected_run()
        if run is None:
            return
        answer = QMessageBox.question(
            self._tab,
            "Discard the run?",
            f"Delete the unfinished run “{run.name}” and its checkpoint?\n{run.run_dir}\n\nYour data files are not touched.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._discardRequested.emit(str(run.run_dir))
