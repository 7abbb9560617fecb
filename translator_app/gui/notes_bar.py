"""The notes about a translation (cut short, unlike the training data, a glossary not applied…) on one line.

The notes used to be a word-wrapped label above the output: two of them took five lines of a
640-pixel window and left the translation three. Here they take one line whatever they say: the
text is elided to the bar's width, the whole of it is in the tooltip, and Details opens it in a
popup that covers the window for a moment instead of pushing the translation down.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from translator_app.gui.named import named

NOTE_COLOR = QColor(230, 126, 34)  # the low-confidence marks' orange: the notes are about the same doubt
SEPARATOR = "  ·  "


class NotesPopup(QFrame):
    """Every note in full, one paragraph each, under the bar until the user clicks elsewhere."""

    def __init__(self, parent: QWidget):
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("notesPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = named(QLabel(""), "notesDetail")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.label)

    def show_notes(self, notes: list[str], below: QWidget) -> None:
        self.label.setText("\n\n".join(notes))
        width = max(below.width(), 320)
        self.label.setFixedWidth(width - 20)
        self.adjustSize()
        self.move(below.mapToGlobal(QPoint(0, below.height())))
        self.show()


class NotesBar(QWidget):
    """One line: the notes, elided to fit, and Details for all of them in full."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("domainNotice")
        self.setAccessibleName("Notes about the translation")
        self._notes: list[str] = []
        self.summary = named(QLabel(""), "notesSummary")
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)  # elided, never wider
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.details_button = named(QToolButton(), "notesDetailsButton")
        self.details_button.setText("Details…")
        self.details_button.setToolTip("Show the notes in full")
        self.details_button.setAutoRaise(True)
        self.details_button.clicked.connect(self.show_details)
        self.popup = NotesPopup(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 1, 0, 1)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.details_button)
        self.setStyleSheet(f"#domainNotice {{ border-left: 3px solid {NOTE_COLOR.name()}; }}")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)  # the border on a plain QWidget
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setVisible(False)

    @property
    def notes(self) -> list[str]:
        return list(self._notes)

    def text(self) -> str:
        """Every note, in full."""
        return " ".join(self._notes)

    def set_notes(self, notes: list[str]) -> None:
        """Show ``notes`` (none: the bar goes)."""
        self._notes = [n for n in notes if n]
        self.popup.hide()
        self.setToolTip("\n\n".join(self._notes))
        self.setAccessibleDescription(self.text())
        self.setVisible(bool(self._notes))
        self.details_button.setText(f"All {len(self._notes)} notes…" if len(self._notes) > 1 else "Details…")
        self._elide()

    def show_details(self) -> None:
        if self._notes:
            self.popup.show_notes(self._notes, self)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        """The summary cut to the width the Details button leaves it."""
        width = max(self.width() - self.details_button.sizeHint().width() - 16, 40)
        shown = self.summary.fontMetrics().elidedText(SEPARATOR.join(self._notes), Qt.TextElideMode.ElideRight, width)
        self.summary.setText(shown)
