"""View → History…: recent translations to restore, remove or clear, and whether they are kept.

``HistoryControl`` owns the ``TranslationHistory`` for the window: it records each translation
shown, writes the file (a second after the last change, and at shutdown) only while the user keeps
the history, and opens the ``HistoryDialog``, a window that stays open beside the main one and
follows new translations as they come.
"""

from __future__ import annotations

from pathlib import Path
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from translator_app.gui.history import HistoryEntry, TranslationHistory, default_path, forget_history, load_history, save_history
from translator_app.gui.named import named
from translator_app.gui.panes import one_line

PREVIEW_CHARS = 75
TIP_CHARS = 600
KEEP_TIP = "Save the history in your data folder so it is there next time. Off: it is forgotten when the app closes."


def _preview(text: str, chars: int = PREVIEW_CHARS) -> str:
    line = one_line(text)
    return line if len(line) <= chars else line[: chars - 1] + "…"


class HistoryControl(QObject):
    changed = Signal()
    restoreRequested = Signal(object)  # HistoryEntry
    errorOccurred = Signal(str)
    keepChanged = Signal(bool)  # the user turned keeping on or off (in the dialog)

    SAVE_DELAY_MS = 1000  # as-you-type adds often: one write after the last change

    def __init__(self, keep: bool, parent: QObject | None = None, path: Path | None = None):
        super().__init__(parent)
        self.path = path if path is not None else default_path()
        self.keep = keep
        self.history = TranslationHistory()
        self.notice: str | None = None
        if keep:
            self.history, self.notice = load_history(self.path)
        self._save_timer = QTimer(self, singleShot=True, interval=self.SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save)
        self.dialog: HistoryDialog | None = None

    def record(self, source: str, text: str, model: str) -> None:
        if self.history.add(HistoryEntry.now(source, text, model)):
            self._changed()

    def remove(self, index: int) -> None:
        self.history.remove(index)
        self._changed()

    def clear(self) -> None:
        self.history.clear()
        self._changed()

    def set_keep(self, keep: bool) -> None:
        """Keep the history between launches (written now) or not (the file is deleted now)."""
        if keep == self.keep:
            return
        self.keep = keep
        if keep:
            self.save()
        else:
            self._save_timer.stop()
            try:
                forget_history(self.path)
            except OSError as exc:
                self.errorOccurred.emit(f"Could not delete the history file {self.path}: {exc.strerror or exc}")
        if self.dialog is not None:
            self.dialog.keep_check.setChecked(keep)

    def save(self) -> None:
        self._save_timer.stop()
        if not self.keep:
            return
        try:
            save_history(self.history, self.path)
        except OSError as exc:
            self.errorOccurred.emit(f"Could not save the translation history to {self.path}: {exc.strerror or exc}")

    def open_dialog(self, parent: QWidget) -> HistoryDialog:
        if self.dialog is None:
            self.dialog = HistoryDialog(self, parent)
            self.dialog.destroyed.connect(self._forget_dialog)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def _forget_dialog(self) -> None:
        self.dialog = None

    def _changed(self) -> None:
        if self.keep:
            self._save_timer.start()
        self.changed.emit()


class HistoryDialog(QDialog):
    def __init__(self, control: HistoryControl, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.setWindowTitle("Translation History")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(560, 420)
        self._control = control
        self.list = named(QListWidget(), "historyList")
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(2)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # previews are cut; the tooltip has more
        self.list.itemActivated.connect(lambda _item: self.restore())  # double-click or Enter
        self.empty_label = named(
            QLabel("No translations yet. Each text you translate is listed here, newest first."), "historyEmpty"
        )
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.keep_check = named(QCheckBox("Keep history between launches"), "keepHistoryCheck")
        self.keep_check.setToolTip(f"{KEEP_TIP}\n{control.path}")
        self.keep_check.setChecked(control.keep)
        self.keep_check.toggled.connect(control.keepChanged)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = named(QPushButton("&Restore"), "historyRestoreButton")
        self.restore_button.setToolTip("Put this text back in the German pane and translate it")
        self.remove_button = named(QPushButton("Re&move"), "historyRemoveButton")
        self.clear_button = named(QPushButton("&Clear All"), "historyClearButton")
        for button in (self.restore_button, self.remove_button, self.clear_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.setDefault(True)
        self.restore_button.clicked.connect(self.restore)
        self.remove_button.clicked.connect(lambda: self._control.remove(self.list.currentRow()))
        self.clear_button.clicked.connect(self._control.clear)
        buttons.rejected.connect(self.close)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())

        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.keep_check)
        layout.addWidget(buttons)
        control.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        row = max(self.list.currentRow(), 0)
        self.list.clear()
        for entry in self._control.history.entries:
            item = QListWidgetItem(f"{_preview(entry.source)}\n→ {_preview(entry.text)}")
            item.setToolTip(f"{entry.when.replace('T', ' ')} · {entry.model}\n\n{_preview(entry.source, TIP_CHARS)}")
            self.list.addItem(item)
        has_entries = self.list.count() > 0
        self.list.setVisible(has_entries)
        self.empty_label.setVisible(not has_entries)
        if has_entries:
            self.list.setCurrentRow(min(row, self.list.count() - 1))
        self._update_buttons()

    def restore(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self._control.history.entries):
            self._control.restoreRequested.emit(self._control.history.entries[row])

    def _update_buttons(self) -> None:
        selected = self.list.currentRow() >= 0 and self.list.count() > 0
        self.restore_button.setEnabled(selected)
        self.remove_button.setEnabled(selected)
        self.clear_button.setEnabled(self.list.count() > 0)
