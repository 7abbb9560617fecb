"""Long work stays off the GUI thread: a 100,000-character paste (progress, cancel, completion),
the event loop keeps turning meanwhile, and File → Translate File with progress, cancel and an
atomic write."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import QProgressBar, QProgressDialog, QPushButton, QSpinBox

from gui_support import TRANSLATE_TIMEOUT_MS, close_window, long_german_text, open_window, translate


@pytest.fixture()
def window(qtbot, shipped_dir_with_tiny):
    win = open_window(qtbot)
    win.translate_page.as_you_type_check.setChecked(False)
    yield win
    close_window(win)


@pytest.fixture()
def slow_batches(monkeypatch):
    """Real translation, but at least 50 ms per batch, so a cancel always lands mid-way even on a
    fast machine where the tiny model would finish 100,000 characters in a blink."""
    from translator_app.core.translator import Translator

    original = Translator.translate

    def throttled(self, texts, options=None, *, progress=None, cancelled=None, partial=None):
        def slow_progress(done, total):
            time.sleep(0.05)
            if progress is not None:
                progress(done, total)

        return original(self, texts, options, progress=slow_progress, cancelled=cancelled, partial=partial)

    monkeypatch.setattr(Translator, "translate", throttled)


class TickCounter:
    """A 10 ms timer on the GUI thread: if the event loop stalls, the gaps between ticks grow."""

    def __init__(self):
        self.clock = QElapsedTimer()
        self.clock.start()
        self.ticks: list[int] = []
        self.timer = QTimer(interval=10)
        self.timer.timeout.connect(lambda: self.ticks.append(self.clock.elapsed()))
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def max_gap_ms(self) -> int:
        return max((b - a for a, b in zip(self.ticks, self.ticks[1:])), default=10**9)


def test_a_100k_paste_shows_progress_keeps_the_window_responsive_and_cancels(qtbot, window, slow_batches):
    text = long_german_text(100_000)
    assert len(text) == 100_000
    progress = window.findChild(QProgressBar, "translationProgress")
    ticks = TickCounter()
    start = time.perf_counter()
    window.translate_page.source_edit.setPlainText(text)  # the paste itself must not block
    assert time.perf_counter() - start < 2.0
    assert window.translate_page.source.counts.text().startswith("100,000 characters")
    with qtbot.waitSignal(window.translationProgress, timeout=TRANSLATE_TIMEOUT_MS) as blocker:
        request_id = window.live.translate()
        qtbot.waitUntil(lambda: progress.isVisible() and window.status.cancel_button.isVisible(), timeout=10_000)
    _, done, total = blocker.args
    assert 0 < done < total and total > 1000  # chunked: many batches, one done
    qtbot.waitUntil(lambda: progress.maximum() == total and progress.value() >= done)
    qtbot.wait(500)  # let the worker run a while longer
    assert len(ticks.ticks) > 20 and ticks.max_gap_ms() < 1000, ticks.max_gap_ms()
    with qtbot.waitSignal(window.translationCancelled, timeout=TRANSLATE_TIMEOUT_MS) as cancelled:
        qtbot.mouseClick(window.status.cancel_button, Qt.MouseButton.LeftButton)
    ticks.stop()
    assert cancelled.args == [request_id]
    assert not progress.isVisible() and not window.status.cancel_button.isVisible()
    assert window.translate_page.target_edit.toPlainText() == ""  # nothing half-done is shown
    assert window.statusBar().currentMessage() == "Translation cancelled."


def test_a_100k_paste_is_translated_completely_in_chunks(qtbot, window):
    window.findChild(QSpinBox, "beamWidthSpin").setValue(1)  # greedy: keep the test short
    window.findChild(QSpinBox, "maxLengthSpin").setValue(30)
    text = long_german_text(100_000)
    steps = []
    window.translationProgress.connect(lambda _id, done, total: steps.append((done, total)))
    window.translate_page.source_edit.setPlainText(text)
    with qtbot.waitSignal(window.translationShown, timeout=600_000) as blocker:
        window.live.translate()
    result = blocker.args[0]
    assert len(steps) > 10 and steps[-1][0] == steps[-1][1]  # progress reached the end
    assert result.text.count("\n\n") == text.count("\n\n")  # paragraphs kept
    assert result.sentences > 1000 and not window.status.progress_bar.isVisible()


def test_escape_cancels_a_long_translation(qtbot, window, slow_batches):
    window.translate_page.source_edit.setPlainText(long_german_text(30_000))
    with qtbot.waitSignal(window.translationProgress, timeout=TRANSLATE_TIMEOUT_MS):
        window.live.translate()
    window.translate_page.source_edit.setFocus()
    with qtbot.waitSignal(window.translationCancelled, timeout=TRANSLATE_TIMEOUT_MS):
        qtbot.keyClick(window.translate_page.source_edit, Qt.Key.Key_Escape)


def test_escape_also_cancels_the_retranslation_an_option_change_queued(qtbot, window, slow_batches):
    """Issue 29, item 8: after "Translation cancelled." nothing may start by itself."""
    window.translate_page.as_you_type_check.setChecked(True)
    requested, shown = [], []
    window.translationRequested.connect(requested.append)
    window.translationShown.connect(shown.append)
    with qtbot.waitSignal(window.translationProgress, timeout=TRANSLATE_TIMEOUT_MS):
        window.translate_page.source_edit.setPlainText(long_german_text(30_000))
    beam = window.findChild(QSpinBox, "beamWidthSpin")
    beam.setValue(beam.value() + 1)  # a retranslation, queued behind the running one
    qtbot.waitUntil(lambda: len(requested) == 2, timeout=TRANSLATE_TIMEOUT_MS)
    window.translate_page.source_edit.setFocus()
    with qtbot.waitSignal(window.translationCancelled, timeout=TRANSLATE_TIMEOUT_MS):
        qtbot.keyClick(window.translate_page.source_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.worker.is_busy(), timeout=TRANSLATE_TIMEOUT_MS)
    qtbot.wait(1500)
    assert len(requested) == 2 and shown == [] and not window.worker.is_busy()
    assert window.statusBar().currentMessage() == "Translation cancelled."
    assert not window.status.progress_bar.isVisible()


def test_a_cancel_after_edits_during_a_long_translation_drops_them_and_translate_takes_the_newest(qtbot, window, slow_batches):
    window.translate_page.source_edit.setPlainText(long_german_text(20_000))
    shown = []
    window.translationShown.connect(shown.append)
    with qtbot.waitSignal(window.translationProgress, timeout=TRANSLATE_TIMEOUT_MS):
        window.live.translate()
    window.translate_page.source_edit.setPlainText("Ein Hund.")
    window.live.translate()
    window.translate_page.source_edit.setPlainText("Eine Katze schläft.")
    window.live.translate()
    window.cancel_translation()  # stops the long one and what was queued behind it (issue 29, item 8)
    qtbot.waitUntil(lambda: not window.worker.is_busy(), timeout=TRANSLATE_TIMEOUT_MS)
    assert shown == []
    window.live.translate()
    qtbot.waitUntil(lambda: bool(shown) and shown[-1].source == "Eine Katze schläft.", timeout=TRANSLATE_TIMEOUT_MS)
    assert [r.source for r in shown] == ["Eine Katze schläft."]


def write_german(path, paragraphs: int = 3) -> str:
    text = "\n\n".join(
        ["Ein Mann fährt Fahrrad. Eine Frau liest.", "Zwei Hunde spielen im Schnee.", "Ein Kind isst ein Eis. Es ist sehr warm."][
            :paragraphs
        ]
    )
    path.write_text(text, encoding="utf-8")
    return text


def test_translate_a_text_file(qtbot, window, tmp_path):
    source = tmp_path / "brief.de.txt"
    text = write_german(source)
    target = tmp_path / "out" / "brief.en.txt"
    target.parent.mkdir()
    with qtbot.waitSignal(window.files.finished, timeout=TRANSLATE_TIMEOUT_MS) as blocker:
        window.files.start(source, target)
        progress = window.findChild(QProgressDialog, "fileProgressDialog")
        assert progress.isVisible() and progress.windowModality() == Qt.WindowModality.NonModal  # the window stays usable
    result = blocker.args[0]
    english = target.read_text(encoding="utf-8")
    assert english.count("\n\n") == text.count("\n\n") and english.strip()
    assert result.characters == len(text) and result.encoding == "UTF-8"
    assert sorted(p.name for p in target.parent.iterdir()) == ["brief.en.txt"]  # no temp file left
    assert window.findChild(QProgressDialog, "fileProgressDialog") is None or not window.files.dialog
    assert "brief.de.txt" in window.statusBar().currentMessage()


def test_cancelling_a_file_translation_writes_nothing(qtbot, window, slow_batches, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    source = folder / "long.txt"
    source.write_text(long_german_text(60_000), encoding="utf-8")
    target = folder / "long.en.txt"
    with qtbot.waitSignal(window.translationProgress, timeout=TRANSLATE_TIMEOUT_MS):
        window.files.start(source, target)
    dialog = window.files.dialog
    qtbot.waitUntil(lambda: dialog.maximum() > 0 and dialog.value() > 0)
    with qtbot.waitSignal(window.files.ended, timeout=TRANSLATE_TIMEOUT_MS):  # after the cancel
        qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
    assert not target.exists() and sorted(p.name for p in folder.iterdir()) == ["long.txt"]
    assert window.files.dialog is None and not window.files.running
    assert window.statusBar().currentMessage() == "File translation cancelled; nothing was written."


def test_file_errors_go_to_the_status_bar(qtbot, window, tmp_path):
    binary = tmp_path / "picture.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with qtbot.waitSignal(window.errorReported, timeout=TRANSLATE_TIMEOUT_MS) as blocker:
        window.files.start(binary, tmp_path / "picture.en.txt")
    assert "looks like a binary file" in blocker.args[0]
    assert blocker.args[0] in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.files.dialog is None and not window.files.running)
    with pytest.raises(ValueError, match="cannot overwrite"):
        window.files.start(binary, binary)


def test_suggested_output_name():
    from pathlib import Path

    from translator_app.gui.file_translation import suggested_target

    assert suggested_target(Path("/x/brief.txt")) == Path("/x/brief.en.txt")
    assert suggested_target(Path("/x/brief.de.txt")) == Path("/x/brief.en.txt")


def test_a_file_that_cannot_be_translated_is_refused_before_asking_where_to_save(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    asked = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(binary), "")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: asked.append(a) or ("", "")))
    window.choose_file_to_translate()
    assert not asked and "looks like a binary file" in window.statusBar().currentMessage()
    assert window.files.dialog is None


def test_a_long_text_shows_its_translation_in_order_as_it_is_produced(qtbot, window, monkeypatch):
    import translator_app.core.translator as core

    monkeypatch.setattr(core, "STREAM_SENTENCES", 3)
    text = " ".join(
        [
            "Ein Mann fährt Fahrrad.",
            "Eine Frau liest.",
            "Zwei Hunde spielen im Schnee.",
            "Ein Kind isst ein Eis.",
            "Es ist sehr warm.",
            "Ein Hund rennt.",
        ]
        * 2
    )
    shown = []
    window.worker.partial.connect(lambda _id, so_far: shown.append((so_far, window.translate_page.target_edit.toPlainText())))
    result = translate(qtbot, window, text)
    assert len(shown) == 3  # 12 sentences in windows of 3: three partial views
    assert all(result.text.startswith(so_far) for so_far, _ in shown)  # in order, final text's prefix
    assert [len(so_far) for so_far, _ in shown] == sorted(len(so_far) for so_far, _ in shown)
    qtbot.waitUntil(lambda: window.translate_page.target_edit.toPlainText() == result.text)


@pytest.fixture()
def attention_window(qtbot, tmp_path, tiny_attention_model_dir, monkeypatch):
    """The tiny attention model as the default model: the attention view is on show."""
    import shutil

    from translator_app.core.paths import DEFAULT_MODEL

    shutil.copytree(tiny_attention_model_dir, tmp_path / "shipped" / DEFAULT_MODEL)
    monkeypatch.setenv("TRANSLATOR_APP_SHIPPED_MODELS", str(tmp_path / "shipped"))
    win = open_window(qtbot)
    win.translate_page.as_you_type_check.setChecked(False)
    yield win
    close_window(win)


def test_a_long_paste_shows_its_own_finished_sentences_half_way_and_no_old_attention(qtbot, attention_window, slow_batches):
    """Issue 29, item 2: half way through a 32,000-character paste the output showed the previous
    text's translation and attention map; now the finished sentences of this text, in order."""
    from PySide6.QtWidgets import QApplication

    window, page = attention_window, attention_window.translate_page
    before = translate(qtbot, window, "Ein Mann fährt Fahrrad. Zwei Hunde spielen im Schnee.")
    assert page.attention_panel.document is not None and page.target_edit.toPlainText() == before.text
    paragraph = " ".join(  # sentences as long as the (32,000 characters, 332 sentences)
        [
            "Der Stadtrat hat am Dienstagabend beschlossen, die Bibliothek im Zentrum bis zum Frühjahr zu renovieren.",
            "Viele Bürgerinnen und Bürger hatten sich in den vergangenen Monaten über die langen Wartezeiten beschwert.",
            "Die Kosten von rund zwei Millionen Euro sollen zum größten Teil aus Mitteln des Landes getragen werden.",
            "Während der Bauarbeiten können Bücher in einer provisorischen Ausleihstelle am Bahnhof abgeholt werden.",
        ]
    )
    text = "\n\n".join([paragraph] * (32_000 // (len(paragraph) + 2)))
    half: list[tuple[str, object, str]] = []

    def at_half(request_id: int, done: int, total: int) -> None:
        if not half and done * 2 >= total:
            half.append((page.target_edit.toPlainText(), page.attention_panel.document, page.target.info.text()))

    window.translationProgress.connect(at_half)
    QApplication.clipboard().setText(text)
    page.source_edit.setFocus()
    qtbot.keyClick(page.source_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(page.source_edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(window.translationShown, timeout=600_000) as blocker:
        window.live.translate()
    result = blocker.args[0]
    shown, attention, info = half[0]
    assert 300 < result.sentences < 400
    assert shown and shown != before.text and result.text.startswith(shown)  # this text's first sentences
    assert shown.count("\n\n") >= 5  # many paragraphs' worth, not a handful
    assert attention is None and info == "Translating the rest…"
    assert page.attention_panel.document is not None  # the whole text's attention, once done
