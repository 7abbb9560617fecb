"""The attention view: where the model looked in the German while it wrote each English word.

``AttentionHeatmap`` (attention_heatmap.py) draws one sentence's word alignment; ``AttentionPanel``
adds the sentence chooser around it; ``AlignmentLinker`` links the two text panes, so hovering a word
in either pane highlights its most-attended counterpart in the other and the matching cell of the
heatmap. All three read a ``core.types.alignment.DocumentAlignment``; none touches the model.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from translator_app.core.types.alignment import DocumentAlignment, WordAlignment
from translator_app.gui.attention_heatmap import NO_CELL, AttentionHeatmap
from translator_app.gui.named import named
from translator_app.gui.text_positions import python_index, qt_position


class HintLabel(QLabel):
    """A one-line hint that never wraps or clips: shown whole where it fits, else as many of its
    sentences as fit, else elided with "…"; whenever it is cut short its tooltip has it whole."""

    def __init__(self, text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._full = text
        self._fit()

    def full_text(self) -> str:
        return self._full

    def sizeHint(self) -> QSize:
        """The whole text on one line."""
        return self._one_line(self.fontMetrics().horizontalAdvance(self._full))

    def minimumSizeHint(self) -> QSize:
        """Any width (it elides to fit), one line tall."""
        return self._one_line(0)

    def _one_line(self, width: int) -> QSize:
        margins = self.contentsMargins()
        return QSize(
            width + margins.left() + margins.right() + 2 * self.margin(),
            self.fontMetrics().height() + margins.top() + margins.bottom() + 2 * self.margin(),
        )

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()

    def _fit(self) -> None:
        fm, room = self.fontMetrics(), self.contentsRect().width() - 2 * self.margin()
        text = self._full
        if fm.horizontalAdvance(text) > room:
            sentences = re.split(r"(?<=[.!?])\s+", self._full)
            leading = (" ".join(sentences[:n]) for n in range(len(sentences) - 1, 0, -1))
            text = next(
                (t for t in leading if fm.horizontalAdvance(t) <= room),
                fm.elidedText(self._full, Qt.TextElideMode.ElideRight, max(room, 0)),
            )
        if text != self.text():
            self.setText(text)
        self.setToolTip("" if text == self._full else self._full)


class AttentionPanel(QWidget):
    """The heatmap of one sentence at a time, with a chooser when the text has several."""

    hideRequested = Signal()

    EMPTY = "Translate something to see which German words the model looked at for each English word."
    NO_ATTENTION = "This sentence was too long to show its attention (it was translated in pieces)."
    PENDING = "The attention of this text shows once all of it is translated."
    TYPICAL_ROWS = 16  # a 15-word sentence and its full stop: shown whole at the first split
    MIN_ROWS = 3  # never less room than the German words and this many rows

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("attentionPanel")
        self.document: DocumentAlignment | None = None
        self.heatmap = AttentionHeatmap()

        title = QLabel("Attention")
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        self.sentence_combo = named(QComboBox(), "attentionSentenceCombo")
        self.sentence_combo.setAccessibleName("Sentence shown in the attention view")
        self.sentence_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.sentence_combo.setMinimumContentsLength(20)  # with the hint, one header line in the default window
        self.sentence_combo.currentIndexChanged.connect(self._show_sentence)
        # true in light and dark palettes alike: the scale runs from the base colour to the highlight
        hint = named(
            HintLabel("The stronger the colour, the more attention. Hover a word to see its counterpart."), "attentionHint"
        )
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        hide = named(QToolButton(), "attentionHideButton")
        hide.setText("Hide")
        hide.setToolTip("Hide the attention view (View ▸ Attention shows it again)")
        hide.setAutoRaise(True)
        hide.clicked.connect(self.hideRequested)
        header = QHBoxLayout()
        header.addWidget(title)
        header.addWidget(self.sentence_combo)
        header.addWidget(hint, 1)
        header.addWidget(hide)

        self.message = named(QLabel(self.EMPTY), "attentionMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        scroll = named(QScrollArea(), "attentionScroll")
        scroll.setFrameShape(QFrame.Shape.NoFrame)  # the grid draws its own outline: no room lost to a frame
        scroll.setWidget(self.heatmap)
        scroll.setWidgetResizable(True)  # the heatmap fills the panel; cells grow with it
        scroll.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.scroll_area = scroll
        self.stack = QStackedWidget()
        self.stack.addWidget(self.message)
        self.stack.addWidget(scroll)

        layout = self.main_layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addWidget(self.stack, 1)
        self.header = header
        self.hint = hint
        self._made_room = False
        self.heatmap.installEventFilter(self)  # its text size sets the panel's least and typical height
        self.set_document(None)

    def sizeHint(self) -> QSize:
        """Tall enough for a typical sentence's rows at the smallest legible cells, whatever its words;
        as wide as the layout asks."""
        return QSize(super().sizeHint().width(), self._height_for(self.TYPICAL_ROWS))

    def minimumSizeHint(self) -> QSize:
        """However short the window (a narrow one has the options below), the header on one line and
        the heatmap's German words with ``MIN_ROWS`` rows under them; the rest of the rows scroll."""
        return QSize(super().minimumSizeHint().width(), self._height_for(self.MIN_ROWS))

    def _height_for(self, rows: int) -> int:
        """The header, and ``rows`` rows of the heatmap at the smallest legible cells, whatever its words."""
        self.ensurePolished()  # asked before the first show: the style's sizes, not the defaults
        layout = self.main_layout
        margins = layout.contentsMargins()
        header = max(self.header.sizeHint().height(), self.sentence_combo.sizeHint().height())  # shown or not
        return margins.top() + header + layout.spacing() + self.heatmap.height_for(rows) + margins.bottom()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.heatmap and event.type() == QEvent.Type.FontChange:
            self.updateGeometry()
        return False

    def showEvent(self, event) -> None:
        """The first time it shows in a vertical splitter the panel takes the room a typical sentence's
        rows need (the panes keep at least a third), so they show without scrolling in the default
        window; after that the user's split stands."""
        super().showEvent(event)
        splitter = self.parentWidget()
        if self._made_room or not isinstance(splitter, QSplitter) or splitter.orientation() != Qt.Orientation.Vertical:
            return
        self._made_room = True
        shown = [i for i in range(splitter.count()) if (widget := splitter.widget(i)) is not None and widget.isVisible()]
        total = splitter.height() - splitter.handleWidth() * (len(shown) - 1)
        room = min(self.sizeHint().height(), total * 2 // 3)
        rest = [i for i in shown if splitter.widget(i) is not self]
        sizes = [(total - room) // len(rest) if i in rest else 0 for i in range(splitter.count())]
        sizes[splitter.indexOf(self)] = room
        splitter.setSizes(sizes)

    def set_document(self, document: DocumentAlignment | None) -> None:
        self.document = document
        combo = self.sentence_combo
        combo.blockSignals(True)
        combo.clear()
        if document is not None:
            for index, sentence in enumerate(document.sentences):
                words = " ".join(sentence.source_words) if sentence else "(too long to show)"
                combo.addItem(f"{index + 1}. {words}")
        combo.blockSignals(False)
        combo.setVisible(combo.count() > 1)
        self._show_sentence(0)

    @property
    def sentence(self) -> int:
        return max(self.sentence_combo.currentIndex(), 0)

    def _show_sentence(self, index: int) -> None:
        document = self.document
        alignment = document.sentences[index] if document is not None and 0 <= index < len(document.sentences) else None
        if self.sentence_combo.currentIndex() != index and 0 <= index < self.sentence_combo.count():
            self.sentence_combo.setCurrentIndex(index)  # comes back here through the signal
            return
        self.heatmap.set_alignment(alignment)
        if alignment is None:
            self.message.setText(self.EMPTY if document is None or not document.sentences else self.NO_ATTENTION)
            self.stack.setCurrentWidget(self.message)
        else:
            self.stack.setCurrentWidget(self.scroll_area)

    def show_pending(self) -> None:
        """A long text on its way: none of the previous text's attention, and why there is none yet."""
        self.set_document(None)
        self.message.setText(self.PENDING)

    def mark(self, sentence: int, target: int, source: int) -> None:
        """Point at a word pair (from a pane hover): switch to its sentence and outline the cell."""
        if sentence != self.sentence:
            self._show_sentence(sentence)
        self.heatmap.mark(target, source)
        if target >= 0 and source >= 0:
            rect = self.heatmap.cell_rect(target, source)
            self.scroll_area.ensureVisible(rect.center().x(), rect.center().y(), rect.width() * 2, rect.height() * 2)


class AlignmentLinker(QObject):
    """Hover links between the panes: the word under the mouse and its most-attended counterpart.

    Highlights only while a pane still shows the text the alignment was made from, so an edited
    input never highlights the wrong word.
    """

    def __init__(self, source_edit: QPlainTextEdit, target_edit: QPlainTextEdit, panel: AttentionPanel):
        super().__init__(source_edit)
        self.source_edit, self.target_edit, self.panel = source_edit, target_edit, panel
        self.document: DocumentAlignment | None = None
        for edit in (source_edit, target_edit):
            edit.viewport().setMouseTracking(True)
            edit.viewport().installEventFilter(self)
        panel.heatmap.cellHovered.connect(self._on_cell_hovered)

    def set_document(self, document: DocumentAlignment | None) -> None:
        self.document = document if document is not None and document.has_attention else None
        self.clear()

    # -- highlighting --------------------------------------------------------------------------
    def highlight_source_word(self, sentence: int, word: int) -> int | None:
        """Highlight a German word and the English word that attended to it most; returns that word."""
        alignment = self._alignment(sentence)
        if alignment is None:
            return None
        target = alignment.target_for(word)
        self._show(sentence, target if target is not None else -1, word)
        return target

    def highlight_target_word(self, sentence: int, word: int) -> int | None:
        """Highlight an English word and the German word it attended to most; returns that word."""
        alignment = self._alignment(sentence)
        if alignment is None:
            return None
        source = alignment.source_for(word)
        self._show(sentence, word, source if source is not None else -1)
        return source

    def clear(self) -> None:
        self._clear_panes()
        self.panel.heatmap.mark(*NO_CELL)

    def _clear_panes(self) -> None:
        self.source_edit.setExtraSelections([])
        self.target_edit.setExtraSelections([])

    def _alignment(self, sentence: int) -> WordAlignment | None:
        d = self.document
        return d.sentences[sentence] if d is not None and 0 <= sentence < len(d.sentences) else None

    def _show(self, sentence: int, target: int, source: int) -> None:
        d = self.document
        assert d is not None
        source_span = d.source_spans[sentence][source] if source >= 0 else None
        target_span = d.target_spans[sentence][target] if target >= 0 else None
        if self.source_edit.toPlainText() == d.source:
            self.source_edit.setExtraSelections(self._selections(self.source_edit, d.source, source_span))
        if self.target_edit.toPlainText() == d.target:
            self.target_edit.setExtraSelections(self._selections(self.target_edit, d.target, target_span))
        self.panel.mark(sentence, target, source)

    @staticmethod
    def _selections(edit: QPlainTextEdit, text: str, span: tuple[int, int] | None) -> list[QTextEdit.ExtraSelection]:
        """The highlight of ``span`` (Python indices into ``text``, the edit's text)."""
        if span is None:
            return []
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(edit.document())
        cursor.setPosition(qt_position(text, span[0]))
        cursor.setPosition(qt_position(text, span[1]), QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        fmt = QTextCharFormat()
        color = QColor(edit.palette().color(QPalette.ColorRole.Highlight))
        color.setAlpha(90)
        fmt.setBackground(color)
        fmt.setFontUnderline(True)
        selection.format = fmt
        return [selection]

    # -- events --------------------------------------------------------------------------------
    def _on_cell_hovered(self, target: int, source: int) -> None:
        if self.document is None:
            return
        if (target, source) == NO_CELL:
            self._clear_panes()
            return
        self._show(self.panel.sentence, target, source)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.document is not None:
            if event.type() == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
                self._hover(watched, event.position().toPoint())
            elif event.type() == QEvent.Type.Leave:
                self.clear()
        return False

    def _hover(self, viewport: QObject, point: QPoint) -> None:
        d = self.document
        if d is None:
            return
        is_source = viewport is self.source_edit.viewport()
        edit = self.source_edit if is_source else self.target_edit
        text = d.source if is_source else d.target
        if edit.toPlainText() != text:
            return  # edited since it was translated: the spans are stale
        cursor = edit.cursorForPosition(point)
        if not edit.cursorRect(cursor).adjusted(-12, -2, 12, 2).contains(point):
            self.clear()  # past the end of a line: no word is under the mouse
            return
        word_at = d.source_word_at if is_source else d.target_word_at
        at = python_index(text, cursor.position())
        found = word_at(at) or word_at(at - 1)  # either side of the mouse
        if found is None:
            self.clear()
        elif is_source:
            self.highlight_source_word(*found)
        else:
            self.highlight_target_word(*found)
