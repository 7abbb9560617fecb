"""The status bar's one error policy, on a bare status bar (pytest-qt, no window)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QStatusBar

from translator_app.gui.live_translation import Busy
from translator_app.gui.status_reporter import ErrorSource, StatusReporter


@pytest.fixture()
def status(qtbot):
    bar = QStatusBar()
    qtbot.addWidget(bar)
    return StatusReporter(bar)


def test_an_error_goes_when_its_condition_is_gone_and_only_then(status):
    errors = []
    status.errorReported.connect(errors.append)
    status.report_error("the translation failed", ErrorSource.TRANSLATION)
    assert errors == ["the translation failed"] and status.last_error == "the translation failed"
    assert status.bar.currentMessage() == "⚠ the translation failed" and status.bar.toolTip() == "⚠ the translation failed"
    status.resolve_errors(ErrorSource.MODEL, ErrorSource.TRAINING)  # something else works: it stays
    assert status.bar.currentMessage() == "⚠ the translation failed"
    status.resolve_errors(ErrorSource.TRANSLATION)  # translating works again
    assert status.bar.currentMessage() == "" and status.bar.toolTip() == ""


def test_background_news_never_hides_an_error_but_the_user_s_own_actions_do(status):
    status.report_error("could not load model x", ErrorSource.MODEL)
    status.show_info("Model y ready.", 4000, background=True)
    assert status.bar.currentMessage() == "⚠ could not load model x"
    status.show_info("Translation copied to the clipboard.", 3000)
    assert status.bar.currentMessage() == "Translation copied to the clipboard." and status.bar.toolTip() == ""
    status.resolve_errors(ErrorSource.MODEL)  # already gone: nothing to clear
    assert status.bar.currentMessage() == "Translation copied to the clipboard."


def test_an_error_from_no_source_stays_and_a_notice_with_one_goes_with_it(status):
    status.report_error("the settings could not be saved")
    status.resolve_errors(ErrorSource.MODEL, ErrorSource.TRANSLATION, ErrorSource.TRAINING)
    assert status.bar.currentMessage() == "⚠ the settings could not be saved"  # it goes only with time
    status.report_notice("An unfinished run can be resumed.", ErrorSource.TRAINING)
    assert status.bar.currentMessage() == "An unfinished run can be resumed."
    status.resolve_errors(ErrorSource.TRAINING)
    assert status.bar.currentMessage() == ""


def test_the_waiting_messages_go_when_a_translation_arrives(status):
    status.show_info("Cancelling…", 0)
    status.clear_waiting_message()
    assert status.bar.currentMessage() == ""
    status.report_error("the translation failed", ErrorSource.TRANSLATION)
    status.clear_waiting_message()
    assert status.bar.currentMessage() == "⚠ the translation failed"


def test_busy_shows_a_busy_bar_then_progress_and_hides_with_its_cancel_button(status):
    bar, cancel = status.progress_bar, status.cancel_button
    status.show_busy(Busy())
    assert not bar.isHidden() and not cancel.isHidden() and (bar.minimum(), bar.maximum()) == (0, 0)
    assert bar.format() == "Translating…"
    status.show_busy(Busy(3, 1200))
    assert (bar.maximum(), bar.value(), bar.format()) == (1200, 3, "%p% of 1,200 sentences")
    status.show_busy(None)
    assert bar.isHidden() and cancel.isHidden()
