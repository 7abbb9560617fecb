"""The Training tab's left column: the resume banner over the data, model and settings panels.

It keeps the panels in step (a new preview suggests a vocabulary and a name; fine-tuning and a new
model have their own defaults) and turns what they show into the ``RunSpec`` the tab sends. The mouse
wheel scrolls the form; it changes a field only once the user has clicked into it (``wheel_guard``).
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from translator_app.core.types.run_spec import SUBWORD_SAMPLING_ALPHA, RunSpec, default_train_config, default_warmup
from translator_app.gui.training.banner import ResumeBanner
from translator_app.gui.training.data_panel import DataPanel
from translator_app.gui.training.model_panel import ModelPanel
from translator_app.gui.training.results import PreviewResult
from translator_app.gui.training.settings_panel import SettingsPanel
from translator_app.gui.training.wheel_guard import guard_wheel


class SetupForm(QWidget):
    previewRequested = Signal(int, list, object, object)  # request id, paths, format, columns: for the worker
    previewShown = Signal(object)  # the training data's PreviewResult, or None when it cannot be read
    errorOccurred = Signal(str)
    changed = Signal()  # something Start depends on changed

    def __init__(
        self, last_directory: Callable[[], str], remember_directory: Callable[[str], None], parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setObjectName("trainingSetup")
        self.saved_names: set[str] = set()  # models this tab saved (the window's list may not have them yet)
        self._shown_run: RunSpec | None = None  # a resumed run's settings on show: its vocabulary is its own
        self.banner = ResumeBanner()
        self.data = DataPanel(last_directory, remember_directory)
        self.model = ModelPanel()
        self.settings = SettingsPanel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.addWidget(self.banner)  # above the form, so showing it never moves the plot or the log
        layout.addWidget(self.data, 1)
        layout.addWidget(self.model)
        layout.addWidget(self.settings)
        self.setMinimumWidth(430)

        self.data.previewRequested.connect(self.previewRequested)
        self.data.dataChanged.connect(self._on_data_changed)
        self.data.previewShown.connect(self._on_preview_shown)
        self.data.errorOccurred.connect(self.errorOccurred)
        self.model.modeChanged.connect(self._on_mode_changed)
        self.model.suggestionsChanged.connect(self.suggest_name)
        self.model.base_combo.currentIndexChanged.connect(lambda _i: self._show_defaults())
        self.model.nameEdited.connect(self.changed)
        self._show_defaults()
        self.wheel_guard = guard_wheel(self)

    def set_idle(self, idle: bool) -> None:
        for panel in (self.data, self.model, self.settings):
            panel.set_idle(idle)

    def show_run(self, spec: RunSpec) -> None:
        """A resumed run's own settings in every field, rather than the defaults or the last run's: the form
        says what is training (it is locked meanwhile) and what a next run would start from."""
        self._shown_run = spec
        self.model.show_run(spec)  # the kind of run first: its defaults, then the run's own values over them
        self._show_defaults()
        self.settings.show_run(spec.train)
        self.data.show_run(spec)

    def _on_data_changed(self) -> None:
        self.settings.estimate_label.setText("")
        self.changed.emit()

    def _on_preview_shown(self, result: PreviewResult | None) -> None:
        if result is not None:
            shown = self._shown_run
            if shown is None or shown.base_model or result.paths != list(shown.data):
                self.model.suggest_vocab(result.kept)  # (a resumed new model keeps the vocabulary it was built with)
            self.suggest_name()
        self.changed.emit()
        self.previewShown.emit(result)

    def _show_defaults(self) -> None:
        """The fields from the defaults of this kind of run (a fine-tune's depend on its base's architecture),
        when they differ from the ones shown: another base of the same kind keeps what was typed."""
        defaults = default_train_config(self.model.fine_tune, self.model.base_architecture())
        if defaults != self.settings.defaults:
            self.settings.show_defaults(defaults)

    def _on_mode_changed(self, fine_tune: bool) -> None:
        self._show_defaults()
        self.suggest_name()
        self.changed.emit()

    def suggest_name(self) -> None:
        preview = self.data.preview
        taken = self.model.model_names() | {run.name for run in self.banner.runs} | self.saved_names
        self.model.suggest_name(preview.paths[0] if preview else None, taken)

    def name_saved(self, name: str) -> None:
        """A model was saved under ``name``: the next run gets a new suggestion."""
        self.saved_names.add(name)
        self.model.release_name()
        self.suggest_name()

    def problem(self) -> str | None:
        """Why a run cannot start now, or None."""
        return self.data.problem() or self.model.problem()

    def build_spec(self, overrides: dict[str, Any], hyperparameters: dict[str, Any], device: str) -> RunSpec:
        """The run the form describes (plain data: built without importing torch).

        ``overrides`` are extra ``TrainConfig`` fields; ``hyperparameters`` a new model's architecture settings.
        """
        data, model, settings, validation = self.data, self.model, self.settings, self.data.validation
        epochs, batch = settings.epochs_spin.value(), settings.batch_spin.value()
        warmup = default_warmup(
            model.fine_tune, data.kept_pairs(), None if validation.separate else validation.holdout_fraction(), batch, epochs
        )
        sampling = SUBWORD_SAMPLING_ALPHA if settings.sampling_check.isChecked() else 0.0
        train = settings.train_config(warmup, sampling, overrides)
        return RunSpec(
            name=model.name(),
            data=data.data_paths(),
            format=data.data_format(),
            columns=data.data_columns(),
            validation=validation.paths(),
            validation_fraction=validation.holdout_fraction(),
            base_model=model.base_model(),
            architecture=model.architecture(),
            hyperparameters=dict(hyperparameters),
            vocab_size=model.vocab_spin.value(),
            train=train,
            device=device,
            replay_ratio=model.replay_ratio(),
        )
