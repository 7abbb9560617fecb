"""The TranslationWorker on its QThread, without the window: model loading, the single pending slot,
cancellation, and errors as signals."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QObject, Signal

from gui_support import MODEL_TIMEOUT_MS, TRANSLATE_TIMEOUT_MS
from translator_app.core.translator import Translator
from translator_app.gui.model_details import card_from_metadata
from translator_app.gui.translation_messages import FileRequest, TranslationRequest
from translator_app.gui.worker import WorkerThread

OPTIONS = {"beam_width": 2, "max_length": 20, "length_penalty": 1.0, "n_best": 1, "no_repeat_ngram_size": 0}


class Relay(QObject):
    """Re-emits the worker's signals on the GUI thread (pytest-qt must wait on GUI-thread signals)."""

    loaded = Signal(object)
    failed_load = Signal(str, str)
    translated = Signal(object)
    cancelled = Signal(int)
    failed = Signal(int, str)


@pytest.fixture()
def worker(qtbot, tiny_model_dir):
    owner = WorkerThread()
    relay = Relay()
    w = owner.worker
    w.modelLoaded.connect(relay.loaded)
    w.modelFailed.connect(relay.failed_load)
    w.translated.connect(relay.translated)
    w.cancelled.connect(relay.cancelled)
    w.failed.connect(relay.failed)
    owner.start()
    w.relay = relay
    w.owner = owner
    yield w
    assert owner.shutdown()


def invoke_load(worker, path, device="cpu") -> None:
    """Queue loadModel on the worker's thread, as the window's signal does."""
    from PySide6.QtCore import Q_ARG, QMetaObject, Qt

    QMetaObject.invokeMethod(
        worker, "loadModel", Qt.ConnectionType.QueuedConnection, Q_ARG(str, str(path)), Q_ARG(str, device), Q_ARG(int, 0)
    )


def load(qtbot, worker, path, device="cpu"):
    with qtbot.waitSignal(worker.relay.loaded, timeout=MODEL_TIMEOUT_MS) as blocker:
        invoke_load(worker, path, device)
    return blocker.args[0]


def test_loads_a_model_and_describes_it(qtbot, worker, tiny_model_dir):
    details = load(qtbot, worker, tiny_model_dir)
    assert details.name == "tiny-lstm" and details.architecture == "lstm"
    assert details.device.startswith("CPU") and details.path == tiny_model_dir
    assert "# tiny-lstm" in details.card and "tiny test model" in details.card
    assert details.default_options["beam_width"] >= 1


def hold_translations(monkeypatch) -> tuple[threading.Event, threading.Event]:
    """Make Translator.translate wait for ``gate``; ``entered`` is set once a translation started."""
    gate, entered = threading.Event(), threading.Event()
    original = Translator.translate

    def gated(self, texts, options=None, **kwargs):
        entered.set()
        assert gate.wait(30)
        return original(self, texts, options, **kwargs)

    monkeypatch.setattr(Translator, "translate", gated)
    return gate, entered


def test_only_the_newest_waiting_request_runs(qtbot, worker, tiny_model_dir, monkeypatch):
    load(qtbot, worker, tiny_model_dir)
    gate, entered = hold_translations(monkeypatch)
    results = []
    worker.relay.translated.connect(results.append)
    worker.submit(TranslationRequest(1, "Ein Hund.", OPTIONS))
    assert entered.wait(30) and worker.is_busy()
    for i, text in enumerate(["Eine Katze.", "Ein Vogel.", "Ein Pferd."], start=2):
        worker.submit(TranslationRequest(i, text, OPTIONS))
    gate.set()
    qtbot.waitUntil(lambda: len(results) == 2, timeout=TRANSLATE_TIMEOUT_MS)
    qtbot.wait(200)
    assert [(r.id, r.source) for r in results] == [(1, "Ein Hund."), (4, "Ein Pferd.")]
    assert results[1].options == OPTIONS and results[1].text
    assert not worker.is_busy()


def test_cancelling_a_waiting_request_reports_it(qtbot, worker, tiny_model_dir, monkeypatch):
    load(qtbot, worker, tiny_model_dir)
    gate, entered = hold_translations(monkeypatch)
    worker.submit(TranslationRequest(1, "Ein Hund.", OPTIONS))
    assert entered.wait(30)
    worker.submit(TranslationRequest(2, "Eine Katze.", OPTIONS))
    with qtbot.waitSignal(worker.relay.cancelled, timeout=5_000) as blocker:
        worker.cancel(2)
    assert blocker.args == [2]
    gate.set()
    with qtbot.waitSignal(worker.relay.translated, timeout=TRANSLATE_TIMEOUT_MS) as done:
        pass
    assert done.args[0].id == 1


def test_invalid_options_and_core_errors_become_failed_signals(qtbot, worker, tiny_model_dir, monkeypatch):
    load(qtbot, worker, tiny_model_dir)
    with qtbot.waitSignal(worker.relay.failed, timeout=TRANSLATE_TIMEOUT_MS) as blocker:
        worker.submit(TranslationRequest(7, "Ein Hund.", {**OPTIONS, "beam_width": 0}))
    assert blocker.args[0] == 7 and "beam width must be between 1 and 64" in blocker.args[1]

    def explode(self, *args, **kwargs):
        raise RuntimeError("simulated torch failure")

    monkeypatch.setattr(Translator, "translate", explode)
    with qtbot.waitSignal(worker.relay.failed, timeout=TRANSLATE_TIMEOUT_MS) as blocker:
        worker.submit(TranslationRequest(8, "Ein Hund.", OPTIONS))
    assert blocker.args == [8, "Translation failed (RuntimeError: simulated torch failure)"]
    monkeypatch.undo()
    with qtbot.waitSignal(worker.relay.translated, timeout=TRANSLATE_TIMEOUT_MS):
        worker.submit(TranslationRequest(9, "Ein Hund.", OPTIONS))  # the thread survived


def test_a_failed_load_keeps_the_previous_model(qtbot, worker, tiny_model_dir, tmp_path):
    load(qtbot, worker, tiny_model_dir)
    with qtbot.waitSignal(worker.relay.failed_load, timeout=MODEL_TIMEOUT_MS) as blocker:
        invoke_load(worker, tmp_path / "nowhere")
    assert "nowhere" in blocker.args[1]
    with qtbot.waitSignal(worker.relay.translated, timeout=TRANSLATE_TIMEOUT_MS) as done:
        worker.submit(TranslationRequest(1, "Ein Hund.", OPTIONS))
    assert done.args[0].text


def test_file_jobs_without_a_model_fail_clearly(qtbot, worker, tmp_path):
    with qtbot.waitSignal(worker.relay.failed, timeout=TRANSLATE_TIMEOUT_MS) as blocker:
        worker.submit_file(FileRequest(3, tmp_path / "a.txt", tmp_path / "b.txt", OPTIONS))
    assert blocker.args == [3, "No translation model is loaded."]


def test_card_from_metadata_lists_what_config_json_knows():
    from translator_app.core.types.modelformat import ModelMetadata

    meta = ModelMetadata(
        name="m",
        description="d",
        training={"epochs": 3, "config": {"lr": 0.1}},
        metrics={"test_sacrebleu": 35.2},
        default_decoding={"beam_width": 5},
    )
    card = card_from_metadata(meta, "lstm")
    for piece in ("# m", "d", "Architecture: lstm", "test_sacrebleu: 35.2", "epochs: 3", "lr=0.1", "beam_width: 5"):
        assert piece in card


def test_cancelling_live_requests_leaves_file_jobs_alone():
    """Esc cancels the running live request and the one waiting (issue 29, item 8), never a file job."""
    from pathlib import Path

    from translator_app.gui.translation_queue import TranslationQueue

    queue = TranslationQueue()
    queue.submit(TranslationRequest(1, "Ein langer Text.", OPTIONS))
    assert queue.take(model_loaded=True).job.id == 1  # running
    queue.submit(TranslationRequest(2, "Neue Optionen.", OPTIONS))  # waiting behind it
    queue.submit_file(FileRequest(3, Path("a.txt"), Path("a.en.txt"), OPTIONS))
    assert queue.cancel_live({1, 2}) == [2]
    assert queue.is_cancelled(1) and not queue.is_cancelled(3)
    queue.finish(1)
    assert queue.take(model_loaded=True).job.id == 3  # the file job still runs
    queue.finish(3)
    assert queue.take(model_loaded=True).job is None


def test_a_file_job_lets_the_live_request_run_between_its_batches_and_esc_cancels_only_that():
    """Issue 29, item 10: the live request waiting during a file job is taken while the file runs, both are
    running then, and cancelling the live ones (Esc) leaves the file job alone."""
    from pathlib import Path

    from translator_app.gui.translation_queue import TranslationQueue

    queue = TranslationQueue()
    queue.submit_file(FileRequest(1, Path("a.txt"), Path("a.en.txt"), OPTIONS))
    assert queue.take(model_loaded=True).job.id == 1
    assert queue.take_live() is None and not queue.live_waiting()  # nothing typed yet
    queue.submit(TranslationRequest(2, "Ein Hund.", OPTIONS))
    queue.submit(TranslationRequest(3, "Ein Hund läuft.", OPTIONS))  # replaces 2
    assert queue.live_waiting() and queue.take_live().id == 3
    assert queue.cancel_live({2, 3}) == [] and queue.is_cancelled(3) and not queue.is_cancelled(1)
    queue.finish(3)
    assert queue.is_busy() and not queue.is_cancelled(1)  # the file job goes on
    queue.stop()
    assert queue.take_live() is None and queue.is_cancelled(1)
