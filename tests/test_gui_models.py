"""Model picker: shipped + user models, switching in the background, broken and missing models,
and settings that survive a restart of the window."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QSpinBox

from gui_support import MODEL_TIMEOUT_MS, close_window, install_user_model, open_window, translate
from translator_app.gui.main_window import MainWindow
from translator_app.gui.settings import Key, Settings, default_path
from translator_app.core.types.architectures import TUTORIALS
from translator_app.core.paths import DEFAULT_MODEL


def combo_index(window: MainWindow, name: str) -> int:
    combo = window.findChild(QComboBox, "modelCombo")
    for i in range(combo.count()):
        if combo.itemData(i, window_name_role()) == name:
            return i
    raise AssertionError(f"{name} not in {[combo.itemText(i) for i in range(combo.count())]}")


def window_name_role():
    from translator_app.gui.model_selector import NAME_ROLE

    return NAME_ROLE


def wait_listed(qtbot, window: MainWindow, count: int) -> None:
    qtbot.waitUntil(lambda: len(window.model_selector.entries) == count, timeout=MODEL_TIMEOUT_MS)


@pytest.fixture()
def user_models(shipped_dir_with_tiny, tiny_model_dir):
    good = install_user_model(tiny_model_dir, "tiny-copy")
    broken = install_user_model(tiny_model_dir, "broken-weights")
    weights = broken / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:200])  # truncated download
    bad_config = install_user_model(tiny_model_dir, "bad-config")
    (bad_config / "config.json").write_text("{ this is not json", encoding="utf-8")
    return {"good": good, "broken": broken, "bad_config": bad_config}


def test_picker_lists_shipped_then_user_models(qtbot, user_models):
    window = open_window(qtbot)
    wait_listed(qtbot, window, 4)
    combo = window.findChild(QComboBox, "modelCombo")
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert labels[:2] == [TUTORIALS["lstm"].label, DEFAULT_MODEL]  # the family's heading, then the shipped default
    assert set(labels[2:5]) == {"broken-weights (yours)", "tiny-copy (yours)"} | {labels[4]}
    assert labels[-2:] == ["Other models", "bad-config (yours) (damaged)"]  # no architecture known: last
    assert combo.currentIndex() == 1
    heading = combo.model().item(0)
    assert not heading.isEnabled() and not heading.isSelectable()  # a heading is never chosen
    assert TUTORIALS["lstm"].label in combo.itemData(1, Qt.ItemDataRole.ToolTipRole)
    close_window(window)


def test_switching_models_loads_in_the_background_and_is_remembered(qtbot, user_models):
    window = open_window(qtbot)
    wait_listed(qtbot, window, 4)
    first = translate(qtbot, window, "Ein Mann lacht.")
    with qtbot.waitSignal(window.modelReady, timeout=MODEL_TIMEOUT_MS):
        window.findChild(QComboBox, "modelCombo").setCurrentIndex(combo_index(window, "tiny-copy"))
    assert Path(window.model_selector.current.path) == user_models["good"]
    assert window.settings.get(Key.MODEL) == "tiny-copy"
    again = translate(qtbot, window, "Ein Mann lacht.")
    assert again.text == first.text  # same weights, same output
    close_window(window)

    reopened = open_window(qtbot)  # the choice survives a restart
    assert Path(reopened.model_selector.current.path) == user_models["good"]
    wait_listed(qtbot, reopened, 4)
    assert reopened.findChild(QComboBox, "modelCombo").currentIndex() == combo_index(reopened, "tiny-copy")
    close_window(reopened)


@pytest.mark.parametrize("which, expected", [("broken-weights", "model.safetensors"), ("bad-config", "config.json")])
def test_a_broken_model_gives_a_clear_message_and_the_previous_stays(qtbot, user_models, which, expected):
    window = open_window(qtbot)
    wait_listed(qtbot, window, 4)
    previous = window.model_selector.current.path
    combo = window.findChild(QComboBox, "modelCombo")
    with qtbot.waitSignal(window.errorReported, timeout=MODEL_TIMEOUT_MS) as blocker:
        combo.setCurrentIndex(combo_index(window, which))
    message = blocker.args[0]
    assert f"Could not load model “{which}”" in message and expected in message
    assert "Still using “tiny-lstm”" in message
    assert window.model_selector.current.path == previous
    assert combo.currentIndex() == combo_index(window, DEFAULT_MODEL)  # the picker points back
    assert message in window.statusBar().currentMessage()  # the one place errors go
    assert window.settings.get(Key.MODEL) == DEFAULT_MODEL
    assert translate(qtbot, window, "Ein Hund bellt.").text  # and it still translates
    close_window(window)


def test_no_model_installed_says_so_clearly(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("TRANSLATOR_APP_SHIPPED_MODELS", str(tmp_path / "empty-shipped"))
    window = MainWindow()
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.errorReported, timeout=MODEL_TIMEOUT_MS) as blocker:
        window.show()
    assert "No translation model is installed" in blocker.args[0]
    assert str(tmp_path / "user-data" / "models") in blocker.args[0]  # it says where models go
    assert window.model_selector.current is None and not window.translate_page.translate_button.isEnabled()
    combo = window.findChild(QComboBox, "modelCombo")
    assert combo.currentText() == "No models installed" and not combo.isEnabled()
    window.translate_page.source_edit.setPlainText("Hallo Welt.")  # typing does not crash
    with qtbot.waitSignal(window.errorReported, timeout=5_000) as again:
        window.live.translate(live=False)
    assert "No translation model is loaded" in again.args[0]
    close_window(window)


def test_a_missing_remembered_model_falls_back_to_an_installed_one(qtbot, shipped_dir_with_tiny):
    settings = Settings()
    settings.set(Key.MODEL, "deleted-model")
    window = MainWindow()
    qtbot.addWidget(window)
    errors = []
    window.errorReported.connect(errors.append)
    with qtbot.waitSignal(window.modelReady, timeout=MODEL_TIMEOUT_MS):
        window.show()
    assert window.model_selector.current.name == "tiny-lstm"
    assert any("deleted-model" in e and f"Trying “{DEFAULT_MODEL}”" in e for e in errors)
    assert window.settings.get(Key.MODEL) == DEFAULT_MODEL
    close_window(window)


def test_settings_persist_across_a_restart_of_the_window(qtbot, shipped_dir_with_tiny):
    window = open_window(qtbot)
    window.findChild(QSpinBox, "beamWidthSpin").setValue(3)
    window.findChild(QSpinBox, "maxLengthSpin").setValue(80)
    window.findChild(QSpinBox, "alternativesSpin").setValue(2)
    window.translate_page.as_you_type_check.setChecked(False)
    window.resize(760, 560)  # within the offscreen screen (800 × 600)
    window.adaptive.swap()
    layout = window.settings.get(Key.LAYOUT)
    assert layout in ("stacked", "side-by-side")
    close_window(window)
    stored = json.loads(default_path().read_text(encoding="utf-8"))
    assert (stored["beam_width"], stored["max_length"], stored["alternatives"], stored["as_you_type"]) == (3, 80, 2, False)
    assert stored["window_geometry"]

    again = open_window(qtbot)
    assert again.findChild(QSpinBox, "beamWidthSpin").value() == 3
    assert again.findChild(QSpinBox, "maxLengthSpin").value() == 80
    assert again.findChild(QSpinBox, "alternativesSpin").value() == 2
    assert not again.translate_page.as_you_type_check.isChecked()
    assert (again.width(), again.height()) == (760, 560)
    assert again.settings.get(Key.LAYOUT) == layout
    assert again.translate_page.splitter.orientation() == (
        Qt.Orientation.Vertical if layout == "stacked" else Qt.Orientation.Horizontal
    )
    result = translate(qtbot, again, "Eine Frau singt.")
    assert result.options["beam_width"] == 3 and len(result.alternatives) >= 1
    close_window(again)


def test_a_corrupted_settings_file_recovers_with_a_notice(qtbot, shipped_dir_with_tiny):
    path = default_path()
    path.parent.mkdir(parents=True)
    path.write_text('{"beam_width": 3, "as_you_type": fal', encoding="utf-8")
    window = open_window(qtbot)
    assert "settings file was damaged" in window.statusBar().currentMessage()
    assert window.findChild(QSpinBox, "beamWidthSpin").value() == 5
    assert path.with_name("settings.json.corrupt").exists()
    assert translate(qtbot, window, "Ein Kind spielt.").text
    close_window(window)
    assert json.loads(path.read_text(encoding="utf-8"))["model"] == DEFAULT_MODEL  # valid again


@pytest.fixture()
def two_shipped_models(shipped_dir_with_tiny, tiny_model_dir):
    """The tiny default plus a second shipped model whose config reports a higher test BLEU."""
    import shutil

    from translator_app.core.modelfile import update_config_fields

    better = shipped_dir_with_tiny / "tiny-better"
    shutil.copytree(tiny_model_dir, better)
    update_config_fields(better, metrics={"test_sacrebleu": 40.0})
    update_config_fields(shipped_dir_with_tiny / DEFAULT_MODEL, metrics={"test_sacrebleu": 20.0})
    return better


def test_the_best_quality_model_is_labelled_and_one_action_away(qtbot, two_shipped_models):
    window = open_window(qtbot)
    wait_listed(qtbot, window, 2)
    combo = window.findChild(QComboBox, "modelCombo")
    assert [combo.itemText(i) for i in range(combo.count())] == [
        TUTORIALS["lstm"].label,
        f"{DEFAULT_MODEL} — default",
        "tiny-better — best quality",
    ]
    assert "test BLEU 40.0" in combo.itemData(2, Qt.ItemDataRole.ToolTipRole)
    with qtbot.waitSignal(window.modelReady, timeout=MODEL_TIMEOUT_MS):
        window.menus.best_model_action.trigger()
    assert window.model_selector.current.path.name == "tiny-better" and combo.currentIndex() == 2
    assert window.settings.get(Key.MODEL) == "tiny-better"
    with qtbot.waitSignal(window.modelReady, timeout=MODEL_TIMEOUT_MS):
        window.menus.default_model_action.trigger()
    assert window.model_selector.current.path.name == DEFAULT_MODEL
    close_window(window)


def test_each_models_own_decoding_defaults_apply_unless_the_user_set_their_own(qtbot, two_shipped_models, shipped_dir_with_tiny):
    """The window decodes as `translator-app translate` does for the same model and text."""
    import subprocess
    import sys

    from translator_app.core.modelfile import update_config_fields

    update_config_fields(shipped_dir_with_tiny / DEFAULT_MODEL, default_decoding={"beam_width": 3, "length_penalty": 1.4})
    update_config_fields(two_shipped_models, default_decoding={"beam_width": 5, "length_penalty": 0.6})
    window = open_window(qtbot)
    wait_listed(qtbot, window, 2)
    spins = window.options_panel.spins
    assert spins["length_penalty"].value() == 1.4 and spins["beam_width"].value() == 3  # at launch
    text = "Ein Mann fährt Fahrrad."
    shown = translate(qtbot, window, text)
    cli = subprocess.run(
        [sys.executable, "-m", "translator_app", "translate", "--model", DEFAULT_MODEL, text],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert cli.returncode == 0, cli.stderr
    assert shown.text == cli.stdout.strip()  # GUI == CLI

    spins["beam_width"].setValue(2)  # the user's own choice
    assert window.settings.get(Key.CUSTOM_DECODING) == ["beam_width"]
    with qtbot.waitSignal(window.modelReady, timeout=MODEL_TIMEOUT_MS):
        window.menus.best_model_action.trigger()
    assert spins["length_penalty"].value() == 0.6 and spins["beam_width"].value() == 2  # model's, and the user's
    window.options_panel.reset_button.click()
    assert spins["beam_width"].value() == 5 and window.settings.get(Key.CUSTOM_DECODING) == []
    close_window(window)
