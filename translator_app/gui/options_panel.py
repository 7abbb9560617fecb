"""The decoding-options panel: five spin boxes whose values go to the very next translation.

The ranges are the core's ``LIMITS``, which ``DecodeOptions.validated`` enforces, so the panel offers
exactly what the core (and the CLI) accept. The same widget, with other object names, is the
decoding section of the Preferences dialog.
"""

from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDockWidget, QDoubleSpinBox, QFormLayout, QMainWindow, QPushButton, QSpinBox, QVBoxLayout, QWidget

from translator_app.core.types.options import LIMITS
from translator_app.gui.named import named
from translator_app.gui.settings import DECODING_FIELDS, DECODING_KEYS, SPECS

# (DecodeOptions field, objectName suffix, label, tooltip)
FIELDS = (
    (
        "max_length",
        "maxLengthSpin",
        "Max output length",
        "The longest translation of one sentence, in subword pieces (about ¾ of a word each).\n"
        "Also limited to twice the sentence's own length plus 10, so a sentence never runs on.",
    ),
    (
        "beam_width",
        "beamWidthSpin",
        "Beam width",
        "How many partial translations are kept at each step.\n"
        "1 = greedy (fastest: always the single most likely next word); "
        "larger = slower, usually slightly better.",
    ),
    (
        "length_penalty",
        "lengthPenaltySpin",
        "Length penalty",
        "How beam search ranks short against long translations.\n"
        "0 = raw probability (favours short output); 1 = neutral (GNMT normalisation); "
        "higher = favours longer output.",
    ),
    (
        "n_best",
        "alternativesSpin",
        "Alternatives",
        "How many different translations to list, best first, with their scores.\n"
        "Click one to put it in the output pane. The beam widens to at least this number.",
    ),
    (
        "no_repeat_ngram_size",
        "noRepeatNgramSpin",
        "No-repeat n-gram",
        "Never produce the same sequence of n subword pieces twice in one sentence;\n"
        "stops the stutter small models fall into (\"a man a man a man\"). 0 = off; 3 is a common choice.",
    ),
)

DEFAULTS: dict[str, Any] = {DECODING_FIELDS[k]: SPECS[k].default for k in DECODING_KEYS}


class OptionsPanel(QWidget):
    """Emits ``optionsChanged`` with the full options dict whenever any value changes."""

    optionsChanged = Signal(dict)

    def __init__(self, parent: QWidget | None = None, *, name_prefix: str = "", show_reset: bool = True):
        super().__init__(parent)
        self.setObjectName(f"{name_prefix}optionsPanel" if name_prefix else "optionsPanel")
        self._model_defaults: dict[str, Any] = dict(DEFAULTS)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.spins: dict[str, QSpinBox | QDoubleSpinBox] = {}
        for field, object_name, label, tooltip in FIELDS:
            spin = self._make_spin(field)
            spin.setObjectName(name_prefix + object_name[0].upper() + object_name[1:] if name_prefix else object_name)
            spin.setToolTip(tooltip)
            spin.setAccessibleName(label)
            spin.setAccessibleDescription(tooltip)
            spin.valueChanged.connect(self._emit)
            form.addRow(f"{label}:", spin)
            form.labelForField(spin).setToolTip(tooltip)
            self.spins[field] = spin
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.reset_button = QPushButton("Reset to model defaults")
        self.reset_button.setObjectName(f"{name_prefix}resetOptionsButton" if name_prefix else "resetOptionsButton")
        self.reset_button.setToolTip("Use the decoding settings the model's authors recommend (or the app's defaults).")
        self.reset_button.clicked.connect(self.reset_to_defaults)
        self.reset_button.setVisible(show_reset)
        layout.addWidget(self.reset_button)
        layout.addStretch(1)

    @staticmethod
    def _make_spin(field: str) -> QSpinBox | QDoubleSpinBox:
        limit = LIMITS[field]
        if limit.kind is not int:
            double_spin = QDoubleSpinBox()
            double_spin.setRange(limit.low, limit.high)
            double_spin.setSingleStep(0.1)
            double_spin.setDecimals(2)
            return double_spin
        spin = QSpinBox()
        spin.setRange(int(limit.low), int(limit.high))
        if field == "beam_width":
            spin.setSpecialValueText("1 (greedy)")
        elif field == "no_repeat_ngram_size":
            spin.setSpecialValueText("off")
        elif field == "max_length":
            spin.setSingleStep(10)
        return spin

    def options(self) -> dict[str, Any]:
        return {field: spin.value() for field, spin in self.spins.items()}

    def set_options(self, options: dict[str, Any], *, notify: bool = False) -> None:
        """Show values without emitting per field; ``notify`` emits once at the end."""
        for field, value in options.items():
            spin = self.spins.get(field)
            if spin is not None:
                spin.blockSignals(True)
                spin.setValue(value)
                spin.blockSignals(False)
        if notify:
            self._emit()

    def set_model_defaults(self, defaults: dict[str, Any], keep: Sequence[str] = ()) -> None:
        """The loaded model's own decoding defaults; every field not in ``keep`` (the user's own
        choices) takes the model's value at once, so the window decodes as ``translate`` does."""
        self._model_defaults = {**DEFAULTS, **{k: v for k, v in defaults.items() if k in DEFAULTS}}
        current = self.options()
        self.set_options({f: current[f] if f in keep else v for f, v in self._model_defaults.items()}, notify=True)

    @property
    def model_defaults(self) -> dict[str, Any]:
        return dict(self._model_defaults)

    def custom_fields(self, options: dict[str, Any] | None = None) -> list[str]:
        """The fields whose value is not the model's default: what the user chose themselves."""
        options = self.options() if options is None else options
        return [f for f, v in options.items() if f in self._model_defaults and v != self._model_defaults[f]]

    def reset_to_defaults(self) -> None:
        self.set_options(self._model_defaults, notify=True)

    def _emit(self, *_args) -> None:
        self.optionsChanged.emit(self.options())


def options_dock(panel: OptionsPanel, window: QMainWindow) -> QDockWidget:
    """The main window's panel, docked on the right; the user may move, float or close it."""
    dock = named(QDockWidget("Decoding options", window), "optionsDock")
    dock.setWidget(panel)
    dock.setFeatures(
        QDockWidget.DockWidgetFeature.DockWidgetMovable
        | QDockWidget.DockWidgetFeature.DockWidgetClosable
        | QDockWidget.DockWidgetFeature.DockWidgetFloatable
    )
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    return dock
