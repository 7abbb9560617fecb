"""The bar above the Training tab's form that offers the unfinished runs: resume one, or discard it."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from translator_app.gui.named import named
from translator_app.gui.textstats import plural
from translator_app.gui.training.results import UnfinishedRun


class ResumeBanner(QFrame):
    """Hidden until the tab shows it (idle, with a run to offer); above the form, so it never moves the plot."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("resumeBanner")
        self.runs: list[UnfinishedRun] = []
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.label = named(QLabel(), "resumeBannerLabel")
        self.label.setWordWrap(True)
        self.runs_combo = named(QComboBox(), "unfinishedRunCombo")
        self.runs_combo.setToolTip("Unfinished training runs (closed or stopped before they finished)")
        self.runs_combo.currentIndexChanged.connect(self._describe_selected_run)
        self.resume_button = named(QPushButton("Resume"), "resumeRunButton")
        self.resume_button.setToolTip("Go on training this run from its last checkpoint")
        self.discard_button = named(QPushButton("Discard"), "discardRunButton")
        self.discard_button.setToolTip("Delete this run's checkpoint (its data files are not touched)")
        row = QHBoxLayout(self)
        row.addWidget(self.label, 1)
        row.addWidget(self.runs_combo)
        row.addWidget(self.resume_button)
        row.addWidget(self.discard_button)
        self.setVisible(False)

    def set_runs(self, runs: list[UnfinishedRun]) -> None:
        self.runs = runs
        self.runs_combo.blockSignals(True)
        self.runs_combo.clear()
        for run in runs:
            self.runs_combo.addItem(run.name, str(run.run_dir))
        self.runs_combo.blockSignals(False)
        self.runs_combo.setVisible(len(runs) > 1)
        self._describe_selected_run()

    def selected_run(self) -> UnfinishedRun | None:
        index = self.runs_combo.currentIndex()
        return self.runs[index] if 0 <= index < len(self.runs) else None

    def _describe_selected_run(self, *_args) -> None:
        run = self.selected_run()
        if run is None:
            self.label.setText("")
            return
        others = f" ({len(self.runs)} unfinished runs)" if len(self.runs) > 1 else ""
        self.label.setText(
            f"Unfinished training run{others}: “{run.name}”, {run.description}; "
            f"{run.epochs_done} of {plural(run.epochs, 'epoch')} done."
        )
        self.label.setToolTip(str(run.run_dir))
