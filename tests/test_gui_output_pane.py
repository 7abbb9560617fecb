"""The English pane tells the truth about the translation on show (issue 29, items 1, 3 and 11): its
confidence marks are the ones of that translation, its notes never take its room, and its scores are
on one scale (pytest-qt, offscreen, the tiny attention model, driven by keyboard, clipboard and mouse)."""

from __future__ import annotations

import json
import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor, QTextFormat
from PySide6.QtWidgets import QApplication

from gui_support import MODEL_TIMEOUT_MS, TRANSLATE_TIMEOUT_MS, close_window, open_window
from translator_app.core.paths import DEFAULT_MODEL
from translator_app.core.translator import Translator
from translator_app.gui.panes import SCORE_ROLE

HARD = [  # unlike anything the tiny model saw
    "Die Echokardiographie zeigte eine eingeschränkte linksventrikuläre Ejektionsfraktion.",
    "Quabbelig frumpst der Knorzelwicht im Ploppenhain.",
]
EASY = ["Ein Mann fährt Fahrrad.", "Ein Hund rennt.", "Zwei Hunde spielen im Schnee.", "Eine Frau liest."]


def first_score(translator: Translator, text: str) -> float:
    return translator.translate(text).sentences[0].confidence


@pytest.fixture()
def sure_and_unsure(tmp_path, tiny_attention_model_dir, monkeypatch) -> tuple[str, str]:
    """The tiny attention model as the default model, its low threshold between an unsure and a sure
    sentence (so the first is marked and the second is not, as with the real model on real text)."""
    translator = Translator.load(tiny_attention_model_dir)
    unsure = min(HARD, key=lambda t: first_score(translator, t))
    sure = max(EASY, key=lambda t: first_score(translator, t))
    low, high = first_score(translator, unsure), first_score(translator, sure)
    assert low < high
    folder = tmp_path / "shipped" / DEFAULT_MODEL
    shutil.copytree(tiny_attention_model_dir, folder)
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    config["confidence"] = {"low": (low + high) / 2, "high": (low + high) / 2}
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    monkeypatch.setenv("TRANSLATOR_APP_SHIPPED_MODELS", str(tmp_path / "shipped"))
    return unsure, sure


@pytest.fixture()
def window(qtbot, sure_and_unsure):
    win = open_window(qtbot)
    yield win
    close_window(win)


def paste_over(qtbot, window, text: str):
    """Select all and paste with the keyboard into the German pane, as a user does; returns the result shown."""
    edit = window.translate_page.source_edit
    QApplication.clipboard().setText(text)
    edit.setFocus()
    with qtbot.waitSignal(window.translationShown, timeout=TRANSLATE_TIMEOUT_MS) as blocker:
        qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
        if not window.translate_page.as_you_type_check.isChecked():
            window.live.translate()
    return blocker.args[0]


def click_into_output(qtbot, window, position: int) -> None:
    """Click the English text at ``position`` (to read it, to select a word): the cursor goes there."""
    edit = window.translate_page.target_edit
    cursor = QTextCursor(edit.document())
    cursor.setPosition(position)
    qtbot.mouseClick(edit.viewport(), Qt.MouseButton.LeftButton, pos=edit.cursorRect(cursor).center())
    assert edit.textCursor().position() == position


def formats_shown(window) -> set[tuple[str, bool, int]]:
    """(tooltip, has a background, underline style) of every character of the English pane."""
    edit = window.translate_page.target_edit
    cursor = QTextCursor(edit.document())
    found = set()
    for position in range(1, len(edit.toPlainText()) + 1):
        cursor.setPosition(position)
        fmt = cursor.charFormat()
        found.add((fmt.toolTip(), fmt.hasProperty(QTextFormat.Property.BackgroundBrush), fmt.underlineStyle().value))
    return found


PLAIN = {("", False, 0)}


def test_a_sure_translation_pasted_over_an_unsure_one_carries_none_of_its_marks(qtbot, window, sure_and_unsure):
    unsure, sure = sure_and_unsure
    window.translate_page.as_you_type_check.setChecked(True)
    pane = window.translate_page.target
    first = paste_over(qtbot, window, unsure)
    assert first.confidence[0].level.value == "low" and pane.low_confidence
    marked = formats_shown(window)
    assert marked != PLAIN and any(f"{first.confidence[0].score:.2f}" in tip for tip, _, _ in marked)
    click_into_output(qtbot, window, 3)  # inside the tinted sentence, to read or select it

    result = paste_over(qtbot, window, sure)
    assert result.source == sure and result.confidence[0].level.value != "low"
    assert window.translate_page.target_edit.toPlainText() == result.text
    assert formats_shown(window) == PLAIN  # no tint, no underline, no tooltip of the sentence before
    assert pane.low_confidence == [] and pane.low_confidence_tip_at(1) == ""


def test_an_alternative_shows_no_marks_and_the_best_gets_its_own_back(qtbot, window, sure_and_unsure):
    unsure, _sure = sure_and_unsure
    window.translate_page.as_you_type_check.setChecked(False)
    window.options_panel.spins["n_best"].setValue(3)
    pane = window.translate_page.target
    paste_over(qtbot, window, unsure)
    marked = formats_shown(window)
    assert marked != PLAIN and pane.alternatives.count() >= 2
    click_into_output(qtbot, window, 3)
    alternatives = pane.alternatives
    for row, expected in ((1, PLAIN), (0, marked)):  # the marks were measured on the best translation only
        rect = alternatives.visualItemRect(alternatives.item(row))
        qtbot.mouseClick(alternatives.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert formats_shown(window) == expected
        assert bool(pane.low_confidence_tip_at(1)) == (row == 0)
        click_into_output(qtbot, window, 3)


def test_the_alternatives_and_the_confidence_tooltip_use_one_scale(qtbot, window, sure_and_unsure):
    unsure, _sure = sure_and_unsure
    window.translate_page.as_you_type_check.setChecked(False)
    window.options_panel.spins["n_best"].setValue(3)
    result = paste_over(qtbot, window, unsure)
    pane = window.translate_page.target
    listed = pane.alternatives.item(0).data(SCORE_ROLE)
    assert listed == pytest.approx(result.confidence[0].score)  # the mean token log-probability, both
    assert f"({listed:.2f})" in pane.alternatives.item(0).text()
    assert f"log-probability {listed:.2f}," in pane.low_confidence_tip_at(1)


@pytest.fixture()
def default_size_window(qtbot, sure_and_unsure):
    """At the window's default size before the model loads, as at a user's first start (the attention
    panel takes its room then)."""
    win = open_window(qtbot, wait_model=False)
    win.resize(1100, 640)
    with qtbot.waitSignal(win.modelReady, timeout=MODEL_TIMEOUT_MS):
        pass
    yield win
    close_window(win)


def test_two_notes_and_three_alternatives_leave_the_output_its_room(qtbot, default_size_window, sure_and_unsure):
    window = default_size_window
    unsure, _ = sure_and_unsure
    window.translate_page.as_you_type_check.setChecked(False)
    window.options_panel.spins["n_best"].setValue(3)
    window.options_panel.spins["max_length"].setValue(3)  # cut short: the length-limit note
    text = f"{unsure} {unsure}"  # every sentence unsure: the out-of-domain note
    result = paste_over(qtbot, window, text)
    assert result.truncated and result.out_of_domain
    pane = window.translate_page.target
    notes = pane.notice
    assert notes.isVisible() and "output length limit" in notes.text() and "unlike what" in notes.text()
    line = pane.edit.fontMetrics().lineSpacing()
    assert pane.edit.viewport().height() >= 3 * line
    alternatives = pane.alternatives
    assert alternatives.count() >= 2
    rows = range(min(alternatives.count(), 3))

    def whole() -> bool:  # every row whole, none clipped
        return all(alternatives.viewport().rect().contains(alternatives.visualItemRect(alternatives.item(r))) for r in rows)

    qtbot.waitUntil(whole, timeout=2000)  # once the layout has settled (after a full suite it can take a moment)
    assert notes.height() <= 2 * line and len(notes.notes) == 2  # one line, whatever the notes say

    notes.show_details()  # the whole of each note, over the window, not in the output's place
    assert notes.popup.isVisible() and all(note in notes.popup.label.text() for note in notes.notes)
    assert pane.edit.viewport().height() >= 3 * line
    notes.popup.hide()
