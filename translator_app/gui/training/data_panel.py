"""The Training tab's data: the file(s), their format and columns, a preview, and the validation set.

Reading a file is the worker's job: the panel asks for a preview (``previewRequested``, with an id
so that an answer to an older request is dropped) and shows the answer it is given. The validation
set's rows sit in the panel's grid, but their choice and their file's preview are
``ValidationChoice``'s.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from translator_app.core.types.train_config import MIN_TRAINING_PAIRS
from translator_app.core.types.run_spec import RunSpec
from translator_app.gui.named import named
from translator_app.gui.textstats import plural
from translator_app.gui.training.data_files import DATA_FILTER, PATH_SEPARATOR, split_paths
from translator_app.gui.training.results import PreviewResult
from translator_app.gui.training.validation_choice import ValidationChoice

FORMATS = [
    (None, "Detect automatically"),
    ("aligned", "Two line-aligned files"),
    ("tsv", "TSV (tab-separated)"),
    ("csv", "CSV (comma or semicolon)"),
    ("tmx", "TMX translation memory"),
    ("po", "gettext PO catalog"),
    ("xliff", "XLIFF 1.2 / 2.0"),
]
FORMAT_NAMES = {"aligned": "two aligned files", "tsv": "TSV", "csv": "CSV", "tmx": "TMX", "po": "PO", "xliff": "XLIFF"}


class DataPanel(QGroupBox):
    previewRequested = Signal(int, list, object, object)  # request id, paths, format, columns: for the worker
    dataChanged = Signal()  # the training data is read anew: no preview until it answers
    previewShown = Signal(object)  # the training data's PreviewResult as shown, or None when it cannot be read
    errorOccurred = Signal(str)

    def __init__(
        self, last_directory: Callable[[], str], remember_directory: Callable[[str], None], parent: QWidget | None = None
    ):
        super().__init__("Training data", parent)
        self.setObjectName("trainingDataGroup")
        self._last_directory = last_directory
        self._remember_directory = remember_directory
        self.preview: PreviewResult | None = None
        self._table_source: tuple[list[str], str] | None = None
        self._requested_paths: list[str] | None = None
        self._preview_ids = iter(range(1, 1 << 62))  # one counter for both: an answer names one request
        self._data_request = 0
        self._build_file_rows()
        self.validation = ValidationChoice(self, self._preview_ids, self.data_format, self.data_columns, last_directory)
        self.validation.previewRequested.connect(self.previewRequested)
        self.validation.errorOccurred.connect(self.errorOccurred)
        self._lay_out()

    def _build_file_rows(self) -> None:
        self.file_edit = named(QLineEdit(), "trainingFileEdit")
        self.file_edit.setPlaceholderText("Choose or drop a TSV, CSV, TMX, PO or XLIFF file, or two aligned files")
        self.file_edit.setToolTip(
            "One TSV, CSV, TMX, PO or XLIFF file, or a German and an English file whose lines match\n"
            "(separate two paths with ';'). You can also drop the file(s) onto this tab."
        )
        self.file_edit.setAccessibleName("Training data file")
        self.file_edit.editingFinished.connect(self._on_file_edited)
        self.browse_button = named(QPushButton("Browse…"), "trainingBrowseButton")
        self.browse_button.setToolTip("Choose one file, or two line-aligned files at once")
        self.browse_button.clicked.connect(self.choose_data_files)

        self.format_combo = named(QComboBox(), "trainingFormatCombo")
        for fmt, label in FORMATS:
            self.format_combo.addItem(label, fmt)
        self.format_combo.setToolTip("How the file is read; detected from its name and content unless you choose")
        self.format_combo.currentIndexChanged.connect(self._on_format_chosen)
        self.german_column = named(QComboBox(), "germanColumnCombo")
        self.english_column = named(QComboBox(), "englishColumnCombo")
        for combo, language in ((self.german_column, "German"), (self.english_column, "English")):
            combo.setToolTip(f"The column that holds the {language} sentences")
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(10)
            combo.activated.connect(self._on_columns_chosen)
        self.columns_row = named(QWidget(), "columnMappingRow")
        columns = QHBoxLayout(self.columns_row)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addWidget(QLabel("German:"))
        columns.addWidget(self.german_column, 1)
        columns.addWidget(QLabel("English:"))
        columns.addWidget(self.english_column, 1)
        self.columns_row.setVisible(False)

        self.preview_table = named(QTableWidget(0, 2), "trainingPreviewTable")
        self.preview_table.setHorizontalHeaderLabels(["German", "English"])
        self.preview_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.preview_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.preview_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview_table.setWordWrap(False)
        self.preview_table.setAlternatingRowColors(True)
        self.preview_table.setMinimumHeight(120)
        self.preview_table.setAccessibleName("Preview of the first sentence pairs")
        self.data_summary = named(QLabel("No file chosen yet."), "trainingDataSummary")
        self.data_summary.setWordWrap(True)
        self.data_summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def _lay_out(self) -> None:
        grid = QGridLayout(self)
        grid.addWidget(QLabel("File:"), 0, 0)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.browse_button)
        grid.addLayout(file_row, 0, 1)
        grid.addWidget(QLabel("Format:"), 1, 0)
        grid.addWidget(self.format_combo, 1, 1)
        grid.addWidget(self.columns_row, 2, 1)
        grid.addWidget(self.preview_table, 3, 0, 1, 2)
        grid.addWidget(self.data_summary, 4, 0, 1, 2)
        validation = self.validation
        grid.addWidget(QLabel("Validation:"), 5, 0)
        holdout_row = QHBoxLayout()
        holdout_row.addWidget(validation.holdout_radio)
        holdout_row.addWidget(validation.holdout_spin)
        holdout_row.addStretch(1)
        grid.addLayout(holdout_row, 5, 1)
        validation_row = QHBoxLayout()
        validation_row.addWidget(validation.file_radio)
        validation_row.addWidget(validation.file_edit, 1)
        validation_row.addWidget(validation.browse_button)
        grid.addLayout(validation_row, 6, 1)
        grid.addWidget(validation.summary, 7, 1)
        grid.setRowStretch(3, 1)
        grid.setColumnStretch(1, 1)

    # ---- what the run takes from here -----------------------------------------------------------

    def set_idle(self, idle: bool) -> None:
        """Editable only while no run is under way."""
        for widget in (self.file_edit, self.browse_button, self.format_combo, self.columns_row):
            widget.setEnabled(idle)
        self.validation.set_idle(idle)

    def data_paths(self) -> list[str]:
        return list(self.preview.paths) if self.preview else split_paths(self.file_edit.text())

    def data_format(self) -> str | None:
        return self.preview.format if self.preview else self.format_combo.currentData()

    def data_columns(self) -> tuple[int, int] | None:
        columns = self.preview.columns if self.preview else None
        return (columns[0], columns[1]) if columns else None

    def kept_pairs(self) -> int:
        return self.preview.kept if self.preview else 0

    def problem(self) -> str | None:
        """Why the data cannot be trained on yet, or None."""
        if self.preview is None:
            return "Choose a training file first (its preview must show usable pairs)."
        if self.preview.kept < MIN_TRAINING_PAIRS:
            return (
                f"A run needs at least {MIN_TRAINING_PAIRS} usable pairs (one to train on, one held out for "
                f"validation); this file has {plural(self.preview.kept, 'usable pair')}."
            )
        return self.validation.problem()

    # ---- choosing data --------------------------------------------------------------------------

    def choose_data_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Choose the training data (one file, or two aligned files)", self._last_directory(), DATA_FILTER
        )
        if paths:
            self._remember_directory(str(Path(paths[0]).parent))
            self.set_data_files(paths)

    def set_data_files(self, paths: Sequence[str | Path]) -> None:
        """Show these file(s) and ask for a preview of them."""
        names = [str(p) for p in paths]
        self.file_edit.setText(PATH_SEPARATOR.join(names))
        self._request_data_preview(names, self.format_combo.currentData(), None)

    def show_run(self, spec: RunSpec) -> None:
        """A resumed run's own data (its files, format and columns, previewed again) and validation."""
        if spec.data:  # a weighted mix of corpora (a script's run) has no one file to show
            self.file_edit.setText(PATH_SEPARATOR.join(spec.data))
            self._request_data_preview(list(spec.data), spec.format, spec.columns)
        self.validation.show_run(spec.validation, spec.validation_fraction)

    def _on_file_edited(self) -> None:
        paths = split_paths(self.file_edit.text())
        current = self.preview.paths if self.preview else None
        if paths and paths != current and paths != self._requested_paths:
            self._request_data_preview(paths, self.format_combo.currentData(), None)

    def _on_format_chosen(self, _index: int) -> None:
        paths = split_paths(self.file_edit.text())
        if paths:
            self._request_data_preview(paths, self.format_combo.currentData(), None)

    def _on_columns_chosen(self, _index: int) -> None:
        if self._table_source is None:
            return
        paths, fmt = self._table_source  # the TSV/CSV last shown (a re-read may be under way)
        columns = (self.german_column.currentIndex(), self.english_column.currentIndex())
        if self.preview is None or columns != self.preview.columns:
            self._request_data_preview(paths, fmt, columns)

    def _request_data_preview(self, paths: list[str], fmt: str | None, columns: tuple[int, int] | None) -> None:
        self._requested_paths = paths
        self._data_request = next(self._preview_ids)
        self.preview = None
        self.data_summary.setText("Reading " + ", ".join(Path(p).name for p in paths) + "…")
        self.dataChanged.emit()
        self.previewRequested.emit(self._data_request, list(paths), fmt, columns)

    # ---- the worker's answers -------------------------------------------------------------------

    def show_preview(self, request_id: int, result: PreviewResult) -> None:
        if self.validation.owns(request_id):
            self.validation.show_preview(result)
            return
        if request_id != self._data_request:
            return  # an older request: the user has chosen again
        self.preview = result
        self.file_edit.setText(PATH_SEPARATOR.join(result.paths))  # German first for aligned files
        table = self.preview_table
        table.setRowCount(len(result.pairs))
        for row, (german, english) in enumerate(result.pairs):
            for column, text in enumerate((german, english)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(row, column, item)
        self.data_summary.setText(describe_preview(result))
        self.data_summary.setToolTip(result.summary)
        self._show_columns(result)
        self.previewShown.emit(result)

    def show_preview_failure(self, request_id: int, message: str) -> None:
        if self.validation.owns(request_id):
            self.validation.show_preview_failure(message)
            return
        if request_id != self._data_request:
            return
        self.preview = None
        self.preview_table.setRowCount(0)
        self.data_summary.setText(f"⚠ {message}")
        self.data_summary.setToolTip(message)
        self.errorOccurred.emit(message)
        self.previewShown.emit(None)

    def _show_columns(self, result: PreviewResult) -> None:
        columns = result.columns
        table = result.format in ("tsv", "csv") and bool(result.column_labels) and columns is not None
        self.columns_row.setVisible(table)
        self._table_source = (result.paths, result.format) if table else None
        if not table or columns is None:
            return
        for combo, chosen in ((self.german_column, columns[0]), (self.english_column, columns[1])):
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(result.column_labels)
            combo.setCurrentIndex(chosen if chosen < combo.count() else -1)
            combo.blockSignals(False)


def describe_preview(result: PreviewResult) -> str:
    """The summary under the preview: usable and skipped pairs (and why), the format, the encoding."""
    text = plural(result.kept, "usable pair")
    if result.kept < MIN_TRAINING_PAIRS:
        text = f"⚠ {text}: a run needs at least {MIN_TRAINING_PAIRS}"
    skipped = sum(result.skipped.values())
    if skipped:
        reasons = ", ".join(f"{n:,} {reason}" for reason, n in sorted(result.skipped.items(), key=lambda kv: -kv[1]))
        text += f" · {skipped:,} skipped ({reasons})"
    text += f" · {FORMAT_NAMES.get(result.format, result.format)}, {result.encoding}"
    if result.kept > len(result.pairs):
        text += f" · the first {len(result.pairs)} shown"
    return text
