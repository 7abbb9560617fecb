"""One model's answer in the Compare view: what the model is, what it wrote, how sure and how fast.

Words the other models did not write are tinted; hovering a word of a model with attention names
the German words it looked at most (tooltip) and asks the view to mark the strongest in the input.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QFrame, QLabel, QTextBrowser, QToolTip, QVBoxLayout, QWidget

from translator_app.core.compare import CompareEntry, ComparedModel
from translator_app.gui.named import named
from translator_app.gui.text_positions import python_index, qt_position

DIFFERENCE_TINT = QColor(241, 196, 15, 90)  # yellow, readable under dark and light text
DIFFERENCE_TIP = "Tinted: words most of the other models did not write."
TOP_SOURCES = 3  # German words named in an attention tooltip


def model_heading(model: ComparedModel) -> str:
    """ "general-lstm-de-en · Tutorial 4 · Packed padded sequences + masking" (plain text)."""
    return f"{model.name} · {model.tutorial_label} · {model.family}"


def model_facts(model: ComparedModel) -> str:
    domains = ", ".join(model.domains) or "not recorded"
    return f"Trained on: {domains} · test BLEU: {model.bleu_summary()}"


class ResultCard(QFrame):
    """A model's heading, its translation (differences tinted) and a line of figures."""

    sourceHovered = Signal(object)  # (start, end) Python span of the German word, or None

    def __init__(self, model: ComparedModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(f"compareCard:{model.name}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.model = model
        self.entry: CompareEntry | None = None
        self.heading = named(QLabel(model_heading(model), self), "compareHeading")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setToolTip(model.title)
        self.facts = named(QLabel(model_facts(model), self), "compareFacts")
        self.facts.setTextFormat(Qt.TextFormat.PlainText)
        self.facts.setWordWrap(True)
        self.output = named(QTextBrowser(self), "compareOutput")
        self.output.setAccessibleName(f"Translation by {model.name}")
        self.output.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.output.setFrameShape(QFrame.Shape.NoFrame)
        self.output.viewport().setMouseTracking(True)
        self.output.viewport().installEventFilter(self)
        self.figures = named(QLabel("Waiting…", self), "compareFigures")
        self.figures.setTextFormat(Qt.TextFormat.PlainText)
        self.figures.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setSpacing(2)
        layout.addWidget(self.heading)
        layout.addWidget(self.facts)
        layout.addWidget(self.output)
        layout.addWidget(self.figures)
        self._fit_output()

    def set_working(self, loading: bool) -> None:
        self.figures.setText(f"Loading {self.model.name}…" if loading else "Translating…")

    def set_entry(self, entry: CompareEntry) -> None:
        """Show an answer; called again once the differences are known, to tint them."""
        self.entry = entry
        if entry.error:
            self.output.setPlainText("")
            self.figures.setText(entry.error)
            self._fit_output()
            return
        self.output.setPlainText(entry.text)
        differing = [w for w in entry.marks if w.differs]
        cursor = QTextCursor(self.output.document())
        tint = QTextCharFormat()
        tint.setBackground(DIFFERENCE_TINT)
        for word in differing:
            cursor.setPosition(qt_position(entry.text, word.start))
            cursor.setPosition(qt_position(entry.text, word.end), QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(tint)
        level = f"{entry.level.value} ({entry.confidence:.2f})" if entry.level and entry.confidence is not None else "–"
        loaded = f", loaded in {entry.load_seconds:.1f} s" if entry.load_seconds else ""
        attention = " · hover a word to see what it attended to" if entry.has_attention else ""
        self.figures.setText(f"Confidence {level} · decoded in {entry.seconds:.2f} s{loaded}{attention}")
        self.output.setToolTip(DIFFERENCE_TIP if differing else "")
        self._fit_output()

    def differing_words(self) -> list[str]:
        return [w.word for w in self.entry.marks if w.differs] if self.entry else []

    def attention_at(self, position: int) -> tuple[str, tuple[int, int] | None]:
        """The tooltip for the output character at Qt ``position`` and the span of its most-attended German word."""
        entry = self.entry
        if entry is None or entry.alignment is None:
            return "", None
        doc = entry.alignment
        found = doc.target_word_at(python_index(entry.text, position))
        if found is None:
            return "", None
        sentence, word = found
        alignment = doc.sentences[sentence]
        if alignment is None or word >= len(alignment.weights):
            return "", None
        row = alignment.weights[word]
        ranked = sorted(range(len(row)), key=row.__getitem__, reverse=True)[:TOP_SOURCES]
        total = sum(row) or 1.0
        looked = ", ".join(f"“{alignment.source_words[s]}” {row[s] / total:.0%}" for s in ranked)
        tip = f"{self.model.name}: “{alignment.target_words[word]}” looked at {looked}"
        best = alignment.source_for(word)
        spans = doc.source_spans[sentence] if sentence < len(doc.source_spans) else []
        span = spans[best] if best is not None and best < len(spans) else None
        return tip, span

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.output.viewport():
            if event.type() == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
                self._hover(event.position().toPoint())
            elif event.type() == QEvent.Type.Leave:
                self.sourceHovered.emit(None)
        return super().eventFilter(watched, event)

    def _hover(self, point: QPoint) -> None:
        tip, span = self.attention_at(self.output.cursorForPosition(point).position())
        self.sourceHovered.emit(span)
        if tip:
            QToolTip.showText(self.output.viewport().mapToGlobal(point), tip, self.output)

    def _fit_output(self) -> None:
        """As tall as its text: the view scrolls, never each card."""
        self.output.document().setTextWidth(self.output.viewport().width())
        lines = max(1, round(self.output.document().size().height()))
        self.output.setFixedHeight(lines + 2 * self.output.frameWidth() + 4)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_output()
