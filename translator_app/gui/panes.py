"""The two text panes: German input with its counts, English output with its alternatives.

Pure widgets: they know nothing about models or workers; the window fills them and listens to
their signals.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont, QHelpEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from translator_app.core.types.confidence import Confidence
from translator_app.gui.glossary_marks import SentenceTerms, term_spans
from translator_app.gui.named import named
from translator_app.gui.notes_bar import NotesBar
from translator_app.gui.text_positions import qt_position
from translator_app.gui.textstats import describe_counts
from translator_app.gui.translation_messages import SentenceConfidence

LOW_CONFIDENCE_COLOR = QColor(230, 126, 34)  # orange: readable as a wavy underline on light and dark
LOW_CONFIDENCE_TINT = QColor(230, 126, 34, 40)  # and a faint tint of it behind the sentence
LOW_CONFIDENCE_TIP = (
    "The model is unsure of this sentence (mean token log-probability {score:.2f}, below its "
    "threshold {threshold:.2f}): the translation may be wrong."
)

ALTERNATIVE_TIP = (
    "Mean token log-probability {score:.3f}, the scale of the confidence marks (closer to 0 = more likely).\n"
    "Listed in the order the search ranks them, which also weighs their length (Length penalty)."
)

GLOSSARY_COLOR = QColor(41, 128, 185)  # blue: apart from the low-confidence orange on light and dark

TEXT_ROLE = Qt.ItemDataRole.UserRole
SCORE_ROLE = Qt.ItemDataRole.UserRole + 1


def one_line(text: str) -> str:
    """Paragraphs of a multi-paragraph alternative shown on one list row, separated by ¶."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return "  ¶  ".join(p for p in paragraphs if p)


def confidence_spans(text: str, sentences: list[SentenceConfidence], threshold: float) -> list[tuple[int, int, str]]:
    """(start, end, tooltip) in Qt positions of each low-confidence sentence of ``text``, found in order."""
    spans: list[tuple[int, int, str]] = []
    cursor_at = 0
    for sentence in sentences:
        start = text.find(sentence.text, cursor_at) if sentence.text else -1
        if start < 0:
            continue
        cursor_at = start + len(sentence.text)
        if sentence.level is Confidence.LOW:  # kept as Qt positions, which count an emoji twice
            tip = LOW_CONFIDENCE_TIP.format(score=sentence.score, threshold=threshold)
            spans.append((qt_position(text, start), qt_position(text, cursor_at), tip))
    return spans


def _header(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class SourcePane(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sourcePane")
        self.edit = named(QPlainTextEdit(), "sourceEdit")
        self.edit.setPlaceholderText("Type or paste German text…")
        self.edit.setAccessibleName("German input")
        self.edit.setTabChangesFocus(True)
        self.counts = named(QLabel(describe_counts("")), "sourceCountLabel")
        self.counts.setAccessibleName("Input length")
        self.clear_button = named(QPushButton("Clear"), "clearButton")
        self.clear_button.setToolTip("Clear the input and the translation")
        footer = QHBoxLayout()
        footer.addWidget(self.counts)
        footer.addStretch(1)
        footer.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(_header("German"))
        layout.addWidget(self.edit, 1)
        layout.addLayout(footer)
        self.edit.textChanged.connect(self._update_counts)

    def _update_counts(self) -> None:
        self.counts.setText(describe_counts(self.edit.toPlainText()))


class TargetPane(QWidget):
    """Output text, and the list of alternatives (hidden unless more than one is asked for)."""

    alternativeChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("targetPane")
        self.edit = named(QPlainTextEdit(), "targetEdit")
        self.edit.setReadOnly(True)
        self.edit.setPlaceholderText("The English translation appears here.")
        self.edit.setAccessibleName("English translation")
        self.edit.setTabChangesFocus(True)
        self.edit.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )

        self.alternatives = named(QListWidget(), "alternativesList")
        self.alternatives.setAccessibleName("Alternative translations")
        self.alternatives.setToolTip(
            "Other translations the search found, best first, with their scores\n"
            "(mean token log-probability, as in the confidence marks: closer to 0 is more likely).\n"
            "Click one to use it."
        )
        self.alternatives.setWordWrap(True)
        self.alternatives.setAlternatingRowColors(True)
        self.alternatives.itemClicked.connect(self._choose)
        self.alternatives.itemActivated.connect(self._choose)
        self.alternatives_box = named(QWidget(), "alternativesBox")
        box_layout = QVBoxLayout(self.alternatives_box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.addWidget(_header("Alternatives (click one to use it)"))
        box_layout.addWidget(self.alternatives)
        self.alternatives_box.setVisible(False)

        self.splitter = named(QSplitter(Qt.Orientation.Vertical), "targetSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.edit)
        self.splitter.addWidget(self.alternatives_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        self.notice = NotesBar()  # the notes on one line: never the translation's room
        self.low_confidence: list[tuple[int, int, str]] = []  # (start, end, tooltip) in the output text
        self.glossary_terms: list[tuple[int, int, str]] = []  # the same for the glossary's English terms
        self.edit.viewport().installEventFilter(self)

        self._best_marks: tuple[list[SentenceConfidence], float, list[SentenceTerms]] = ([], 0.0, [])
        self.info = named(QLabel(""), "targetInfoLabel")
        self.copy_button = named(QPushButton("Copy"), "copyButton")
        self.copy_button.setToolTip("Copy the translation to the clipboard (Ctrl+Shift+C)")
        footer = QHBoxLayout()
        footer.addWidget(self.info)
        footer.addStretch(1)
        footer.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(_header("English"))
        layout.addWidget(self.notice)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(footer)

    def show_alternatives(self, alternatives: list[tuple[str, float]], wanted: int) -> None:
        """List the alternatives when more than one was asked for; the first is the one shown."""
        self.alternatives.clear()
        self.alternatives_box.setVisible(wanted > 1)
        if wanted <= 1:
            return
        for rank, (text, score) in enumerate(alternatives, 1):
            item = QListWidgetItem(f"{rank}.  ({score:.2f})  {one_line(text)}")
            item.setData(TEXT_ROLE, text)
            item.setData(SCORE_ROLE, score)
            item.setToolTip(ALTERNATIVE_TIP.format(score=score))
            self.alternatives.addItem(item)
        if self.alternatives.count():
            self._mark(self.alternatives.item(0))

    def clear(self) -> None:
        self.show_translation("")
        self.alternatives.clear()
        self.info.clear()
        self.show_notes([])

    def show_translation(
        self,
        text: str,
        confidence: list[SentenceConfidence] | None = None,
        threshold: float = 0.0,
        glossary: list[SentenceTerms] | None = None,
    ) -> None:
        """Put a best translation in the pane with its own marks: low-confidence sentences
        (``SentenceConfidence``, tinted, with a tooltip that says why) and glossary terms. Nothing of
        the text shown before survives, not even the formats Qt would carry over (``_replace_text``);
        choosing the first alternative again brings these marks back."""
        self._best_marks = (list(confidence or []), threshold, list(glossary or []))
        self._show(text, *self._best_marks)

    def show_notes(self, notes: list[str]) -> None:
        """The notes about the translation on show (none: the bar goes)."""
        self.notice.set_notes(notes)

    def _show(self, text: str, confidence: list[SentenceConfidence], threshold: float, glossary: list[SentenceTerms]) -> None:
        self._replace_text(text)
        shown = self.edit.toPlainText()  # as the document holds it (Qt positions are into this)
        self.low_confidence = confidence_spans(shown, confidence, threshold)
        self.glossary_terms = term_spans(shown, glossary)
        for start, end, tip in self.low_confidence:
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            fmt.setUnderlineColor(LOW_CONFIDENCE_COLOR)
            fmt.setBackground(LOW_CONFIDENCE_TINT)
            fmt.setToolTip(tip)
            self._format_span(start, end, fmt)
        for start, end, _tip in self.glossary_terms:
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
            fmt.setUnderlineColor(GLOSSARY_COLOR)
            fmt.setForeground(GLOSSARY_COLOR)
            self._format_span(start, end, fmt)

    def _replace_text(self, text: str) -> None:
        """A new text in plain format. ``setPlainText`` alone gives the whole new text the format at
        the edit's cursor: after a click into a tinted sentence, the next translation came tinted,
        with that sentence's tooltip (issue 29, item 1)."""
        self.edit.setCurrentCharFormat(QTextCharFormat())
        self.edit.setPlainText(text)
        cursor = QTextCursor(self.edit.document())
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.setCharFormat(QTextCharFormat())

    def _format_span(self, start: int, end: int, fmt: QTextCharFormat) -> None:
        """Merge ``fmt`` into the text from Qt position ``start`` to ``end``."""
        cursor = QTextCursor(self.edit.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(fmt)

    def low_confidence_tip_at(self, position: int) -> str:
        """The tooltips at Qt cursor ``position``: a glossary term's, then its low-confidence sentence's."""
        tips = [tip for start, end, tip in self.glossary_terms + self.low_confidence if start <= position < end]
        return "\n\n".join(tips)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Tooltips for the underlined sentences (a plain-text edit does not show format tooltips)."""
        if (
            watched is self.edit.viewport()
            and event.type() == QEvent.Type.ToolTip
            and isinstance(event, QHelpEvent)
            and (self.low_confidence or self.glossary_terms)
        ):
            tip = self.low_confidence_tip_at(self.edit.cursorForPosition(event.pos()).position())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.edit.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().eventFilter(watched, event)

    def _choose(self, item: QListWidgetItem) -> None:
        """The best translation comes back with its marks; another has none (they were measured on the best)."""
        text = item.data(TEXT_ROLE)
        if self.alternatives.row(item) == 0:
            self._show(text, *self._best_marks)
        else:
            self._show(text, [], 0.0, [])
        self._mark(item)
        self.alternativeChosen.emit(text)

    def _mark(self, chosen: QListWidgetItem) -> None:
        """The alternative in the output pane is shown in bold."""
        chosen_row = self.alternatives.row(chosen)
        for row in range(self.alternatives.count()):
            font = QFont(self.alternatives.font())
            font.setBold(row == chosen_row)
            self.alternatives.item(row).setFont(font)
        self.alternatives.setCurrentItem(chosen)
