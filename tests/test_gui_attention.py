"""The attention view (pytest-qt, offscreen): shown for attention models only, with hover links
between the panes and the heatmap."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QToolButton

from gui_support import MODEL_TIMEOUT_MS, close_window, open_window, translate
from translator_app.core.types.alignment import DocumentAlignment, WordAlignment
from translator_app.core.paths import DEFAULT_MODEL
from translator_app.gui.attention_view import AttentionPanel
from translator_app.gui.settings import Key

SOURCE = "Ein Mann fährt Fahrrad. Zwei Hunde spielen im Schnee."


@pytest.fixture()
def shipped_attention_model(tmp_path, tiny_attention_model_dir, monkeypatch) -> None:
    """The tiny attention model as the shipped default model."""
    shipped = tmp_path / "shipped"
    shutil.copytree(tiny_attention_model_dir, shipped / DEFAULT_MODEL)
    monkeypatch.setenv("TRANSLATOR_APP_SHIPPED_MODELS", str(shipped))


@pytest.fixture()
def attention_window(qtbot, shipped_attention_model):
    win = open_window(qtbot)
    yield win
    close_window(win)


@pytest.fixture()
def lstm_window(qtbot, shipped_dir_with_tiny):
    win = open_window(qtbot)
    yield win
    close_window(win)


def hover(widget, point: QPoint) -> None:
    """A real mouse-move event, delivered as Qt would deliver it."""
    event = QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(point),
        widget.mapToGlobal(QPointF(point)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)


def point_in(edit, span: tuple[int, int]) -> QPoint:
    """A point inside the word at ``span`` of a text pane (in its viewport's coordinates): a quarter into its
    first character, so that it is this word's even when the word is one character and another follows."""

    def rect(position: int):
        cursor = QTextCursor(edit.document())
        cursor.setPosition(position)
        return edit.cursorRect(cursor)

    start, after = rect(span[0]), rect(span[0] + 1)
    return QPoint((3 * start.center().x() + after.center().x()) // 4, start.center().y())


def highlighted(edit) -> list[tuple[int, int]]:
    return [(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in edit.extraSelections()]


def test_attention_view_is_hidden_for_models_without_attention(lstm_window, qtbot):
    translate(qtbot, lstm_window, "Ein Mann fährt Fahrrad.")
    assert not lstm_window.translate_page.attention_panel.isVisible()
    assert not lstm_window.menus.attention_action.isEnabled()
    assert lstm_window.live.last_result.alignments == []
    hover(lstm_window.translate_page.source_edit.viewport(), point_in(lstm_window.translate_page.source_edit, (4, 8)))
    assert highlighted(lstm_window.translate_page.target_edit) == []


def test_attention_view_shows_the_heatmap_of_the_translation(attention_window, qtbot):
    win = attention_window
    assert win.translate_page.attention_panel.isVisible() and win.menus.attention_action.isChecked()
    result = translate(qtbot, win, SOURCE)
    doc = result.alignments[0]
    panel = win.translate_page.attention_panel
    assert panel.heatmap.alignment is doc.sentences[0]
    assert panel.heatmap.alignment.source_words == ["Ein", "Mann", "fährt", "Fahrrad", "."]
    assert panel.sentence_combo.isVisible() and panel.sentence_combo.count() == 2
    panel.sentence_combo.setCurrentIndex(1)
    assert panel.heatmap.alignment is doc.sentences[1]
    size, (min_w, min_h) = panel.heatmap.sizeHint(), panel.heatmap.min_cell_size()
    assert size.width() > 5 * min_w and size.height() >= len(doc.sentences[1].target_words) * min_h


def test_attention_cells_grow_with_the_panel_and_follow_the_font(attention_window, qtbot):
    from PySide6.QtCore import QPoint

    translate(qtbot, attention_window, SOURCE)
    heatmap = attention_window.translate_page.attention_panel.heatmap
    attention_window.translate_page.attention_splitter.setSizes([100, 2000])  # give the attention panel the room
    attention_window.resize(1400, 1400)
    qtbot.waitUntil(
        lambda: heatmap.height() > heatmap.sizeHint().height() + 40 and heatmap.width() > heatmap.sizeHint().width() + 40
    )
    wide, tall = heatmap.cell_size()
    min_w, min_h = heatmap.min_cell_size()
    assert wide > min_w and tall > min_h  # room to grow: the cells take it
    assert wide <= min_w * heatmap.MAX_CELL_FACTOR and tall <= min_h * heatmap.MAX_CELL_FACTOR
    before = heatmap.min_cell_size()
    attention_window.view.change_font_size(+6)  # View ▸ Bigger Text reaches the heatmap
    assert heatmap.min_cell_size() > before
    left, top = heatmap._margins()
    cw, _ = heatmap.cell_size()
    first = heatmap.alignment.source_words[0]
    hover(heatmap, QPoint(left + cw // 2, top // 2))  # over a (possibly elided) column label
    assert heatmap.toolTip() == first
    attention_window.view.change_font_size(0)


def test_hovering_a_german_word_highlights_its_counterpart(attention_window, qtbot):
    win = attention_window
    doc = translate(qtbot, win, SOURCE).alignments[0]
    hunde = doc.source_spans[1][1]  # "Hunde", second sentence
    assert SOURCE[hunde[0] : hunde[1]] == "Hunde"
    hover(win.translate_page.source_edit.viewport(), point_in(win.translate_page.source_edit, hunde))
    target = doc.sentences[1].target_for(1)
    assert highlighted(win.translate_page.source_edit) == [hunde]
    assert highlighted(win.translate_page.target_edit) == [doc.target_spans[1][target]]
    assert win.translate_page.attention_panel.sentence == 1
    assert win.translate_page.attention_panel.heatmap.marked == (target, 1)
    leave = QEvent(QEvent.Type.Leave)
    QApplication.sendEvent(win.translate_page.source_edit.viewport(), leave)
    assert highlighted(win.translate_page.source_edit) == [] and highlighted(win.translate_page.target_edit) == []


def test_hovering_an_english_word_highlights_the_german_word_it_attended_to(attention_window, qtbot):
    win = attention_window
    doc = translate(qtbot, win, SOURCE).alignments[0]
    word = next(i for i, span in enumerate(doc.target_spans[0]) if span is not None)
    hover(win.translate_page.target_edit.viewport(), point_in(win.translate_page.target_edit, doc.target_spans[0][word]))
    source = doc.sentences[0].source_for(word)
    assert highlighted(win.translate_page.target_edit) == [doc.target_spans[0][word]]
    assert highlighted(win.translate_page.source_edit) == [doc.source_spans[0][source]]


def test_hovering_a_heatmap_cell_highlights_both_words(attention_window, qtbot):
    win = attention_window
    doc = translate(qtbot, win, SOURCE).alignments[0]
    heatmap = win.translate_page.attention_panel.heatmap
    with qtbot.waitSignal(heatmap.cellHovered) as blocker:
        hover(heatmap, heatmap.cell_rect(0, 1).center())
    assert blocker.args == [0, 1]
    assert highlighted(win.translate_page.source_edit) == [doc.source_spans[0][1]]
    assert highlighted(win.translate_page.target_edit) == [doc.target_spans[0][0]]
    assert "Mann" in heatmap.toolTip()


def test_an_edited_input_is_never_highlighted_with_stale_positions(attention_window, qtbot):
    win = attention_window
    doc = translate(qtbot, win, SOURCE).alignments[0]
    win.translate_page.source_edit.setPlainText("Xx " + SOURCE)
    hover(win.translate_page.source_edit.viewport(), point_in(win.translate_page.source_edit, doc.source_spans[0][1]))
    assert highlighted(win.translate_page.source_edit) == [] and highlighted(win.translate_page.target_edit) == []


def test_hiding_the_view_is_remembered_and_the_menu_brings_it_back(attention_window, qtbot):
    win = attention_window
    qtbot.mouseClick(win.translate_page.attention_panel.findChild(QToolButton, "attentionHideButton"), Qt.MouseButton.LeftButton)
    assert not win.translate_page.attention_panel.isVisible()
    assert win.settings.get(Key.SHOW_ATTENTION) is False and not win.menus.attention_action.isChecked()
    win.menus.attention_action.trigger()
    assert win.translate_page.attention_panel.isVisible() and win.settings.get(Key.SHOW_ATTENTION) is True


def test_choosing_an_alternative_shows_its_alignment(attention_window, qtbot):
    win = attention_window
    win.options_panel.set_options({**win.options_panel.options(), "n_best": 3, "beam_width": 4})
    result = translate(qtbot, win, "Ein Mann fährt Fahrrad.")
    assert len(result.alternatives) >= 2 and len(result.alignments) == len(result.alternatives)
    win.translate_page.target.alternatives.itemClicked.emit(win.translate_page.target.alternatives.item(1))
    assert win.translate_page.target_edit.toPlainText() == result.alternatives[1][0]
    assert win.translate_page.attention_panel.heatmap.alignment is result.alignments[1].sentences[0]


def caption_alignment() -> DocumentAlignment:
    """A 15-word caption and its 15-word translation, attending along the diagonal: the longest
    sentence the view must show whole at the default window size."""
    source = "Ein Mann mit einem orangefarbenen Hut sitzt auf einer Bank im Park und liest Zeitungsartikel."
    target = "A man with an orange hat sits on a bench in the park reading newspapers."
    words = lambda text: text[:-1].split() + ["."]  # noqa: E731
    german, english = words(source), words(target)
    weights = [
        [0.9 if s == min(t, len(german) - 1) else 0.1 / len(german) for s in range(len(german))] for t in range(len(english))
    ]
    return DocumentAlignment(source, target, [WordAlignment(german, english, weights)])


@pytest.fixture()
def default_size_window(qtbot, shipped_attention_model):
    """The window at MainWindow's default size (on a screen with room for it) before the model loads,
    so the attention panel first shows as it does at a user's first start."""
    win = open_window(qtbot, wait_model=False)
    win.resize(1100, 640)
    with qtbot.waitSignal(win.modelReady, timeout=MODEL_TIMEOUT_MS):
        pass
    yield win
    close_window(win)


def test_a_caption_shows_every_row_and_whole_labels_at_the_default_window_size(default_size_window, qtbot):
    win = default_size_window
    doc = caption_alignment()
    german, english = doc.sentences[0].source_words, doc.sentences[0].target_words
    assert len(german) == len(english) == 16  # the full stop too
    panel = win.findChild(AttentionPanel)
    heatmap = panel.heatmap
    panel.set_document(doc)
    viewport = panel.scroll_area.viewport()
    qtbot.waitUntil(
        lambda: (
            viewport.width() > 600
            and viewport.height() > 0  # laid out, side by side
            and heatmap.size() == heatmap.size().expandedTo(viewport.size())
        )
    )
    assert not panel.scroll_area.verticalScrollBar().isVisible() and not panel.scroll_area.horizontalScrollBar().isVisible()
    assert heatmap.cell_rect(len(english) - 1, len(german) - 1).bottom() < viewport.height()  # the last row, whole
    assert heatmap.cell_rect(len(english) - 1, len(german) - 1).right() < viewport.width()
    left, top = heatmap._margins()
    cw, ch = heatmap.cell_size()
    assert ch >= heatmap.fontMetrics().height()  # rows as tall as their labels
    shown = []
    for s, word in enumerate(german):  # each label whole, or elided with the whole word as its tooltip
        label = heatmap.label(word)
        assert label == word or (label.endswith("…") and word.startswith(label[:-1]))
        hover(heatmap, QPoint(left + s * cw + cw // 2, top - heatmap.PAD - 2))
        shown.append(heatmap.toolTip())
    for t in range(len(english)):
        hover(heatmap, QPoint(left - heatmap.PAD - 2, top + t * ch + ch // 2))
        shown.append(heatmap.toolTip())
    assert shown == german + english
    assert heatmap.label("Zeitungsartikel") != "Zeitungsartikel"  # one label elided

    win.resize(1400, 1000)  # a bigger window: bigger cells, both ways
    qtbot.waitUntil(lambda: heatmap.cell_size()[0] > cw and heatmap.cell_size()[1] > ch)


def test_a_narrow_window_clips_nothing_in_the_attention_view(attention_window, qtbot):
    """At about 480 px wide (the options below, the panes stacked) the hint stays on one line,
    elided with its whole text as the tooltip, and the panel keeps room for the German words and
    a few rows: no part of it is cut off."""
    from PySide6.QtWidgets import QWidget

    win = attention_window
    translate(qtbot, win, SOURCE)
    for _ in range(3):  # as a drag: the options move below first
        win.resize(480, 760)
        QApplication.processEvents()
    qtbot.waitUntil(
        lambda: (
            win.width() <= 500
            and win.translate_page.splitter.orientation() == Qt.Orientation.Vertical
            and win.dockWidgetArea(win.options_dock) == Qt.DockWidgetArea.BottomDockWidgetArea
        ),
        timeout=5000,
    )
    panel = win.translate_page.attention_panel
    qtbot.waitUntil(lambda: panel.height() >= panel.minimumSizeHint().height(), timeout=5000)
    hint = panel.hint
    fm = hint.fontMetrics()
    assert fm.horizontalAdvance(hint.text()) <= hint.contentsRect().width() and hint.height() >= fm.height()
    assert hint.text() != hint.full_text()  # no room for all of it here...
    assert hint.toolTip() == hint.full_text() and hint.full_text().startswith(hint.text().removesuffix("…").rstrip())

    assert panel.mapTo(win, panel.rect().bottomLeft()).y() < win.options_dock.geometry().top()
    viewport = panel.scroll_area.viewport()
    for child in panel.findChildren(QWidget):  # every part whole (the heatmap scrolls)
        if not child.isVisibleTo(panel) or child is panel.heatmap or viewport.isAncestorOf(child):
            continue
        top_left = child.mapTo(panel, child.rect().topLeft())
        assert panel.rect().contains(top_left) and panel.rect().contains(child.mapTo(panel, child.rect().bottomRight())), child
        least = child.minimumSizeHint().expandedTo(child.minimumSize())
        assert child.width() >= least.width() and child.height() >= least.height(), (child, child.size(), least)

    heatmap = panel.heatmap  # the German words and the first rows show
    panel.scroll_area.verticalScrollBar().setValue(0)
    assert heatmap.cell_rect(panel.MIN_ROWS - 1, 0).bottom() < viewport.height()

    win.resize(1400, 800)  # room again: the hint whole, no tooltip
    qtbot.waitUntil(lambda: hint.text() == hint.full_text(), timeout=5000)
    assert hint.toolTip() == ""


def test_a_word_after_an_emoji_is_highlighted_where_it_is(qtbot):
    """Word spans are Python indices; Qt counts an emoji twice, so they are converted before use."""
    from PySide6.QtWidgets import QPlainTextEdit

    from translator_app.gui.attention_view import AlignmentLinker

    edit = QPlainTextEdit()
    qtbot.addWidget(edit)
    text = "Schreib 😀 an info@example.org bitte"
    edit.setPlainText(text)
    start = text.index("bitte")
    (selection,) = AlignmentLinker._selections(edit, text, (start, start + len("bitte")))
    assert selection.cursor.selectedText() == "bitte"
