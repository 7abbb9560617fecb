"""The Training tab's choice of what to train: fine-tune an installed model, or a new one; and its name.

The vocabulary and the name are suggested by the core (``core.types.run_spec``); a name the user typed
is never replaced by a suggestion. A fine-tune mixes the base model's own training pairs into the
user's (``core.replay``) unless the user turns that off; it can only where the base ships a sample.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QStyle,
    QWidget,
)

from translator_app.core.types.model_names import NAME_RULE, check_name_rules, normalized_name
from translator_app.core.types.modelformat import has_replay
from translator_app.core.types.run_spec import (
    DEFAULT_VOCAB_SIZE,
    VOCAB_SIZE_RANGE,
    RunSpec,
    default_replay_ratio,
    default_train_config,
    suggest_model_name,
    suggest_vocab_size,
)
from translator_app.gui.named import named

PATH_ROLE = Qt.ItemDataRole.UserRole
NAME_ROLE = Qt.ItemDataRole.UserRole + 1
ARCH_ROLE = Qt.ItemDataRole.UserRole + 2  # the base's architecture: its fine-tuning defaults depend on it
MIX_TEXT = "Keep the base model's German (mix in its own training data)"
MIX_TIP = (
    "Fine-tuning on your pairs alone makes a model better at your kind of text and worse at\n"
    "everything else: it forgets German it knew. Checked, every epoch also trains on\n"
    "{ratio:g} of the base model's own training pairs per pair of yours, a fresh draw each time.\n"
    "Either way the base model's general German is measured before training and after each\n"
    "epoch; an epoch that loses more than {budget:g} BLEU there is never kept."
)
NO_SAMPLE_TIP = (
    "“{name}” ships no sample of its own training data (replay.safetensors), so a fine-tune\n"
    "trains on your pairs alone, and what it forgets of general German is not measured."
)
NEW_MODEL_TIP = "Only when fine-tuning: a new model has no German of its own to keep."


class ModelPanel(QGroupBox):
    modeChanged = Signal(bool)  # fine-tune (True) or a new model
    suggestionsChanged = Signal()  # the base model, the architecture or the models changed: a new name fits
    nameEdited = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Model", parent)
        self.setObjectName("trainingModelGroup")
        self._idle = True
        self._models: list = []
        self._current_model_path: str | None = None
        self._base_chosen = False
        self._name_edited = False
        self._last_suggestion = ""
        self._mix_wanted = True  # the user's choice, kept while a base without a sample is chosen
        self._build()
        self._enable_choices()

    def _build(self) -> None:
        self.fine_tune_radio = named(QRadioButton("Fine-tune"), "fineTuneRadio")
        self.fine_tune_radio.setToolTip(
            "Start from an existing model and adapt it to your data: fast, and useful with a\n"
            "few thousand pairs. The existing model is not changed; the result is a new model."
        )
        self.fine_tune_radio.setChecked(True)
        self.scratch_radio = named(QRadioButton("New model"), "fromScratchRadio")
        self.scratch_radio.setToolTip(
            "Train a new model with its own vocabulary from nothing: needs far more data\n"
            "(tens of thousands of pairs) and time than fine-tuning."
        )
        modes = QButtonGroup(self)
        modes.addButton(self.fine_tune_radio)
        modes.addButton(self.scratch_radio)
        self.base_combo = named(QComboBox(), "baseModelCombo")
        self.base_combo.setToolTip("The model to start from (default: the one in use)")
        self.base_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.base_combo.setMinimumContentsLength(14)
        self.base_combo.activated.connect(self._on_base_chosen)
        self.base_combo.currentIndexChanged.connect(lambda _i: self._enable_choices())
        self.mix_check = named(QCheckBox(MIX_TEXT), "replayMixCheck")
        self.mix_check.setChecked(True)
        self.mix_check.clicked.connect(self._on_mix_clicked)
        self.architecture_combo = named(QComboBox(), "architectureCombo")
        self.architecture_combo.setToolTip("The network of the new model (the PyTorch seq2seq tutorials' six)")
        self.architecture_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.architecture_combo.setMinimumContentsLength(14)
        self.architecture_combo.currentIndexChanged.connect(lambda _i: self.suggestionsChanged.emit())
        self.vocab_spin = named(QSpinBox(), "vocabSizeSpin")
        self.vocab_spin.setRange(*VOCAB_SIZE_RANGE)
        self.vocab_spin.setSingleStep(500)
        self.vocab_spin.setValue(DEFAULT_VOCAB_SIZE)
        self.vocab_spin.setToolTip(
            "Subword vocabulary of the new model (SentencePiece pieces shared by both languages).\n"
            "Smaller suits less data; it is suggested from the size of your file."
        )
        self.name_edit = named(QLineEdit(), "trainingNameEdit")
        self.name_edit.setPlaceholderText("name of the new model")
        self.name_edit.setToolTip(
            f"The new model is saved under this name in your data folder ({NAME_RULE}).\nAn existing model is never overwritten."
        )
        self.name_edit.textEdited.connect(self._on_name_edited)
        self.fine_tune_radio.toggled.connect(self._on_mode_changed)

        grid = QGridLayout(self)
        grid.addWidget(self.fine_tune_radio, 0, 0)
        grid.addWidget(self.base_combo, 0, 1, 1, 3)
        mix_row = QHBoxLayout()  # under "Fine-tune", indented as its option (the base combo's column is too narrow)
        style = self.style()
        mix_row.addSpacing(
            style.pixelMetric(QStyle.PixelMetric.PM_ExclusiveIndicatorWidth)
            + style.pixelMetric(QStyle.PixelMetric.PM_RadioButtonLabelSpacing)
        )
        mix_row.addWidget(self.mix_check, 1)
        grid.addLayout(mix_row, 1, 0, 1, 4)
        grid.addWidget(self.scratch_radio, 2, 0)
        grid.addWidget(self.architecture_combo, 2, 1)
        vocab_label = QLabel("Vocabulary:")
        vocab_label.setBuddy(self.vocab_spin)
        grid.addWidget(vocab_label, 2, 2)
        grid.addWidget(self.vocab_spin, 2, 3)
        name_label = QLabel("Save as:")
        name_label.setBuddy(self.name_edit)
        grid.addWidget(name_label, 3, 0)
        grid.addWidget(self.name_edit, 3, 1, 1, 3)
        grid.setColumnStretch(1, 1)

    # ---- what the run takes from here -----------------------------------------------------------

    @property
    def fine_tune(self) -> bool:
        return self.fine_tune_radio.isChecked()

    def base_model(self) -> str | None:
        """The folder of the model to fine-tune; None for a new model (or when none is installed)."""
        return self.base_combo.currentData(PATH_ROLE) if self.fine_tune else None

    def architecture(self) -> str:
        return self.architecture_combo.currentData() or "lstm"

    def base_architecture(self) -> str | None:
        """The architecture of the model to fine-tune (None for a new model)."""
        return self.base_combo.currentData(ARCH_ROLE) if self.fine_tune else None

    def name(self) -> str:
        """The name as it is stored (trimmed, composed Unicode): what the model manager would make of it."""
        return normalized_name(self.name_edit.text())

    def replay_ratio(self) -> float:
        """The base model's pairs mixed in per pair of the user's: the core's default, or 0 (off)."""
        return default_replay_ratio(self.base_architecture()) if self.mix_check.isChecked() else 0.0

    def problem(self) -> str | None:
        """Why this choice cannot be trained, or None."""
        if self.fine_tune and self.base_combo.currentData(PATH_ROLE) is None:
            return "There is no model to fine-tune; choose “New model”."
        try:  # the model manager's rule: what it may rename a model to, training may name one
            check_name_rules(self.name())
        except ValueError as exc:
            return f"“Save as”: {exc}."
        return None

    def set_idle(self, idle: bool) -> None:
        """Editable only while no run is under way; the base model only to fine-tune, the rest only for a new one."""
        self._idle = idle
        for widget in (self.fine_tune_radio, self.scratch_radio, self.name_edit):
            widget.setEnabled(idle)
        self._enable_choices()

    def _enable_choices(self) -> None:
        fine = self.fine_tune
        self.base_combo.setEnabled(self._idle and fine)
        self.architecture_combo.setEnabled(self._idle and not fine)
        self.vocab_spin.setEnabled(self._idle and not fine)
        self._show_mix()

    def _show_mix(self) -> None:
        """Checked as the user chose where the base ships a sample; off (and why, in the tooltip) elsewhere."""
        path = self.base_combo.currentData(PATH_ROLE) if self.fine_tune else None
        available = path is not None and has_replay(Path(path))
        self.mix_check.setEnabled(self._idle and available)
        self.mix_check.setChecked(available and self._mix_wanted)
        if not self.fine_tune:
            self.mix_check.setToolTip(NEW_MODEL_TIP)
        elif available or path is None:  # nothing to fine-tune yet: what it would do
            budget = default_train_config(True).forgetting_budget
            ratio = default_replay_ratio(self.base_architecture())
            self.mix_check.setToolTip(MIX_TIP.format(ratio=ratio, budget=budget))
        else:
            self.mix_check.setToolTip(NO_SAMPLE_TIP.format(name=self.base_combo.currentData(NAME_ROLE)))

    def _on_mix_clicked(self, checked: bool) -> None:
        self._mix_wanted = checked

    # ---- models and architectures ----------------------------------------------------------------

    def set_models(self, entries: list) -> None:
        """The installed models (``core.catalog.ModelInfo``), for the fine-tuning choice."""
        self._models = [e for e in entries if not getattr(e, "error", None)]
        keep = self.base_combo.currentData(PATH_ROLE) if self._base_chosen else self._current_model_path
        self.base_combo.clear()
        for entry in self._models:
            self.base_combo.addItem(entry.name + ("" if entry.shipped else " (yours)"))
            index = self.base_combo.count() - 1
            self.base_combo.setItemData(index, str(entry.path), PATH_ROLE)
            self.base_combo.setItemData(index, entry.name, NAME_ROLE)
            self.base_combo.setItemData(index, entry.architecture, ARCH_ROLE)
            self.base_combo.setItemData(
                index, f"{entry.description or entry.architecture}\n{entry.path}", Qt.ItemDataRole.ToolTipRole
            )
        self._select_base(keep)
        # The first item became current before its data was set, and choosing it again changes no index:
        # say now what this base allows (mixing), or a later state change would, and change the run
        # between an Estimate and its Start.
        self._enable_choices()
        self.suggestionsChanged.emit()

    def model_names(self) -> set[str]:
        return {e.name for e in self._models}

    def set_current_model(self, path: str | Path) -> None:
        """The model in use: the default to fine-tune."""
        self._current_model_path = str(path)
        if not self._base_chosen:
            self._select_base(self._current_model_path)
            self.suggestionsChanged.emit()

    def _select_base(self, path: str | None) -> None:
        """The base whose folder is ``path`` (or, as the command line names one, whose name it is)."""
        if path is None:
            return
        for role, same in ((PATH_ROLE, lambda a, b: Path(a) == Path(b)), (NAME_ROLE, lambda a, b: a == b)):
            for index in range(self.base_combo.count()):
                if same(self.base_combo.itemData(index, role), path):
                    self.base_combo.setCurrentIndex(index)
                    return

    def show_run(self, spec: RunSpec) -> None:
        """A resumed run's own model choices: fine-tune (its base, mixing or not) or new (its network and
        vocabulary), and its name, which stays as chosen."""
        if spec.base_model:
            self.fine_tune_radio.setChecked(True)
            self._base_chosen = True
            self._select_base(spec.base_model)
            self._mix_wanted = spec.replay_ratio > 0
        else:
            self.scratch_radio.setChecked(True)
            self.architecture_combo.setCurrentIndex(max(self.architecture_combo.findData(spec.architecture), 0))
            self.vocab_spin.setValue(spec.vocab_size)
        self._enable_choices()
        self.name_edit.setText(spec.name)
        self._name_edited = True

    def _on_base_chosen(self, _index: int) -> None:
        self._base_chosen = True
        self.suggestionsChanged.emit()

    def set_architectures(self, architectures: list) -> None:
        """[(name, title)] as the worker lists them; the choice made so far stays (else the LSTM)."""
        current = self.architecture_combo.currentData()
        self.architecture_combo.clear()
        for name, title in architectures:
            self.architecture_combo.addItem(name, name)
            self.architecture_combo.setItemData(self.architecture_combo.count() - 1, title, Qt.ItemDataRole.ToolTipRole)
        index = self.architecture_combo.findData(current or "lstm")
        self.architecture_combo.setCurrentIndex(max(index, 0))

    # ---- suggestions ----------------------------------------------------------------------------

    def _on_mode_changed(self, fine_tune: bool) -> None:
        self._enable_choices()
        self.modeChanged.emit(fine_tune)

    def _on_name_edited(self, text: str) -> None:
        self._name_edited = bool(text)
        self.nameEdited.emit()

    def suggest_vocab(self, pairs: int) -> None:
        self.vocab_spin.setValue(suggest_vocab_size(pairs))

    def suggest_name(self, data_file: str | None, taken: set[str]) -> None:
        """Name the model after its base (or architecture) and its data, unless a name was chosen."""
        current = self.name()
        if self._name_edited or (current and current != self._last_suggestion):
            return  # a name the user (or a script) chose stays
        base = self.base_combo.currentData(NAME_ROLE) if self.fine_tune else self.architecture_combo.currentData()
        self._last_suggestion = suggest_model_name(base or "model", data_file, taken)
        self.name_edit.setText(self._last_suggestion)

    def release_name(self) -> None:
        """The name was just used: the next run gets a new suggestion."""
        self._name_edited = False
        self._last_suggestion = self.name()
