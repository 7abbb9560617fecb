"""The model selector with a stand-in worker: a failed load falls back to the next candidate, and
says so in the status bar until a chosen model loads (pytest-qt, no window, no model)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QStatusBar, QWidget

from translator_app.core.catalog import ModelInfo
from translator_app.gui.model_details import ModelDetails
from translator_app.gui.model_selector import LoadFailure, ModelSelector
from translator_app.gui.settings import Key, Settings
from translator_app.gui.status_reporter import StatusReporter


class FakeWorker(QObject):
    modelsListed = Signal(list)
    modelLoading = Signal(str)
    modelLoaded = Signal(object)
    modelFailed = Signal(str, str)

    def __init__(self):
        super().__init__()
        self.loads: list[str] = []

    def listModels(self) -> None:
        pass

    def loadModel(self, name_or_path: str, _device: str, _threads: int) -> None:
        self.loads.append(name_or_path)


def entry(name: str) -> ModelInfo:
    return ModelInfo(name=name, path=Path("/models") / name, shipped=True)


def details(name: str) -> ModelDetails:
    return ModelDetails(name=name, path=Path("/models") / name, architecture="lstm", device="CPU")


@pytest.fixture()
def setup(qtbot):
    window, bar = QWidget(), QStatusBar()
    qtbot.addWidget(window)
    qtbot.addWidget(bar)
    settings = Settings()
    settings.update({Key.MODEL: "first"})
    status = StatusReporter(bar)
    selector, worker = ModelSelector(settings, status, window), FakeWorker()
    selector.connect_worker(worker)
    selector.start()
    worker.modelsListed.emit([entry("first"), entry("second"), entry("third")])
    failures, loaded = [], []
    selector.failed.connect(failures.append)
    selector.loaded.connect(lambda d, name: loaded.append(name))
    return selector, worker, status, failures, loaded


def test_a_model_that_will_not_load_at_start_up_falls_back_to_the_next_candidate(setup):
    selector, worker, status, failures, loaded = setup
    assert worker.loads == ["first"]
    worker.modelFailed.emit("first", "the weights are damaged")
    assert failures == [LoadFailure.FALLBACK] and worker.loads == ["first", "/models/second"]
    assert "Trying “second” instead" in status.bar.currentMessage()
    worker.modelLoaded.emit(details("second"))
    assert loaded == ["second"] and selector.current.name == "second"
    assert "Trying “second” instead" in status.bar.currentMessage()  # it says why another model is in use
    selector.request(selector.entries[0])  # the user picks one that loads
    worker.modelLoaded.emit(details("first"))
    assert status.bar.currentMessage() == "Model first ready."
    assert selector.combo.currentText() == "first"


def test_when_every_candidate_fails_translating_is_off(setup):
    selector, worker, status, failures, _loaded = setup
    for name in ("first", "/models/second", "/models/third"):
        worker.modelFailed.emit(name, "broken")
    assert worker.loads == ["first", "/models/second", "/models/third"]
    assert failures == [LoadFailure.FALLBACK, LoadFailure.FALLBACK, LoadFailure.NO_MODEL]
    assert selector.current is None and status.model_status.text() == "No model"
    assert status.bar.currentMessage() == "⚠ Could not load model “third”: broken"


def test_a_failed_switch_keeps_the_model_in_use(setup):
    selector, worker, status, failures, _loaded = setup
    worker.modelLoaded.emit(details("first"))
    selector.request(selector.entries[2])
    worker.modelFailed.emit("/models/third", "out of memory")
    assert failures == [LoadFailure.KEPT] and selector.current.name == "first"
    assert "Still using “first”" in status.bar.currentMessage() and selector.combo.currentText() == "first"
