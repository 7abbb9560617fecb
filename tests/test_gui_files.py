"""Files and the Translate tab (issue 29, items 6, 10 and 13). Dropped: a .txt on the German pane opens
its text there (not the link's "file:///…"), any other drop on the tab goes to Translate File, and a
file that cannot be read says so in the status bar. Translate File says how far it is ("sentence N
of M (P%)"), and the window's own text, sent meanwhile, is said to wait for the file, and why."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QProgressDialog

from gui_support import TRANSLATE_TIMEOUT_MS, close_window, long_german_text, open_window
from test_gui_long import slow_batches  # noqa: F401  (a fixture)
from translator_app.gui.file_drop import MAX_PANE_BYTES, DropAction, drop_action
from translator_app.gui.file_translation import LIVE_WAITING, progress_label

pytestmark = pytest.mark.filterwarnings("ignore:Function.*QDragEnterEvent:DeprecationWarning")  # Qt has no other constructor


@pytest.fixture()
def window(qtbot, shipped_dir_with_tiny):
    win = open_window(qtbot)
    win.translate_page.as_you_type_check.setChecked(False)
    yield win
    close_window(win)


def drop_files(widget, *paths: Path) -> None:
    """Drag ``paths`` onto ``widget`` and drop them there, as a file manager does."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    mime.setText("\n".join(QUrl.fromLocalFile(str(p)).toString() for p in paths))  # file managers add the links as text
    actions = Qt.DropAction.CopyAction
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    centre = widget.rect().center()
    enter = QDragEnterEvent(centre, actions, mime, buttons, modifiers)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(widget, QDropEvent(QPointF(centre), actions, mime, buttons, modifiers))


def test_a_text_file_dropped_on_the_german_pane_opens_its_text_and_translates_it(qtbot, window, tmp_path):
    talk = tmp_path / "talk.txt"
    talk.write_text("Ein Mann fährt Fahrrad.\n\nZwei Hunde spielen.", encoding="utf-8")
    window.translate_page.source_edit.setPlainText("Alter Text.")
    with qtbot.waitSignal(window.translationShown, timeout=TRANSLATE_TIMEOUT_MS) as blocker:
        drop_files(window.translate_page.source_edit.viewport(), talk)
    source = window.translate_page.source_edit.toPlainText()
    assert source == "Ein Mann fährt Fahrrad.\n\nZwei Hunde spielen." and "file:" not in source
    assert blocker.args[0].source == source
    window.translate_page.source_edit.undo()  # one edit: Undo brings the previous text back
    assert window.translate_page.source_edit.toPlainText() == "Alter Text."


def test_a_file_dropped_elsewhere_on_the_tab_opens_translate_file(qtbot, window, tmp_path, monkeypatch):
    talk = tmp_path / "talk.txt"
    talk.write_text("Ein Mann fährt Fahrrad.", encoding="utf-8")
    target = tmp_path / "talk.en.txt"
    asked: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: pytest.fail("the drop names the file")))
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        staticmethod(lambda _parent, _title, suggested, *_: asked.append(suggested) or (str(target), "")),
    )
    with qtbot.waitSignal(window.files.finished, timeout=TRANSLATE_TIMEOUT_MS):
        drop_files(window.translate_page.target_edit.viewport(), talk)  # the English pane: no drop of its own
    assert asked == [str(tmp_path / "talk.en.txt")] and target.read_text(encoding="utf-8").strip()
    assert window.translate_page.source_edit.toPlainText() == ""


def test_unreadable_and_unsupported_drops_say_why(qtbot, window, tmp_path):
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    drop_files(window.translate_page.source_edit.viewport(), picture)
    message = window.statusBar().currentMessage()
    assert "photo.png looks like a binary file" in message and "plain text (.txt)" in message
    assert window.translate_page.source_edit.toPlainText() == ""
    drop_files(window.translate_page.source_edit.viewport(), tmp_path / "a.txt", tmp_path / "b.txt")
    assert window.statusBar().currentMessage().endswith("Drop one file at a time (2 were dropped).")
    drop_files(window.translate_page, picture)  # elsewhere: refused before asking where to save
    assert "photo.png looks like a binary file" in window.statusBar().currentMessage()
    assert window.findChild(QProgressDialog, "fileProgressDialog") is None


def test_which_drops_load_and_which_translate_a_file(tmp_path):
    small, big, po = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.po"
    small.write_text("Hallo.", encoding="utf-8")
    big.write_text("Hallo. " * (MAX_PANE_BYTES // 7 + 1), encoding="utf-8")
    po.write_text("", encoding="utf-8")
    assert drop_action(small, on_input=True) is DropAction.LOAD_TEXT
    assert drop_action(big, on_input=True) is DropAction.TRANSLATE_FILE
    assert drop_action(po, on_input=True) is DropAction.TRANSLATE_FILE
    assert drop_action(small, on_input=False) is DropAction.TRANSLATE_FILE


def test_progress_label_counts_sentences_and_percent():
    assert progress_label("talk.txt", 0, None) == "Translating talk.txt…"
    assert progress_label("talk.txt", 128, 332).splitlines()[1] == "Sentence 128 of 332 (38%)"
    assert progress_label("talk.txt", 400, 332).endswith("(100%)")
    assert progress_label("talk.txt", 1, 2, live_waiting=True).endswith(LIVE_WAITING)


def test_the_progress_window_shows_sentences_and_percent_and_live_text_waits(qtbot, window, slow_batches, tmp_path):  # noqa: F811
    source = tmp_path / "talk.txt"
    source.write_text(long_german_text(20_000), encoding="utf-8")
    with qtbot.waitSignal(window.translationProgress, timeout=TRANSLATE_TIMEOUT_MS):
        window.files.start(source, tmp_path / "talk.en.txt")
    dialog = window.findChild(QProgressDialog, "fileProgressDialog")
    qtbot.waitUntil(lambda: "Sentence " in dialog.labelText(), timeout=TRANSLATE_TIMEOUT_MS)
    line = dialog.labelText().splitlines()[1]
    assert line.startswith("Sentence ") and " of " in line and line.endswith("%)")
    shown = []
    window.translationShown.connect(shown.append)
    window.translate_page.source_edit.setPlainText("Ein Hund läuft.")
    window.live.translate()
    assert LIVE_WAITING in dialog.labelText()
    assert window.statusBar().currentMessage().startswith(LIVE_WAITING) and "talk.txt" in window.statusBar().currentMessage()
    with qtbot.waitSignal(window.files.finished, timeout=TRANSLATE_TIMEOUT_MS):
        pass
    qtbot.waitUntil(lambda: bool(shown), timeout=TRANSLATE_TIMEOUT_MS)  # then the window's text is translated
    assert shown[0].source == "Ein Hund läuft."
