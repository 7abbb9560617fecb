"""The attention heatmap: one sentence's word alignment, German words across, English words down.

Its cells fill the room they get, from the smallest legible size (which follows the font) up to a
cap: rows shrink to fit the panel before they scroll, and grow with it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPalette
from PySide6.QtWidgets import QWidget

from translator_app.core.types.alignment import WordAlignment

NO_CELL = (-1, -1)


def _rgb(color: QColor) -> tuple[int, int, int]:
    return color.red(), color.green(), color.blue()


def _blend(low: QColor, high: QColor, amount: float) -> QColor:
    amount = max(0.0, min(1.0, amount))
    return QColor(*(round(a + (b - a) * amount) for a, b in zip(_rgb(low), _rgb(high))))


class AttentionHeatmap(QWidget):
    """One sentence's alignment as a grid; the darker a cell, the more that English word attended
    to that German word. Hovering a cell reports it, so the panes can highlight the pair."""

    cellHovered = Signal(int, int)  # target word, source word; (-1, -1) when the mouse leaves

    PAD = 4
    LABEL_CHARS = 12  # longer words are elided in the labels (the tooltip has them whole)
    MAX_CELL_FACTOR = 2.5  # cells grow with the panel up to this many times their smallest

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("attentionHeatmap")
        self.setAccessibleName("Attention heatmap")
        self.setMouseTracking(True)
        self.alignment: WordAlignment | None = None
        self.hovered = NO_CELL  # the cell under the mouse
        self.marked = NO_CELL  # the pair a pane hover points at (either part may be -1)

    # -- geometry ------------------------------------------------------------------------------
    def min_cell_size(self) -> tuple[int, int]:
        """The smallest legible cell (follows the font size): a row one line of text tall, as the
        panes space their lines, a column as wide as a rotated label and a little air. Cells shrink
        to this before the rows scroll."""
        line = self.fontMetrics().lineSpacing()
        return line + 6, line

    def label_room(self) -> int:
        """The most room a label takes, padding included: longer words are elided to fit it."""
        return self.fontMetrics().averageCharWidth() * self.LABEL_CHARS + 2 * self.PAD

    def height_for(self, rows: int) -> int:
        """The height that shows ``rows`` rows whole at the smallest cells, whatever the German words."""
        return self.label_room() + rows * self.min_cell_size()[1] + self.PAD

    def cell_size(self) -> tuple[int, int]:
        """(width, height) of a cell: each fills the room the panel gives along its axis, from the
        smallest legible size up to a cap, so a wide panel gets wide cells and a tall one tall cells."""
        min_w, min_h = self.min_cell_size()
        a = self.alignment
        if a is None:
            return min_w, min_h
        left, top = self._margins()
        grow = lambda room, count, least: int(max(least, min(room // max(count, 1), least * self.MAX_CELL_FACTOR)))  # noqa: E731
        return (
            grow(self.width() - left - self.PAD, len(a.source_words), min_w),
            grow(self.height() - top - self.PAD, len(a.target_words), min_h),
        )

    def label(self, word: str) -> str:
        return self.fontMetrics().elidedText(word, Qt.TextElideMode.ElideRight, self.label_room() - 2 * self.PAD)

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
        return QSize(
            left + min_w * len(self.alignment.source_words) + self.PAD, top + min_h * len(self.alignment.target_words) + self.PAD
        )

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
        if (
            point.x() < left
            or point.y() < top
            or source >= len(self.alignment.source_words)
            or target >= len(self.alignment.target_words)
        ):
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
            self.setToolTip(self._label_at(point))  # a label's whole word (labels may be elided)
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
        if event.type() == QEvent.Type.FontChange:  # a new text size: new label room and cell size
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
                painter.fillRect(self.cell_rect(t, s), _blend(low, high, weight**0.7))
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
