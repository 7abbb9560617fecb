"""The Training tab: fine-tune a model (or train a new one) on the user's own parallel file.

Left, the resume banner over the data, model and settings panels; right, the run panel (Start /
Pause / Cancel, progress, the live plot, the log). The tab is the wiring: it lays the panels out,
starts the ``TrainingWorker``'s thread on first need and connects the panels and the worker to
``RunFlow`` (the run's one ``RunState``, moved by the buttons and the worker's answers) and to
``ResumeOffer`` (the unfinished runs in the banner). Everything slow happens on the worker's
thread, so the window and translation stay responsive while a run trains. Errors leave through
``errorOccurred`` (the window's one error place) and the log.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QMessageBox, QScrollArea, QSplitter, QVBoxLayout, QWidget

from translator_app.core.types.run_spec import RunSpec
from translator_app.gui.named import named
from translator_app.gui.training.data_files import dropped_paths
from translator_app.gui.training.results import PreviewResult, RunInfo, UnfinishedRun
from translator_app.gui.training.resume_offer import ResumeOffer
from translator_app.gui.training.run_flow import RunFlow
from translator_app.gui.training.run_panel import RunPanel
from translator_app.gui.training.setup_form import SetupForm
from translator_app.gui.training.state import RunState
from translator_app.gui.training.thread import TrainingThread


class TrainingTab(QWidget):
    errorOccurred = Signal(str)  # for the window's one error place
    noticeOccurred = Signal(str)  # something to read in the status bar (an unfinished run)
    useModelRequested = Signal(str)  # folder of the model to translate with
    modelSaved = Signal(str, str)  # name, folder of a newly saved model
    previewShown = Signal(object)  # PreviewResult, or None when the file could not be read
    estimateShown = Signal(float)  # seconds
    runFinished = Signal(object)  # RunOutcome
    trainEventShown = Signal(object)  # a core TrainEvent, after the tab has shown it (plot, progress, log)
    stateChanged = Signal(object)  # RunState
    runsListed = Signal(list)  # [UnfinishedRun]

    _startUpRequested = Signal()
    _scanRequested = Signal()
    _previewRequested = Signal(int, list, object, object)

    def __init__(
        self,
        device: Callable[[], str] = lambda: "auto",
        last_directory: Callable[[], str] = lambda: "",
        remember_directory: Callable[[str], None] = lambda folder: None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("trainingTab")
        self.setAcceptDrops(True)
        self._device = device
        self.train_overrides: dict[str, Any] = {}  # extra TrainConfig fields (tests, scripts: precision, ...)
        self.hyperparameters: dict[str, Any] = {}  # architecture settings for a new model
        self._started = self._closed = False

        self.form = SetupForm(last_directory, remember_directory)
        self.banner = self.form.banner
        self.run_panel = RunPanel()
        self._lay_out()
        self._name_widgets()
        self._thread = TrainingThread()
        self.worker = self._thread.worker
        self.flow = RunFlow(
            self.form, self.run_panel, self.worker, self.start, lambda: self.build_spec(), lambda: self._closed, self
        )
        self.offer = ResumeOffer(self.banner, self.worker, self)
        self._connect()
        self.flow.show_state()

    # ---- construction ---------------------------------------------------------------------------

    def _lay_out(self) -> None:
        scroll = named(QScrollArea(), "trainingSetupScroll")
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(450)

        self.splitter = named(QSplitter(Qt.Orientation.Horizontal), "trainingSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(scroll)
        self.splitter.addWidget(self.run_panel)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)

        content = named(QWidget(), "trainingContent")
        content_layout = QVBoxLayout(content)
        content_layout.addWidget(self.splitter, 1)
        # Narrower or lower than the form needs (a small window, the narrow layout): scroll, rather
        # than forcing the whole window, the Translate tab included, to stay this wide.
        outer = named(QScrollArea(), "trainingScroll")
        outer.setWidget(content)
        outer.setWidgetResizable(True)
        outer.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(outer)

    def _name_widgets(self) -> None:
        """The panels' widgets that the window, scripts/screenshots.py and the tests drive, by the tab's names."""
        d, m, s, r, b = self.form.data, self.form.model, self.form.settings, self.run_panel, self.banner
        self.file_edit, self.columns_row, self.german_column, self.english_column = (
            d.file_edit,
            d.columns_row,
            d.german_column,
            d.english_column,
        )
        self.preview_table, self.data_summary, self.holdout_spin, self.validation_summary = (
            d.preview_table,
            d.data_summary,
            d.validation.holdout_spin,
            d.validation.summary,
        )
        self.scratch_radio, self.base_combo, self.architecture_combo, self.vocab_spin, self.name_edit = (
            m.scratch_radio,
            m.base_combo,
            m.architecture_combo,
            m.vocab_spin,
            m.name_edit,
        )
        self.epochs_spin, self.lr_spin, self.batch_spin, self.sampling_check = (
            s.epochs_spin,
            s.lr_spin,
            s.batch_spin,
            s.sampling_check,
        )
        self.estimate_button, self.estimate_label, self.batch_note, self.mix_check = (
            s.estimate_button,
            s.estimate_label,
            s.batch_note,
            m.mix_check,
        )
        self.start_button, self.pause_button, self.cancel_button, self.progress = (
            r.start_button,
            r.pause_button,
            r.cancel_button,
            r.progress,
        )
        self.plot, self.log, self.saved_label, self.use_button, self.gain_label = (
            r.plot,
            r.log,
            r.saved_label,
            r.use_button,
            r.gain_label,
        )
        self.banner_label, self.resume_button, self.discard_button = b.label, b.resume_button, b.discard_button

    def _connect(self) -> None:
        flow, offer, w = self.flow, self.offer, self.worker
        self.form.previewRequested.connect(self._request_preview)
        self.form.previewShown.connect(self.previewShown)
        self.form.errorOccurred.connect(self.errorOccurred)
        self.form.changed.connect(flow.update_buttons)
        self.estimate_button.clicked.connect(self.estimate)
        self.start_button.clicked.connect(self.start_training)
        self.pause_button.clicked.connect(flow.toggle_pause)
        self.cancel_button.clicked.connect(flow.cancel)
        self.use_button.clicked.connect(flow.use_trained_model)
        self.resume_button.clicked.connect(self.resume_selected_run)
        self.discard_button.clicked.connect(offer.discard_selected_run)
        for request, job in (
            (self._startUpRequested, w.startUp),
            (self._scanRequested, w.scanRuns),
            (self._previewRequested, w.preview),
        ):
            request.connect(job)
        for signal, slot in (
            (w.architecturesListed, self.form.model.set_architectures),
            (w.previewReady, self.form.data.show_preview),
            (w.previewFailed, self.form.data.show_preview_failure),
            (w.status, self.run_panel.add_log),
        ):
            signal.connect(slot)
        flow.stateChanged.connect(lambda state: offer.set_idle(state is RunState.IDLE))  # before the tab's listeners
        flow.idle.connect(self._scanRequested)  # after every job: which runs can be resumed now
        offer.runsListed.connect(lambda _runs: flow.update_buttons())  # as the tab always has on a new list
        for inner, outer in (
            (flow.stateChanged, self.stateChanged),
            (flow.errorOccurred, self.errorOccurred),
            (flow.estimateShown, self.estimateShown),
            (flow.trainEventShown, self.trainEventShown),
            (flow.runFinished, self.runFinished),
            (flow.modelSaved, self.modelSaved),
            (flow.useModelRequested, self.useModelRequested),
            (offer.noticeOccurred, self.noticeOccurred),
            (offer.runsListed, self.runsListed),
        ):
            inner.connect(outer)

    # ---- life cycle -----------------------------------------------------------------------------

    def start(self) -> None:
        """Start the worker thread: list architectures and unfinished runs (idempotent)."""
        if self._started or self._closed:
            return
        self._started = True
        self._thread.start()
        self._startUpRequested.emit()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.start)

    @property
    def state(self) -> RunState:
        return self.flow.state

    @property
    def training(self) -> bool:
        """A run is under way (being prepared, training, paused or stopping)."""
        return self.state.running

    @property
    def run_info(self) -> RunInfo | None:
        """The run being prepared, estimated or trained (the last one, after it)."""
        return self.flow.run_info

    @property
    def runs(self) -> list[UnfinishedRun]:
        return self.offer.runs

    @property
    def validation_preview(self) -> PreviewResult | None:
        return self.form.data.validation.preview

    @property
    def training_thread(self):
        """The QThread the worker runs on."""
        return self._thread.thread

    def confirm_close(self) -> bool:
        """Ask before closing during a run. Yes: pause, keep a resumable checkpoint and close; No: keep training."""
        if not self.training:
            return True
        answer = QMessageBox.question(
            self,
            "Training is running",
            "A training run is in progress.\n\n"
            "Yes: pause it, keep a checkpoint and close; you can resume it from the Training tab next time.\n"
            "No: keep training (the window stays open).",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def shutdown(self) -> bool:
        """Stop a run at its next step (its checkpoint stays, resumable) and join the thread."""
        if self._closed:
            return True
        self._closed = True
        if self.training:
            self.run_panel.add_log("Closing: stopping after the current step and keeping the checkpoint…")
        self.plot._timer.stop()
        return self._thread.shutdown()

    # ---- the form -------------------------------------------------------------------------------

    def set_models(self, entries: list) -> None:
        """The installed models (``core.catalog.ModelInfo``), for the fine-tuning choice."""
        self.form.model.set_models(entries)

    def set_current_model(self, path: str | Path) -> None:
        """The model in use: the default to fine-tune."""
        self.form.model.set_current_model(path)

    def set_data_files(self, paths: Sequence[str | Path]) -> None:
        """Show these file(s) and read a preview of them on the worker thread."""
        self.form.data.set_data_files(paths)

    def set_validation_files(self, paths: Sequence[str | Path]) -> None:
        self.form.data.validation.set_files(paths)

    def _request_preview(self, request_id: int, paths: list, fmt: str | None, columns: tuple[int, int] | None) -> None:
        self.start()
        self._previewRequested.emit(request_id, paths, fmt, columns)

    def dragEnterEvent(self, event) -> None:
        if self.state is RunState.IDLE and dropped_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        paths = dropped_paths(event.mimeData())
        if not paths or self.state is not RunState.IDLE:
            event.ignore()
            return
        event.acceptProposedAction()
        self.set_data_files(paths)

    def build_spec(self) -> RunSpec:
        """The run the form describes (plain data: built without importing torch)."""
        return self.form.build_spec(self.train_overrides, self.hyperparameters, self._device())

    # ---- running: RunFlow's, by the names the buttons and scripts/screenshots.py use ---------------

    def estimate(self) -> None:
        self.flow.estimate()

    def start_training(self) -> None:
        self.flow.start_training()

    def resume_selected_run(self) -> None:
        run = self.offer.selected_run()
        if run is not None:
            self.flow.resume(run)
