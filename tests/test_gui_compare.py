"""Models → Compare Models…: every chosen model's translation side by side, on a worker thread,
models kept while the view is open and freed when it closes; differences tinted, attention on hover."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QAction, QMouseEvent
from PySide6.QtWidgets import QApplication

from compare_support import ship_tiny_pair
from gui_support import MODEL_TIMEOUT_MS, close_window, install_user_model, long_german_text, open_window
from translator_app.core.paths import DEFAULT_MODEL, project_root
from translator_app.gui.compare_view import CompareDialog

TWELVE_WORDS = "Ein Mann mit einem roten Hut sitzt am Abend allein im Park."


@pytest.fixture()
def shipped_pair(tmp_path, tiny_model_dir, tiny_attention_model_dir, monkeypatch):
    shipped = ship_tiny_pair(tmp_path, tiny_model_dir, tiny_attention_model_dir, monkeypatch)
    install_user_model(tiny_model_dir, "mine")
    return shipped


def open_compare(qtbot, text: str = "Ein Mann fährt Fahrrad.") -> CompareDialog:
    dialog = CompareDialog(text=text, device="cpu")
    qtbot.addWidget(dialog)
    dialog.source.setPlainText(text)  # as typed: the window's own text is taken only up to PREFILL_CHARS
    dialog.show()
    return dialog


def run_comparison(qtbot, dialog: CompareDialog):
    with qtbot.waitSignal(dialog.comparisonShown, timeout=MODEL_TIMEOUT_MS) as shown:
        assert dialog.start() is not None
    return shown.args[0]


def hover(widget, x: int, y: int) -> None:
    point = QPointF(x, y)
    event = QMouseEvent(
        QEvent.Type.MouseMove,
        point,
        widget.mapToGlobal(point),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)


def test_shipped_models_are_chosen_by_default_and_grouped_by_tutorial(qtbot, shipped_pair):
    dialog = open_compare(qtbot)
    rows = [dialog.model_list.item(i).text() for i in range(dialog.model_list.count())]
    assert rows[0].startswith("Tutorial 1 · ") and rows[1].strip() == DEFAULT_MODEL and rows[2].strip() == "mine (yours)"
    assert "Tutorial 2 · " in rows[3] and rows[3].endswith("(no model installed)")  # no GRU here
    assert rows[4].startswith("Tutorial 3 · ") and rows[5].strip() == "tiny-attention"
    assert [m.name for m in dialog.chosen_models()] == [DEFAULT_MODEL, "tiny-attention"]  # yours only when ticked


def test_comparing_fills_one_card_per_model_keeps_them_loaded_and_frees_them_on_close(qtbot, shipped_pair):
    dialog = open_compare(qtbot)
    entries = run_comparison(qtbot, dialog)
    assert [e.model.name for e in entries] == [DEFAULT_MODEL, "tiny-attention"]
    assert list(dialog.cards) == [DEFAULT_MODEL, "tiny-attention"]
    lstm, attention = dialog.cards[DEFAULT_MODEL], dialog.cards["tiny-attention"]
    assert lstm.heading.text() == f"{DEFAULT_MODEL} · Tutorial 1 · {entries[0].model.family}"
    assert attention.output.toPlainText() == entries[1].text and entries[1].text
    assert "Confidence " in attention.figures.text() and "decoded in" in attention.figures.text()
    assert "memory" in dialog.status.text() and len(dialog.host.worker.pool) == 2
    first_load = [e.load_seconds for e in entries]
    assert all(s > 0 for s in first_load)

    dialog.set_chosen(["tiny-attention", "mine"])
    again = run_comparison(qtbot, dialog)
    assert [e.model.name for e in again] == ["mine", "tiny-attention"]
    assert again[1].load_seconds == 0  # kept from the first comparison
    thread = dialog.host.thread
    dialog.close()
    assert not thread.isRunning() and len(dialog.host.worker.pool) == 0


def longest_pause(qtbot, dialog: CompareDialog) -> tuple[float, float]:
    """Compare, with a 10 ms timer on the GUI thread: (seconds taken, longest wait between its ticks)."""
    from PySide6.QtCore import QTimer

    ticks: list[float] = []
    timer = QTimer(dialog)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(10)
    started = time.perf_counter()
    run_comparison(qtbot, dialog)
    took = time.perf_counter() - started
    timer.stop()
    return took, max((b - a for a, b in zip([started] + ticks, ticks)), default=took)


def test_the_window_stays_responsive_while_models_compare(qtbot, shipped_pair):
    dialog = open_compare(qtbot, long_german_text(8_000))
    took, pause = longest_pause(qtbot, dialog)
    # the GUI thread ran its timer all along while the worker loaded and translated (a frozen view would
    # pause as long as the comparison took; the bound is loose for a loaded 2-core machine)
    assert took > 0.3 and pause < min(1.5, took / 2), f"the view froze for {pause:.2f} s of {took:.2f} s"
    dialog.close()


def test_closing_during_a_long_comparison_does_not_wait_for_it(qtbot, shipped_pair, monkeypatch):
    import translator_app.core.translator as translator

    monkeypatch.setattr(translator, "SENTENCES_PER_BATCH", 4)  # a long text in many small steps: a minute, not seconds
    dialog = open_compare(qtbot, long_german_text(60_000))
    with qtbot.waitSignal(dialog.host.worker.modelStarted, timeout=MODEL_TIMEOUT_MS):
        dialog.start()
    qtbot.wait(500)  # loaded and translating the first model's batches
    started = time.perf_counter()
    thread = dialog.host.thread
    dialog.close()
    assert not thread.isRunning() and time.perf_counter() - started < 2.0  # stopped at its next batch
    assert dialog.entries == []  # the comparison was under way, not finished


def test_hovering_an_english_word_marks_the_german_word_it_attended_to(qtbot, shipped_pair):
    dialog = open_compare(qtbot, "Ein Mann schläft.")
    entries = run_comparison(qtbot, dialog)
    card = dialog.cards["tiny-attention"]
    assert entries[1].has_attention and not entries[0].has_attention
    rect = card.output.cursorRect(card.output.textCursor())  # the start of the first word
    hover(card.output.viewport(), rect.x() + 3, rect.center().y())
    selections = dialog.source.extraSelections()
    assert len(selections) == 1 and selections[0].cursor.selectedText() in {"Ein", "Mann", "schläft", "."}
    tip, span = card.attention_at(0)
    assert f"“{entries[1].alignment.sentences[0].target_words[0]}” looked at" in tip and span is not None
    QApplication.sendEvent(card.output.viewport(), QEvent(QEvent.Type.Leave))
    assert dialog.source.extraSelections() == []
    dialog.close()


def test_differences_are_tinted(qtbot, shipped_pair):
    dialog = open_compare(qtbot, "Zwei Hunde spielen im Schnee.")
    dialog.set_chosen([DEFAULT_MODEL, "tiny-attention", "mine"])
    entries = run_comparison(qtbot, dialog)
    assert entries[0].text == entries[1].text  # the same weights under two names agree ...
    for entry in entries:
        card = dialog.cards[entry.model.name]
        assert card.differing_words() == [w.word for w in entry.marks if w.differs]
    if entries[0].text != entries[2].text:  # ... so the other model's different words are its own
        assert dialog.cards["tiny-attention"].differing_words() and not dialog.cards[DEFAULT_MODEL].differing_words()
    dialog.close()


def test_nothing_to_compare_is_said_not_sent(qtbot, shipped_pair):
    dialog = open_compare(qtbot, "")
    dialog.source.setPlainText("  ")
    assert dialog.start() is None and "German text" in dialog.status.text()
    dialog.source.setPlainText("Hallo")
    dialog.set_chosen([])
    assert dialog.start() is None and "Tick at least one model" in dialog.status.text()
    dialog.close()


def test_the_models_menu_opens_compare_with_the_window_text(qtbot, shipped_dir_with_tiny):
    window = open_window(qtbot)
    window.translate_page.as_you_type_check.setChecked(False)
    window.translate_page.source_edit.setPlainText("Ein Hund läuft.")
    window.findChild(QAction, "compareModelsAction").trigger()
    dialog = window.findChild(CompareDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.source.toPlainText() == "Ein Hund läuft."
    dialog.close()
    close_window(window)


@pytest.mark.skipif(not (project_root() / "models" / DEFAULT_MODEL).is_dir(), reason="no shipped models")
def test_compare_on_the_default_install_answers_with_every_shipped_model(qtbot, monkeypatch, tmp_path):
    monkeypatch.setenv("TRANSLATOR_APP_SHIPPED_MODELS", str(project_root() / "models"))
    from translator_app.core.compare import comparable_models

    shipped = [m.name for m in comparable_models() if m.shipped]
    dialog = open_compare(qtbot, TWELVE_WORDS)
    took, pause = longest_pause(qtbot, dialog)
    entries = dialog.entries
    assert pause < 1.5, f"the view froze for {pause:.2f} s of {took:.1f} s"
    assert [e.model.name for e in entries] == shipped and all(e.error is None and e.text for e in entries)
    assert all(dialog.cards[name].figures.text().startswith("Confidence ") for name in shipped)
    assert all(e.model.test_bleu and e.model.tutorial for e in entries)
    dialog.grab().save(str(tmp_path / "compare.png"))
    dialog.close()
