"""The Training tab's validation set: a share of the training pairs held out, or separate file(s).

``ValidationChoice`` owns the rows that say which, and a separate file's preview: asked for with
the training data's format and columns (``previewRequested``, an id from the data panel's counter,
so that each answer names exactly one request) and shown in its summary line. The data panel lays
the rows out in its own grid and hands it the answers that are its own (``owns``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator, Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QButtonGroup, QFileDialog, QLabel, QLineEdit, QPushButton, QRadioButton, QSpinBox, QWidget

from translator_app.core.types.run_spec import HOLDOUT_FRACTION, MAX_VALIDATION_PAIRS
from translator_app.gui.named import named
from translator_app.gui.training.data_files import DATA_FILTER, PATH_SEPARATOR, split_paths
from translator_app.gui.training.results import PreviewResult


class ValidationChoice(QObject):
    previewRequested = Signal(int, list, object, object)  # request id, paths, format, columns: for the worker
    errorOccurred = Signal(str)

    def __init__(
        self,
        panel: QWidget,
        preview_ids: Iterator[int],
        data_format: Callable[[], str | None],
        data_columns: Callable[[], tuple[int, int] | None],
        last_directory: Callable[[], str],
    ):
        super().__init__(panel)
        self._panel = panel  # the file dialog opens over it; its font sizes the "…" button
        self._preview_ids = preview_ids  # shared with the training data's requests
        self._data_format = data_format
        self._data_columns = data_columns
        self._last_directory = last_directory
        self.preview: PreviewResult | None = None  # the separate file's, once read
        self._request = 0
        self._build_rows()
        self._on_mode(False)

    def _build_rows(self) -> None:
        self.holdout_radio = named(QRadioButton("Hold out"), "holdoutRadio")
        self.holdout_radio.setChecked(True)
        self.holdout_spin = named(QSpinBox(), "holdoutSpin")
        self.holdout_spin.setRange(1, 40)
        self.holdout_spin.setValue(round(HOLDOUT_FRACTION * 100))
        self.holdout_spin.setSuffix(" % of the pairs")
        tip = (
            f"This share of your pairs, picked at random (at most {MAX_VALIDATION_PAIRS:,}), is set aside to measure the\n"
            "validation loss and BLEU after every epoch; the model never trains on them."
        )
        self.holdout_radio.setToolTip(tip)
        self.holdout_spin.setToolTip(tip)
        self.file_radio = named(QRadioButton("File:"), "validationFileRadio")
        self.file_edit = named(QLineEdit(), "validationFileEdit")
        self.file_edit.setPlaceholderText("separate validation file(s), same format")
        tip = (
            "A separate validation set in the same format as the training data (two files for aligned text,\n"
            "separated by ';'); all of the training file is then trained on."
        )
        self.file_radio.setToolTip(tip)
        self.file_edit.setToolTip(tip)
        self.file_edit.editingFinished.connect(self._on_edited)
        self.browse_button = named(QPushButton("…"), "validationBrowseButton")
        self.browse_button.setToolTip("Choose the validation file(s)")
        self.browse_button.setFixedWidth(self._panel.fontMetrics().horizontalAdvance("…") * 4 + 12)
        self.browse_button.clicked.connect(self.choose_files)
        self.group = QButtonGroup(self._panel)
        self.group.addButton(self.holdout_radio)
        self.group.addButton(self.file_radio)
        self.file_radio.toggled.connect(self._on_mode)
        self.summary = named(QLabel(""), "validationSummary")
        self.summary.setWordWrap(True)
        self.summary.setVisible(False)

    # ---- what the run takes from here -----------------------------------------------------------

    def set_idle(self, idle: bool) -> None:
        """Editable only while no run is under way."""
        self.holdout_radio.setEnabled(idle)
        self.file_radio.setEnabled(idle)
        separate = self.separate
        self.holdout_spin.setEnabled(idle and not separate)
        self.file_edit.setEnabled(idle and separate)
        self.browse_button.setEnabled(idle and separate)

    @property
    def separate(self) -> bool:
        """A separate validation file, rather than a share held out."""
        return self.file_radio.isChecked()

    def holdout_fraction(self) -> float:
        return self.holdout_spin.value() / 100

    def paths(self) -> list[str]:
        """The separate validation file(s); none when a share of the pairs is held out instead."""
        return split_paths(self.file_edit.text()) if self.separate else []

    def problem(self) -> str | None:
        """Why the validation set cannot be used yet, or None."""
        if self.separate:
            if not split_paths(self.file_edit.text()):
                return "Choose the validation file, or hold out a share of the training pairs instead."
            if self.preview is None:
                return "The validation file cannot be used (see the message beside it)."
        return None

    # ---- choosing the file ----------------------------------------------------------------------

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self._panel, "Choose the validation data (same format as the training data)", self._last_directory(), DATA_FILTER
        )
        if paths:
            self.set_files(paths)

    def show_run(self, paths: Sequence[str], fraction: float) -> None:
        """A resumed run's validation: its separate file(s), or the share it held out."""
        if paths:
            self.set_files(paths)
        else:
            self.holdout_radio.setChecked(True)
            self.holdout_spin.setValue(round(fraction * 100))

    def set_files(self, paths: Sequence[str | Path]) -> None:
        self.file_edit.setText(PATH_SEPARATOR.join(str(p) for p in paths))
        self.file_radio.setChecked(True)
        self._request_preview()

    def _request_preview(self) -> None:
        paths = split_paths(self.file_edit.text())
        self.preview = None
        if not paths:
            self.summary.setVisible(False)
            return
        self._request = next(self._preview_ids)
        fmt = self._data_format()
        columns = self._data_columns()
        self.summary.setText("Reading " + ", ".join(Path(p).name for p in paths) + "…")
        self.summary.setVisible(True)
        self.previewRequested.emit(self._request, paths, fmt, columns)

    def _on_edited(self) -> None:
        paths = split_paths(self.file_edit.text())
        if paths and (self.preview is None or paths != self.preview.paths):
            self.file_radio.setChecked(True)
            self._request_preview()

    def _on_mode(self, separate: bool) -> None:
        self.holdout_spin.setEnabled(not separate)
        self.file_edit.setEnabled(separate)
        self.browse_button.setEnabled(separate)
        self.summary.setVisible(separate and bool(self.summary.text()))

    # ---- the worker's answers -------------------------------------------------------------------

    def owns(self, request_id: int) -> bool:
        """The answer to ``request_id`` is this one's (the latest validation preview asked for)."""
        return request_id == self._request

    def show_preview(self, result: PreviewResult) -> None:
        self.preview = result
        self.summary.setText(f"Validation: {result.summary}")

    def show_preview_failure(self, message: str) -> None:
        self.preview = None
        self.summary.setText(f"⚠ {message}")
        self.errorOccurred.emit(message)
