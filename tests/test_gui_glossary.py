"""Edit → Glossary…: the editor (add, remove, import, export, save with checks) and the window
translating with the glossary, its terms marked in the English pane (pytest-qt, offscreen)."""

from __future__ import annotations

import pytest

from gui_support import TRANSLATE_TIMEOUT_MS, close_window, open_window, translate
from translator_app.core.glossary import Glossary, load_glossary, save_glossary
from translator_app.core.types.glossary import GlossaryEntry
from translator_app.core.paths import user_glossary_path
from translator_app.gui.glossary_editor import GlossaryControl, GlossaryEditor
from translator_app.gui.settings import Key

ENTRIES = Glossary((GlossaryEntry("Datei", "file"), GlossaryEntry("Reiter", "tab")))


@pytest.fixture()
def control(qtbot):
    stored: list[bool] = []
    control = GlossaryControl(True, stored.append)
    control.stored = stored  # type: ignore[attr-defined]
    return control


def test_editor_adds_removes_and_saves_to_the_user_file(qtbot, control):
    editor = GlossaryEditor(control)
    qtbot.addWidget(editor)
    for source, target in (("Datei", "file"), ("Reiter", "tab"), ("Ordner", "folder")):
        row = editor.add_row()
        editor.table.item(row, 0).setText(source)
        editor.table.item(row, 1).setText(target)
    editor.table.selectRow(2)
    editor.remove_selected()
    editor.add_row()  # a blank row is ignored, not an error
    with qtbot.waitSignal(control.changed):
        editor.save()
    assert editor.result() == GlossaryEditor.DialogCode.Accepted
    assert load_glossary(user_glossary_path()) == ENTRIES == control.glossary
    assert control.active() == ENTRIES
    editor.enabled_check.setChecked(False)
    editor.save()
    assert control.active() is None and control.stored == [False]


def test_editor_refuses_bad_rows_and_says_which(qtbot, control):
    editor = GlossaryEditor(control)
    qtbot.addWidget(editor)
    editor.show()
    editor.add_row("Datei", "file")
    editor.add_row("datei", "document")
    editor.add_row("Reiter", "")
    editor.save()
    assert editor.isVisible() and editor.error_label.isVisible()
    text = editor.error_label.text()
    assert "row 2: “datei” is already on row 1" in text and "row 3: the English term is empty" in text
    assert not user_glossary_path().exists() and len(control.glossary) == 0


def test_import_and_export(qtbot, control, tmp_path):
    source = tmp_path / "mine.csv"
    source.write_text("Deutsch,Englisch\nDatei,file\nReiter,tab\n", encoding="utf-8")
    editor = GlossaryEditor(control)
    qtbot.addWidget(editor)
    assert editor.import_file(source)
    assert editor.glossary() == ENTRIES
    assert editor.export_file(tmp_path / "out.tsv")
    assert load_glossary(tmp_path / "out.tsv") == ENTRIES
    (tmp_path / "bad.tsv").write_text("nur eine Spalte\n", encoding="utf-8")
    assert not editor.import_file(tmp_path / "bad.tsv")
    assert "only one column" in editor.error_label.text()
    assert editor.glossary() == ENTRIES  # the table is kept


def test_window_translates_with_the_glossary_and_marks_its_terms(qtbot, tmp_path):
    """On the shipped default model: the tiny test model's vocabulary has no placeholders."""
    save_glossary(user_glossary_path(), ENTRIES)
    window = open_window(qtbot)
    try:
        assert window.menus.use_glossary_action.isChecked()
        result = translate(qtbot, window, "Die Datei ist im Reiter.")
        assert [(m.source, m.target) for s in result.glossary for m in s.terms] == [("Datei", "file"), ("Reiter", "tab")]
        pane = window.translate_page.target
        text = pane.edit.toPlainText()
        assert "tab" in text and "file" in text.lower()
        assert len(pane.glossary_terms) == 2
        start, _end, _tip = pane.glossary_terms[1]
        assert "Glossary: “Reiter” → “tab”" in pane.low_confidence_tip_at(start)
        window.resize(760, 420)
        window.translate_page.grab().save(str(tmp_path / "glossary-pane.png"))

        with qtbot.waitSignal(window.translationShown, timeout=TRANSLATE_TIMEOUT_MS) as blocker:
            window.menus.use_glossary_action.trigger()  # off: the translation on show is redone without it
        assert blocker.args[0].glossary == [] or all(not s.terms for s in blocker.args[0].glossary)
        assert pane.glossary_terms == [] and window.settings.get(Key.GLOSSARY) is False

        dialog = window.show_glossary()
        assert dialog.table.rowCount() == 2 and not dialog.enabled_check.isChecked()
        dialog.grab().save(str(tmp_path / "glossary-editor.png"))
        dialog.enabled_check.setChecked(True)
        with qtbot.waitSignal(window.translationShown, timeout=TRANSLATE_TIMEOUT_MS) as blocker:
            dialog.save()
        assert [m.target for s in blocker.args[0].glossary for m in s.terms] == ["file", "tab"]
        assert window.menus.use_glossary_action.isChecked()
    finally:
        close_window(window)


def test_a_model_without_placeholders_says_the_glossary_is_not_applied(qtbot, shipped_dir_with_tiny):
    save_glossary(user_glossary_path(), ENTRIES)
    window = open_window(qtbot)
    try:
        result = translate(qtbot, window, "Die Datei ist leer.")
        assert all(not s.terms for s in result.glossary)
        notice = window.translate_page.target.notice
        assert notice.isVisibleTo(window) and "glossary was not applied" in notice.text()
    finally:
        close_window(window)


def test_a_broken_user_glossary_is_reported_not_applied(qtbot, shipped_dir_with_tiny):
    user_glossary_path().parent.mkdir(parents=True, exist_ok=True)
    user_glossary_path().write_text("Datei\n", encoding="utf-8")
    window = open_window(qtbot, wait_model=False)
    try:
        assert window.glossary.active() is None
        assert window.status.last_error.startswith("Your glossary was not loaded") and "line 1" in window.status.last_error
    finally:
        close_window(window)
