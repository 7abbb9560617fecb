"""Models → Manage Models…: every model in a table; rename, delete, import, export, read the card.

All the work is ``core.model_store``'s (the CLI's ``models`` actions call the same functions); this
dialog only asks (names, confirmations, files) and shows. Each operation is a rename or a small
copy, so it runs on the GUI thread; any failure is a message box naming the problem, never a
traceback. The window learns of changes through signals and handles the model in use itself.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from translator_app.core import model_store
from translator_app.core.types.errors import AppError
from translator_app.core.eval_sets import EVAL_SETS, TEST_DOMAINS
from translator_app.core.model_store import NameTakenError, StoredModel, test_bleu
from translator_app.core.types.architectures import family_order, tutorial_of
from translator_app.core.paths import user_models_dir
from translator_app.gui.named import named

log = logging.getLogger(__name__)
_T = TypeVar("_T")

COLUMNS = ("Name", "Where", "Domains", "Size", "Date", *(f"BLEU {d}" for d in TEST_DOMAINS))
HEADERS = [c.replace("BLEU ", "BLEU\n") for c in COLUMNS]  # two short lines: the scores are narrow
BLEU_TIP = "Test sacreBLEU of the model as published: " + ", ".join(f"{s.domain} = {s.name}" for s in EVAL_SETS)
READ_ONLY_TIP = "Shipped with the app: read-only. Export it and import the copy under another name to have one you can change."
ARCHIVE_FILTER = "Model archives (*.zip)"


class ModelManagerDialog(QDialog):
    modelsChanged = Signal()  # anything was added, renamed or removed: refresh the picker
    modelRenamed = Signal(str, str)  # old folder, new folder
    modelDeleted = Signal(str)  # the folder that was removed

    def __init__(self, parent: QWidget | None = None, active_path: Callable[[], Path | None] | None = None):
        super().__init__(parent)
        self.setObjectName("modelManagerDialog")
        self.setWindowTitle("Manage Models")
        self._active_path = active_path or (lambda: None)
        self.rows: list[StoredModel] = []  # the models, in the table's order
        self._row_models: list[StoredModel | None] = []  # per table row: its model, or None for a family's heading
        self.card_dialog: QDialog | None = None

        self.table = named(QTableWidget(0, len(COLUMNS), self), "modelTable")
        self.table.setHorizontalHeaderLabels(HEADERS)
        for column in range(COLUMNS.index("Date") + 1, len(COLUMNS)):
            header_item = self.table.horizontalHeaderItem(column)
            if header_item is not None:
                header_item.setToolTip(BLEU_TIP)
        self.table.setAccessibleName("Installed models")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)  # compact rows
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)  # only when the user narrows the window
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.details = named(QLabel(self), "modelDetails")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)  # names and descriptions are data, not markup
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table.itemDoubleClicked.connect(lambda _item: self.show_card())

        self.rename_button = self._button("&Rename…", self.rename_selected, "renameModelButton")
        self.delete_button = self._button("&Delete…", self.delete_selected, "deleteModelButton")
        self.import_button = named(QPushButton("&Import…", self), "importModelButton")
        self.import_button.setToolTip("Install a model folder, or a .zip exported by this app, as one of your models")
        menu = QMenu(self.import_button)
        menu.addAction("Model &Archive (.zip)…", self.import_archive)
        menu.addAction("Model &Folder…", self.import_folder)
        self.import_button.setMenu(menu)
        self.export_button = self._button("&Export…", self.export_selected, "exportModelButton")
        self.export_button.setToolTip("Write the model to a .zip that Import (or `translator-app models import`) reads")
        self.card_button = self._button("Show &Card", self.show_card, "showCardButton")

        buttons = QHBoxLayout()
        for b in (self.rename_button, self.delete_button, self.import_button, self.export_button, self.card_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        buttons.addWidget(close)

        where = QLabel(f"Your models live in {user_models_dir()}. Shipped models are read-only.", self)
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addWidget(where)
        layout.addLayout(buttons)
        self.refresh()
        self.resize(*self.fitting_size())

    def fitting_size(self) -> tuple[int, int]:
        """Wide enough for every column whole and tall enough for every row (within the screen): the
        default size truncates nothing."""
        available = self.screen().availableGeometry() if self.screen() is not None else None
        rows = self.table.verticalHeader().length() + self.table.horizontalHeader().sizeHint().height()
        layout = self.layout()
        others = layout.sizeHint().height() - self.table.sizeHint().height() if layout is not None else 160
        wanted = rows + 2 * self.table.frameWidth() + self.table.horizontalScrollBar().sizeHint().height() + others
        height = max(420, min(wanted, int(available.height() * 0.85))) if available is not None else max(420, wanted)
        return self.fitting_width(), height

    def fitting_width(self) -> int:
        """Wide enough for every column whole (within the screen)."""
        self.table.resizeColumnsToContents()  # now, not at the first paint: the widths are known before showing
        columns = self.table.horizontalHeader().length()
        layout = self.layout()
        margins = layout.contentsMargins().left() + layout.contentsMargins().right() if layout is not None else 24
        scroll = self.table.verticalScrollBar().sizeHint().width()
        wanted = columns + 2 * self.table.frameWidth() + scroll + margins + 4
        screen = self.screen().availableGeometry().width() if self.screen() is not None else wanted
        return max(760, min(wanted, int(screen * 0.95)))

    def _button(self, text: str, slot, name: str) -> QPushButton:
        button = named(QPushButton(text, self), name)
        button.clicked.connect(slot)
        return button

    # ---- the table ------------------------------------------------------------------------------

    def refresh(self, select: str | None = None) -> None:
        """Re-read the model folders (cheap: config.json only) and keep or move the selection."""
        selected = self.selected()
        keep = select or (selected.name if selected else None)
        try:
            self.rows = model_store.list_stored()
        except Exception as exc:  # an unreadable folder: an empty list and a message, not a crash
            log.exception("listing models failed")
            self.rows = []
            QMessageBox.warning(self, "Models", f"Could not list the installed models: {exc}")
        active = self._active_path()
        self.rows.sort(key=lambda m: family_order(m.info.architecture))  # stable: shipped first inside a family
        self._row_models = []
        family = None
        for listed in self.rows:
            tutorial = tutorial_of(listed.info.architecture)
            heading = tutorial.label if tutorial else "Other models"
            if heading != family:
                family = heading
                self._row_models.append(None)
            self._row_models.append(listed)
        self.table.clearSpans()
        self.table.setRowCount(len(self._row_models))
        for row, m in enumerate(self._row_models):
            if m is None:
                self._set_heading(row, self._row_models[row + 1])
                continue
            in_use = active is not None and Path(active) == Path(m.info.path)
            where = ("shipped" if m.read_only else "yours") + (f" · {m.role}" if m.role else "") + (" · in use" if in_use else "")
            info = m.info
            scores = test_bleu(info)
            cells = (
                m.name,
                where,
                ", ".join(info.domains) or "–",
                f"{info.size_bytes / 1e6:.1f} MB" if info.size_bytes else "–",
                m.date or "–",
                *(f"{scores[d]:.1f}" if d in scores else "–" for d in TEST_DOMAINS),
            )
            tip = info.error or (READ_ONLY_TIP if m.read_only else f"{info.description}\n{info.path}".strip())
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                if column > COLUMNS.index("Date"):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if in_use:
                    font = QFont(item.font())
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, column, item)
        if keep:
            self.select(keep)
        if self.selected() is None and self.model_rows():
            self.table.selectRow(self.model_rows()[0])
        self._update_buttons()

    def _set_heading(self, row: int, first: StoredModel | None) -> None:
        """A family's heading: one bold cell across the row, never selected."""
        tutorial = tutorial_of(first.info.architecture) if first is not None else None
        text = f"{tutorial.label}  ({first.info.architecture})" if tutorial and first else "Other models"
        item = QTableWidgetItem(text)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = QFont(item.font())
        font.setBold(True)
        item.setFont(font)
        item.setToolTip("The PyTorch seq2seq tutorial these models' architecture comes from")
        self.table.setItem(row, 0, item)
        for column in range(1, len(COLUMNS)):
            filler = QTableWidgetItem("")
            filler.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, column, filler)
        self.table.setSpan(row, 0, 1, len(COLUMNS))

    def model_rows(self) -> list[int]:
        """The table rows that hold a model (the others are family headings)."""
        return [row for row, m in enumerate(self._row_models) if m is not None]

    def selected(self) -> StoredModel | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        row = rows[0].row() if rows else -1
        return self._row_models[row] if 0 <= row < len(self._row_models) else None

    def select(self, name: str) -> None:
        for row, m in enumerate(self._row_models):
            if m is not None and m.name == name:
                self.table.selectRow(row)
                return

    def _update_buttons(self) -> None:
        m = self.selected()
        editable = m is not None and not m.read_only
        for button, verb in ((self.rename_button, "Rename"), (self.delete_button, "Delete")):
            button.setEnabled(editable)
            button.setToolTip(READ_ONLY_TIP if m is not None and m.read_only else f"{verb} the selected model (yours only)")
        self.export_button.setEnabled(m is not None and not m.info.error)
        self.card_button.setEnabled(m is not None and m.has_card)
        self.card_button.setToolTip(
            "Show the model card (README.md)" if m is None or m.has_card else "This model has no model card (README.md)"
        )
        self.details.setText(self._describe(m) if m is not None else "")

    @staticmethod
    def _describe(m: StoredModel) -> str:
        """The selected model in full: what the table's narrow cells may cut short."""
        info = m.info
        if info.error:
            return f"{m.name}: damaged — {info.error}"
        lines = [
            f"{m.name} — {info.description}" if info.description else m.name,
            f"Trained on: {', '.join(info.domains) or 'not recorded'}"
            + (
                f" · test sacreBLEU: {' · '.join(f'{d} {v:.1f}' for d, v in info.domain_scores.items())}"
                if info.domain_scores
                else ""
            ),
            f"{'Shipped, read-only' if m.read_only else 'Yours'} · {info.path}",
        ]
        return "\n".join(lines)

    # ---- actions --------------------------------------------------------------------------------

    def _ask(self, title: str, text: str) -> bool:
        """A yes/no question whose safe answer, No, is the default."""
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        return QMessageBox.question(self, title, text, buttons, QMessageBox.StandardButton.No) == QMessageBox.StandardButton.Yes

    def _attempt(self, title: str, action: Callable[[], _T]) -> _T | None:
        """Run one store operation; a failure becomes a message box, and None."""
        try:
            return action()
        except AppError as exc:
            QMessageBox.warning(self, title, str(exc))
        except Exception as exc:  # a bug or an odd OS error: still a message, and a log entry for us
            log.exception("%s failed", title)
            QMessageBox.warning(self, title, f"{title} failed: {type(exc).__name__}: {exc}")
        return None

    def _changed(self, select: str | None = None) -> None:
        self.refresh(select)
        self.modelsChanged.emit()

    def rename_selected(self) -> Path | None:
        m = self.selected()
        if m is None or m.read_only:
            return None
        new, ok = QInputDialog.getText(self, "Rename Model", f"New name for “{m.name}”:", text=m.name)
        new = new.strip()
        if not ok or not new or new == m.name:
            return None
        path = self._attempt("Rename Model", lambda: model_store.rename_model(m.name, new))
        if path is not None:
            self.modelRenamed.emit(str(m.info.path), str(path))
            self._changed(path.name)
        return path

    def delete_selected(self) -> bool:
        m = self.selected()
        if m is None or m.read_only:
            return False
        active = self._active_path()
        in_use = (
            "\n\nIt is the model in use: the app will switch to the default model."
            if active is not None and Path(active) == Path(m.info.path)
            else ""
        )
        if not self._ask("Delete Model?", f"Delete the model “{m.name}”?\n\n{m.info.path}\n\nThis cannot be undone.{in_use}"):
            return False
        if self._attempt("Delete Model", lambda: model_store.delete_model(m.name)) is None:
            return False
        self.modelDeleted.emit(str(m.info.path))
        self._changed()
        return True

    def import_archive(self) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(self, "Import Model Archive", str(Path.home()), ARCHIVE_FILTER)
        return self.import_from(Path(path)) if path else None

    def import_folder(self) -> Path | None:
        path = QFileDialog.getExistingDirectory(self, "Import Model Folder", str(Path.home()))
        return self.import_from(Path(path)) if path else None

    def import_from(self, source: Path) -> Path | None:
        """Check the source, then ask for the name (the source's by default) and install; a taken name asks again.

        What cannot be a model (a damaged zip, a folder without a config) is said first: the user is never
        asked to name something that will not install.
        """
        try:
            model_store.check_source(source)
        except AppError as exc:
            QMessageBox.warning(self, "Import Model", f"Not imported: {exc}")
            return None
        name = model_store.suggested_name(source)
        while True:
            name, ok = QInputDialog.getText(
                self, "Import Model", f"Install “{source.name}” as:\n(spaces and umlauts are fine)", text=name
            )
            name = name.strip()
            if not ok or not name:
                return None
            try:
                path = model_store.import_model(source, name)
            except NameTakenError as exc:
                QMessageBox.warning(self, "Import Model", f"{exc}.")
                continue
            except AppError as exc:
                QMessageBox.warning(self, "Import Model", f"Not imported: {exc}")
                return None
            except Exception as exc:  # never a traceback for a file the user picked
                log.exception("import failed")
                QMessageBox.warning(self, "Import Model", f"Not imported: {type(exc).__name__}: {exc}")
                return None
            self._changed(path.name)
            return path

    def export_selected(self) -> Path | None:
        m = self.selected()
        if m is None:
            return None
        target, _ = QFileDialog.getSaveFileName(
            self,
            "Export Model",
            str(Path.home() / f"{m.name}.zip"),
            ARCHIVE_FILTER,
            options=QFileDialog.Option.DontConfirmOverwrite,  # asked below, after ".zip" is added
        )
        if not target:
            return None
        target_path = Path(target) if target.lower().endswith(".zip") else Path(target + ".zip")
        if target_path.exists() and not self._ask(
            "Replace File?", f"“{target_path.name}” already exists.\n\n{target_path}\n\nReplace it with the exported model?"
        ):
            return None
        path = self._attempt("Export Model", lambda: model_store.export_model(m.name, target_path, force=True))
        return path

    def show_card(self) -> QDialog | None:
        """The model card, rendered read-only in its own window."""
        m = self.selected()
        if m is None:
            return None
        found = self._attempt("Model Card", lambda: model_store.model_card(m.name))
        if found is None:
            return None
        path, text = found
        dialog = named(QDialog(self), "modelCardDialog")
        dialog.setWindowTitle(f"Model card — {m.name}")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view = named(QTextBrowser(dialog), "modelCardView")
        view.setOpenExternalLinks(True)
        view.setMarkdown(text)
        view.setToolTip(str(path))
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        box.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(view)
        layout.addWidget(box)
        dialog.resize(640, 560)
        dialog.show()
        self.card_dialog = dialog
        return dialog
