"""The Training tab on the tiny model: every file kind in the preview, bad files, real tiny
fine-tuning runs plotted live and saved as loadable models, pause/resume/cancel, errors, translating
while training, and closing mid-run then resuming at the next start (pytest-qt, offscreen).

Runs are kept tiny (60 Multi30k validation pairs, batch 16, fp32, 1-3 epochs); where a test must
catch a run mid-way, ``slow_steps`` makes each step sleep a little (the sleep releases the GIL, so
the GUI and the translation thread keep running as they would beside a real, slower run).
"""

from __future__ import annotations

import csv
import errno
import hashlib
import time
from dataclasses import asdict
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTabWidget,
)

from conftest import tuning_pairs
from gui_support import MODEL_TIMEOUT_MS, close_window, install_user_model, open_window, translate
from translator_app.core.paths import DEFAULT_MODEL, user_models_dir, user_runs_dir
from translator_app.core.catalog import ModelInfo
from translator_app.gui.training import RunState, TrainingTab

# fp32, and a learning rate at which a few steps of the tiny model visibly help (a fine-tune that
# improves on its base model in neither BLEU nor loss is not saved)
FAST_TUNING = {"precision": "fp32", "learning_rate": 3e-3}
RUN_MS = 120_000  # the machine is shared with a real training run: be patient
IDLE, PAUSED, TRAINING = RunState.IDLE, RunState.PAUSED, RunState.TRAINING


# ---- data files ---------------------------------------------------------------------------------


def pairs(count: int = 60) -> list[tuple[str, str]]:
    """Pairs on which the runs here (a few steps of fine-tuning) surely keep a model (see tuning_pairs)."""
    return tuning_pairs(count)


def write_aligned(folder: Path, data, stem: str = "corpus") -> tuple[Path, Path]:
    de, en = folder / f"{stem}.de", folder / f"{stem}.en"
    de.write_text("\n".join(p[0] for p in data) + "\n", encoding="utf-8")
    en.write_text("\n".join(p[1] for p in data) + "\n", encoding="utf-8")
    return de, en


def write_tsv(path: Path, data) -> Path:
    path.write_text("de\ten\n" + "".join(f"{g}\t{e}\n" for g, e in data), encoding="utf-8")
    return path


def write_csv(path: Path, data) -> Path:
    """English first, with commas inside the sentences (quoted)."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["english", "german"])
        writer.writerows([(e, g) for g, e in data])
    return path


def write_tmx(path: Path, data) -> Path:
    units = "".join(
        f'<tu><tuv xml:lang="de-DE"><seg>{escape(g)}</seg></tuv><tuv xml:lang="en-GB"><seg>{escape(e)}</seg></tuv></tu>\n'
        for g, e in data
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="de-DE" adminlang="en" '
        'datatype="plaintext" segtype="sentence" o-tmf="x" creationtool="test" creationtoolversion="1"/>\n'
        f"<body>\n{units}</body></tmx>\n",
        encoding="utf-8",
    )
    return path


def folder_hash(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


# ---- fixtures and helpers -----------------------------------------------------------------------


@pytest.fixture()
def tab(qtbot, shipped_dir_with_tiny):
    """The Training tab on its own (no translation window), with the tiny model to fine-tune."""
    widget = TrainingTab()
    qtbot.addWidget(widget)
    base = shipped_dir_with_tiny / DEFAULT_MODEL
    widget.set_models([ModelInfo(DEFAULT_MODEL, base, True, "lstm", "tiny test model")])
    widget.set_current_model(base)
    widget.train_overrides.update(FAST_TUNING)
    widget.errors = []
    widget.errorOccurred.connect(widget.errors.append)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitUntil(lambda: widget.architecture_combo.count() > 0, timeout=MODEL_TIMEOUT_MS)
    yield widget
    assert widget.shutdown()
    assert not widget.training_thread.isRunning()


@pytest.fixture()
def slow_steps(monkeypatch):
    """Every training step sleeps ``delay[0]`` seconds (set it to 0 to let a run race to its end)."""
    from translator_app.core.training.trainer import Trainer

    delay = [0.08]
    original = Trainer.learning_rate_at

    def slow(self, step):
        time.sleep(delay[0])
        return original(self, step)

    monkeypatch.setattr(Trainer, "learning_rate_at", slow)
    return delay


def load(qtbot, tab: TrainingTab, paths):
    with qtbot.waitSignal(tab.previewShown, timeout=RUN_MS) as blocker:
        tab.set_data_files(paths)
    return blocker.args[0]


def setup_run(qtbot, tab: TrainingTab, tmp_path: Path, name: str, *, epochs: int = 2, count: int = 60) -> None:
    result = load(qtbot, tab, write_aligned(tmp_path, pairs(count)))
    assert result is not None and result.kept == count
    tab.name_edit.setText(name)
    tab.epochs_spin.setValue(epochs)
    tab.batch_spin.setValue(16)


def record(tab: TrainingTab) -> list[dict]:
    """Every event as the tab showed it, with the plot's point counts and the tab's state at that moment."""
    seen: list[dict] = []
    tab.trainEventShown.connect(
        lambda e: seen.append(
            {
                "kind": e.kind,
                "step": e.step,
                "epoch": e.epoch,
                "steps_plotted": tab.plot.step_points,
                "epochs_plotted": tab.plot.epoch_points,
                "state": tab.state,
            }
        )
    )
    return seen


def on_first(tab: TrainingTab, kind: str, action) -> None:
    """Run ``action`` once, at the first event of this kind."""
    done = []

    def handler(event):
        if event.kind == kind and not done:
            done.append(event)
            action()

    tab.trainEventShown.connect(handler)


def click(qtbot, button: QPushButton) -> None:
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


# ---- the tab in the window ----------------------------------------------------------------------


def test_training_is_the_second_tab_with_stable_object_names(qtbot, shipped_dir_with_tiny):
    window = open_window(qtbot)
    tabs = window.findChild(QTabWidget, "mainTabs")
    assert tabs.widget(0).objectName() == "central" and tabs.tabText(0) == "Translate"
    assert tabs.currentIndex() == 0 and tabs.tabText(1) == "Training"
    for cls, name in [
        (QLineEdit, "trainingFileEdit"),
        (QTableWidget, "trainingPreviewTable"),
        (QPushButton, "startTrainingButton"),
        (QPushButton, "pauseTrainingButton"),
        (QPushButton, "cancelTrainingButton"),
        (QProgressBar, "trainingProgress"),
        (QPlainTextEdit, "trainingLog"),
        (QComboBox, "baseModelCombo"),
    ]:
        assert window.findChild(cls, name) is not None, name
    assert window.findChild(TrainingTab).findChild(type(window.training_tab.plot), "lossPlot") is not None
    assert window.findChild(QPushButton, "translateButton") is not None  # the translate view is intact
    qtbot.waitUntil(lambda: window.training_tab.base_combo.count() > 0, timeout=MODEL_TIMEOUT_MS)
    assert window.training_tab.base_combo.currentText() == DEFAULT_MODEL  # default: the model in use
    window.findChild(type(window.menus.translate_action), "showTrainingTabAction").trigger()
    assert tabs.currentWidget() is window.training_tab
    assert window.options_dock.isHidden()  # decoding options: translate only
    window.findChild(type(window.menus.translate_action), "showTranslateTabAction").trigger()
    assert not window.options_dock.isHidden()
    close_window(window)
    assert not window.training_tab.training_thread.isRunning()


# ---- the preview ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["aligned", "tsv", "csv", "tmx"])
def test_each_file_kind_is_previewed_with_counts_and_reasons(qtbot, tab, tmp_path, kind):
    data = pairs(30)
    dirty = data + [data[0], data[1], ("Ein Satz ohne Übersetzung.", "")]  # 2 duplicates, 1 empty
    if kind == "aligned":
        de, en = write_aligned(tmp_path, dirty)
        paths = [en, de]  # English first: sorted by suffix
    elif kind == "tsv":
        paths = [write_tsv(tmp_path / "pairs.tsv", dirty)]
    elif kind == "csv":
        paths = [write_csv(tmp_path / "pairs.csv", dirty)]
    else:
        paths = [write_tmx(tmp_path / "memory.tmx", dirty)]
    result = load(qtbot, tab, paths)
    assert result is not None and result.format == kind
    assert result.kept == 30 and result.skipped == {"duplicate": 2, "empty": 1}
    table = tab.preview_table
    assert table.rowCount() == 30
    assert (table.item(0, 0).text(), table.item(0, 1).text()) == data[0]  # German left, English right
    summary = tab.data_summary.text()
    assert "30 usable pairs" in summary and "3 skipped" in summary and "2 duplicate" in summary and "1 empty" in summary
    assert tab.start_button.isEnabled() and tab.errors == []
    assert tab.columns_row.isVisible() == (kind in ("tsv", "csv"))
    assert tab.file_edit.text().split(" ; ")[0] == str(paths[-1] if kind == "aligned" else paths[0])
    if kind == "csv":  # English first, mapped by its header
        assert result.columns == (1, 0)
        assert tab.german_column.currentIndex() == 1 and "german" in tab.german_column.currentText()
        with qtbot.waitSignal(tab.previewShown, timeout=RUN_MS) as blocker:  # map the columns the other way
            tab.german_column.setCurrentIndex(0)
            tab.german_column.activated.emit(0)
            tab.english_column.setCurrentIndex(1)
            tab.english_column.activated.emit(1)
        assert blocker.args[0].columns == (0, 1)  # the (0, 0) asked for in between is stale
        assert tab.preview_table.item(0, 0).text() == data[0][1]


def test_files_dropped_on_the_tab_are_previewed(qtbot, tab, tmp_path):
    de, en = write_aligned(tmp_path, pairs(20))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(en)), QUrl.fromLocalFile(str(de))])
    enter = QDragEnterEvent(
        QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(tab, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(tab.previewShown, timeout=RUN_MS) as blocker:
        QApplication.sendEvent(tab, drop)
    assert blocker.args[0].format == "aligned" and blocker.args[0].kept == 20
    assert tab.file_edit.text() == f"{de} ; {en}"
    three = QMimeData()  # three files: refused
    three.setUrls([QUrl.fromLocalFile(str(p)) for p in (de, en, de)])
    refused = QDragEnterEvent(
        QPointF(20, 20), Qt.DropAction.CopyAction, three, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(tab, refused)
    assert not refused.isAccepted()


@pytest.mark.parametrize(
    "bad, reason",
    [
        ("misaligned", "must be line-aligned"),
        ("binary", "binary file"),
        ("one-column", "only 1 column"),
        ("missing", "does not exist"),
    ],
)
def test_a_bad_file_shows_its_reason(qtbot, tab, tmp_path, bad, reason):
    if bad == "misaligned":
        de, en = write_aligned(tmp_path, pairs(5))
        en.write_text("\n".join(p[1] for p in pairs(4)) + "\n", encoding="utf-8")
        paths = [de, en]
    elif bad == "binary":
        paths = [tmp_path / "photo.tsv"]
        paths[0].write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    elif bad == "one-column":
        paths = [tmp_path / "list.tsv"]
        paths[0].write_text("Ein Hund.\nEine Katze.\n", encoding="utf-8")
    else:
        paths = [tmp_path / "nowhere.tmx"]
    assert load(qtbot, tab, paths) is None
    assert tab.data_summary.text().startswith("⚠") and reason in tab.data_summary.text()
    assert tab.errors and reason in tab.errors[-1]  # the window's one error place
    assert tab.preview_table.rowCount() == 0 and not tab.start_button.isEnabled()


# ---- runs ------------------------------------------------------------------------------------------


def test_a_tiny_fine_tuning_run_plots_live_and_saves_a_loadable_model(qtbot, tab, tmp_path, shipped_dir_with_tiny):
    from translator_app.core.translator import Translator

    shipped_before = folder_hash(shipped_dir_with_tiny / DEFAULT_MODEL)
    setup_run(qtbot, tab, tmp_path, "my-tuned", epochs=2)
    seen = record(tab)
    finished = []
    tab.runFinished.connect(finished.append)
    with qtbot.waitSignal(tab.modelSaved, timeout=RUN_MS) as saved:
        click(qtbot, tab.start_button)
        assert tab.state != IDLE and not tab.start_button.isEnabled() and not tab.file_edit.isEnabled()
    name, folder = saved.args
    folder = Path(folder)

    steps = [e for e in seen if e["kind"] == "step"]
    epochs = [e for e in seen if e["kind"] == "epoch"]
    assert len(steps) == 2 * 4  # 57 training pairs / 16 per batch
    assert [e["steps_plotted"] for e in steps] == list(range(1, len(steps) + 1))  # a point per step, as it ran
    assert all(e["state"] == TRAINING for e in steps)
    assert seen[0]["kind"] == "baseline" and seen[0]["epochs_plotted"] == 1  # the base model first: before → after
    assert [e["epochs_plotted"] for e in epochs] == [2, 3] and epochs[0]["state"] == TRAINING
    tab.plot.flush()
    assert len(tab.plot.raw_curve.xData) == 8 and len(tab.plot.bleu_curve.xData) == 3  # the data set on the curves
    assert finished[0].status == "finished" and finished[0].epochs_completed == 2

    assert name == "my-tuned" and folder == user_models_dir() / "my-tuned"
    assert {"config.json", "model.safetensors", "spm.model", "README.md"} <= {p.name for p in folder.iterdir()}
    assert "my-tuned" in (folder / "README.md").read_text(encoding="utf-8")
    model = Translator.load(folder)  # loadable, and translates
    assert "Fine-tuned from tiny-lstm" in model.metadata.description
    assert model.translate("Ein Hund rennt durch den Schnee.").text.strip()
    assert folder_hash(shipped_dir_with_tiny / DEFAULT_MODEL) == shipped_before  # the shipped model is untouched
    assert not (user_runs_dir() / "my-tuned").exists()  # published: the run is cleaned up

    qtbot.waitUntil(lambda: tab.state == IDLE, timeout=RUN_MS)
    assert tab.use_button.isVisible() and "my-tuned" in tab.saved_label.text()
    assert tab.progress.value() == tab.progress.maximum() == 8
    log = tab.log.toPlainText()
    assert "Epoch 1: val loss" in log and "Estimate: About" in log and "Saved the best model" in log


def test_a_separate_validation_file_is_previewed_and_used(qtbot, tab, tmp_path):
    data = pairs(70)
    load(qtbot, tab, [write_tsv(tmp_path / "train.tsv", data[:60])])
    tab.set_validation_files([write_tsv(tmp_path / "val.tsv", data[60:])])
    qtbot.waitUntil(lambda: tab.validation_preview is not None, timeout=RUN_MS)
    assert tab.validation_summary.text() == "Validation: 10 pairs kept" and not tab.holdout_spin.isEnabled()
    tab.name_edit.setText("with-val-file")
    tab.epochs_spin.setValue(1)
    tab.batch_spin.setValue(16)
    with qtbot.waitSignal(tab.modelSaved, timeout=RUN_MS):
        click(qtbot, tab.start_button)
    assert "60 training and 10 validation pairs" in tab.log.toPlainText()  # nothing held out of train.tsv


def test_a_new_model_from_scratch_with_a_chosen_architecture(qtbot, tab, tmp_path):
    import json

    load(qtbot, tab, write_aligned(tmp_path, pairs(60)))
    assert tab.build_spec().train.subword_sampling == 0.0  # off unless asked for, as in the CLI
    tab.scratch_radio.setChecked(True)
    assert (tab.epochs_spin.value(), tab.lr_spin.value(), tab.batch_spin.value()) == (20, 1e-3, 128)  # as the CLI
    tab.sampling_check.setChecked(True)
    assert tab.build_spec().train.subword_sampling == 0.3
    assert tab.architecture_combo.isEnabled() and tab.vocab_spin.isEnabled() and not tab.base_combo.isEnabled()
    assert tab.findChild(QComboBox, "architectureCombo").findData("gru") >= 0
    tab.architecture_combo.setCurrentIndex(tab.architecture_combo.findData("gru"))
    assert tab.name_edit.text().startswith("gru-")  # the suggested name follows
    tab.hyperparameters.update(emb_dim=16, hidden_dim=16, dropout=0.0)  # a tiny network for the test
    tab.epochs_spin.setValue(1)
    tab.batch_spin.setValue(16)
    tab.vocab_spin.setValue(20000)  # far more than 60 pairs hold: the vocabulary shrinks to what they fill
    with qtbot.waitSignal(tab.modelSaved, timeout=RUN_MS) as saved:
        click(qtbot, tab.start_button)
    config = json.loads((Path(saved.args[1]) / "config.json").read_text(encoding="utf-8"))
    assert config["architecture"] == "gru" and 256 < config["vocabulary"]["size"] < 20000
    assert config["training"]["hyperparameters"]["subword_sampling"] == 0.3
    assert "varied subword splits" in tab.log.toPlainText()


def test_estimate_before_starting_then_start_reuses_the_prepared_run(qtbot, tab, tmp_path):
    setup_run(qtbot, tab, tmp_path, "estimated", epochs=1)
    with qtbot.waitSignal(tab.estimateShown, timeout=RUN_MS) as blocker:
        click(qtbot, tab.estimate_button)
    assert blocker.args[0] > 0 and tab.estimate_label.text().startswith("About ")
    qtbot.waitUntil(lambda: tab.state == IDLE, timeout=RUN_MS)
    with qtbot.waitSignal(tab.modelSaved, timeout=RUN_MS):
        click(qtbot, tab.start_button)
    log = tab.log.toPlainText()
    assert log.count("Reading the data and preparing the model") == 1
    assert log.count("Timing a few training steps") == 1  # Start reuses the estimate's timing
    assert "× 1 epoch on" in log and f"{DEFAULT_MODEL}, 1 epoch," in log and "Finished after 1 epoch in" in log  # plurals


def test_estimate_seconds_measures_without_touching_the_run(tmp_path, shipped_dir_with_tiny):
    import torch

    from translator_app.core.types.train_config import TrainConfig
    from translator_app.core.training.runner import estimate_seconds, prepare_run
    from translator_app.core.types.run_spec import RunSpec

    de, en = write_aligned(tmp_path, pairs(60))
    spec = RunSpec(
        name="timed",
        data=[str(de), str(en)],
        base_model=DEFAULT_MODEL,
        train=TrainConfig(epochs=3, batch_size=16, precision="fp32"),
        device="cpu",
    )
    prepared = prepare_run(spec)
    before = {k: v.clone() for k, v in prepared.trainer.model.state_dict().items()}
    rng = torch.get_rng_state()
    seconds = estimate_seconds(prepared)
    assert 0 < seconds < 600
    assert all(torch.equal(before[k], v) for k, v in prepared.trainer.model.state_dict().items())
    assert torch.equal(rng, torch.get_rng_state())
    assert not prepared.trainer.optimizer.state  # the real optimizer never stepped


def test_pause_resume_and_cancel_after_an_epoch_saves_the_best_model(qtbot, tab, tmp_path, slow_steps):
    from translator_app.core.training.checkpoint import has_checkpoint

    setup_run(qtbot, tab, tmp_path, "paused-run", epochs=3)
    finished, saved = [], []
    tab.runFinished.connect(finished.append)
    tab.modelSaved.connect(lambda *args: saved.append(args))
    on_first(tab, "step", lambda: click(qtbot, tab.pause_button))
    click(qtbot, tab.start_button)
    qtbot.waitUntil(lambda: tab.state == PAUSED, timeout=RUN_MS)
    assert tab.pause_button.text() == "Resume" and tab.cancel_button.isEnabled()
    assert has_checkpoint(user_runs_dir() / "paused-run")  # a pause writes a checkpoint
    steps = tab.plot.step_points
    qtbot.wait(500)
    assert tab.plot.step_points == steps  # nothing trains while paused

    with qtbot.waitSignal(tab.trainEventShown, timeout=RUN_MS, check_params_cb=lambda e: e.kind == "epoch"):
        click(qtbot, tab.pause_button)  # Resume
        qtbot.waitUntil(lambda: tab.state == TRAINING, timeout=RUN_MS)
        assert tab.pause_button.text() == "Pause"
    assert tab.plot.step_points > steps
    click(qtbot, tab.cancel_button)
    qtbot.waitUntil(lambda: bool(saved), timeout=RUN_MS)
    assert finished[0].status == "cancelled" and 1 <= finished[0].epochs_completed < 3 and finished[0].has_model
    assert saved[0][0] == "paused-run" and (user_models_dir() / "paused-run" / "model.safetensors").is_file()
    qtbot.waitUntil(lambda: tab.state == IDLE, timeout=RUN_MS)
    assert not tab.runs  # saved: nothing left to resume


def test_cancel_before_an_epoch_keeps_a_run_to_resume_or_discard(qtbot, tab, tmp_path, slow_steps, monkeypatch):
    slow_steps[0] = 0.3  # the cancel must land well inside the first epoch
    setup_run(qtbot, tab, tmp_path, "early-stop", epochs=3)
    finished = []
    tab.runFinished.connect(finished.append)
    on_first(tab, "step", lambda: click(qtbot, tab.cancel_button))
    with qtbot.waitSignal(tab.runsListed, timeout=RUN_MS, check_params_cb=lambda runs: bool(runs)):
        click(qtbot, tab.start_button)
    assert finished[0].status == "cancelled" and not finished[0].has_model
    assert not (user_models_dir() / "early-stop").exists()
    assert tab.banner.isVisible() and "early-stop" in tab.banner_label.text() and "0 of 3 epochs" in tab.banner_label.text()
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(tab.runsListed, timeout=RUN_MS, check_params_cb=lambda runs: not runs):
        click(qtbot, tab.discard_button)
    assert not tab.banner.isVisible() and not (user_runs_dir() / "early-stop").exists()


@pytest.mark.parametrize(
    "failure, message", [("nan", "the loss became nan"), ("disk-full", "the disk is full"), ("out-of-memory", "out of memory")]
)
def test_errors_stop_the_run_cleanly_and_keep_the_last_good_checkpoint(qtbot, tab, tmp_path, monkeypatch, failure, message):
    import translator_app.core.training.trainer as trainer_module

    Trainer = trainer_module.Trainer
    original_lr, original_save = Trainer.learning_rate_at, trainer_module.save_checkpoint
    saves = []

    def failing_lr(self, step):  # from the second epoch on
        if step >= self.batches_per_epoch:
            if failure == "nan":
                return float("nan")
            if failure == "out-of-memory":
                raise MemoryError()
        return original_lr(self, step)

    def failing_save(run_dir, *args, **kwargs):
        saves.append(run_dir)
        if failure == "disk-full" and len(saves) > 2:  # epoch 1 saved before and after its validation
            raise OSError(errno.ENOSPC, "No space left on device", str(run_dir))
        return original_save(run_dir, *args, **kwargs)

    monkeypatch.setattr(Trainer, "learning_rate_at", failing_lr)
    monkeypatch.setattr(trainer_module, "save_checkpoint", failing_save)
    setup_run(qtbot, tab, tmp_path, f"broken-{failure}", epochs=3)
    with qtbot.waitSignal(tab.runsListed, timeout=RUN_MS, check_params_cb=lambda runs: bool(runs)):
        click(qtbot, tab.start_button)
    assert tab.state == IDLE and tab.start_button.isEnabled()
    error = tab.errors[-1]
    assert error.startswith("Training stopped: ") and message in error and "checkpoint is kept" in error
    assert message in tab.log.toPlainText()
    run = tab.runs[0]  # resumable from epoch 1
    assert run.name == f"broken-{failure}" and run.epochs_done == 1 and len(run.history) == 1
    assert not (user_models_dir() / f"broken-{failure}").exists()
    assert tab.progress.format() == "Stopped by an error"


def test_a_name_that_exists_is_never_overwritten(qtbot, tab, tmp_path, tiny_model_dir, slow_steps, monkeypatch):
    slow_steps[0] = 0.2  # the name is taken well before the run publishes
    install_user_model(tiny_model_dir, "taken")
    setup_run(qtbot, tab, tmp_path, "taken", epochs=1)
    with qtbot.waitSignal(tab.stateChanged, timeout=RUN_MS, check_params_cb=lambda state: state == IDLE):
        click(qtbot, tab.start_button)
    assert "already exists" in tab.errors[-1]  # refused before training

    tab.name_edit.setText("fresh")
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: ("fresh-2", True))
    on_first(tab, "step", lambda: install_user_model(tiny_model_dir, "fresh"))  # someone takes the name meanwhile
    with qtbot.waitSignal(tab.modelSaved, timeout=RUN_MS) as saved:
        click(qtbot, tab.start_button)
    assert saved.args[0] == "fresh-2"
    assert folder_hash(user_models_dir() / "fresh") == folder_hash(tiny_model_dir)  # not overwritten
    assert (user_models_dir() / "fresh-2" / "README.md").is_file()
    assert "Cannot save as “fresh”" in tab.log.toPlainText()


# ---- with the translation window ----------------------------------------------------------------


def test_translation_answers_while_training_and_the_new_model_is_one_click_away(
    qtbot, shipped_dir_with_tiny, tmp_path, slow_steps
):
    from translator_app.gui.model_selector import NAME_ROLE
    from translator_app.gui.settings import Key

    window = open_window(qtbot)
    tab = window.training_tab
    tab.train_overrides.update(FAST_TUNING)
    qtbot.waitUntil(lambda: tab.base_combo.count() > 0, timeout=MODEL_TIMEOUT_MS)
    setup_run(qtbot, tab, tmp_path, "while-translating", epochs=20)
    saved = []
    tab.modelSaved.connect(lambda *args: saved.append(args))
    with qtbot.waitSignal(tab.trainEventShown, timeout=RUN_MS, check_params_cb=lambda e: e.kind == "step"):
        click(qtbot, tab.start_button)
    result = translate(qtbot, window, "Ein Mann fährt Fahrrad.")  # the current model answers...
    assert result.text.strip() and tab.state == TRAINING  # ...while the run goes on
    assert window.model_selector.current.name == "tiny-lstm"
    assert window.tabs.tabText(1).startswith("Training · ")

    qtbot.waitUntil(lambda: tab.plot.epoch_points >= 2, timeout=RUN_MS)  # the base model, then epoch 1
    click(qtbot, tab.cancel_button)  # ≥ 1 epoch: the best is saved
    qtbot.waitUntil(lambda: bool(saved), timeout=RUN_MS)
    folder = Path(saved[0][1])
    combo = window.model_selector.combo
    qtbot.waitUntil(
        lambda: any(combo.itemData(i, NAME_ROLE) == "while-translating" for i in range(combo.count())), timeout=MODEL_TIMEOUT_MS
    )  # selectable in the picker
    with qtbot.waitSignal(window.modelReady, timeout=MODEL_TIMEOUT_MS):
        click(qtbot, tab.use_button)
    assert Path(window.model_selector.current.path) == folder and window.settings.get(Key.MODEL) == "while-translating"
    assert window.tabs.currentWidget() is window.translate_page
    assert combo.itemData(combo.currentIndex(), NAME_ROLE) == "while-translating"
    assert translate(qtbot, window, "Eine Frau liest.").text.strip()
    close_window(window)


def test_closing_during_training_asks_keeps_a_checkpoint_and_the_next_start_resumes(
    qtbot, shipped_dir_with_tiny, tmp_path, slow_steps, monkeypatch
):
    from translator_app.core.training.checkpoint import has_checkpoint

    slow_steps[0] = 0.25  # both closes happen while epochs 2-3 still train
    window = open_window(qtbot)
    tab = window.training_tab
    tab.train_overrides.update(FAST_TUNING)
    qtbot.waitUntil(lambda: tab.base_combo.count() > 0, timeout=MODEL_TIMEOUT_MS)
    setup_run(qtbot, tab, tmp_path, "closed-mid-run", epochs=3)
    with qtbot.waitSignal(tab.trainEventShown, timeout=RUN_MS, check_params_cb=lambda e: e.kind == "epoch"):
        click(qtbot, tab.start_button)

    answers = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.pop(0))
    answers.append(QMessageBox.StandardButton.No)  # No: keep training
    window.close()
    assert window.isVisible() and tab.training and not answers
    steps = tab.plot.step_points
    qtbot.waitUntil(lambda: tab.plot.step_points > steps, timeout=RUN_MS)

    answers.append(QMessageBox.StandardButton.Yes)  # Yes: pause, keep it, close
    window.close()
    assert not window.isVisible() and not answers
    assert not tab.training_thread.isRunning() and not window._worker_thread.thread.isRunning()
    run_dir = user_runs_dir() / "closed-mid-run"
    assert has_checkpoint(run_dir) and not (user_models_dir() / "closed-mid-run").exists()

    slow_steps[0] = 0.0
    reopened = open_window(qtbot)  # the next start
    again = reopened.training_tab
    again.train_overrides.update(FAST_TUNING)
    qtbot.waitUntil(lambda: bool(again.runs), timeout=MODEL_TIMEOUT_MS)
    assert "can be resumed in the Training tab" in reopened.statusBar().currentMessage()
    notice_shown = reopened.statusBar().currentMessage()
    reopened.tabs.setCurrentWidget(again)
    assert again.banner.isVisible() and "closed-mid-run" in again.banner_label.text()
    seen = record(again)
    kept = len(again.runs[0].step_losses)
    assert kept >= again.runs[0].step > 0  # every step so far is in the checkpoint
    for i in range(200):
        again.log.appendPlainText(f"an earlier line {i}")
    again.log.verticalScrollBar().setValue(0)  # the user scrolled up to read
    with qtbot.waitSignal(again.modelSaved, timeout=RUN_MS) as saved:
        click(qtbot, again.resume_button)
        bar = again.log.verticalScrollBar()
        assert bar.maximum() > 0 and bar.value() == bar.maximum()  # the log follows the newest line
        assert again.plot.epoch_points >= 1  # restored from the checkpoint's history
        assert again.plot.step_points >= kept  # and so are the steps before the stop
        assert again.plot.epochs[0] == 0  # and the base model's score, first
        assert again.plot.epochs == sorted(again.plot.epochs)  # (in order: one line, no zigzag)
    assert saved.args[0] == "closed-mid-run"
    assert reopened.statusBar().currentMessage() != notice_shown  # resumed: the notice is gone
    assert seen and seen[0]["epochs_plotted"] >= 1  # the earlier epochs stayed on the plot
    assert again.plot.epoch_points == 1 + 3 and not run_dir.exists()  # the base model, then 3 epochs
    assert "Resuming “closed-mid-run”" in again.log.toPlainText()
    close_window(reopened)


def test_an_estimate_that_is_never_started_leaves_no_run_behind(qtbot, tab, tmp_path):
    setup_run(qtbot, tab, tmp_path, "only-estimated", epochs=1)
    with qtbot.waitSignal(tab.estimateShown, timeout=RUN_MS):
        click(qtbot, tab.estimate_button)
    assert (user_runs_dir() / "only-estimated").is_dir()  # prepared for the estimate
    qtbot.waitUntil(lambda: tab.state == IDLE, timeout=RUN_MS)
    assert tab.shutdown()
    assert not (user_runs_dir() / "only-estimated").exists()


def test_a_new_run_starts_with_fresh_axes(qtbot, tab):
    plot = tab.plot
    plot.show()
    plot.add_step(1, 5.0)
    plot.add_step(2, 4.0)
    plot.flush()
    plot.loss_item.setXRange(100, 200)  # the user zoomed into the last run
    assert not plot.loss_item.getViewBox().autoRangeEnabled()[0]
    plot.clear()
    assert all(plot.loss_item.getViewBox().autoRangeEnabled()) and all(plot.bleu_item.getViewBox().autoRangeEnabled())


def test_the_resume_banner_never_moves_the_plot_or_the_log(qtbot, tab, tmp_path):
    from PySide6.QtCore import QPoint

    from translator_app.gui.training.results import UnfinishedRun

    qtbot.waitUntil(lambda: tab.state == IDLE, timeout=MODEL_TIMEOUT_MS)
    where = lambda: (tab.log.mapTo(tab, QPoint(0, 0)), tab.plot.mapTo(tab, QPoint(0, 0)))  # noqa: E731
    before = where()
    tab.offer.show_runs([UnfinishedRun(tmp_path / "r", "older-run", "fine-tuning x on y", 1, 3, 40)])
    qtbot.waitUntil(lambda: tab.banner.isVisible())
    QApplication.processEvents()
    assert where() == before


def test_the_minimum_number_of_pairs_is_stated_before_start(qtbot, tab, tmp_path):
    from translator_app.core.types.train_config import MIN_TRAINING_PAIRS

    assert f"at least {MIN_TRAINING_PAIRS} usable pairs" in tab.start_button.toolTip()
    result = load(qtbot, tab, write_aligned(tmp_path, pairs(1)))
    assert result.kept == 1
    assert f"a run needs at least {MIN_TRAINING_PAIRS}" in tab.data_summary.text()
    assert "this file has 1 usable pair." in tab.start_button.toolTip()


# ---- the run state and the training defaults -----------------------------------------------------


def test_the_run_state_table_refuses_every_move_it_does_not_list():
    from translator_app.gui.training.state import TRANSITIONS, InvalidTransition

    S = RunState
    assert set(TRANSITIONS) == set(S)
    assert all(S.IDLE in TRANSITIONS[state] for state in S if state is not S.IDLE)  # a job always ends
    assert TRANSITIONS[S.IDLE] == {S.ESTIMATING, S.PREPARING}  # the only ways to start
    for state in S:
        for target in S:
            if target in TRANSITIONS[state]:
                assert state.to(target) is target
            else:
                with pytest.raises(InvalidTransition, match=f"from {state.value} to {target.value}"):
                    state.to(target)
    assert {state for state in S if state.running} == {S.PREPARING, S.TRAINING, S.PAUSING, S.PAUSED, S.STOPPING}
    assert {state for state in S if state.can_become(S.STOPPING)} == {S.PREPARING, S.TRAINING, S.PAUSING, S.PAUSED}


def test_the_tab_refuses_a_move_the_table_does_not_list(qtbot, tab):
    from translator_app.gui.training.state import InvalidTransition

    qtbot.waitUntil(lambda: tab.state == IDLE, timeout=MODEL_TIMEOUT_MS)
    states = []
    tab.stateChanged.connect(states.append)
    with pytest.raises(InvalidTransition):
        tab.flow.set_state(RunState.SAVING)  # nothing ran: there is nothing to save
    assert tab.state == IDLE and states == [] and not tab.pause_button.isEnabled()


@pytest.mark.parametrize("fine_tune", [True, False], ids=["fine-tune", "new-model"])
def test_the_tab_and_the_cli_start_from_the_same_training_defaults(qtbot, tab, tmp_path, monkeypatch, fine_tune):
    import translator_app.core.training.runner as training_run
    from translator_app.cli.main import main

    class Prepared(Exception):
        pass

    asked = []

    def prepare_run(spec, **_kwargs):
        asked.append(spec)
        raise Prepared

    monkeypatch.setattr(training_run, "prepare_run", prepare_run)
    data = write_tsv(tmp_path / "pairs.tsv", pairs(60))
    assert load(qtbot, tab, [data]) is not None
    tab.train_overrides.clear()  # the fixture's fast settings are not defaults
    tab.scratch_radio.setChecked(not fine_tune)
    with pytest.raises(Prepared):
        main(["train", str(data), "--name", "pinned"] + (["--base", DEFAULT_MODEL] if fine_tune else []))
    cli, gui = asked[0].train, tab.build_spec().train
    assert (tab.epochs_spin.value(), tab.lr_spin.value(), tab.batch_spin.value()) == (
        cli.epochs,
        cli.learning_rate,
        cli.batch_size,
    )
    assert (cli.batch_size == 64) is fine_tune  # the one fine-tuning batch
    assert 1 <= gui.warmup_steps <= cli.warmup_steps  # the tab warms a short run up over a tenth of it at most
    assert {**asdict(gui), "warmup_steps": 0} == {**asdict(cli), "warmup_steps": 0}


# ---- mixed fine-tuning: the base model's German kept, and measured before and after ----------------


def model_with_replay(shipped: Path, name: str = "tiny-mixed") -> Path:
    """A copy of the tiny model that ships a replay sample (its own pairs) and a general sample."""
    import shutil

    from conftest import read_multi30k
    from translator_app.core.batching import encode_pairs
    from translator_app.core.modelfile import load_model_folder
    from translator_app.core.replay import replay_path, save_replay

    folder = shipped / name
    shutil.copytree(shipped / DEFAULT_MODEL, folder)
    encoded, _ = encode_pairs(load_model_folder(folder).vocab, read_multi30k("train", 300))
    save_replay(replay_path(folder), encoded, read_multi30k("val", 12))
    return folder


def offer_models(tab: TrainingTab, shipped: Path, *folders: Path) -> None:
    tab.set_models(
        [ModelInfo(DEFAULT_MODEL, shipped / DEFAULT_MODEL, True, "lstm", "tiny test model")]
        + [ModelInfo(f.name, f, True, "lstm", "tiny test model with a replay sample") for f in folders]
    )


def choose_base(tab: TrainingTab, name: str) -> None:
    from translator_app.gui.training.model_panel import NAME_ROLE

    tab.base_combo.setCurrentIndex(
        next(i for i in range(tab.base_combo.count()) if tab.base_combo.itemData(i, NAME_ROLE) == name)
    )


def test_mixing_is_on_by_default_where_the_base_ships_a_sample_and_can_be_turned_off(qtbot, tab, shipped_dir_with_tiny):
    from translator_app.core.types.run_spec import DEFAULT_REPLAY_RATIO  # the tiny model is an LSTM

    mixed = model_with_replay(shipped_dir_with_tiny)
    offer_models(tab, shipped_dir_with_tiny, mixed)
    choose_base(tab, mixed.name)
    check = tab.mix_check
    assert check.isEnabled() and check.isChecked() and "Keep the base model's German" in check.text()
    assert tab.build_spec().replay_ratio == DEFAULT_REPLAY_RATIO > 0
    assert "per pair of yours" in check.toolTip() and "never kept" in check.toolTip()

    qtbot.mouseClick(check, Qt.MouseButton.LeftButton)  # the user turns mixing off
    assert not check.isChecked() and tab.build_spec().replay_ratio == 0

    choose_base(tab, DEFAULT_MODEL)  # a base without a sample: nothing to mix in, and the tooltip says why
    assert not check.isEnabled() and not check.isChecked() and tab.build_spec().replay_ratio == 0
    assert f"“{DEFAULT_MODEL}” ships no sample" in check.toolTip()
    choose_base(tab, mixed.name)
    assert check.isEnabled() and not check.isChecked()  # the user's choice is kept
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
    assert check.isChecked() and tab.build_spec().replay_ratio == DEFAULT_REPLAY_RATIO

    tab.scratch_radio.setChecked(True)  # a new model has no German of its own to keep
    assert not check.isEnabled() and "Only when fine-tuning" in check.toolTip()


def test_a_transformer_base_starts_from_its_own_fine_tuning_rate(qtbot, tab, shipped_dir_with_tiny):
    from translator_app.core.types.run_spec import default_train_config

    transformer = model_with_replay(shipped_dir_with_tiny, "tiny-transformer")  # labelled so: only its kind matters here
    tab.set_models(
        [
            ModelInfo(DEFAULT_MODEL, shipped_dir_with_tiny / DEFAULT_MODEL, True, "lstm", "tiny test model"),
            ModelInfo(transformer.name, transformer, True, "transformer", "a Transformer"),
        ]
    )
    choose_base(tab, "tiny-transformer")
    assert tab.lr_spin.value() == default_train_config(True, "transformer").learning_rate == 1e-4
    assert tab.build_spec().replay_ratio == 1.0  # and its own replay ratio
    choose_base(tab, DEFAULT_MODEL)
    assert tab.lr_spin.value() == default_train_config(True, "lstm").learning_rate == 3e-4
    tab.epochs_spin.setValue(7)  # the user's own choice stays while the defaults do not change
    tab.form.model.suggestionsChanged.emit()
    assert tab.epochs_spin.value() == 7


def test_fine_tuning_batches_by_tokens_unless_pairs_per_batch_are_chosen(qtbot, tab):
    from translator_app.core.types.run_spec import default_train_config

    defaults = default_train_config(True)
    assert defaults.batch_tokens > 0
    assert tab.batch_spin.value() == defaults.batch_size
    train = tab.build_spec().train
    assert (train.batch_tokens, train.forgetting_budget) == (defaults.batch_tokens, defaults.forgetting_budget)
    assert f"{defaults.batch_tokens:,} subwords" in tab.batch_note.text() and tab.batch_note.isVisible()
    tab.batch_spin.setValue(defaults.batch_size // 2)  # pairs per batch chosen: batches by pairs, as on the command line
    train = tab.build_spec().train
    assert (train.batch_size, train.batch_tokens) == (defaults.batch_size // 2, 0)
    assert tab.batch_note.text().startswith(f"{defaults.batch_size // 2} pairs per batch")
    tab.scratch_radio.setChecked(True)  # a new model batches by pairs: nothing to explain
    assert tab.build_spec().train.batch_tokens == 0 and not tab.batch_note.isVisible()


def test_the_mouse_wheel_changes_a_field_only_once_it_has_focus(qtbot, tab):
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QWheelEvent

    def wheel(widget) -> None:
        centre = QPointF(widget.rect().center())
        event = QWheelEvent(
            centre,
            QPointF(widget.mapToGlobal(centre.toPoint())),
            QPoint(),
            QPoint(0, 120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(widget, event)

    spin, combo = tab.epochs_spin, tab.base_combo
    tab.name_edit.setFocus()
    qtbot.waitUntil(tab.name_edit.hasFocus)
    before = (spin.value(), combo.count(), tab.holdout_spin.value())
    for widget in (spin, tab.holdout_spin, tab.lr_spin, tab.batch_spin):
        assert widget.focusPolicy() == Qt.FocusPolicy.StrongFocus  # the wheel never gives focus
        wheel(widget)
    wheel(combo)
    assert (spin.value(), combo.count(), tab.holdout_spin.value()) == before and tab.name_edit.hasFocus()
    spin.setFocus()  # clicked into: now the wheel is the user's way to change it
    qtbot.waitUntil(spin.hasFocus)
    wheel(spin)
    assert spin.value() == before[0] + 1


def feed_run(tab: TrainingTab, general: list[float | None]) -> None:
    """The events of a fine-tune of two epochs, as the trainer sends them (``general``: base, epoch 1, epoch 2)."""
    from translator_app.core.types.train_types import TrainEvent, TrainEventKind

    events = [TrainEvent(TrainEventKind.BASELINE, 0, 0, 8, val_loss=3.0, val_bleu=5.0, general_bleu=general[0])]
    for epoch in (1, 2):
        events += [
            TrainEvent(TrainEventKind.STEP, epoch - 1, s, 8, loss=3.0 - s / 10) for s in range(4 * epoch - 3, 4 * epoch + 1)
        ]
        events.append(
            TrainEvent(TrainEventKind.EPOCH, epoch, 4 * epoch, 8, val_loss=2.5, val_bleu=5.0 + epoch, general_bleu=general[epoch])
        )
    for event in events:
        tab.run_panel.show_event(event, TRAINING, 2)


def legend_labels(tab: TrainingTab) -> list[str]:
    return [label.text for _sample, label in tab.plot.legend.items]


def test_the_plot_shows_general_german_beside_the_users_bleu_with_the_base_as_epoch_0(qtbot, tab):
    feed_run(tab, [30.0, 29.5, 29.0])
    tab.plot.flush()
    assert list(tab.plot.general_curve.xData) == [0, 4, 8] and list(tab.plot.general_curve.yData) == [30.0, 29.5, 29.0]
    assert list(tab.plot.bleu_curve.yData) == [5.0, 6.0, 7.0]  # the user's own, beside it
    assert "general German BLEU" in legend_labels(tab)

    tab.run_panel.reset()  # a new model, or a base without a sample: no general curve, and no name for one
    feed_run(tab, [None, None, None])
    tab.plot.flush()
    drawn = tab.plot.general_curve.xData
    assert (drawn is None or len(drawn) == 0) and "general German BLEU" not in legend_labels(tab)
    assert len(tab.plot.bleu_curve.xData) == 3


def test_the_results_summary_says_what_was_gained_and_what_was_lost(qtbot, tab, tmp_path):
    from types import SimpleNamespace

    from translator_app.core.types.run_spec import RunSpec, default_train_config
    from translator_app.core.types.train_types import RunStatus, TrainResult
    from translator_app.gui.training.reports import run_outcome

    spec = RunSpec(name="ui", data=["x.tsv"], base_model="base", train=default_train_config(True))
    prepared = SimpleNamespace(spec=spec, run_dir=tmp_path)
    result = TrainResult(RunStatus.FINISHED, 2, 8, 2, 14.2, tmp_path, 30.0, [], 7.5, 38.1, 37.6)
    outcome = run_outcome(prepared, result, closing=False)
    assert outcome.gains == result.gain_report(spec.train.forgetting_budget) != ""
    assert (outcome.base_val_bleu, outcome.base_general_bleu, outcome.best_general_bleu) == (7.5, 38.1, 37.6)
    tab.run_panel.show_outcome(outcome)
    summary = tab.gain_label.text()
    assert tab.gain_label.isVisible() and outcome.gains in summary
    assert "7.50 → 14.20 (+6.70)" in summary and "38.10 → 37.60 (-0.50" in summary  # gained, and lost
    assert outcome.gains in tab.log.toPlainText()

    tab.run_panel.reset()  # the next run starts with no summary of the last one
    assert not tab.gain_label.isVisible()
    new_model = run_outcome(prepared, TrainResult(RunStatus.FINISHED, 2, 8, 2, 14.2, tmp_path, 30.0), closing=False)
    tab.run_panel.show_outcome(new_model)  # no base to compare with: nothing to say
    assert new_model.gains == "" and not tab.gain_label.isVisible()


def test_a_resumed_run_restores_both_curves_with_the_base_first(qtbot, tab, tmp_path):
    from translator_app.gui.training.results import UnfinishedRun

    history = [
        {"epoch": 1, "step": 4, "val_loss": 2.6, "val_bleu": 6.0, "general_bleu": 29.5},
        {"epoch": 2, "step": 8, "val_loss": 2.4, "val_bleu": 7.0, "general_bleu": 29.0},
    ]
    base = {"val_loss": 3.0, "val_bleu": 5.0, "general_bleu": 30.0}
    run = UnfinishedRun(
        tmp_path / "r", "resumed", "fine-tuning x on y", 2, 3, 8, history, [[s, 3.0 - s / 10] for s in range(1, 9)], base
    )
    tab.run_panel.show_resuming(run)
    tab.plot.flush()
    assert tab.plot.epochs == [0, 1, 2]
    assert list(tab.plot.bleu_curve.yData) == [5.0, 6.0, 7.0]
    assert list(tab.plot.general_curve.xData) == [0, 4, 8] and list(tab.plot.general_curve.yData) == [30.0, 29.5, 29.0]


def test_a_mixed_fine_tune_measures_general_german_live_and_reports_both(qtbot, tab, tmp_path, shipped_dir_with_tiny):
    mixed = model_with_replay(shipped_dir_with_tiny)
    offer_models(tab, shipped_dir_with_tiny, mixed)
    choose_base(tab, mixed.name)
    tab.train_overrides["forgetting_budget"] = 100.0  # a few big steps of the tiny model: keep an epoch whatever it forgets
    setup_run(qtbot, tab, tmp_path, "mixed-tuned", epochs=1)
    assert tab.mix_check.isChecked()
    seen = record(tab)
    with qtbot.waitSignal(tab.modelSaved, timeout=RUN_MS):
        click(qtbot, tab.start_button)
    steps = [e for e in seen if e["kind"] == "step"]
    from translator_app.core.types.run_spec import DEFAULT_REPLAY_RATIO

    mixed_in = round(57 * DEFAULT_REPLAY_RATIO)
    assert len(steps) == -(-(57 + mixed_in) // 16)  # 57 of the user's pairs and the base model's, 16 per batch
    tab.plot.flush()
    assert list(tab.plot.general_curve.xData) == [0, len(steps)]  # the base model, then the epoch
    log = tab.log.toPlainText()
    assert "mixed in per pair of yours" in log and "general German BLEU" in log and "general German" in log.split("Epoch 1:")[1]
    qtbot.waitUntil(lambda: tab.state == IDLE, timeout=RUN_MS)
    assert tab.gain_label.isVisible() and "general German BLEU" in tab.gain_label.text()


def test_save_as_takes_the_model_managers_names_spaces_and_umlauts_too(qtbot, tab, tmp_path):
    """One name rule everywhere (core.types.model_names, issue 29, item 9): a name the model manager may rename a
    model to can be typed into “Save as” and trained under; the old rule's validator swallowed 'Ü' and spaces."""
    from translator_app.gui.training.run_panel import START_TIP

    def type_name(name: str) -> None:  # key by key, as typed (QTest's keyClicks knows no 'Ü')
        from PySide6.QtGui import QKeyEvent
        from PySide6.QtWidgets import QApplication

        tab.name_edit.setFocus()
        tab.name_edit.selectAll()
        for char in name:
            for kind in (QKeyEvent.Type.KeyPress, QKeyEvent.Type.KeyRelease):
                QApplication.sendEvent(tab.name_edit, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))

    setup_run(qtbot, tab, tmp_path, "x", epochs=1)
    type_name("a/b")
    assert "“Save as”" in tab.start_button.toolTip() and "/ cannot be in a folder name" in tab.start_button.toolTip()
    type_name("Übersetzer für Ärzte")
    assert tab.name_edit.text() == "Übersetzer für Ärzte"
    assert tab.start_button.toolTip() == START_TIP  # nothing wrong with the name
    with qtbot.waitSignal(tab.modelSaved, timeout=RUN_MS) as saved:
        click(qtbot, tab.start_button)
    assert saved.args[0] == "Übersetzer für Ärzte"
    assert (user_models_dir() / "Übersetzer für Ärzte" / "model.safetensors").is_file()
