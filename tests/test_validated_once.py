"""Decoding options are validated once per request, where they are made (issue 30, item 3).

The command line and the window's worker validate the options they build; the core (the
``Translator`` and each engine's search) takes those as they are and validates only options that
were built without it. The count is of ``DecodeOptions.validated`` calls through a whole request.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QObject, Signal

from gui_support import MODEL_TIMEOUT_MS, TRANSLATE_TIMEOUT_MS
from translator_app.cli.main import main
from translator_app.core.types.options import DecodeOptions
from translator_app.gui.translation_messages import TranslationRequest
from translator_app.gui.worker import WorkerThread


@pytest.fixture()
def validations(monkeypatch) -> list[DecodeOptions]:
    """Each ``DecodeOptions.validated`` call from now on, by the options it was called on."""
    calls: list[DecodeOptions] = []
    original = DecodeOptions.validated

    def counting(self: DecodeOptions) -> DecodeOptions:
        calls.append(self)
        return original(self)

    monkeypatch.setattr(DecodeOptions, "validated", counting)
    return calls


def test_one_command_line_translation_validates_its_options_once(tiny_model_dir, tmp_path, capsys, validations):
    glossary = tmp_path / "terms.tsv"
    glossary.write_text("Hund\tdog\n", encoding="utf-8")
    # n-best above the beam (the beam widens: a new instance) and a glossary (added after the flags)
    args = ["translate", "--model", str(tiny_model_dir), "--beam", "2", "--n-best", "3", "--glossary", str(glossary)]
    assert main([*args, "--json", "Ein Hund schläft."]) == 0
    assert capsys.readouterr().out.strip()
    assert len(validations) == 1
    assert validations[0].n_best == 3 and validations[0].glossary is not None


class Relay(QObject):
    """The worker's signals re-emitted on the GUI thread, where pytest-qt waits."""

    loaded = Signal(object)
    translated = Signal(object)
    failed = Signal(int, str)


def test_one_window_request_validates_its_options_once(qtbot, tiny_model_dir, validations):
    owner = WorkerThread()
    worker, relay = owner.worker, Relay()
    worker.modelLoaded.connect(relay.loaded)
    worker.translated.connect(relay.translated)
    worker.failed.connect(relay.failed)
    owner.start()
    try:
        from PySide6.QtCore import Q_ARG, QMetaObject, Qt

        with qtbot.waitSignal(relay.loaded, timeout=MODEL_TIMEOUT_MS):
            QMetaObject.invokeMethod(
                worker,
                "loadModel",
                Qt.ConnectionType.QueuedConnection,
                Q_ARG(str, str(tiny_model_dir)),
                Q_ARG(str, "cpu"),
                Q_ARG(int, 0),
            )
        validations.clear()  # what counts is the request
        options = {"beam_width": 2, "max_length": 20, "length_penalty": 1.0, "n_best": 3, "no_repeat_ngram_size": 0}
        with qtbot.waitSignal(relay.translated, timeout=TRANSLATE_TIMEOUT_MS) as done:
            worker.submit(TranslationRequest(1, "Ein Hund schläft. Eine Katze läuft.", options))
        assert done.args[0].text
        assert len(validations) == 1
    finally:
        assert owner.shutdown()


def test_the_core_checks_what_no_boundary_validated():
    """``checked`` takes validated options as they are; built or changed since, they are validated."""
    valid = DecodeOptions(beam_width=2, n_best=3).validated()
    assert valid.checked() is valid and valid.beam_width == 3
    assert valid == DecodeOptions(beam_width=3, n_best=3)  # the mark is no field
    with pytest.raises(ValueError, match="beam width must be between 1 and 64"):
        replace(valid, beam_width=0).checked()  # replace makes new, unchecked options
    with pytest.raises(ValueError, match="max output length"):
        DecodeOptions(max_length=0).checked()
