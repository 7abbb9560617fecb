"""Files and the Translate tab (issue 29, items 6, 10 and 13). Dropped: a .txt on the German pane opens
its text there (not the link's "file:///…"), any other drop on the tab goes to Translate File, and a
file that cannot be read says so in the status bar. Translate File says how far it is ("sentence N
of M (P%)"), and the window's own text, sent meanwhile, is translated between the file's batches (it
waited for the whole file); Esc cancels that text, not the file."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QProgressDialog

from gui_support import TRANSLATE_TIMEOUT_MS, close_window, long_german_text, open_window
from translator_app.gui.file_drop import MAX_PANE_BYTES, DropAction, drop_action
from translator_app.gui.file_translation import progress_label

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


@pytest.fixture()
def slow_file_batches(monkeypatch):
    """Real translation, a file job's batches 0.25 s each (a long document takes seconds even with the
    tiny model), and a live request's first batch starts 0.5 s late (time to press Esc while it runs)."""
    from translator_app.core.translator import Translator

    original = Translator.translate

    def throttled(self, texts, options=None, *, progress=None, cancelled=None, partial=None):
        live = partial is not None  # only the window's own text streams
        checks = []

        def slow_progress(done, total):
            if not live:
                time.sleep(0.25)
            if progress is not None:
                progress(done, total)

        def late_cancelled():
            if live and not checks:
                time.sleep(0.5)
            checks.append(1)
            return cancelled is not None and cancelled()

        return original(self, texts, options, progress=slow_progress, cancelled=late_cancelled, partial=partial)

    monkeypatch.setattr(Translator, "translate", throttled)


def start_long_file(qtbot, window, tmp_path) -> tuple[Path, Path]:
    source, target = tmp_path / "talk.txt", tmp_path / "talk.en.txt"
    source.write_text(long_german_text(40_000), encoding="utf-8")
    with qtbot.waitSignal(window.translationProgress, timeout=TRANSLATE_TIMEOUT_MS):
        window.files.start(source, target)
    return source, target


def test_the_progress_window_shows_sentences_and_percent_and_live_text_goes_between_batches(
    qtbot, window, slow_file_batches, tmp_path
):
    source, target = start_long_file(qtbot, window, tmp_path)
    dialog = window.findChild(QProgressDialog, "fileProgressDialog")
    qtbot.waitUntil(lambda: "Sentence " in dialog.labelText(), timeout=TRANSLATE_TIMEOUT_MS)
    line = dialog.labelText().splitlines()[1]
    assert line.startswith("Sentence ") and " of " in line and line.endswith("%)")
    shown = []
    window.translationShown.connect(shown.append)
    window.translate_page.source_edit.setPlainText("Ein Hund läuft.")
    window.live.translate()
    qtbot.waitUntil(lambda: bool(shown), timeout=TRANSLATE_TIMEOUT_MS)
    assert window.files.running  # translated while the file still is (it waited for the whole file)
    assert shown[0].source == "Ein Hund läuft." and shown[0].text.strip()
    assert window.translate_page.target_edit.toPlainText().strip() == shown[0].text.strip()
    qtbot.waitUntil(lambda: not window.files.running, timeout=TRANSLATE_TIMEOUT_MS)
    paragraphs = source.read_text(encoding="utf-8").count("\n\n")
    assert target.read_text(encoding="utf-8").count("\n\n") == paragraphs  # the file whole, after it


def test_esc_during_a_file_job_cancels_the_windows_text_not_the_file(qtbot, window, slow_file_batches, tmp_path):
    _, target = start_long_file(qtbot, window, tmp_path)
    shown = []
    window.translationShown.connect(shown.append)
    window.activateWindow()  # back to the window to type (the progress window came up active: its Esc is its Cancel)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.translate_page.source_edit.setPlainText("Ein Hund läuft.")
    with qtbot.waitSignal(window.live.cancelled, timeout=TRANSLATE_TIMEOUT_MS):
        window.live.translate()
        qtbot.waitUntil(lambda: window.live.running is not None, timeout=TRANSLATE_TIMEOUT_MS)  # between the file's batches
        assert window.files.running
        qtbot.keyClick(window.translate_page.source_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.files.running, timeout=TRANSLATE_TIMEOUT_MS)
    assert target.is_file() and not shown  # the file was written; the cancelled text never shown
