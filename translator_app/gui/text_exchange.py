"""Text into and out of the Translate tab other than by typing: dropped files, the history, Save Translation.

``TextExchange`` owns the ``FileDrop`` filter and the ``HistoryControl``. Text it puts in the input
(a dropped text file, a restored history entry) goes in as one edit, so Undo brings the previous
text back, and ``textPlaced`` asks the window to translate it; a dropped document goes to the
window's File → Translate File by ``fileDropped``. Its messages go to the status bar.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QWidget

from translator_app.gui.file_drop import Drop, DropAction, FileDrop, load_dropped_text
from translator_app.gui.file_translation import save_translation_as
from translator_app.gui.fileio import TextFileError
from translator_app.gui.history import HistoryEntry
from translator_app.gui.history_view import HistoryControl, HistoryDialog
from translator_app.gui.model_details import ModelDetails
from translator_app.gui.settings import Key, Settings
from translator_app.gui.status_reporter import StatusReporter
from translator_app.gui.translate_page import TranslatePage
from translator_app.gui.translation_messages import TranslationResult


class TextExchange(QObject):
    textPlaced = Signal()  # new text is in the input: translate it now
    fileDropped = Signal(str)  # a document to translate into a file (its path)

    def __init__(
        self,
        window: QWidget,
        page: TranslatePage,
        status: StatusReporter,
        settings: Settings,
        store: Callable[[dict[Key, Any]], None],
    ):
        super().__init__(window)
        self._window, self._page, self._status, self._settings, self._store = window, page, status, settings, store
        self.history = HistoryControl(settings.get(Key.KEEP_HISTORY), self)
        self.history.restoreRequested.connect(self.restore)
        self.history.keepChanged.connect(self.set_keep_history)
        self.history.errorOccurred.connect(status.report_error)
        self.file_drop = FileDrop(page, page.source_edit.viewport(), self)
        self.file_drop.dropped.connect(self._on_file_dropped)
        self.file_drop.refused.connect(status.report_error)

    def record(self, result: TranslationResult, model: ModelDetails | None) -> None:
        self.history.record(result.source, result.text, model.name if model else "")

    def show_history(self) -> HistoryDialog:
        return self.history.open_dialog(self._window)

    def restore(self, entry: HistoryEntry) -> None:
        """Put a past text back in the input and have it translated."""
        self.replace_input(entry.source)
        self.textPlaced.emit()

    def set_keep_history(self, keep: bool) -> None:
        self._store({Key.KEEP_HISTORY: keep})
        self.history.set_keep(keep)

    def save_translation(self) -> None:
        """File → Save Translation…: the English on show, as a UTF-8 text file."""
        text = self._page.target_edit.toPlainText()
        if not text:
            self._status.show_info("There is no translation to save yet.", 4000)
            return
        try:
            path = save_translation_as(self._window, text, self._settings.get(Key.LAST_DIRECTORY))
        except TextFileError as exc:
            self._status.report_error(str(exc))
            return
        if path is not None:
            self._store({Key.LAST_DIRECTORY: str(path.parent)})
            self._status.show_info(f"Translation saved to {path}.", 5000)

    def replace_input(self, text: str) -> None:
        """Put ``text`` in the input as one edit, so Undo brings the previous text back."""
        edit = self._page.source_edit
        cursor = edit.textCursor()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        edit.setTextCursor(cursor)
        edit.setFocus()

    def _on_file_dropped(self, drop: Drop) -> None:
        if drop.action is DropAction.TRANSLATE_FILE:
            self.fileDropped.emit(str(drop.path))
            return
        try:
            text = load_dropped_text(drop.path)
        except TextFileError as exc:
            self._status.report_error(str(exc))
            return
        self.replace_input(text)
        self._status.show_info(f"Opened {drop.path.name}; Undo (Ctrl+Z) brings the previous text back.", 5000)
        self.textPlaced.emit()
