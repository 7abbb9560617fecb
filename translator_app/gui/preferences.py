"""Preferences (Ctrl+,): decoding defaults, device, CPU threads, translate-as-you-type and font.

The dialog edits a copy of the values and hands them back on OK; the window decides what each
change means (reload the model for a new device, re-translate for new options).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFontComboBox,
    QFormLayout,
    QGroupBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from translator_app.core.devices import THREADS
from translator_app.gui.history_view import KEEP_TIP
from translator_app.gui.named import named
from translator_app.gui.options_panel import OptionsPanel
from translator_app.gui.settings import DECODING_FIELDS, FONT_SIZES, SPECS, Key

DEVICE_LABELS = (("auto", "Automatic (GPU if available: CUDA, then Apple MPS)"), ("cpu", "CPU"), ("gpu", "GPU"))


class PreferencesDialog(QDialog):
    def __init__(self, values: dict[Key, Any], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle("Preferences")

        self.decoding = OptionsPanel(name_prefix="pref", show_reset=False)
        decoding_box = QGroupBox("Decoding defaults")
        QVBoxLayout(decoding_box).addWidget(self.decoding)

        self.device_combo = named(QComboBox(), "deviceCombo")
        for value, label in DEVICE_LABELS:
            self.device_combo.addItem(label, value)
        self.device_combo.setToolTip("Where the model runs. Changing it reloads the model.")
        self.threads_spin = named(QSpinBox(), "threadsSpin")
        self.threads_spin.setRange(int(THREADS.low), int(THREADS.high))
        self.threads_spin.setSpecialValueText("Automatic")
        self.threads_spin.setToolTip(
            "CPU threads for translation. Automatic: one per core, but on machines with\n"
            "few cores one core is left free so the window and other programs stay quick."
        )
        self.as_you_type_check = named(QCheckBox("Translate as you type"), "asYouTypeCheck")
        self.as_you_type_check.setToolTip("Translate shortly after you stop typing, without pressing Translate.")
        self.keep_history_check = named(QCheckBox("Keep translation history between launches"), "keepHistoryPrefCheck")
        self.keep_history_check.setToolTip(KEEP_TIP)
        self.font_combo = named(QFontComboBox(), "fontCombo")
        self.font_combo.setToolTip("Font of the input and output panes.")
        self.system_font_check = named(QCheckBox("Use the system font"), "systemFontCheck")
        self.system_font_check.toggled.connect(lambda on: self.font_combo.setEnabled(not on))
        self.font_size_spin = named(QSpinBox(), "fontSizeSpin")
        self.font_size_spin.setRange(FONT_SIZES[0] - 1, FONT_SIZES[1])
        self.font_size_spin.setSpecialValueText("System size")
        self.font_size_spin.setSuffix(" pt")

        general = QGroupBox("General")
        form = QFormLayout(general)
        form.addRow("Device:", self.device_combo)
        form.addRow("CPU threads:", self.threads_spin)
        form.addRow("", self.as_you_type_check)
        form.addRow("", self.keep_history_check)
        form.addRow("Font:", self.font_combo)
        form.addRow("", self.system_font_check)
        form.addRow("Font size:", self.font_size_spin)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(self.restore_defaults)

        layout = QVBoxLayout(self)
        layout.addWidget(general)
        layout.addWidget(decoding_box)
        layout.addWidget(buttons)
        self.set_values(values)

    def set_values(self, values: dict[Key, Any]) -> None:
        self.decoding.set_options({field: values[key] for key, field in DECODING_FIELDS.items()})
        self.device_combo.setCurrentIndex(max(self.device_combo.findData(values[Key.DEVICE]), 0))
        self.threads_spin.setValue(values[Key.CPU_THREADS])
        self.as_you_type_check.setChecked(values[Key.AS_YOU_TYPE])
        self.keep_history_check.setChecked(values[Key.KEEP_HISTORY])
        family = values[Key.FONT_FAMILY]
        self.system_font_check.setChecked(not family)
        self.font_combo.setEnabled(bool(family))
        if family:
            self.font_combo.setCurrentFont(QFont(family))
        size = values[Key.FONT_SIZE]
        self.font_size_spin.setValue(size if size else self.font_size_spin.minimum())

    def restore_defaults(self) -> None:
        self.set_values({key: spec.default for key, spec in SPECS.items()})

    def values(self) -> dict[Key, Any]:
        options = self.decoding.options()
        size = self.font_size_spin.value()
        return {
            **{key: options[field] for key, field in DECODING_FIELDS.items()},
            Key.DEVICE: self.device_combo.currentData(),
            Key.CPU_THREADS: self.threads_spin.value(),
            Key.AS_YOU_TYPE: self.as_you_type_check.isChecked(),
            Key.KEEP_HISTORY: self.keep_history_check.isChecked(),
            Key.FONT_FAMILY: "" if self.system_font_check.isChecked() else self.font_combo.currentFont().family(),
            Key.FONT_SIZE: 0 if size < FONT_SIZES[0] else size,
        }
