"""The Translate tab: the model row, the German and English panes and the attention panel.

``TranslatePage`` holds the widgets and knows how a translation appears in them (text, confidence
marks, notices, alternatives, the attention of the alternative on show). It knows no worker and
no model file: the window connects it to the live-translation controller and the model selector.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from translator_app.core.language_id import LanguageGuess, language_note
from translator_app.gui.attention_view import AlignmentLinker, AttentionPanel
from translator_app.gui.model_details import ModelDetails
from translator_app.gui.named import named
from translator_app.gui.panes import SourcePane, TargetPane
from translator_app.gui.textstats import plural
from translator_app.gui.translation_messages import TranslationResult


class TranslatePage(QWidget):
    message = Signal(str, int)  # passing news for the status bar (text, milliseconds)

    def __init__(self, model_combo: QComboBox, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("central")
        self.model_combo = model_combo
        self._result: TranslationResult | None = None  # the translation on show, for its alternatives' attention
        self._model: ModelDetails | None = None  # the model that made it, for its notes
        self._language: tuple[str, LanguageGuess | None] = ("", None)  # a source text and its language check
        model_label = QLabel("&Model:")
        model_label.setBuddy(model_combo)
        self.as_you_type_check = named(QCheckBox("Translate as you type"), "asYouTypeCheck")
        self.as_you_type_check.setToolTip("Translate shortly after you stop typing")
        self.translate_button = named(QPushButton("Translate"), "translateButton")
        self.translate_button.setMinimumWidth(self.fontMetrics().horizontalAdvance("Translate") * 2)

        self._top_row, self._second_row = QHBoxLayout(), QHBoxLayout()  # the second holds what a narrow window wraps
        self._top_row.addWidget(model_label)
        self._top_row.addWidget(model_combo)
        self._top_row.addStretch(1)
        self._second_row.addStretch(1)
        top = QVBoxLayout()
        top.addLayout(self._top_row)
        top.addLayout(self._second_row)
        self._compact: bool | None = None
        self.arrange(compact=False)

        self.source = SourcePane()
        self.target = TargetPane()
        self.source_edit = self.source.edit
        self.target_edit = self.target.edit
        self.target.copy_button.clicked.connect(self.copy_translation)
        self.target.alternativeChosen.connect(self._on_alternative_chosen)

        self.splitter = named(QSplitter(Qt.Orientation.Horizontal), "paneSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.source)
        self.splitter.addWidget(self.target)

        self.attention_panel = AttentionPanel()
        self.attention_panel.setVisible(False)  # shown once a model with attention is loaded
        self.alignment_linker = AlignmentLinker(self.source_edit, self.target_edit, self.attention_panel)
        self.attention_splitter = named(QSplitter(Qt.Orientation.Vertical), "attentionSplitter")
        self.attention_splitter.setChildrenCollapsible(False)
        self.attention_splitter.addWidget(self.splitter)
        self.attention_splitter.addWidget(self.attention_panel)
        self.attention_splitter.setStretchFactor(0, 3)
        self.attention_splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.attention_splitter, 1)
        self.set_model_ready(False)

    def set_model_ready(self, ready: bool, *, installed: bool = True) -> None:
        """Translating needs a model; ``installed`` False: there is none to load at all."""
        self.translate_button.setEnabled(ready)
        self.translate_button.setToolTip("Translate now (Ctrl+Enter)" if ready else "No model is loaded yet")
        if not installed:
            self.target_edit.setPlaceholderText("No translation model is installed — see the status bar.")

    def arrange(self, compact: bool) -> None:
        """A narrow window puts "Translate as you type" and Translate on a second row, so the model
        picker keeps its whole name."""
        if compact == self._compact:
            return
        self._compact = compact
        for widget in (self.as_you_type_check, self.translate_button):
            self._top_row.removeWidget(widget)
            self._second_row.removeWidget(widget)
        if compact:
            self._second_row.insertWidget(0, self.as_you_type_check)
            self._second_row.addWidget(self.translate_button)
        else:
            self._top_row.addWidget(self.as_you_type_check)
            self._top_row.addWidget(self.translate_button)
        policy = QSizePolicy.Policy.Expanding if compact else QSizePolicy.Policy.Preferred
        self.model_combo.setSizePolicy(policy, QSizePolicy.Policy.Fixed)

    # ---- translations ---------------------------------------------------------------------------

    def show_result(self, result: TranslationResult, model: ModelDetails | None) -> None:
        self._result, self._model = result, model
        self.target.show_translation(result.text, result.confidence, _low_threshold(model), result.glossary)
        self._show_notes()
        self.target.show_alternatives(result.alternatives, result.options.get("n_best", 1))
        self.show_alignment(result.alignments[0] if result.alignments else None)
        self.target.info.setText(f"{plural(result.sentences, 'sentence')} · {result.seconds:.2f} s")

    def _show_notes(self) -> None:
        result, model = self._result, self._model
        if result is None:
            return
        source, guess = self._language
        notes = (
            language_note(guess) if guess is not None and source == result.source else "",
            truncated_notice(result),
            lost_notice(result),
            domain_notice(result, model),
            glossary_notice(result, model),
        )
        self.target.show_notes([n for n in notes if n])

    def show_language(self, result_id: int, guess: LanguageGuess | None) -> None:
        """The language check of result ``result_id`` (``LanguageCheck``, off the GUI thread): its note
        while that result is on show; kept for its source, so a retranslation shows it at once."""
        if self._result is None or self._result.id != result_id:
            return
        self._language = (self._result.source, guess)
        self._show_notes()

    def show_partial(self, text: str) -> None:
        """A long text: the sentences translated so far, in order, while the rest is still being done;
        nothing of the previous text (its alternatives, notes, attention) stays beside them."""
        self._result = None
        self.target.clear()
        self.target.show_translation(text)
        self.show_alignment(None)
        self.attention_panel.show_pending()
        self.target.info.setText("Translating the rest…" if text else "Translating…")

    def clear_output(self, alternatives: int) -> None:
        """Empty the output, leaving the (empty) list in place if more than one ``alternatives`` are asked for."""
        self._result = None
        self.target.clear()
        self.show_alignment(None)
        self.target.alternatives_box.setVisible(alternatives > 1)

    def expect_alternatives(self, wanted: int) -> None:
        """The number asked for changed: the list goes for one, and stands ready for more."""
        if wanted <= 1:
            self.target.show_alternatives([], 1)
        else:
            self.target.alternatives_box.setVisible(True)

    def show_alignment(self, document) -> None:
        self.attention_panel.set_document(document)
        self.alignment_linker.set_document(document)

    def _on_alternative_chosen(self, text: str) -> None:
        result = self._result
        if result is None or not result.alignments:
            return
        rank = next((i for i, (alt, _score) in enumerate(result.alternatives) if alt == text), None)
        if rank is not None and rank < len(result.alignments):
            self.show_alignment(result.alignments[rank])

    def show_attention(self, shown: bool, available: bool) -> None:
        """The attention panel, for models that have attention and when the user wants it (the first
        time it shows, the panel takes the room it needs from the panes itself)."""
        self.attention_panel.setVisible(shown)
        if not available:
            self.show_alignment(None)

    def set_text_font(self, family: str, size: int) -> None:
        """The text's font (the system's where ``family`` is empty or ``size`` 0); the heatmap's labels
        and cells follow it too."""
        font = QFont(QApplication.font())
        if family:
            font.setFamily(family)
        if size:
            font.setPointSize(size)
        for widget in (self.source_edit, self.target_edit, self.target.alternatives, self.attention_panel.heatmap):
            widget.setFont(font)

    # ---- editing --------------------------------------------------------------------------------

    def clear_input(self) -> bool:
        """Empty the input as one edit, so Ctrl+Z brings it back; True if there was text."""
        had_text = bool(self.source_edit.toPlainText())
        cursor = self.source_edit.textCursor()  # QPlainTextEdit.clear() would also drop the undo history
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.removeSelectedText()
        self.source_edit.setTextCursor(cursor)
        self.source_edit.setFocus()
        return had_text

    def copy_translation(self) -> None:
        focus = QApplication.focusWidget()
        if isinstance(focus, QPlainTextEdit) and focus.textCursor().hasSelection():
            focus.copy()  # Ctrl+C on a selection copies the selection, as everywhere
            return
        text = self.target_edit.toPlainText()
        if not text:
            self.message.emit("There is no translation to copy yet.", 4000)
            return
        QGuiApplication.clipboard().setText(text)
        self.message.emit("Translation copied to the clipboard.", 3000)

    def paste(self) -> None:
        self.source_edit.setFocus()
        self.source_edit.paste()


def _low_threshold(model: ModelDetails | None) -> float:
    from translator_app.core.types.confidence import ConfidenceThresholds

    return ConfidenceThresholds.from_metadata(model.confidence if model else None).low


def glossary_notice(result: TranslationResult, model: ModelDetails | None) -> str:
    """Said when the glossary is on but the model cannot keep terms (its vocabulary has no placeholders)."""
    if result.options.get("glossary") is None or model is None or model.supports_glossary:
        return ""
    return f"{model.name} cannot keep glossary terms (an older vocabulary, without placeholders): your glossary was not applied."


def truncated_notice(result: TranslationResult) -> str:
    if not result.truncated:
        return ""
    which = "One sentence" if result.truncated == 1 else f"{result.truncated:,} sentences"
    return (
        f"{which} reached the output length limit (Max output length, {result.options.get('max_length')} "
        "subwords, or about twice the source's length) and may be cut short."
    )


def lost_notice(result: TranslationResult, shown: int = 5) -> str:
    """Said when a number, address or emoji of the source is not in the translation: never lost silently."""
    if not result.lost:
        return ""
    listed = ", ".join(result.lost[:shown]) + (f" and {len(result.lost) - shown:,} more" if len(result.lost) > shown else "")
    which = "A number, address or emoji" if len(result.lost) == 1 else f"{len(result.lost):,} numbers, addresses or emoji"
    return f"{which} of the source could not be kept in the translation: {listed}."


def domain_notice(result: TranslationResult, model: ModelDetails | None) -> str:
    if not result.out_of_domain or model is None:
        return ""
    domains = f" ({', '.join(model.domains)} text)" if model.domains else ""
    return (
        f"The model is unsure of most of this text: it looks unlike what {model.name}{domains} was "
        "trained on. Highlighted sentences may be wrong (hover one to see why)."
    )
