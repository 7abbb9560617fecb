"""The Training tab's training settings: epochs, learning rate, batch, subword sampling, and the estimate.

The fields start from the core's defaults for fine-tuning or a new model (``default_train_config``),
the ones ``translator-app train`` uses. Fine-tuning batches by length (as many pairs as fit a token
budget, so a memory of short UI strings trains as fast as long sentences); as on the command line,
choosing another number of pairs per batch batches by pairs instead. The note under the fields says
which one the run will do, since a "Batch: 64" that meant tokens would be hidden.
"""

from __future__ import annotations

import re
from dataclasses import asdict, replace
from typing import Any

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from translator_app.core.types.train_config import TrainConfig
from translator_app.gui.named import named


class LearningRateSpin(QDoubleSpinBox):
    """A learning rate shown as 0.0003 / 1e-05 and stepped by ×1.5, not by a fixed amount."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setDecimals(8)
        self.setRange(1e-6, 1.0)

    def textFromValue(self, value: float) -> str:
        return f"{value:.2g}"

    def valueFromText(self, text: str) -> float:
        try:
            return float(text.strip())
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int):
        stripped = text.strip()
        try:
            value = float(stripped)
        except ValueError:
            state = QValidator.State.Intermediate if re.fullmatch(r"[0-9.eE+-]*", stripped) else QValidator.State.Invalid
            return state, text, pos
        ok = self.minimum() <= value <= self.maximum()
        return (QValidator.State.Acceptable if ok else QValidator.State.Intermediate), text, pos

    def stepBy(self, steps: int) -> None:
        value = self.value() * (1.5**steps)
        self.setValue(float(f"{value:.2g}"))


class SettingsPanel(QGroupBox):
    def __init__(self, parent: QWidget | None = None):
        super().__init__("Training", parent)
        self.setObjectName("trainingSettingsGroup")
        self.epochs_spin = named(QSpinBox(), "epochsSpin")
        self.epochs_spin.setRange(1, 1000)
        self.epochs_spin.setToolTip(
            "How many times training goes through all your pairs. Fine-tuning needs few (3–10),\n"
            "a new model many (20 or more). Training stops early once the validation BLEU\n"
            "has not improved for 4 epochs; the best epoch is the one saved."
        )
        self.lr_spin = LearningRateSpin()
        self.lr_spin.setObjectName("learningRateSpin")
        self.lr_spin.setToolTip(
            "The optimiser's peak step size (Adam), reached after a short warm-up and then lowered\n"
            "gradually. Fine-tuning: about 0.0003 (smaller keeps more of what the model knew);\n"
            "a new model: about 0.001. If the loss jumps up or becomes NaN, lower it."
        )
        self.batch_spin = named(QSpinBox(), "batchSizeSpin")
        self.batch_spin.setRange(1, 4096)
        self.batch_spin.setToolTip(
            "Sentence pairs per training step. Larger batches are faster per pair (on a GPU\n"
            "especially) but need more memory and make fewer steps per epoch.\n"
            "Lower it if you run out of memory. Fine-tuning at its default batches by length\n"
            "instead (the note below says which one a run will do)."
        )
        self.sampling_check = named(QCheckBox("Vary subword splits"), "subwordSamplingCheck")
        self.sampling_check.setToolTip(
            "Split the training sentences into subwords differently every epoch (subword\n"
            "regularization). The model learns the words rather than one way of cutting them.\n"
            "An epoch has about 10% more subwords to learn. On Multi30k it helped the Transformer,\n"
            "trained 25 epochs, but not the LSTM without attention, which learned more slowly."
        )
        self.estimate_button = named(QPushButton("Estimate time"), "estimateButton")
        self.estimate_button.setToolTip(
            "Read the data, build the model and time a few real training steps on this\n"
            "device to estimate how long the whole run takes"
        )
        self.estimate_label = named(QLabel(""), "estimateLabel")
        self.estimate_label.setWordWrap(True)
        self.batch_note = named(QLabel(""), "batchNoteLabel")
        self.batch_note.setWordWrap(True)
        self._defaults = TrainConfig()
        self.batch_spin.valueChanged.connect(lambda _v: self._show_batch_note())

        form = QHBoxLayout()
        for label, widget in (("Epochs:", self.epochs_spin), ("Learning rate:", self.lr_spin), ("Batch:", self.batch_spin)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            form.addWidget(caption)
            form.addWidget(widget, 1)
        estimate = QHBoxLayout()
        estimate.addWidget(self.estimate_button)
        estimate.addWidget(self.estimate_label, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.batch_note)
        layout.addWidget(self.sampling_check)
        layout.addLayout(estimate)

    @property
    def defaults(self) -> TrainConfig:
        """The defaults the fields started from."""
        return self._defaults

    def show_defaults(self, defaults: TrainConfig) -> None:
        """Start the fields from these defaults (fine-tuning and a new model have their own)."""
        self._defaults = defaults
        self.epochs_spin.setValue(defaults.epochs)
        self.lr_spin.setValue(defaults.learning_rate)
        self.batch_spin.setValue(defaults.batch_size)
        self._show_batch_note()

    def show_run(self, train: TrainConfig) -> None:
        """A resumed run's own settings (over the defaults of its kind, shown already)."""
        self.epochs_spin.setValue(train.epochs)
        self.lr_spin.setValue(train.learning_rate)
        by_tokens = train.batch_tokens > 0 and self._defaults.batch_tokens > 0
        self.batch_spin.setValue(self._defaults.batch_size if by_tokens else train.batch_size)
        self.sampling_check.setChecked(train.subword_sampling > 0)
        self._show_batch_note()

    def by_tokens(self) -> bool:
        """Batches by length: the defaults do, and the pairs per batch were left at their default."""
        return self._defaults.batch_tokens > 0 and self.batch_spin.value() == self._defaults.batch_size

    def train_config(self, warmup_steps: int, subword_sampling: float, overrides: dict[str, Any]) -> TrainConfig:
        """The fields over the defaults they started from (so the defaults not shown here carry through),
        then ``overrides`` (extra ``TrainConfig`` fields: tests, scripts)."""
        chosen = replace(
            self._defaults,
            epochs=self.epochs_spin.value(),
            learning_rate=self.lr_spin.value(),
            batch_size=self.batch_spin.value(),
            batch_tokens=self._defaults.batch_tokens if self.by_tokens() else 0,
            warmup_steps=warmup_steps,
            subword_sampling=subword_sampling,
        )
        return TrainConfig.from_dict({**asdict(chosen), **overrides})

    def _show_batch_note(self) -> None:
        tokens, pairs = self._defaults.batch_tokens, self._defaults.batch_size
        if not tokens:
            self.batch_note.setText("")
        elif self.by_tokens():
            self.batch_note.setText(
                f"Batches by length: as many pairs as fit {tokens:,} subwords, so a batch of short segments holds as much text "
                "as one of long sentences. "
                "Any other Batch number means that many pairs per batch."
            )
        else:
            self.batch_note.setText(
                f"{self.batch_spin.value():,} pairs per batch (at {pairs}, batches are made by length: "
                f"up to {tokens:,} subwords each)."
            )
        self.batch_note.setVisible(bool(tokens))

    def set_idle(self, idle: bool) -> None:
        for widget in (self.epochs_spin, self.lr_spin, self.batch_spin, self.sampling_check):
            widget.setEnabled(idle)
