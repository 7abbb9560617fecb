"""The attention view: where the model looked in the German while it wrote each English word.

``AttentionHeatmap`` draws one sentence's word alignment (German words across, English words down);
``AttentionPanel`` adds the sentence chooser around it; ``AlignmentLinker`` links the two text panes,
so hovering a word in either pane highlights its most-attended counterpart in the other and the
matching cell of the heatmap. All three read a ``core.alignment.DocumentAlignment``; none touches
the model.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QPlainTextEdit, QScrollArea, QStackedWidget, QTextEdit, QToolButton,
    QVBoxLayout, QWidget,
)

from translator_app.core.alignment import DocumentAlignment, WordAlignment

NO_CELL = (-1, -1)


def _blend(low: QColor, high: QColor, amount: float) -> QColor:
    amount = max(0.0, min(1.0, amount))
    return QColor(*(round(a + (b - a) * amount) for a, b in zip(low.getRgb()[:3], high.getRgb()[:3])))


class AttentionHeatmap(QWidget):
    """One sentence's alignment as a grid; the darker a cell, the more that English word attended
    to that German word. Hovering a cell reports it, so the panes can highlight the pair."""

    cellHovered = Signal(int, int)           # target word, source word; (-1, -1) when the mouse leaves

    PAD = 6
    LABEL_CHARS = 12                         # longer words are elided in the labels (the tooltip has them whole)
    MAX_CELL_FACTOR = 2.5                    # cells grow with the panel up to this many times their smallest
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("attentionHeatmap")
        self.setAccessibleName("Attention heatmap")
        self.setMouseTracking(True)
        self.alignment: WordAlignment | None = None
        self.hovered = NO_CELL               # the cell under the mouse
        self.marked = NO_CELL                # the pair a pane hover points at (either part may be -1)

    # -- geometry ------------------------------------------------------------------------------
    def min_cell_size(self) -> tuple[int, int]:
        """The smallest legible cell (follows the font size): as wide as a rotated label needs, as
        tall as a row label, so a sentence's rows fit a panel of the default window's height."""
        line = self.fontMetrics().height()
        return line + 8, line + 3

    def cell_size(self) -> tuple[int, int]:
        """(width, height) of a cell: each fills the room the panel gives along its axis, from the
        smallest legible size up to a cap, so a wide panel gets wide cells and a tall one tall cells."""
        min_w, min_h = self.min_cell_size()
        a = self.alignment
        if a is None:
            return min_w, min_h
        left, top = self._margins()
        grow = lambda room, count, least: int(max(least, min(room // max(count, 1), least * self.MAX_CELL_FACTOR)))  # noqa: E731
        return (grow(self.width() - left - self.PAD, len(a.source_words), min_w),
                grow(self.height() - top - self.PAD, len(a.target_words), min_h))

    def label(self, word: str) -> str:
        fm = self.fontMetrics()
        return fm.elidedText(word, Qt.TextElideMode.ElideRight, fm.averageCharWidth() * self.LABEL_CHARS)

    def _margins(self) -> tuple[int, int]:
        """Left margin (English labels) and top margin (German labels, drawn upwards)."""
        fm = self.fontMetrics()
        a = self.alignment
        left = max((fm.horizontalAdvance(self.label(w)) for w in a.target_words), default=0) + 2 * self.PAD if a else 0
        top = max((fm.horizontalAdvance(self.label(w)) for w in a.source_words), default=0) + 2 * self.PAD if a else 0
        return left, top

    def sizeHint(self) -> QSize:
        if self.alignment is None:
            return QSize(0, 0)
        left, top = self._margins()
        min_w, min_h = self.min_cell_size()
        return QSize(left + min_w * len(self.alignment.source_words) + self.PAD,
                     top + min_h * len(self.alignment.target_words) + self.PAD)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def cell_rect(self, target: int, source: int) -> QRect:
        left, top = self._margins()
        cw, ch = self.cell_size()
        return QRect(left + source * cw, top + target * ch, cw, ch)

    def cell_at(self, point: QPoint) -> tuple[int, int]:
        if self.alignment is None:
            return NO_CELL
        left, top = self._margins()
        cw, ch = self.cell_size()
        source, target = (point.x() - left) // cw, (point.y() - top) // ch
        if point.x() < left or point.y() < top or source >= len(self.alignment.source_words) \
                or target >= len(self.alignment.target_words):
            return NO_CELL
        return target, source

    # -- state ---------------------------------------------------------------------------------
    def set_alignment(self, alignment: WordAlignment | None) -> None:
        self.alignment = alignment
        self.hovered = self.marked = NO_CELL
        self.updateGeometry()
        self.adjustSize()
        self.update()

    def mark(self, target: int, source: int) -> None:
        if (target, source) != self.marked:
            self.marked = (target, source)
            self.update()

    # -- events --------------------------------------------------------------------------------
    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        cell = self.cell_at(point)
        a = self.alignment
        if cell != NO_CELL and a is not None:
            t, s = cell
            self.setToolTip(f"“{a.target_words[t]}” → “{a.source_words[s]}”: {a.weights[t][s]:.0%} of its attention")
        else:
            self.setToolTip(self._label_at(point))      # a label's whole word (labels may be elided)
        if cell != self.hovered:
            self.hovered = cell
            self.update()
            self.cellHovered.emit(*cell)
        super().mouseMoveEvent(event)

    def _label_at(self, point: QPoint) -> str:
        """The whole word of the label under ``point`` (labels may be elided), or ""."""
        a = self.alignment
        if a is None:
            return ""
        left, top = self._margins()
        cw, ch = self.cell_size()
        if point.y() < top and point.x() >= left and (point.x() - left) // cw < len(a.source_words):
            return a.source_words[(point.x() - left) // cw]
        if point.x() < left and point.y() >= top and (point.y() - top) // ch < len(a.target_words):
            return a.target_words[(point.y() - top) // ch]
        return ""

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:   # a new text size: new label room and cell size
            self.updateGeometry()
            self.update()

    def leaveEvent(self, event) -> None:
        if self.hovered != NO_CELL:
            self.hovered = NO_CELL
            self.update()
            self.cellHovered.emit(*NO_CELL)
        super().leaveEvent(event)

    def paintEvent(self, event) -> None:
        a = self.alignment
        if a is None:
            return
        painter = QPainter(self)
        palette = self.palette()
        low, high = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Highlight)
        text_color = palette.color(QPalette.ColorRole.Text)
        left, top = self._margins()
        cw, ch = self.cell_size()
        fm = self.fontMetrics()
        focus_t = self.hovered[0] if self.hovered != NO_CELL else self.marked[0]
        focus_s = self.hovered[1] if self.hovered != NO_CELL else self.marked[1]

        for t, row in enumerate(a.weights):
            for s, weight in enumerate(row):
                painter.fillRect(self.cell_rect(t, s), _blend(low, high, weight ** 0.7))
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawRect(QRect(left, top, cw * len(a.source_words), ch * len(a.target_words)).adjusted(0, 0, -1, -1))

        bold = self.font()
        bold.setBold(True)
        for t, word in enumerate(a.target_words):
            painter.setFont(bold if t == focus_t else self.font())
            painter.setPen(text_color)
            rect = QRect(0, top + t * ch, left - self.PAD, ch)
            painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, self.label(word))
        for s, word in enumerate(a.source_words):
            painter.save()
            painter.setFont(bold if s == focus_s else self.font())
            painter.setPen(text_color)
            painter.translate(left + s * cw + cw // 2 + fm.ascent() // 2 - 1, top - self.PAD)
            painter.rotate(-90)
            painter.drawText(0, 0, self.label(word))
            painter.restore()

        outline = QColor(text_color)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if focus_t >= 0 and focus_s >= 0:
            painter.setPen(outline)
            painter.drawRect(self.cell_rect(focus_t, focus_s).adjusted(0, 0, -1, -1))
        outline.setAlpha(110)
        painter.setPen(outline)
        if focus_t >= 0:
            painter.drawRect(QRect(left, top + focus_t * ch, cw * len(a.source_words), ch).adjusted(0, 0, -1, -1))
        if focus_s >= 0:
            painter.drawRect(QRect(left + focus_s * cw, top, cw, ch * len(a.target_words)).adjusted(0, 0, -1, -1))
        painter.end()


class AttentionPanel(QWidget):
    """The heatmap of one sentence at a time, with a chooser when the text has several."""

    hideRequested = Signal()

    EMPTY = "Translate something to see which German words the model looked at for each English word."
    NO_ATTENTION = "This sentence was too long to show its attention (it was translated in pieces)."

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("attentionPanel")
        self.document: DocumentAlignment | None = None
        self.heatmap = AttentionHeatmap()

        title = QLabel("Attention")
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        self.sentence_combo = QComboBox(objectName="attentionSentenceCombo")
        self.sentence_combo.setAccessibleName("Sentence shown in the attention view")
        self.sentence_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.sentence_combo.setMinimumContentsLength(24)
        self.sentence_combo.currentIndexChanged.connect(self._show_sentence)
        # true in light and dark palettes alike: the scale runs from the base colour to the highlight
        hint = QLabel("The stronger a cell's colour, the more attention. Hover a word in either pane to highlight "
                      "its counterpart.", objectName="attentionHint")
        hint.setWordWrap(True)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        hide = QToolButton(objectName="attentionHideButton", text="Hide")
        hide.setToolTip("Hide the attention view (View ▸ Attention shows it again)")
        hide.setAutoRaise(True)
        hide.clicked.connect(self.hideRequested)
        header = QHBoxLayout()
        header.addWidget(title)
        header.addWidget(self.sentence_combo)
        header.addWidget(hint, 1)
        header.addWidget(hide)

        self.message = QLabel(self.EMPTY, objectName="attentionMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        scroll = QScrollArea(objectName="attentionScroll")
        scroll.setWidget(self.heatmap)
        scroll.setWidgetResizable(True)          # the heatmap fills the panel; cells grow with it
        scroll.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.scroll = scroll
        self.stack = QStackedWidget()
        self.stack.addWidget(self.message)
        self.stack.addWidget(scroll)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.stack, 1)
        self.set_document(None)

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
            self.sentence_combo.setCurrentIndex(index)      # comes back here through the signal
            return
        self.heatmap.set_alignment(alignment)
        if alignment is None:
            self.message.setText(self.EMPTY if document is None or not document.sentences else self.NO_ATTENTION)
            self.stack.setCurrentWidget(self.message)
        else:
            self.stack.setCurrentWidget(self.scroll)

    def mark(self, sentence: int, target: int, source: int) -> None:
        """Point at a word pair (from a pane hover): switch to its sentence and outline the cell."""
        if sentence != self.sentence:
            self._show_sentence(sentence)
        self.heatmap.mark(target, source)
        if target >= 0 and source >= 0:
            rect = self.heatmap.cell_rect(target, source)
            self.scroll.ensureVisible(rect.center().x(), rect.center().y(), rect.width() * 2, rect.height() * 2)


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
            self.source_edit.setExtraSelections(self._selections(self.source_edit, source_span))
        if self.target_edit.toPlainText() == d.target:
            self.target_edit.setExtraSelections(self._selections(self.target_edit, target_span))
        self.panel.mark(sentence, target, source)

    @staticmethod
    def _selections(edit: QPlainTextEdit, span: tuple[int, int] | None) -> list[QTextEdit.ExtraSelection]:
        if span is None:
            return []
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(edit.document())
        cursor.setPosition(span[0])
        cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
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
            if event.type() == QEvent.Type.MouseMove:
                self._hover(watched, event.position().toPoint())
            elif event.type() == QEvent.Type.Leave:
                self.clear()
        return False

    def _hover(self, viewport: QObject, point: QPoint) -> None:
        d = self.document
        is_source = viewport is self.source_edit.viewport()
        edit = self.source_edit if is_source else self.target_edit
        if edit.toPlainText() != (d.source if is_source else d.target):
            return                               # edited since it was translated: the spans are stale
        cursor = edit.cursorForPosition(point)
        if not edit.cursorRect(cursor).adjusted(-12, -2, 12, 2).contains(point):
            self.clear()                         # past the end of a line: no word is under the mouse
            return
        word_at = d.source_word_at if is_source else d.target_word_at
        found = word_at(cursor.position()) or word_at(cursor.position() - 1)   # either side of the mouse
        if found is None:
            self.clear()
        elif is_source:
            self.highlight_source_word(*found)
        else:
            self.highlight_target_word(*found)
