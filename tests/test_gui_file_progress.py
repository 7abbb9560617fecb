"""File → Translate File says how far it is (issue 29, item 10): "sentence N of M (P%)" in its progress
window, and the window's own text, sent meanwhile, is said to wait for the file, and why, then translated."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QProgressDialog

from gui_support import TRANSLATE_TIMEOUT_MS, close_window, long_german_text, open_window
from test_gui_long import slow_batches  # noqa: F401  (a fixture)
from translator_app.gui.file_translation import LIVE_WAITING, progress_label


@pytest.fixture()
def window(qtbot, shipped_dir_with_tiny):
    win = open_window(qtbot)
    win.translate_page.as_you_type_check.setChecked(False)
    yield win
    close_window(win)


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
