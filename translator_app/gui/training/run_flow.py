"""A training run's course in the Training tab: one ``RunState``, moved by the buttons and the worker.

``RunFlow`` turns Estimate, Start, Resume, Pause and Cancel into requests to the ``TrainingWorker``
and the worker's answers into moves of the state (only those ``state``' table lists) and lines in
the run panel; Start and Estimate follow the state and the form. A finished run whose name was
taken meanwhile stays SAVING while the user is asked for another one.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from translator_app.core.types.run_spec import RunSpec, other_name
from translator_app.core.types.train_types import RunStatus, TrainEvent, TrainEventKind
from translator_app.gui.training.results import RunInfo, RunOutcome, UnfinishedRun
from translator_app.gui.training.run_panel import START_TIP, RunPanel
from translator_app.gui.training.setup_form import SetupForm
from translator_app.gui.training.state import RunState
from translator_app.gui.training.worker import TrainingWorker


class RunFlow(QObject):
    stateChanged = Signal(object)  # RunState
    errorOccurred = Signal(str)
    estimateShown = Signal(float)  # seconds
    trainEventShown = Signal(object)  # a core TrainEvent, after the run panel has shown it
    runFinished = Signal(object)  # RunOutcome
    modelSaved = Signal(str, str)  # name, folder
    useModelRequested = Signal(str)  # folder of the model just saved
    idle = Signal()  # a job is over and the form is editable again

    _estimateRequested = Signal(object)  # RunSpec
    _trainRequested = Signal(object)  # RunSpec
    _resumeRequested = Signal(str)  # run folder
    _publishRequested = Signal(str)  # another name for the finished run

    def __init__(
        self,
        form: SetupForm,
        run_panel: RunPanel,
        worker: TrainingWorker,
        start: Callable[[], None],
        build_spec: Callable[[], RunSpec],
        closed: Callable[[], bool],
        tab: QWidget,
    ):
        super().__init__(tab)
        self._tab = tab  # the name dialog opens over it
        self._form, self._run_panel, self._worker = form, run_panel, worker
        self._start = start  # starts the worker's thread (idempotent)
        self._build_spec = build_spec
        self._closed = closed
        self.state = RunState.IDLE
        self.run_info: RunInfo | None = None
        self.saved_model: tuple[str, str] | None = None
        self._awaiting_name = False
        self._fit_started = False  # the run of the last Start or Resume reached its first step
        for request, job in (
            (self._estimateRequested, worker.estimate),
            (self._trainRequested, worker.train),
            (self._resumeRequested, worker.resumeRun),
            (self._publishRequested, worker.publish),
        ):
            request.connect(job)
        for signal, slot in (
            (worker.prepared, self._on_prepared),
            (worker.estimated, self._on_estimated),
            (worker.trainingStarted, self._on_training_started),
            (worker.trainEvent, self._on_train_event),
            (worker.finished, self._on_finished),
            (worker.published, self._on_published),
            (worker.nameRejected, self._on_name_rejected),
            (worker.failed, self._on_failed),
            (worker.idle, self._on_idle),
        ):
            signal.connect(slot)

    # ---- the buttons ------------------------------------------------------------------------------

    def estimate(self) -> None:
        spec = self._spec_to_run()
        if spec is None:
            return
        self._start()
        self._form.settings.estimate_label.setText("Timing a few steps…")
        self.set_state(RunState.ESTIMATING)
        self._estimateRequested.emit(spec)

    def start_training(self) -> None:
        spec = self._spec_to_run()
        if spec is None:
            return
        self._start()
        self._reset_run_view()
        self._fit_started = False
        self._run_panel.show_starting(spec)
        self.set_state(RunState.PREPARING)
        self._trainRequested.emit(spec)

    def resume(self, run: UnfinishedRun) -> None:
        if self.state is not RunState.IDLE:
            return
        self._start()
        self._reset_run_view()
        self._fit_started = False
        if run.spec is not None:
            self._form.show_run(run.spec)
        self._run_panel.show_resuming(run)
        self.set_state(RunState.PREPARING)
        self._resumeRequested.emit(str(run.run_dir))

    def toggle_pause(self) -> None:
        if self.state is RunState.TRAINING:
            self._worker.pause()
            self.set_state(RunState.PAUSING)
            self._run_panel.add_log("Pausing after the current step…")
        elif self.state is RunState.PAUSED:
            self._worker.resume()
            self.set_state(RunState.TRAINING)

    def cancel(self) -> None:
        if not self.state.can_become(RunState.STOPPING):
            return
        self._worker.cancel()
        self.set_state(RunState.STOPPING)
        self._run_panel.add_log("Stopping after the current step…")

    def use_trained_model(self) -> None:
        if self.saved_model is not None:
            self.useModelRequested.emit(self.saved_model[1])

    def _spec_to_run(self) -> RunSpec | None:
        """The run to estimate or start; None (the reason said in the window's error place) when it cannot."""
        if self.state is not RunState.IDLE:
            return None
        problem = self._form.problem()
        if problem is None:
            try:
                return self._build_spec()
            except ValueError as exc:  # a setting out of range (TrainConfig checks them all)
                problem = str(exc)
        self.errorOccurred.emit(problem)
        return None

    def _reset_run_view(self) -> None:
        self.saved_model = None
        self._run_panel.reset()

    # ---- the worker's answers ---------------------------------------------------------------------

    def _on_prepared(self, info: RunInfo) -> None:
        self.run_info = info
        self._run_panel.show_prepared(info, estimating=self.state is RunState.ESTIMATING)

    def _on_estimated(self, seconds: float, info: RunInfo) -> None:
        self._form.settings.estimate_label.setText(self._run_panel.show_estimate(seconds, info))
        self.estimateShown.emit(seconds)

    def _on_training_started(self, info: RunInfo) -> None:
        self.run_info = info
        self._fit_started = True
        self._run_panel.show_started(info)
        if self.state is RunState.PREPARING:
            self.set_state(RunState.TRAINING)
        elif self.state is RunState.STOPPING:
            self._worker.cancel()  # Cancel pressed while the run was being prepared

    def _on_train_event(self, event: TrainEvent) -> None:
        if event.kind is TrainEventKind.PAUSED and self.state in (RunState.TRAINING, RunState.PAUSING):
            self.set_state(RunState.PAUSED)
        elif event.kind is TrainEventKind.RESUMED and self.state in (RunState.PAUSED, RunState.PAUSING):
            self.set_state(RunState.TRAINING)
        self._run_panel.show_event(event, self.state, self.run_info.epochs if self.run_info else 1)
        self.trainEventShown.emit(event)

    def _on_finished(self, outcome: RunOutcome) -> None:
        self.runFinished.emit(outcome)
        self._run_panel.show_outcome(outcome)
        if outcome.has_model and outcome.status is not RunStatus.CLOSING:
            self.set_state(RunState.SAVING)

    def _on_published(self, name: str, folder: str) -> None:
        self._awaiting_name = False
        self.saved_model = (name, folder)
        self._run_panel.show_saved(name, folder)
        self._form.name_saved(name)  # taken now: the next run gets a new one
        self.modelSaved.emit(name, folder)

    def _on_name_rejected(self, name: str, message: str) -> None:
        self._awaiting_name = True
        self._run_panel.add_log(f"Cannot save as “{name}”: {message}")
        QTimer.singleShot(0, lambda: self._ask_for_name(name, message))

    def _ask_for_name(self, name: str, message: str) -> None:
        text, ok = QInputDialog.getText(
            self._tab,
            "Choose another name",
            f"{message}\n\nSave the trained model as:",
            QLineEdit.EchoMode.Normal,
            other_name(name),
        )
        if ok and text.strip():
            self._publishRequested.emit(text.strip())
            return
        self._awaiting_name = False
        self._run_panel.add_log(
            "The model was not saved. The finished run is kept: resume it from the bar at the top "
            "of this tab to save it under another name."
        )
        self._on_idle()

    def _on_failed(self, message: str) -> None:
        self._run_panel.show_failure(message, running=self.state.running)
        if self.state is RunState.ESTIMATING:
            self._form.settings.estimate_label.setText("")
        self.errorOccurred.emit(message)

    def _on_idle(self) -> None:
        if self._awaiting_name or self._closed():
            return
        if self.state in (RunState.PREPARING, RunState.STOPPING) and not self._fit_started:
            self._run_panel.show_not_started(cancelled=self.state is RunState.STOPPING)  # not "Preparing…" for ever
        self.set_state(RunState.IDLE)
        self.idle.emit()

    # ---- the state --------------------------------------------------------------------------------

    def set_state(self, state: RunState) -> None:
        """Move to ``state``; a move the table does not list raises ``InvalidTransition`` and changes nothing."""
        self.state = self.state.to(state)
        self.show_state()

    def show_state(self) -> None:
        self._form.set_idle(self.state is RunState.IDLE)
        self._run_panel.show_state(self.state)
        self.update_buttons()
        self.stateChanged.emit(self.state)

    def update_buttons(self) -> None:
        """Start and Estimate: only while idle, with usable data; Start's tooltip says what is missing."""
        ready = self.state is RunState.IDLE and self._form.data.preview is not None
        self._run_panel.start_button.setEnabled(ready)
        self._form.settings.estimate_button.setEnabled(ready)
        problem = self._form.problem() if ready else None  # said before Start, not only after a click
        self._run_panel.start_button.setToolTip(problem or START_TIP)
