"""The Training tab's run: Start / Pause / Cancel, the progress bar with its ETA, the live plot, the log,
and at the end what was gained on the user's pairs and what was lost on general German.

The panel shows what the tab hands it (its state, the trainer's events, a run's outcome) and keeps
only what its own lines need: the best BLEU so far and how long a validation took, for the ETA.
"""

from __future__ import annotations

import math
import time
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QProgressBar, QPushButton, QSplitter, QVBoxLayout, QWidget

from translator_app.core.types.train_config import MIN_TRAINING_PAIRS
from translator_app.core.types.run_spec import RunSpec
from translator_app.core.types.train_types import RunStatus, TrainEvent, TrainEventKind
from translator_app.gui.loss_plot import LossPlot
from translator_app.gui.named import named
from translator_app.gui.textstats import plural
from translator_app.gui.training.results import RunInfo, RunOutcome, UnfinishedRun
from translator_app.gui.training.state import RunState

START_TIP = (
    f"Start training; the window and translating keep working meanwhile (a run needs at least {MIN_TRAINING_PAIRS} usable pairs)"
)
PAUSE_TIP = "Pause after the current step and save a checkpoint; Resume goes on from there"
STEP_LOG_SECONDS = 10.0
PREPARING = "Preparing…"
OUTCOME_WORDS = {
    RunStatus.FINISHED: "Finished",
    RunStatus.EARLY_STOPPED: "Stopped early (no better validation BLEU)",
    RunStatus.CANCELLED: "Cancelled",
}


def format_duration(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


class RunPanel(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("trainingRunPanel")
        self._best: tuple[float, int] | None = None  # (BLEU, epoch)
        self._validation_seconds = 0.0
        self._last_step_at: float | None = None
        self._last_step_log = 0.0
        self._last_checkpoint_step: int | None = None
        self.start_button = named(QPushButton("Start"), "startTrainingButton")
        self.start_button.setToolTip(START_TIP)
        self.pause_button = named(QPushButton("Pause"), "pauseTrainingButton")
        self.pause_button.setToolTip(PAUSE_TIP)
        self.cancel_button = named(QPushButton("Cancel"), "cancelTrainingButton")
        self.cancel_button.setToolTip(
            "Stop after the current step. If at least one epoch has finished,\nthe best model so far is saved."
        )
        width = max(self.fontMetrics().horizontalAdvance(t) for t in ("Pausing…", "Resume", "Cancel")) + 32
        for button in (self.start_button, self.pause_button, self.cancel_button):
            button.setMinimumWidth(width)
        self.progress = named(QProgressBar(), "trainingProgress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("Not started")
        self.progress.setTextVisible(True)
        self.progress.setAccessibleName("Training progress")
        self.stats_label = named(QLabel(""), "trainingStatsLabel")
        self.stats_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.plot = LossPlot()
        self.log = named(QPlainTextEdit(), "trainingLog")
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(5000)
        self.log.setAccessibleName("Training log")
        self.log.setPlaceholderText("What the run does and how it goes appears here.")
        self.log.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(max(7.0, QFont().pointSizeF() * 0.9))
        self.log.setFont(mono)
        self.log_splitter = named(QSplitter(Qt.Orientation.Vertical), "trainingLogSplitter")
        self.log_splitter.setChildrenCollapsible(False)
        self.log_splitter.addWidget(self.plot)
        self.log_splitter.addWidget(self.log)
        self.log_splitter.setStretchFactor(0, 3)
        self.log_splitter.setStretchFactor(1, 1)
        self.log_splitter.setSizes([3000, 1000])  # scaled to the space there is: plot ¾, log ¼

        self.gain_label = named(QLabel(""), "trainingGainLabel")
        self.gain_label.setWordWrap(True)
        self.gain_label.setTextFormat(Qt.TextFormat.RichText)  # the warning when BLEU fell is in bold
        self.gain_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.gain_label.setToolTip(
            "The kept epoch against the base model (epoch 0): validation BLEU on your held-out pairs,\n"
            "and on the base model's general German sample when it ships one"
        )
        self.gain_label.setVisible(False)
        self.saved_label = named(QLabel(""), "trainedModelLabel")
        self.saved_label.setWordWrap(True)
        self.use_button = named(QPushButton("Use this model"), "useTrainedModelButton")
        self.use_button.setToolTip("Translate with the model just trained (it is also in the model list)")
        self.use_button.setVisible(False)

        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.pause_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.progress, 1)
        saved = QHBoxLayout()
        saved.addWidget(self.saved_label, 1)
        saved.addWidget(self.use_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.stats_label)
        layout.addWidget(self.log_splitter, 1)
        layout.addWidget(self.gain_label)
        layout.addLayout(saved)

    # ---- the log ----------------------------------------------------------------------------------

    def add_log(self, text: str) -> None:
        self.log.appendPlainText(f"{time.strftime('%H:%M:%S')}  {text}")

    def follow_log(self) -> None:
        """Scroll to the newest line (a run starting or resuming): new lines then keep it in view."""
        bar = self.log.verticalScrollBar()
        bar.setValue(bar.maximum())

    # ---- a run ------------------------------------------------------------------------------------

    def show_state(self, state: RunState) -> None:
        self.pause_button.setText({RunState.PAUSED: "Resume", RunState.PAUSING: "Pausing…"}.get(state, "Pause"))
        self.pause_button.setToolTip("Go on training from where it paused" if state is RunState.PAUSED else PAUSE_TIP)
        self.pause_button.setEnabled(state in (RunState.TRAINING, RunState.PAUSED))
        self.cancel_button.setEnabled(state.can_become(RunState.STOPPING))

    def reset(self) -> None:
        """A new run (or a resumed one) starts: nothing of the last one stays on show."""
        self.plot.clear()
        self.saved_label.setText("")
        self.gain_label.setText("")
        self.gain_label.setVisible(False)
        self.use_button.setVisible(False)
        self.stats_label.setText("")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat(PREPARING)
        self._best = None
        self._validation_seconds = 0.0
        self._last_step_at = None
        self._last_step_log = 0.0
        self._last_checkpoint_step = None

    def show_starting(self, spec: RunSpec) -> None:
        train = spec.train
        what = f"fine-tuning {Path(spec.base_model).name}" if spec.base_model else f"new {spec.architecture} model"
        batch = f"batches of up to {train.batch_tokens:,} subwords" if train.batch_tokens else f"batch {train.batch_size}"
        mixing = ""
        if spec.base_model:
            mixing = (
                f", {spec.replay_ratio:g} of the base model's own pairs mixed in per pair of yours"
                if spec.replay_ratio > 0
                else ", your pairs alone (no mixing)"
            )
        self.add_log(
            f"Starting “{spec.name}”: {what}, {plural(train.epochs, 'epoch')}, learning rate "
            f"{train.learning_rate:g}, {batch}, warm-up {plural(train.warmup_steps, 'step')}{mixing}"
            + (", varied subword splits." if train.subword_sampling else ".")
        )

    def show_resuming(self, run: UnfinishedRun) -> None:
        """A resumed run's steps and epochs so far, from its checkpoint."""
        self.plot.set_history(run.history, run.step_losses)
        if run.base:  # before → after, on both validations, survives the stop: the base is epoch 0
            self.plot.add_epoch(0, 0, run.base.get("val_loss"), run.base.get("val_bleu"), run.base.get("general_bleu"))
        for record in run.history:
            epoch = record.get("epoch")
            self._note_best(record.get("val_bleu"), None if epoch is None else int(epoch))
        self.add_log(f"Resuming “{run.name}” at epoch {run.epochs_done + 1} of {run.epochs} (step {run.step:,}).")
        self.follow_log()

    def show_prepared(self, info: RunInfo, *, estimating: bool) -> None:
        self.add_log(
            f"Data: {info.data_report}; {info.train_pairs:,} training and {info.validation_pairs:,} validation "
            f"pairs; {plural(info.steps_per_epoch, 'step')} per epoch × {plural(info.epochs, 'epoch')} on {info.device}."
        )
        if not estimating:
            self.progress.setRange(0, max(1, info.total_steps))

    def show_estimate(self, seconds: float, info: RunInfo) -> str:
        """Log the estimate; returns it in words, for beside the Estimate button."""
        text = (
            f"About {format_duration(seconds)} on {info.device}: "
            f"{plural(info.epochs, 'epoch')} × {plural(info.steps_per_epoch, 'step')}"
        )
        self.add_log(f"Estimate: {text}.")
        return text

    def show_failure(self, message: str, *, running: bool) -> None:
        self.add_log(f"⚠ {message}")
        if running:
            self.progress.setFormat("Stopped by an error")

    def show_not_started(self, *, cancelled: bool) -> None:
        """The job ended before the first step: cancelled while being prepared, or failed (said already)."""
        if cancelled:
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
            self.progress.setFormat("Cancelled before training started")
        elif self.progress.format() == PREPARING:
            self.progress.setFormat("Not started")

    def show_started(self, info: RunInfo) -> None:
        self.follow_log()
        self.progress.setRange(0, max(1, info.total_steps))
        self.progress.setFormat("Starting…")

    def show_event(self, event: TrainEvent, state: RunState, epochs: int) -> None:
        """A trainer event on the plot, the progress bar and the log."""
        kind = event.kind
        if kind is TrainEventKind.STEP:
            now = time.monotonic()
            self._last_step_at = now
            if event.loss is not None:
                self.plot.add_step(event.step, event.loss)
            self._show_step(event, state, epochs)
            if now - self._last_step_log >= STEP_LOG_SECONDS:
                self._last_step_log = now
                self.add_log(
                    f"Step {event.step:,}/{event.total_steps:,}: loss {event.loss:.3f}, "
                    f"{event.tokens_per_second or 0:,.0f} tokens/s"
                )
        elif kind is TrainEventKind.EPOCH:
            if self._last_step_at is not None:
                self._validation_seconds = time.monotonic() - self._last_step_at
            self.plot.add_epoch(event.epoch, event.step, event.val_loss, event.val_bleu, event.general_bleu)
            self._note_best(event.val_bleu, event.epoch)
            self.add_log(event.message)
        elif kind is TrainEventKind.BASELINE:  # fine-tuning: the base model's score, epoch 0 on the plot
            self.plot.add_epoch(0, 0, event.val_loss, event.val_bleu, event.general_bleu)
            self.add_log(event.message)
        elif kind is TrainEventKind.PAUSED:
            self.progress.setFormat(f"Paused at step {event.step:,} of {event.total_steps:,}")
            self.add_log(f"Paused at step {event.step:,}; a checkpoint is saved. Resume goes on from here.")
        elif kind is TrainEventKind.RESUMED:
            if state is RunState.TRAINING:
                self.add_log("Resumed.")
        elif kind is TrainEventKind.CHECKPOINT:
            if event.step != self._last_checkpoint_step:  # (an epoch's steps are kept before and after validating)
                self.add_log(f"Checkpoint saved at step {event.step:,}.")
            self._last_checkpoint_step = event.step
        elif event.message:
            self.add_log(event.message)

    def _show_step(self, event: TrainEvent, state: RunState, epochs: int) -> None:
        total = max(1, event.total_steps)
        self.progress.setRange(0, total)
        self.progress.setValue(min(event.step, total))
        per_epoch = max(1, math.ceil(total / max(epochs, 1)))
        epoch = min(epochs, event.epoch + 1)
        remaining_epochs = max(0, epochs - event.epoch)
        eta = (event.eta_seconds or 0.0) + remaining_epochs * self._validation_seconds
        pausing = "Pausing · " if state is RunState.PAUSING else ""
        self.progress.setFormat(
            f"{pausing}%p% · epoch {epoch}/{epochs} · step {event.step:,}/{total:,} · ETA {format_duration(eta)}"
        )
        self.progress.setToolTip(f"{per_epoch:,} steps per epoch; the ETA includes validating after each epoch")
        stats = f"loss {event.loss:.3f} · {event.tokens_per_second or 0:,.0f} tokens/s"
        if self._best is not None:
            stats += f" · best BLEU {self._best[0]:.2f} (epoch {self._best[1]})"
        self.stats_label.setText(stats)

    def _note_best(self, bleu: float | None, epoch: int | None) -> None:
        if bleu is not None and epoch is not None and (self._best is None or bleu > self._best[0]):
            self._best = (float(bleu), int(epoch))

    def show_outcome(self, outcome: RunOutcome) -> None:
        """How the run ended, on the progress bar and in the log."""
        if outcome.status is RunStatus.CLOSING:
            self.add_log("Stopped because the window closes; the checkpoint is kept and the run can be resumed here.")
            return
        if not outcome.has_model and outcome.status is RunStatus.CANCELLED:
            self.progress.setFormat("Cancelled")
            self.add_log(
                "Cancelled before the first epoch finished, so there is no model to save. The checkpoint is "
                "kept: resume or discard the run from the bar at the top of this tab."
            )
            return
        if not outcome.has_model:  # every epoch was worse than the base model
            self.progress.setFormat("No better model")
            self.add_log(outcome.no_model_reason)
            return
        words = OUTCOME_WORDS.get(outcome.status, outcome.status)
        duration = format_duration(outcome.seconds)
        self.progress.setFormat(f"{words} · {plural(outcome.epochs_completed, 'epoch')} in {duration}")
        if outcome.status is RunStatus.FINISHED:
            self.progress.setValue(self.progress.maximum())
        self.add_log(
            f"{words} after {plural(outcome.epochs_completed, 'epoch')} in {duration}; best validation BLEU "
            f"{outcome.best_val_bleu:.2f} at epoch {outcome.best_epoch}."
        )
        if outcome.gains:  # fine-tuning: what the kept epoch gained and what it cost, against the base model
            text = escape(f"Epoch {outcome.best_epoch} against the base model — {outcome.gains}.", quote=False)
            if outcome.fall_warning:  # said plainly, not left to a minus sign
                text = f"<b>⚠ {escape(outcome.fall_warning, quote=False)}</b><br>{text}"
            self.gain_label.setText(text)
            self.gain_label.setVisible(True)
            self.add_log(f"{outcome.gains}.")
        if outcome.fall_warning:
            self.add_log(f"⚠ {outcome.fall_warning}")

    def show_saved(self, name: str, folder: str) -> None:
        self.saved_label.setText(f"Saved as “{name}” in {folder}")
        self.saved_label.setToolTip(folder)
        self.use_button.setVisible(True)
        self.use_button.setEnabled(True)
        self.add_log(f"Saved the best model as “{name}” in {folder} (with its model card).")
