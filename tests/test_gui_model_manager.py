"""Models → Manage Models…: the table, read-only shipped rows, rename/delete with confirmation,
import errors as message boxes, and the main window following changes to the model in use."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QMessageBox, QTextBrowser

from gui_support import MODEL_TIMEOUT_MS, close_window, install_user_model, open_window
from translator_app.core.paths import DEFAULT_MODEL, user_models_dir
from translator_app.gui.model_manager import COLUMNS, READ_ONLY_TIP, ModelManagerDialog
from translator_app.gui.settings import Key


@pytest.fixture()
def mine(shipped_dir_with_tiny, tiny_model_dir) -> Path:
    folder = install_user_model(tiny_model_dir, "mine")
    (folder / "README.md").write_text("# mine\n\nA **tiny** model card.\n", encoding="utf-8")
    return folder


@pytest.fixture()
def answers(monkeypatch):
    """Scripted replies for the dialog's questions; every warning box is recorded, none is shown."""
    replies = {"text": [], "question": QMessageBox.StandardButton.Yes, "warnings": []}

    def get_text(*_args, **_kwargs):
        return (replies["text"].pop(0), True) if replies["text"] else ("", False)

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: replies["question"]))
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda _parent, _title, text, *a, **k: replies["warnings"].append(text))
    )
    return replies


def open_dialog(qtbot, **kwargs) -> ModelManagerDialog:
    dialog = ModelManagerDialog(**kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def cell(dialog: ModelManagerDialog, row: int, column: str) -> str:
    return dialog.table.item(row, COLUMNS.index(column)).text()


def test_the_dialog_lists_every_model_and_shipped_rows_are_read_only(qtbot, mine):
    dialog = open_dialog(qtbot)
    assert dialog.table.rowCount() == 2
    assert [cell(dialog, r, "Name") for r in range(2)] == [DEFAULT_MODEL, "mine"]
    assert cell(dialog, 0, "Where") == "shipped" and cell(dialog, 1, "Where") == "yours"
    assert cell(dialog, 1, "Architecture") == "lstm" and cell(dialog, 1, "Size").endswith(" MB")
    assert len(cell(dialog, 1, "Date")) == 10

    dialog.select(DEFAULT_MODEL)
    assert not dialog.rename_button.isEnabled() and not dialog.delete_button.isEnabled()
    assert dialog.rename_button.toolTip() == READ_ONLY_TIP == dialog.delete_button.toolTip()
    assert dialog.table.item(0, 0).toolTip() == READ_ONLY_TIP
    assert dialog.export_button.isEnabled() and not dialog.card_button.isEnabled()  # the stand-in has no card

    dialog.select("mine")
    assert dialog.rename_button.isEnabled() and dialog.delete_button.isEnabled() and dialog.card_button.isEnabled()
    card = dialog.show_card()
    qtbot.addWidget(card)
    assert "A tiny model card." in card.findChild(QTextBrowser, "modelCardView").toPlainText()


def test_rename_and_delete_ask_first(qtbot, mine, answers):
    dialog = open_dialog(qtbot)
    dialog.select("mine")
    with qtbot.waitSignal(dialog.modelRenamed) as renamed:
        answers["text"] = ["ours"]
        assert dialog.rename_selected() == user_models_dir() / "ours"
    assert renamed.args == [str(mine), str(user_models_dir() / "ours")]
    assert dialog.selected().name == "ours" and not mine.exists()

    answers["question"] = QMessageBox.StandardButton.No  # the user thinks again
    assert not dialog.delete_selected()
    assert (user_models_dir() / "ours").is_dir()
    answers["question"] = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(dialog.modelDeleted):
        assert dialog.delete_selected()
    assert sorted(p.name for p in user_models_dir().iterdir()) == []
    assert [m.name for m in dialog.rows] == [DEFAULT_MODEL] and answers["warnings"] == []


def test_a_clashing_rename_is_a_message_not_a_traceback(qtbot, mine, tiny_model_dir, answers):
    install_user_model(tiny_model_dir, "other")
    dialog = open_dialog(qtbot)
    dialog.select("mine")
    answers["text"] = ["other"]
    assert dialog.rename_selected() is None
    assert len(answers["warnings"]) == 1 and "already exists" in answers["warnings"][0]
    assert mine.is_dir()


def test_importing_a_bad_zip_shows_an_error_and_installs_nothing(qtbot, mine, tmp_path, answers):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name in ("config.json", "model.safetensors", "spm.model"):
            zf.write(mine / name, f"m/{name}")
        zf.writestr("m/../../escape.txt", b"gotcha")
    dialog = open_dialog(qtbot)
    answers["text"] = ["evil"]
    assert dialog.import_from(archive) is None
    assert len(answers["warnings"]) == 1 and "outside the folder" in answers["warnings"][0]
    assert sorted(p.name for p in user_models_dir().iterdir()) == ["mine"]
    assert [m.name for m in dialog.rows] == [DEFAULT_MODEL, "mine"]


def test_import_of_an_export_asks_again_when_the_name_is_taken(qtbot, mine, tmp_path, answers, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    dialog = open_dialog(qtbot)
    dialog.select("mine")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(tmp_path / "mine-export"), "")))
    assert dialog.export_selected() == tmp_path / "mine-export.zip"
    answers["text"] = ["mine", "mine-2"]  # the suggested name is taken: asked again
    with qtbot.waitSignal(dialog.modelsChanged):
        assert dialog.import_from(tmp_path / "mine-export.zip") == user_models_dir() / "mine-2"
    assert len(answers["warnings"]) == 1 and "already exists" in answers["warnings"][0]
    assert dialog.selected().name == "mine-2"


def test_deleting_the_model_in_use_switches_to_the_default(qtbot, mine, answers):
    window = open_window(qtbot)
    with qtbot.waitSignal(window.modelReady, timeout=MODEL_TIMEOUT_MS):
        window.use_model(str(mine))
    assert window.settings.get(Key.MODEL) == "mine"
    window.findChild(QAction, "manageModelsAction").trigger()  # Models → Manage Models…
    dialog = window.findChild(ModelManagerDialog)
    dialog.select("mine")
    assert "in use" in cell(dialog, 1, "Where")
    with qtbot.waitSignal(window.modelReady, timeout=MODEL_TIMEOUT_MS):
        assert dialog.delete_selected()
    assert Path(window.model_selector.current.path).name == DEFAULT_MODEL and window.settings.get(Key.MODEL) == DEFAULT_MODEL
    qtbot.waitUntil(lambda: [m.name for m in window.model_selector.entries] == [DEFAULT_MODEL], timeout=MODEL_TIMEOUT_MS)
    dialog.close()
    close_window(window)


def test_renaming_the_model_in_use_follows_the_new_name(qtbot, mine, answers):
    window = open_window(qtbot)
    with qtbot.waitSignal(window.modelReady, timeout=MODEL_TIMEOUT_MS):
        window.use_model(str(mine))
    dialog = window.model_selector.show_manager()
    dialog.select("mine")
    answers["text"] = ["renamed"]
    with qtbot.waitSignal(window.modelReady, timeout=MODEL_TIMEOUT_MS):
        dialog.rename_selected()
    assert Path(window.model_selector.current.path) == user_models_dir() / "renamed"
    assert window.settings.get(Key.MODEL) == "renamed"
    qtbot.waitUntil(
        lambda: [m.name for m in window.model_selector.entries] == [DEFAULT_MODEL, "renamed"], timeout=MODEL_TIMEOUT_MS
    )
    dialog.close()
    close_window(window)


def test_shipped_models_cannot_be_removed_through_the_dialog(qtbot, shipped_dir_with_tiny, answers):
    dialog = open_dialog(qtbot)
    dialog.select(DEFAULT_MODEL)
    assert dialog.delete_selected() is False and dialog.rename_selected() is None  # the buttons are off; the slots refuse too
    assert (shipped_dir_with_tiny / DEFAULT_MODEL).is_dir()
    shutil.rmtree(shipped_dir_with_tiny / DEFAULT_MODEL)
    dialog.refresh()  # nothing left: an empty table, no crash
    assert dialog.table.rowCount() == 0 and not dialog.export_button.isEnabled()
