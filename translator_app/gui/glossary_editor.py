"""Edit → Glossary…: the user's German → English terms, and whether translations use them.

``GlossaryControl`` owns the glossary the window translates with: it reads the user's file
(``core.paths.user_glossary_path``) at start, saves edits atomically, remembers the on/off switch
in the settings, and hands the translation options their ``glossary`` (None when off or empty).
``GlossaryEditor`` is the dialog: a table (German, English, English plural if irregular) with
add, remove, import and export; Save checks every row the way a file is checked
(``core.glossary``) and says what is wrong instead of closing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from translator_app.core.glossary import Glossary, load_glossary, save_glossary
from translator_app.core.types.errors import GlossaryError
from translator_app.core.paths import user_glossary_path
from translator_app.gui.named import named

COLUMNS = ("German term", "English term", "English plural (if irregular)")
FILE_FILTER = "Glossaries (*.tsv *.csv *.txt);;All files (*)"
HINT = (
    "Each German term is also found inflected (Reiter, Reiters, Reitern; Datei, Dateien) and is "
    "translated as your English term, in the plural where the German is plural."
)


class GlossaryControl(QObject):
    """The glossary in use: loaded, saved, switched on or off; ``changed`` when translations should re-run."""

    changed = Signal()
    errorOccurred = Signal(str)

    def __init__(self, enabled: bool, store_enabled: Callable[[bool], None], parent: QObject | None = None):
        super().__init__(parent)
        self.path = user_glossary_path()
        self.glossary = Glossary()
        self.enabled = enabled
        self._store_enabled = store_enabled

    def load(self) -> None:
        """Read the user's glossary, if there is one; a broken file is reported, never applied."""
        if not self.path.exists():
            return
        try:
            self.glossary = load_glossary(self.path)
        except GlossaryError as exc:
            self.errorOccurred.emit(f"Your glossary was not loaded: {exc}")

    def active(self) -> Glossary | None:
        """What translations use: the glossary when it is on and has entries."""
        return self.glossary if self.enabled and len(self.glossary) else None

    def options(self) -> dict[str, Any]:
        """The DecodeOptions keyword this adds to the decoding panel's."""
        return {"glossary": self.active()}

    def set_enabled(self, on: bool) -> None:
        if on != self.enabled:
            self.enabled = on
            self._store_enabled(on)
            self.changed.emit()

    def save(self, glossary: Glossary, enabled: bool) -> None:
        """Write the user's file (atomically) and use it; raises OSError if it cannot be written."""
        if glossary != self.glossary:
            save_glossary(self.path, glossary)
            self.glossary = glossary
            self.changed.emit()
        self.set_enabled(enabled)

    def open_editor(self, parent: QWidget | None = None) -> "GlossaryEditor":
        dialog = GlossaryEditor(self, parent)
        dialog.open()
        return dialog


class GlossaryEditor(QDialog):
    def __init__(self, control: GlossaryControl, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("glossaryEditor")
        self.setWindowTitle("Glossary")
        self._control = control
        self.enabled_check = named(QCheckBox("Use the glossary when translating"), "glossaryEnabledCheck")
        self.enabled_check.setChecked(control.enabled)
        self.table = named(QTableWidget(0, len(COLUMNS)), "glossaryTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAccessibleName("Glossary entries")
        hint = QLabel(HINT)
        hint.setWordWrap(True)
        self.error_label = named(QLabel(""), "glossaryErrorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("QLabel { color: #c0392b; }")
        self.error_label.setVisible(False)
        buttons = QHBoxLayout()
        for text, name, slot in (
            ("&Add", "glossaryAddButton", lambda: self.add_row()),
            ("&Remove", "glossaryRemoveButton", self.remove_selected),
            ("&Import…", "glossaryImportButton", self._choose_import),
            ("&Export…", "glossaryExportButton", self._choose_export),
        ):
            button = named(QPushButton(text), name)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.box.accepted.connect(self.save)
        self.box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.enabled_check)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.error_label)
        layout.addWidget(self.box)
        self.resize(640, 420)
        self.set_glossary(control.glossary)

    def set_glossary(self, glossary: Glossary) -> None:
        self.table.setRowCount(0)
        for e in glossary.entries:
            self.add_row(e.source, e.target, e.target_plural)

    def add_row(self, source: str = "", target: str = "", plural: str = "") -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        items = [QTableWidgetItem(value) for value in (source, target, plural)]
        for column, item in enumerate(items):
            self.table.setItem(row, column, item)
        if not source:
            self.table.setCurrentCell(row, 0)
            self.table.editItem(items[0])
        return row

    def remove_selected(self) -> None:
        for row in sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)

    def glossary(self) -> Glossary:
        """The table as a glossary; GlossaryError names the rows that are wrong."""
        rows = []
        for row in range(self.table.rowCount()):
            cells = [item.text() if (item := self.table.item(row, c)) is not None else "" for c in range(len(COLUMNS))]
            rows.append((row + 1, cells))
        return Glossary.from_rows(rows, "The glossary", unit="row")

    def save(self) -> None:
        try:
            self._control.save(self.glossary(), self.enabled_check.isChecked())
        except GlossaryError as exc:
            self._show_error(str(exc))
            return
        except OSError as exc:
            self._show_error(f"Could not save the glossary to {self._control.path}: {exc.strerror or exc}")
            return
        self.accept()

    def import_file(self, path: Path) -> bool:
        """Replace the table with a glossary file's entries; False (and the reason shown) if it is unusable."""
        try:
            self.set_glossary(load_glossary(path))
        except GlossaryError as exc:
            self._show_error(str(exc))
            return False
        self.error_label.setVisible(False)
        return True

    def export_file(self, path: Path) -> bool:
        """Write the table to a file (TSV, or CSV for a .csv name); False (and why) if it cannot be."""
        try:
            save_glossary(path, self.glossary())
        except GlossaryError as exc:
            self._show_error(str(exc))
            return False
        except OSError as exc:
            self._show_error(f"Could not write {path}: {exc.strerror or exc}")
            return False
        self.error_label.setVisible(False)
        return True

    def _choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import Glossary", "", FILE_FILTER)
        if path:
            self.import_file(Path(path))

    def _choose_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export Glossary", "glossary.tsv", FILE_FILTER)
        if path:
            self.export_file(Path(path))

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(True)
