"""The Training tab: fine-tune a model (or train a new one) on the user's own parallel file.

Left, the resume banner over the data, model and settings panels; right, the run panel (Start /
Pause / Cancel, progress, the live plot, the log). The tab composes them around one ``RunState``:
it builds the ``RunSpec`` the panels describe, sends it to the ``TrainingWorker``'s thread, and
moves the state as the worker answers. Everything slow happens on that thread, so the window and
translation stay responsive while a run trains. Errors leave through ``errorOccurred`` (the
window's one error place) and the log.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QInputDialog, QLineEdit, QMessageBox, QScrollArea, QSplitter, QVBoxLayout, QWidget

from translator_app.core.run_spec import RunSpec, other_name
from translator_app.core.train_types import RunStatus, TrainEvent, TrainEventKind
from translator_app.gui.named import named
from translator_app.gui.training.data_panel import dropped_paths
from translator_app.gui.training.results import PreviewResult, RunInfo, RunOutcome, UnfinishedRun
from translator_app.gui.training.run_panel import START_TIP, RunPanel
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
    _estimateRequested = Signal(object)  # RunSpec
    _trainRequested = Signal(object)  # RunSpec
    _resumeRequested = Signal(str)
    _publishRequested = Signal(str)
    _discardRequested = Signal(str)

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
        self.state = RunState.IDLE
        self.run_info: RunInfo | None = None
        self.saved_model: tuple[str, str] | None = None
        self._started = self._closed = self._awaiting_name = self._announced_runs = False

        self.form = SetupForm(last_directory, remember_directory)
        self.banner = self.form.banner
        self.run_panel = RunPanel()
        self._lay_out()
        self._name_widgets()
        self._connect_panels()
        self._thread = TrainingThread()
        self.worker = self._thread.worker
        self._connect_worker()
        self._show_state()

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
            d.holdout_spin,
            d.validation_summary,
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
        self.estimate_button, self.estimate_label = s.estimate_button, s.estimate_label
        self.start_button, self.pause_button, self.cancel_button, self.progress = (
            r.start_button,
            r.pause_button,
            r.cancel_button,
            r.progress,
        )
        self.plot, self.log, self.saved_label, self.use_button = r.plot, r.log, r.saved_label, r.use_button
        self.banner_label, self.resume_button, self.discard_button = b.label, b.resume_button, b.discard_button

    def _connect_panels(self) -> None:
        self.form.previewRequested.connect(self._request_preview)
        self.form.previewShown.connect(self.previewShown)
        self.form.errorOccurred.connect(self.errorOccurred)
        self.form.changed.connect(self._update_buttons)
        self.estimate_button.clicked.connect(self.estimate)
        self.start_button.clicked.connect(self.start_training)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.cancel_button.clicked.connect(self.cancel_training)
        self.use_button.clicked.connect(self.use_trained_model)
        self.resume_button.clicked.connect(self.resume_selected_run)
        self.discard_button.clicked.connect(self.discard_selected_run)

    def _connect_worker(self) -> None:
        w = self.worker
        for request, job in (
            (self._startUpRequested, w.startUp),
            (self._scanRequested, w.scanRuns),
            (self._previewRequested, w.preview),
            (self._estimateRequested, w.estimate),
            (self._trainRequested, w.train),
            (self._resumeRequested, w.resumeRun),
            (self._publishRequested, w.publish),
            (self._discardRequested, w.discardRun),
        ):
            request.connect(job)
        for signal, slot in (
            (w.architecturesListed, self.form.model.set_architectures),
            (w.runsFound, self._on_runs_found),
            (w.previewReady, self.form.data.show_preview),
            (w.previewFailed, self.form.data.show_preview_failure),
            (w.status, self.run_panel.add_log),
            (w.prepared, self._on_prepared),
            (w.estimated, self._on_estimated),
            (w.trainingStarted, self._on_training_started),
            (w.trainEvent, self._on_train_event),
            (w.finished, self._on_finished),
            (w.published, self._on_published),
            (w.nameRejected, self._on_name_rejected),
            (w.failed, self._on_failed),
            (w.idle, self._on_idle),
        ):
            signal.connect(slot)

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
    def training(self) -> bool:
        """A run is under way (being prepared, training, paused or stopping)."""
        return self.state.running

    @property
    def runs(self) -> list[UnfinishedRun]:
        return self.banner.runs

    @property
    def validation_preview(self) -> PreviewResult | None:
        return self.form.data.validation_preview

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
        """The installed models (``ModelEntry``), for the fine-tuning choice."""
        self.form.model.set_models(entries)

    def set_current_model(self, path: str | Path) -> None:
        """The model in use: the default to fine-tune."""
        self.form.model.set_current_model(path)

    def set_data_files(self, paths: Sequence[str | Path]) -> None:
        """Show these file(s) and read a preview of them on the worker thread."""
        self.form.data.set_data_files(paths)

    def set_validation_files(self, paths: Sequence[str | Path]) -> None:
        self.form.data.set_validation_files(paths)

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

    def _spec_to_run(self) -> RunSpec | None:
        """The run to estimate or start; None (the reason said in the window's error place) when it cannot."""
        if self.state is not RunState.IDLE:
            return None
        problem = self.form.problem()
        if problem is None:
            try:
                return self.build_spec()
            except ValueError as exc:  # a setting out of range (TrainConfig checks them all)
                problem = str(exc)
        self.errorOccurred.emit(problem)
        return None

    # ---- running --------------------------------------------------------------------------------

    def estimate(self) -> None:
        spec = self._spec_to_run()
        if spec is None:
            return
        self.start()
        self.estimate_label.setText("Timing a few steps…")
        self._set_state(RunState.ESTIMATING)
        self._estimateRequested.emit(spec)

    def start_training(self) -> None:
        spec = self._spec_to_run()
        if spec is None:
            return
        self.start()
        self._reset_run_view()
        self.run_panel.show_starting(spec)
        self._set_state(RunState.PREPARING)
        self._trainRequested.emit(spec)

    def resume_selected_run(self) -> None:
        run = self.banner.selected_run()
        if run is None or self.state is not RunState.IDLE:
            return
        self.start()
        self._reset_run_view()
        self.run_panel.show_resuming(run)
        self._set_state(RunState.PREPARING)
        self._resumeRequested.emit(str(run.run_dir))

    def discard_selected_run(self) -> None:
        run = self.banner.selected_run()
        if run is None or self.state is not RunState.IDLE:
            return
        answer = QMessageBox.question(
            self,
            "Discard the run?",
            f"Delete the unfinished run “{run.name}” and its checkpoint?\n{run.run_dir}\n\nYour data files are not touched.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._discardRequested.emit(str(run.run_dir))

    def toggle_pause(self) -> None:
        if self.state is RunState.TRAINING:
            self.worker.pause()
            self._set_state(RunState.PAUSING)
            self.run_panel.add_log("Pausing after the current step…")
        elif self.state is RunState.PAUSED:
            self.worker.resume()
            self._set_state(RunState.TRAINING)

    def cancel_training(self) -> None:
        if not self.state.can_become(RunState.STOPPING):
            return
        self.worker.cancel()
        self._set_state(RunState.STOPPING)
        self.run_panel.add_log("Stopping after the current step…")

    def use_trained_model(self) -> None:
        if self.saved_model is not None:
            self.useModelRequested.emit(self.saved_model[1])

    def _reset_run_view(self) -> None:
        self.saved_model = None
        self.run_panel.reset()

    # ---- worker signals -------------------------------------------------------------------------

    def _on_prepared(self, info: RunInfo) -> None:
        self.run_info = info
        self.run_panel.show_prepared(info, estimating=self.state is RunState.ESTIMATING)

    def _on_estimated(self, seconds: float, info: RunInfo) -> None:
        self.estimate_label.setText(self.run_panel.show_estimate(seconds, info))
        self.estimateShown.emit(seconds)

    def _on_training_started(self, info: RunInfo) -> None:
        self.run_info = info
        self.run_panel.show_started(info)
        if self.state is RunState.PREPARING:
            self._set_state(RunState.TRAINING)
        elif self.state is RunState.STOPPING:
            self.worker.cancel()  # Cancel pressed while the run was being prepared

    def _on_train_event(self, event: TrainEvent) -> None:
        if event.kind is TrainEventKind.PAUSED and self.state in (RunState.TRAINING, RunState.PAUSING):
            self._set_state(RunState.PAUSED)
        elif event.kind is TrainEventKind.RESUMED and self.state in (RunState.PAUSED, RunState.PAUSING):
            self._set_state(RunState.TRAINING)
        self.run_panel.show_event(event, self.state, self.run_info.epochs if self.run_info else 1)
        self.trainEventShown.emit(event)

    def _on_finished(self, outcome: RunOutcome) -> None:
        self.runFinished.emit(outcome)
        self.run_panel.show_outcome(outcome)
        if outcome.has_model and outcome.status is not RunStatus.CLOSING:
            self._set_state(RunState.SAVING)

    def _on_published(self, name: str, folder: str) -> None:
        self._awaiting_name = False
        self.saved_model = (name, folder)
        self.run_panel.show_saved(name, folder)
        self.form.name_saved(name)  # taken now: the next run gets a new one
        self.modelSaved.emit(name, folder)

    def _on_name_rejected(self, name: str, message: str) -> None:
        self._awaiting_name = True
        self.run_panel.add_log(f"Cannot save as “{name}”: {message}")
        QTimer.singleShot(0, lambda: self._ask_for_name(name, message))

    def _ask_for_name(self, name: str, message: str) -> None:
        text, ok = QInputDialog.getText(
            self, "Choose another name", f"{message}\n\nSave the trained model as:", QLineEdit.EchoMode.Normal, other_name(name)
        )
        if ok and text.strip():
            self._publishRequested.emit(text.strip())
            return
        self._awaiting_name = False
        self.run_panel.add_log(
            "The model was not saved. The finished run is kept: resume it from the bar at the top "
            "of this tab to save it under another name."
        )
        self._on_idle()

    def _on_failed(self, message: str) -> None:
        self.run_panel.show_failure(message, running=self.state.running)
        if self.state is RunState.ESTIMATING:
            self.estimate_label.setText("")
        self.errorOccurred.emit(message)

    def _on_idle(self) -> None:
        if self._awaiting_name or self._closed:
            return
        self._set_state(RunState.IDLE)
        self._scanRequested.emit()

    def _on_runs_found(self, runs: list) -> None:
        self.banner.set_runs(runs)
        self._update_buttons()
        if runs and not self._announced_runs:
            self._announced_runs = True
            self.noticeOccurred.emit(f"An unfinished training run (“{runs[0].name}”) can be resumed in the Training tab.")
        self.runsListed.emit(runs)

    # ---- state ----------------------------------------------------------------------------------

    def _set_state(self, state: RunState) -> None:
        self.state = self.state.to(state)
        self._show_state()

    def _show_state(self) -> None:
        idle = self.state is RunState.IDLE
        self.form.set_idle(idle)
        self.run_panel.show_state(self.state)
        self._update_buttons()
        self.stateChanged.emit(self.state)

    def _update_buttons(self) -> None:
        idle = self.state is RunState.IDLE
        ready = idle and self.form.data.preview is not None
        self.start_button.setEnabled(ready)
        self.estimate_button.setEnabled(ready)
        problem = self.form.problem() if ready else None  # said before Start, not only after a click
        self.start_button.setToolTip(problem or START_TIP)
        self.banner.setVisible(idle and bool(self.runs))
        self.resume_button.setEnabled(idle)
        self.discard_button.setEnabled(idle)
