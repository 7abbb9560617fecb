"""Models → Compare Models…: one German text, every chosen model's translation side by side.

The models to compare are listed by tutorial (family), every shipped one chosen by default. The
comparison runs on the ``CompareThread``, one model after another; each card fills in as its model
answers and the differences are tinted once all have. Models load on first use and stay loaded
while the view is open (the status line says how much memory that takes); closing the view frees
them.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QColor, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from translator_app.core.catalog import ModelInfo
from translator_app.core.compare import ComparedModel, CompareEntry, comparable_models, default_selection
from translator_app.core.types.architectures import TUTORIALS, family_order, tutorial_of
from translator_app.gui.compare_card import ResultCard
from translator_app.gui.compare_worker import CompareThread
from translator_app.gui.named import named
from translator_app.gui.text_positions import qt_position

MODEL_ROLE = Qt.ItemDataRole.UserRole  # a model item's ModelInfo; family headings have none
ATTENDED_TINT = QColor(52, 152, 219, 90)  # the German word a hovered English word looked at most
EXAMPLE = "Ein Mann mit einem orangefarbenen Hut starrt auf etwas."
PREFILL_CHARS = 2000  # of the window's text: comparing is for a sentence or a paragraph, not a document


def family_heading(architecture: str) -> str:
    tutorial = tutorial_of(architecture)
    return tutorial.label if tutorial else f"Other: {architecture}"


class CompareDialog(QDialog):
    compareRequested = Signal(int, str, object)  # request id, text, list[ComparedModel] (to the worker)
    comparisonShown = Signal(object)  # list[CompareEntry], once every chosen model has answered

    def __init__(self, parent: QWidget | None = None, text: str = "", device: str = "auto"):
        super().__init__(parent)
        self.setObjectName("compareDialog")
        self.setWindowTitle("Compare Models")
        self.request_id = 0
        self.cards: dict[str, ResultCard] = {}
        self.entries: list[CompareEntry] = []
        self.compared_text = ""
        self.memory: dict[str, float | None] = {}
        self._closed = False

        self.source = named(QPlainTextEdit(self), "compareSource")
        self.source.setAccessibleName("German text to compare")
        self.source.setPlaceholderText(f"German text, e.g. {EXAMPLE}")
        self.source.setPlainText(text.strip()[:PREFILL_CHARS] or EXAMPLE)
        self.source.setFixedHeight(self.source.fontMetrics().lineSpacing() * 3 + 16)
        self.compare_button = named(QPushButton("&Compare", self), "compareButton")
        self.compare_button.setToolTip("Translate the text with every chosen model (Ctrl+Return)")
        self.compare_button.clicked.connect(self.start)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.start)
        top = QHBoxLayout()
        top.addWidget(self.source, 1)
        top.addWidget(self.compare_button, 0, Qt.AlignmentFlag.AlignTop)

        self.model_list = named(QListWidget(self), "compareModelList")
        self.model_list.setAccessibleName("Models to compare")
        self.model_list.setToolTip("Tick the models to compare; they are grouped by the tutorial they come from")
        # the check boxes in the list are drawn as the app's own are, visible on a dark palette too (gui.theme)
        self.model_list.setPalette(QApplication.palette(cast(bytes, "QCheckBox")))
        self.model_list.setWordWrap(True)
        self.model_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._fill_models()
        self.cards_box = QWidget()
        self.cards_layout = QVBoxLayout(self.cards_box)
        self.cards_layout.addStretch(1)
        scroll = named(QScrollArea(self), "compareResults")
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.cards_box)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.model_list)
        split.addWidget(scroll)
        split.setStretchFactor(1, 1)
        split.setSizes([290, 730])

        self.status = named(QLabel("", self), "compareStatus")
        self.status.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)
        self.resize(1040, 680)

        self.host = CompareThread(device)
        worker = self.host.worker
        self.compareRequested.connect(worker.compare)
        worker.modelStarted.connect(self._on_started)
        worker.entryReady.connect(self._on_entry)
        worker.finished.connect(self._on_finished)
        worker.memoryMeasured.connect(self._on_memory)
        host = self.host
        self.destroyed.connect(lambda *_: host.shutdown())  # deleted with its window, never closed

    # ---- which models -----------------------------------------------------------------------------

    def _fill_models(self) -> None:
        """Every tutorial as a heading (also one with no model installed, said so), its models below."""
        models = comparable_models()
        chosen = set(default_selection(models))
        headings = [(t.number, t.label) for t in TUTORIALS.values()]
        headings += sorted({(family_order(m.architecture), family_heading(m.architecture)) for m in models} - set(headings))
        for _order, heading in sorted(headings):
            members = [m for m in models if family_heading(m.architecture) == heading]
            item = QListWidgetItem(heading if members else f"{heading} (no model installed)")
            item.setFlags(Qt.ItemFlag.ItemIsEnabled if members else Qt.ItemFlag.NoItemFlags)  # a heading, not a choice
            item.setToolTip(f"Models from {heading}" if members else "Train one with --arch, or install one, to compare it")
            font = item.font()
            font.setBold(True)
            item.setFont(font)
            self.model_list.addItem(item)
            for info in members:
                item = QListWidgetItem(("    " + info.name) + ("" if info.shipped else " (yours)"))
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if info.name in chosen else Qt.CheckState.Unchecked)
                item.setData(MODEL_ROLE, info)
                item.setToolTip(info.description or info.architecture)
                self.model_list.addItem(item)

    def model_items(self) -> list[QListWidgetItem]:
        items = (self.model_list.item(i) for i in range(self.model_list.count()))
        return [i for i in items if i.data(MODEL_ROLE) is not None]

    def chosen_models(self) -> list[ComparedModel]:
        infos: list[ModelInfo] = [i.data(MODEL_ROLE) for i in self.model_items() if i.checkState() == Qt.CheckState.Checked]
        return [ComparedModel.from_info(m) for m in infos]

    def set_chosen(self, names: list[str]) -> None:
        for item in self.model_items():
            checked = item.data(MODEL_ROLE).name in names
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    # ---- comparing --------------------------------------------------------------------------------

    def start(self) -> int | None:
        """Compare the text with the chosen models; a comparison under way is superseded."""
        text = self.source.toPlainText().strip()
        models = self.chosen_models()
        if not text:
            self.status.setText("Type or paste German text to compare.")
            return None
        if not models:
            self.status.setText("Tick at least one model in the list.")
            return None
        self.request_id += 1
        self.host.worker.latest = self.request_id
        self.compared_text = text
        self.entries = []
        self.host.start()  # on first use: a view opened and closed unused loads nothing
        self._clear_cards()
        for model in models:
            card = ResultCard(model, self.cards_box)
            card.sourceHovered.connect(self._mark_source)
            self.cards[model.name] = card
            self.cards_layout.insertWidget(self.cards_layout.count() - 1, card)
        self.status.setText(f"Comparing {len(models)} models…")
        self.compareRequested.emit(self.request_id, text, models)
        return self.request_id

    def _clear_cards(self) -> None:
        for card in self.cards.values():
            card.setParent(None)
            card.deleteLater()
        self.cards = {}

    def _on_started(self, request_id: int, name: str, loading: bool) -> None:
        if request_id != self.request_id or name not in self.cards:
            return
        self.cards[name].set_working(loading)
        done = len(self.entries)
        self.status.setText(f"{'Loading' if loading else 'Translating with'} {name} ({done + 1} of {len(self.cards)})…")

    def _on_entry(self, request_id: int, entry: CompareEntry) -> None:
        if request_id != self.request_id or entry.model.name not in self.cards:
            return
        self.entries.append(entry)
        self.cards[entry.model.name].set_entry(entry)

    def _on_finished(self, request_id: int, entries: list[CompareEntry]) -> None:
        if request_id != self.request_id:
            return
        self.entries = entries
        for entry in entries:
            if entry.model.name in self.cards:
                self.cards[entry.model.name].set_entry(entry)  # now with the differences tinted
        self._show_summary()
        self.comparisonShown.emit(entries)

    def _on_memory(self, memory: dict[str, float | None], loaded: int) -> None:
        self.memory = {**memory, "models_loaded": float(loaded)}
        self._show_summary()

    def _show_summary(self) -> None:
        if not self.entries:
            return
        ok = [e for e in self.entries if e.error is None]
        total = sum(e.seconds for e in ok)
        rss, peak = self.memory.get("rss_mb"), self.memory.get("peak_rss_mb")
        memory = (
            f" · memory {rss:,.0f} MB (peak {peak:,.0f} MB) with {self.memory.get('models_loaded', 0):.0f} models loaded"
            if rss is not None and peak is not None
            else (f" · peak memory {peak:,.0f} MB" if peak is not None else "")
        )
        failed = len(self.entries) - len(ok)
        self.status.setText(
            f"{len(ok)} models translated in {total:.2f} s of decoding"
            + (f", {failed} failed" if failed else "")
            + memory
            + ". Tinted words: most other models wrote something else."
        )

    def _mark_source(self, span: tuple[int, int] | None) -> None:
        """Mark the German word a hovered English word looked at most (while the text is the one compared)."""
        text = self.source.toPlainText()
        selections = []
        if span is not None and text.strip() == self.compared_text:
            offset = len(text) - len(text.lstrip())
            selection = QTextEdit.ExtraSelection()
            selection.format.setBackground(ATTENDED_TINT)
            cursor = QTextCursor(self.source.document())
            cursor.setPosition(qt_position(text, offset + span[0]))
            cursor.setPosition(qt_position(text, offset + span[1]), QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selections.append(selection)
        self.source.setExtraSelections(selections)

    # ---- closing frees the models -------------------------------------------------------------------

    def done(self, result: int) -> None:
        self._shut_down()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._shut_down()
        super().closeEvent(event)

    def _shut_down(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.request_id += 1
        self.host.worker.latest = self.request_id  # whatever is under way stops at its next batch
        self.host.shutdown()
