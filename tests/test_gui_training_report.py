"""The Training tab tells the truth about a run (issue 29, items 5 and 8): a fine-tune whose validation
BLEU fell says so; a resumed run shows its own settings; Cancel while preparing says it was cancelled;
Start after Estimate trains the run that was estimated (and does not time it again); a file error in the
status bar goes once a good file is chosen.
"""

from __future__ import annotations

import pytest

from test_fine_tune_report import bleu_falls  # noqa: F401 (a fixture)
from test_gui_training import (  # noqa: F401 (tab and slow_steps are fixtures)
    FAST_TUNING,
    IDLE,
    RUN_MS,
    click,
    load,
    model_with_replay,
    offer_models,
    on_first,
    setup_run,
    slow_steps,
    tab,
    write_aligned,
)


def test_a_fine_tune_whose_bleu_fell_says_so_in_the_log_and_the_result(qtbot, tab, tmp_path, bleu_falls):  # noqa: F811
    setup_run(qtbot, tab, tmp_path, "fell", epochs=1)
    with qtbot.waitSignal(tab.runFinished, timeout=RUN_MS) as finished:
        click(qtbot, tab.start_button)
    outcome = finished.args[0]
    assert outcome.has_model and outcome.fall_warning.startswith("Validation BLEU fell below the base model's")
    qtbot.waitUntil(lambda: tab.state == IDLE, timeout=RUN_MS)
    log = tab.log.toPlainText()
    assert "(best)" not in log and "0.62 below the base model's 14.58" in log  # the epoch's line
    assert f"⚠ {outcome.fall_warning}" in log
    saved = [line.split("Checkpoint saved at step ")[1] for line in log.splitlines() if "Checkpoint saved at step" in line]
    assert saved and len(saved) == len(set(saved))  # the epoch's steps, kept before and after validating: said once
    assert tab.gain_label.isVisible() and "⚠ Validation BLEU fell below the base model's: 14.58" in tab.gain_label.text()


def test_a_resumed_run_shows_its_own_settings_not_the_forms(qtbot, tab, tmp_path, slow_steps):  # noqa: F811
    slow_steps[0] = 0.3
    setup_run(qtbot, tab, tmp_path, "own-settings", epochs=3)
    tab.holdout_spin.setValue(10)
    on_first(tab, "step", lambda: click(qtbot, tab.cancel_button))
    with qtbot.waitSignal(tab.runsListed, timeout=RUN_MS, check_params_cb=lambda runs: bool(runs)):
        click(qtbot, tab.start_button)
    assert tab.runs[0].spec is not None and tab.runs[0].spec.name == "own-settings"
    assert tab.runs[0].spec.train.learning_rate == FAST_TUNING["learning_rate"]  # the overrides are the run's own

    tab.name_edit.setText("something-else")  # the form moves on meanwhile
    tab.epochs_spin.setValue(7)
    tab.lr_spin.setValue(0.0001)
    tab.batch_spin.setValue(40)
    tab.holdout_spin.setValue(25)
    load(qtbot, tab, write_aligned(tmp_path, [(f"Ich sehe {n} Bäume.", f"I see {n} trees.") for n in range(2, 40)], "other"))
    slow_steps[0] = 0.0
    with qtbot.waitSignal(tab.runFinished, timeout=RUN_MS):
        click(qtbot, tab.resume_button)
        assert tab.name_edit.text() == "own-settings"  # at once, while it is restored
        assert tab.epochs_spin.value() == 3 and tab.lr_spin.value() == pytest.approx(FAST_TUNING["learning_rate"])
        assert tab.batch_spin.value() == 16 and tab.holdout_spin.value() == 10
        assert "corpus.de" in tab.file_edit.text()
    qtbot.waitUntil(lambda: tab.state == IDLE, timeout=RUN_MS)
    assert tab.form.data.preview is not None and "corpus.de" in tab.form.data.preview.paths[0]


def test_cancel_while_preparing_says_so_instead_of_preparing(qtbot, tab, tmp_path):  # noqa: F811
    setup_run(qtbot, tab, tmp_path, "never-ran", epochs=1)
    finished = []
    tab.runFinished.connect(finished.append)
    click(qtbot, tab.start_button)
    assert tab.progress.format() == "Preparing…"
    click(qtbot, tab.cancel_button)
    qtbot.waitUntil(lambda: tab.state == IDLE, timeout=RUN_MS)
    assert not finished  # it never trained
    assert tab.progress.format() == "Cancelled before training started"
    assert "Cancelled before training started." in tab.log.toPlainText()


def test_start_after_estimate_trains_the_estimated_run_without_timing_it_again(
    qtbot,
    tab,  # noqa: F811
    tmp_path,
    shipped_dir_with_tiny,
):
    from translator_app.core.types.run_spec import DEFAULT_REPLAY_RATIO

    mixed = model_with_replay(shipped_dir_with_tiny)
    offer_models(tab, shipped_dir_with_tiny, mixed)
    tab.set_models(list(reversed([e for e in tab.form.model._models])))  # the base with a sample comes first
    tab.set_current_model(mixed)
    assert tab.mix_check.isChecked()  # at once, as the list arrives (it was only after the first job)
    setup_run(qtbot, tab, tmp_path, "estimated-mixed", epochs=1)
    estimated = tab.build_spec()
    assert estimated.replay_ratio == DEFAULT_REPLAY_RATIO
    with qtbot.waitSignal(tab.estimateShown, timeout=RUN_MS):
        click(qtbot, tab.estimate_button)
    qtbot.waitUntil(lambda: tab.state == IDLE, timeout=RUN_MS)
    assert tab.build_spec() == estimated
    with qtbot.waitSignal(tab.runFinished, timeout=RUN_MS):
        click(qtbot, tab.start_button)
    log = tab.log.toPlainText()
    assert log.count("Timing a few training steps") == 1 and log.count("Reading the data and preparing") == 1


def test_a_file_error_in_the_status_bar_goes_once_a_good_file_is_chosen(qtbot, shipped_dir_with_tiny, tmp_path):
    from gui_support import close_window, open_window

    window = open_window(qtbot)
    tab = window.training_tab  # noqa: F811
    window.tabs.setCurrentWidget(tab)
    de, en = write_aligned(tmp_path, [(f"Ich habe {n} Katzen.", f"I have {n} cats.") for n in range(2, 30)], "bad")
    en.write_text(en.read_text(encoding="utf-8") + "An extra line.\n", encoding="utf-8")  # one line more: mismatched
    with qtbot.waitSignal(window.errorReported, timeout=RUN_MS):
        tab.set_data_files([de, en])
    bar = window.statusBar()
    assert bar.currentMessage().startswith("⚠")
    assert load(qtbot, tab, write_aligned(tmp_path, [(f"Ich sehe {n} Bäume.", f"I see {n} trees.") for n in range(2, 30)]))
    assert not bar.currentMessage().startswith("⚠"), bar.currentMessage()  # it stayed, for 30 s
    close_window(window)
