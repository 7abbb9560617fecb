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
from translator_app.core.types.architectures import TUTORIALS
from translator_app.core.paths import DEFAULT_MODEL, project_root, user_models_dir
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
    """The text of the ``row``-th model's cell (family headings are not counted)."""
    return dialog.table.item(dialog.model_rows()[row], COLUMNS.index(column)).text()


def test_the_dialog_lists_every_model_and_shipped_rows_are_read_only(qtbot, mine):
    dialog = open_dialog(qtbot)
    assert dialog.table.rowCount() == 3 and dialog.model_rows() == [1, 2]  # one family's heading, then its models
    assert dialog.table.item(0, 0).text() == f"{TUTORIALS['lstm'].label}  (lstm)" and dialog.table.columnSpan(0, 0) == len(
        COLUMNS
    )
    assert [cell(dialog, r, "Name") for r in range(2)] == [DEFAULT_MODEL, "mine"]
    assert cell(dialog, 0, "Where") == "shipped" and cell(dialog, 1, "Where") == "yours"
    assert cell(dialog, 1, "Size").endswith(" MB")
    assert len(cell(dialog, 1, "Date")) == 10
    dialog.table.selectRow(0)  # a heading is not a model
    assert dialog.selected() is None or dialog.selected().name in (DEFAULT_MODEL, "mine")

    dialog.select(DEFAULT_MODEL)
    assert not dialog.rename_button.isEnabled() and not dialog.delete_button.isEnabled()
    assert dialog.rename_button.toolTip() == READ_ONLY_TIP == dialog.delete_button.toolTip()
    assert dialog.table.item(dialog.model_rows()[0], 0).toolTip() == READ_ONLY_TIP
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


def test_a_damaged_zip_is_refused_before_any_name_is_asked(qtbot, mine, tmp_path, answers):
    """Issue 29, item 9: a cut-short zip asked for a name ("trunc.zip"), then said "neither a model folder nor a .zip file"."""
    from translator_app.core import model_store

    whole = model_store.export_model("mine", tmp_path / "whole.zip")
    trunc = tmp_path / "trunc.zip"
    trunc.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    asked = []
    answers["text"] = ["should-not-be-used"]
    QInputDialog.getText, original = (lambda *a, **k: asked.append(k.get("text")) or ("x", True)), QInputDialog.getText
    try:
        dialog = open_dialog(qtbot)
        assert dialog.import_from(trunc) is None
    finally:
        QInputDialog.getText = original
    assert asked == []  # no name asked for something that cannot install
    assert len(answers["warnings"]) == 1 and "damaged or incomplete .zip file" in answers["warnings"][0]
    assert "neither" not in answers["warnings"][0]
    assert sorted(p.name for p in user_models_dir().iterdir()) == ["mine"]


def test_import_suggests_the_name_without_extension_and_takes_spaces_and_umlauts(qtbot, mine, tmp_path, monkeypatch):
    from translator_app.core import model_store

    archive = tmp_path / "Mein Modell.zip"
    with zipfile.ZipFile(archive, "w") as zf:  # files at the top, no folder: the name comes from the zip's
        for name in ("config.json", "model.safetensors", "spm.model"):
            zf.write(mine / name, name)
    offered = []

    def get_text(*_args, text="", **_kwargs):
        offered.append(text)
        return "Übersetzer für Ärzte", True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    dialog = open_dialog(qtbot)
    path = dialog.import_from(archive)
    assert offered == ["Mein Modell"] and path == user_models_dir() / "Übersetzer für Ärzte"
    assert dialog.selected().name == "Übersetzer für Ärzte"
    assert model_store.model_card  # the card follows (core test); the details name it
    assert dialog.details.text().startswith("Übersetzer für Ärzte")


def test_a_renamed_copy_of_the_default_does_not_claim_to_be_it(qtbot, shipped_dir_with_tiny, tmp_path, answers):
    """Issue 29, item 9: the card of a renamed copy said "general-lstm-de-en — Default…"."""
    from translator_app.core import model_store
    from translator_app.core.modelfile import update_config_fields

    shipped = shipped_dir_with_tiny / DEFAULT_MODEL
    update_config_fields(shipped, name=DEFAULT_MODEL, description="Default, everyday German: tiny LSTM")
    (shipped / "README.md").write_text(f"# {DEFAULT_MODEL}\n\nDefault, everyday German: tiny LSTM\n", encoding="utf-8")
    archive = model_store.export_model(DEFAULT_MODEL, tmp_path / "copy.zip")
    answers["text"] = ["my copy"]
    dialog = open_dialog(qtbot)
    dialog.import_from(archive)
    answers["text"] = ["unsere Kopie"]
    dialog.select("my copy")
    assert dialog.rename_selected() == user_models_dir() / "unsere Kopie"
    assert dialog.details.text().startswith(f"unsere Kopie — Everyday German: tiny LSTM (a copy of {DEFAULT_MODEL})")
    card = dialog.show_card()
    qtbot.addWidget(card)
    shown = card.findChild(QTextBrowser, "modelCardView").toPlainText()
    assert shown.startswith("unsere Kopie") and "Default" not in shown and DEFAULT_MODEL in shown
    assert card.windowTitle() == "Model card — unsere Kopie"
    assert answers["warnings"] == []


FIT_SCRIPT = r"""
import json, sys
from translator_app.gui.app import create_application
app = create_application(["x"])
from translator_app.gui.model_manager import COLUMNS, ModelManagerDialog
dialog = ModelManagerDialog()
dialog.show()
for _ in range(20):
    app.processEvents()
table, cut = dialog.table, []
for row in dialog.model_rows():
    for column in range(len(COLUMNS)):
        item = table.item(row, column)
        needed = table.fontMetrics().horizontalAdvance(item.text()) + 6  # the cell's text and its margins (3 + 3)
        if needed > table.columnWidth(column) or table.sizeHintForColumn(column) > table.columnWidth(column):
            cut.append([item.text(), needed, table.columnWidth(column)])
header = table.horizontalHeader()
dialog.grab().save(sys.argv[1])
print(json.dumps({"size": [dialog.width(), dialog.height()], "cut": cut, "columns": header.length(),
                  "room": table.viewport().width(), "rows": table.rowCount(), "visible_rows": table.rowAt(table.viewport().height() - 2)}))
"""


@pytest.mark.skipif(not (project_root() / "models" / DEFAULT_MODEL).is_dir(), reason="no shipped models")
def test_at_its_default_size_no_column_is_cut(tmp_path):
    """Issue 29, item 9: at 1000 × 420 the domains and the scores were cut off. On a small laptop screen
    (1366 × 768, Qt's offscreen platform configured so) with every shipped model and a user's copy."""
    import json
    import os
    import subprocess
    import sys

    from translator_app.core import model_store

    model_store.import_model(project_root() / "models" / DEFAULT_MODEL, "Mein Modell für Ärzte")
    screen = tmp_path / "screen.json"
    screen.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768}]}))
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={screen}",
        "TRANSLATOR_APP_SHIPPED_MODELS": str(project_root() / "models"),
    }
    shot = tmp_path / "model-manager.png"
    proc = subprocess.run([sys.executable, "-c", FIT_SCRIPT, str(shot)], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["cut"] == [] and report["columns"] <= report["room"], report
    assert report["visible_rows"] in (-1, report["rows"] - 1), report  # every row shows: no scrolling to find a model
    assert shot.stat().st_size > 10_000
