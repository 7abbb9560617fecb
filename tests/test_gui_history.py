"""What users of DeepL, Google Translate and translateLocally expect (issue 29, item 13): a history of
recent translations (restorable, clearable, kept across launches only when the user wants),
File → Save Translation… and Edit → Undo/Redo acting on the German pane."""

from __future__ import annotations

import json

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from gui_support import TRANSLATE_TIMEOUT_MS, close_window, open_window, translate
from translator_app.gui.history import MAX_ENTRIES, HistoryEntry, TranslationHistory, default_path, load_history, save_history
from translator_app.gui.settings import Key, Settings


@pytest.fixture()
def window(qtbot, shipped_dir_with_tiny):
    win = open_window(qtbot)
    yield win
    close_window(win)


def entry(source: str, text: str = "x") -> HistoryEntry:
    return HistoryEntry.now(source, text, "tiny")


def test_typing_word_by_word_is_one_entry_and_the_newest_comes_first():
    history = TranslationHistory()
    for typed in ("Ein", "Ein Hund", "Ein Hund läuft."):
        history.add(entry(typed))
    history.add(entry("Zwei Katzen."))
    history.add(entry("Ein Hund läuft."))  # the same text again moves up, once
    assert [e.source for e in history.entries] == ["Ein Hund läuft.", "Zwei Katzen."]
    assert not history.add(entry("   ")) and not history.add(entry("Text", text=""))
    for i in range(MAX_ENTRIES + 5):
        history.add(entry(f"Satz {i} ist anders", "y"))
        history.add(entry(f"Noch einer {i}.", "y"))
    assert len(history.entries) == MAX_ENTRIES


def test_the_file_round_trips_and_a_damaged_one_is_set_aside(tmp_path):
    path = tmp_path / "history.json"
    history = TranslationHistory([entry("Ein Hund.", "A dog.")])
    save_history(history, path)
    loaded, notice = load_history(path)
    assert notice is None and loaded.entries == history.entries
    path.write_text("{not json", encoding="utf-8")
    loaded, notice = load_history(path)
    assert loaded.entries == [] and "set aside" in notice and (tmp_path / "history.json.corrupt").exists()
    path.write_text(json.dumps({"entries": [{"source": 1}, {"source": "a", "text": "b", "model": "m", "when": "t"}]}))
    assert [e.source for e in load_history(path)[0].entries] == ["a"]  # what is not an entry is skipped


def test_history_lists_restores_and_clears(qtbot, window):
    translate(qtbot, window, "Ein Hund läuft.")
    translate(qtbot, window, "Zwei Katzen schlafen.")
    window.findChild(QAction, "historyAction").trigger()
    dialog = window.history.dialog
    assert dialog is not None and dialog.isVisible()
    texts = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert [t.splitlines()[0] for t in texts] == ["Zwei Katzen schlafen.", "Ein Hund läuft."]
    dialog.list.setCurrentRow(1)
    with qtbot.waitSignal(window.translationShown, timeout=TRANSLATE_TIMEOUT_MS) as blocker:
        dialog.restore_button.click()
    assert window.translate_page.source_edit.toPlainText() == "Ein Hund läuft." and blocker.args[0].source == "Ein Hund läuft."
    dialog.clear_button.click()
    assert dialog.list.count() == 0 and dialog.empty_label.isVisibleTo(dialog) and not dialog.restore_button.isEnabled()


def test_history_is_kept_across_launches_only_when_asked(qtbot, shipped_dir_with_tiny):
    assert Settings().get(Key.KEEP_HISTORY) is False  # off by default: translations may be confidential
    first = open_window(qtbot)
    translate(qtbot, first, "Ein Hund läuft.")
    close_window(first)
    assert not default_path().exists()
    second = open_window(qtbot)
    assert second.history.history.entries == []
    translate(qtbot, second, "Ein Hund läuft.")
    second.exchange.show_history().keep_check.setChecked(True)  # written at once
    assert Settings().get(Key.KEEP_HISTORY) is True and default_path().exists()
    translate(qtbot, second, "Zwei Katzen schlafen.")
    close_window(second)
    third = open_window(qtbot)
    assert [e.source for e in third.history.history.entries] == ["Zwei Katzen schlafen.", "Ein Hund läuft."]
    values = {key: third.settings.get(key) for key in Key} | {Key.KEEP_HISTORY: False}
    third.apply_preferences(values)  # off in Preferences: the file goes
    assert not default_path().exists()
    close_window(third)


def test_save_translation_writes_the_english_text(qtbot, window, tmp_path, monkeypatch):
    target = tmp_path / "out.en.txt"
    assert not window.menus.save_translation_action.isEnabled()
    result = translate(qtbot, window, "Ein Hund läuft.")
    assert window.menus.save_translation_action.isEnabled()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    window.menus.save_translation_action.trigger()
    assert target.read_text(encoding="utf-8") == result.text + "\n"
    assert str(target) in window.statusBar().currentMessage()


def test_edit_menu_undo_and_redo_act_on_the_german_pane(qtbot, window):
    edit = window.translate_page.source_edit
    window.translate_page.as_you_type_check.setChecked(False)
    assert not window.menus.undo_action.isEnabled()
    edit.setFocus()
    qtbot.keyClicks(edit, "Hund")
    window.translate_page.translate_button.setFocus()  # the menu works wherever the focus is
    assert window.menus.undo_action.isEnabled()
    window.menus.undo_action.trigger()
    assert edit.toPlainText() == ""
    assert window.menus.redo_action.isEnabled()
    window.menus.redo_action.trigger()
    assert edit.toPlainText() == "Hund"
    edit_menu = next(a.menu() for a in window.menus.actions() if a.text() == "&Edit")
    assert edit_menu.actions()[:2] == [window.menus.undo_action, window.menus.redo_action]
