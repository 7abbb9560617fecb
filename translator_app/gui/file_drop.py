"""Files dropped on the Translate tab: what a user of DeepL or translateLocally expects of a drop.

A plain text file dropped on the German pane is "this text, here": its text replaces the input (one
edit, so Ctrl+Z brings the old text back) and is translated at once, as translateLocally opens a
file into its input box; the user sees and edits it. Anything else (a PO or XLIFF file, a text file
too long for the pane, or any file dropped elsewhere on the tab) is a document to translate into a
file, as DeepL's document drop is: it goes to File → Translate File with that file chosen. Before
this, Qt's default put the link's text ("file:///…/talk.txt") into the input and translated that.

``FileDrop`` is an event filter: it reads the drop's local paths and says by signal what to do;
loading the text (``load_dropped_text``) and translating happen in the window.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QWidget

from translator_app.core.catalogs import SUFFIXES as CATALOG_SUFFIXES
from translator_app.gui.fileio import TextFileError, read_text_file

MAX_PANE_BYTES = 200_000  # a longer text file goes to Translate File: the pane is for reading, not for books
SUPPORTED = "plain text (.txt), gettext PO (.po, .pot) and XLIFF (.xlf, .xliff) files"


class DropAction(Enum):
    LOAD_TEXT = "load"  # into the input pane
    TRANSLATE_FILE = "file"  # File → Translate File with this file


@dataclass(frozen=True)
class Drop:
    action: DropAction
    path: Path


def dropped_paths(mime: QMimeData) -> list[Path]:
    """The local files of a drag; empty when it carries none (plain text, a web link)."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]


def drop_action(path: Path, on_input: bool) -> DropAction:
    """Load a small text file dropped on the input pane; translate anything else as a file."""
    if not on_input or path.suffix.lower() in CATALOG_SUFFIXES:
        return DropAction.TRANSLATE_FILE
    try:
        small = path.stat().st_size <= MAX_PANE_BYTES
    except OSError:
        small = True  # the load says why it cannot be read
    return DropAction.LOAD_TEXT if small else DropAction.TRANSLATE_FILE


def load_dropped_text(path: Path) -> str:
    """The text of a file dropped on the input pane; TextFileError with a message that names what is supported."""
    try:
        text, _encoding = read_text_file(path)
    except TextFileError as exc:
        raise TextFileError(f"{exc}. Only {SUPPORTED} can be dropped here.") from None
    return text


class FileDrop(QObject):
    """Watches the Translate tab (``area``) and its input (``input_viewport``) for dropped files."""

    dropped = Signal(object)  # Drop
    refused = Signal(str)  # why a drop does nothing (several files at once)

    def __init__(self, area: QWidget, input_viewport: QWidget, parent: QObject | None = None):
        super().__init__(parent)
        self._input = input_viewport
        area.setAcceptDrops(True)  # children that take no drops (labels, the output) pass theirs up to it
        for widget in (area, input_viewport):
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and isinstance(event, (QDragEnterEvent, QDragMoveEvent)):
            if dropped_paths(event.mimeData()):
                event.acceptProposedAction()
                return True  # the input pane would take it as text (the link's "file:///…")
        elif kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            paths = dropped_paths(event.mimeData())
            if paths:
                event.acceptProposedAction()
                if len(paths) > 1:
                    self.refused.emit(f"Drop one file at a time ({len(paths)} were dropped).")
                else:
                    self.dropped.emit(Drop(drop_action(paths[0], on_input=watched is self._input), paths[0]))
                return True
        return False
