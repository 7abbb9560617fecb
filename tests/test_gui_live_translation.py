"""The live-translation controller on its own, with a stand-in worker: debounce, the newest text
winning, stale answers dropped and the busy indication (pytest-qt, no window, no model)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, Signal

from translator_app.gui.live_translation import Busy, LiveTranslation, Skipped
from translator_app.gui.translation_messages import TranslationResult


class FakeWorker(QObject):
    """The TranslationWorker's signals and calls, driven by the test instead of a model."""

    started = Signal(int, int)
    progress = Signal(int, int, int)
    partial = Signal(int, str)
    translated = Signal(object)
    cancelled = Signal(int)
    failed = Signal(int, str)

    def __init__(self):
        super().__init__()
        self.submitted, self.cancels = [], []

    def submit(self, request) -> None:
        self.submitted.append(request)

    def cancel_live(self, request_ids: set[int]) -> None:
        self.cancels.extend(sorted(request_ids))

    def finish(self, request, text: str = "translated") -> None:
        self.translated.emit(TranslationResult(request.id, request.text, text, [(text, -0.5)], 1, 0.01, request.options))


class Input:
    """What the controller reads: the input text and the decoding options."""

    def __init__(self):
        self.text = ""
        self.options = {"beam_width": 5, "n_best": 1}


@pytest.fixture()
def setup(qtbot):
    worker, source = FakeWorker(), Input()
    live = LiveTranslation(worker, lambda: source.text, lambda: dict(source.options))
    live.model_ready = True
    shown, busy = [], []
    live.shown.connect(shown.append)
    live.busyChanged.connect(busy.append)
    yield live, worker, source, shown, busy
    live.stop()


def type_text(live: LiveTranslation, source: Input, text: str) -> None:
    source.text = text
    live.text_changed()


def test_a_burst_of_typing_becomes_one_request_for_the_newest_text(qtbot, setup):
    live, worker, source, _shown, _busy = setup
    live.as_you_type = True
    for text in ("Ein", "Ein Hu", "Ein Hund."):
        type_text(live, source, text)
    assert worker.submitted == []  # nothing while typing
    with qtbot.waitSignal(live.requested, timeout=live.DEBOUNCE_MS * 5) as blocker:
        pass
    assert [r.text for r in worker.submitted] == ["Ein Hund."] and blocker.args[0] is worker.submitted[0]
    qtbot.wait(live.DEBOUNCE_MS + 100)
    assert len(worker.submitted) == 1  # and nothing after it


def test_without_as_you_type_typing_sends_nothing(qtbot, setup):
    live, worker, source, _shown, _busy = setup
    type_text(live, source, "Ein Hund.")
    qtbot.wait(live.DEBOUNCE_MS + 100)
    assert worker.submitted == []


def test_text_typed_before_the_model_is_in_waits_and_the_newest_is_translated(qtbot, setup):
    live, worker, source, _shown, _busy = setup
    live.model_ready = False
    skipped = []
    live.skipped.connect(skipped.append)
    source.text = "Eine Katze."
    assert live.translate() is None and skipped == [Skipped.NO_MODEL]
    source.text = "Ein Pferd."  # edited while the model loads
    assert live.model_loaded()
    assert [r.text for r in worker.submitted] == ["Ein Pferd."]


def test_an_explicit_request_on_a_blank_input_says_so_and_clears(qtbot, setup):
    live, worker, source, _shown, _busy = setup
    skipped, cleared = [], []
    live.skipped.connect(skipped.append)
    live.cleared.connect(lambda: cleared.append(True))
    source.text = "  \n"
    assert live.translate() is None
    assert skipped == [Skipped.NO_TEXT] and cleared == [True] and worker.submitted == []


def test_an_answer_to_a_request_older_than_a_clear_is_dropped(qtbot, setup):
    live, worker, source, shown, _busy = setup
    source.text = "Ein Hund."
    live.translate()
    old = worker.submitted[-1]
    worker.started.emit(old.id, len(old.text))
    type_text(live, source, "")  # the input is emptied while it runs
    assert worker.cancels == [old.id]
    worker.finish(old)  # it finished before the cancel reached it
    assert shown == [] and live.last_result is None and live.running is None
    source.text = "Eine Katze."
    live.translate()
    new = worker.submitted[-1]
    worker.started.emit(new.id, len(new.text))
    worker.finish(new)
    assert [r.source for r in shown] == ["Eine Katze."] and live.last_result.id == new.id


def test_a_live_request_repeating_the_translation_on_show_is_not_sent(qtbot, setup):
    live, worker, source, _shown, _busy = setup
    source.text = "Ein Hund."
    live.translate()
    worker.finish(worker.submitted[-1])
    assert live.translate(live=True) is None and len(worker.submitted) == 1
    assert live.translate(live=False) is not None  # the Translate button always translates
    source.options["beam_width"] = 1
    assert live.translate(live=True) is not None  # new options: translated again


def test_busy_shows_only_for_slow_translations_and_follows_progress(qtbot, setup):
    live, worker, source, _shown, busy = setup
    running = []
    live.runningChanged.connect(running.append)
    source.text = "Ein Hund."
    live.translate()
    request = worker.submitted[-1]
    worker.started.emit(request.id, len(request.text))
    assert running == [True] and busy == []  # a short text: no bar yet
    qtbot.waitUntil(lambda: busy == [Busy()], timeout=live.BUSY_DELAY_MS * 5)
    worker.progress.emit(request.id, 2, 5)
    assert busy[-1] == Busy(2, 5)
    worker.finish(request)
    assert busy[-1] is None and running == [True, False]


def test_a_long_text_shows_busy_at_once_and_a_cancel_takes_its_half_translation_down(qtbot, setup):
    live, worker, source, shown, busy = setup
    withdrawn, cancelled = [], []
    live.partialWithdrawn.connect(lambda: withdrawn.append(True))
    live.cancelled.connect(lambda: cancelled.append(True))
    source.text = "Ein Hund. " * 1000
    live.translate()
    request = worker.submitted[-1]
    worker.started.emit(request.id, live.LONG_TEXT_CHARS)
    assert busy == [Busy()]
    with qtbot.waitSignal(live.partial) as partial:
        worker.partial.emit(request.id, "A dog.")
    assert partial.args == ["A dog."]
    assert live.cancel() and worker.cancels == [request.id]
    worker.cancelled.emit(request.id)
    assert withdrawn == [True] and cancelled == [True] and shown == [] and busy[-1] is None
    assert not live.cancel()  # nothing runs any more


def test_a_file_job_on_the_same_worker_is_not_taken_for_a_live_request(qtbot, setup):
    live, worker, _source, _shown, busy = setup
    file_job = live.next_id()  # ids are shared with file jobs
    worker.started.emit(file_job, 100_000)
    worker.progress.emit(file_job, 1, 10)
    worker.cancelled.emit(file_job)
    assert live.running is None and busy == []


def test_a_cancel_cancels_everything_asked_for_before_it(qtbot, setup):
    """Issue 29, item 8: Esc on a long translation, then the retranslation an earlier option change had
    queued started by itself. The one waiting and one still in its debounce go with the running one."""
    live, worker, source, shown, _busy = setup
    live.as_you_type = True
    source.text = "Ein Hund. " * 1000
    live.translate()
    running = worker.submitted[-1]
    worker.started.emit(running.id, len(running.text))
    source.options["beam_width"] = 1  # an option change while it runs: queued behind it
    live.schedule()
    qtbot.waitUntil(lambda: len(worker.submitted) == 2, timeout=live.DEBOUNCE_MS * 5)
    waiting = worker.submitted[-1]
    source.options["beam_width"] = 2  # and another, still in its debounce
    live.schedule()
    assert live.cancel()
    assert worker.cancels == [running.id, waiting.id]
    qtbot.wait(live.DEBOUNCE_MS + 200)
    assert len(worker.submitted) == 2  # the debounced one never goes out
    worker.cancelled.emit(waiting.id)
    worker.cancelled.emit(running.id)
    assert live.running is None and shown == []
    source.options["beam_width"] = 3  # a change after the cancel translates as usual
    live.schedule()
    qtbot.waitUntil(lambda: len(worker.submitted) == 3, timeout=live.DEBOUNCE_MS * 5)
