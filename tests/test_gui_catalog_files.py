"""File → Translate File with a PO or XLIFF file: the scope question, the fill-in on the worker, the
status bar's report, and a bad file refused before asking where to save."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from PySide6.QtWidgets import QFileDialog

from gui_support import TRANSLATE_TIMEOUT_MS, close_window, open_window
from translator_app.core.catalogs import summarize
from translator_app.core.types.catalogs import EntryState, Scope
from translator_app.gui.catalog_scope import CatalogScopeDialog

DATA = Path(__file__).parent / "data" / "localization"


@pytest.fixture()
def window(qtbot, shipped_dir_with_tiny):
    win = open_window(qtbot)
    yield win
    close_window(win)


def test_translate_a_po_file_in_place_from_the_menu(qtbot, window, tmp_path, monkeypatch):
    source = tmp_path / "fotos.en.po"
    shutil.copy(DATA / "fotos.en.po", source)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(source), "")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(source), "")))  # write it back

    def answer(dialog: CatalogScopeDialog) -> int:
        assert dialog.untranslated_radio.isChecked() and "(7)" in dialog.untranslated_radio.text()
        dialog.all_radio.setChecked(True)
        return CatalogScopeDialog.DialogCode.Accepted

    monkeypatch.setattr(CatalogScopeDialog, "exec", answer)
    with qtbot.waitSignal(window.files.finished, timeout=TRANSLATE_TIMEOUT_MS) as blocker:
        window.choose_file_to_translate()
    result = blocker.args[0]
    assert result.filled == 16 and result.encoding == "gettext PO"
    live = [e for e in polib.pofile(str(source)) if not e.obsolete]
    assert len(live) == 14 and all("fuzzy" in e.flags for e in live)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.is_dir()) == ["fotos.en.po"]  # no temp file left
    assert "Filled in 16 entries of fotos.en.po" in window.statusBar().currentMessage()


def test_translate_an_xliff_file_untranslated_only(qtbot, window, tmp_path):
    target = tmp_path / "reisen.translated.xlf"
    with qtbot.waitSignal(window.files.finished, timeout=TRANSLATE_TIMEOUT_MS):
        window.files.start(DATA / "reisen-2.0.xlf", target, Scope.UNTRANSLATED)
    summary = summarize(target)
    assert summary.count(EntryState.UNTRANSLATED) == 0 and summary.count(EntryState.TRANSLATED) == 6


def test_an_english_source_file_is_refused_before_asking_where_to_save(qtbot, window, monkeypatch):
    asked = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(DATA / "shop.de.po"), "")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: asked.append(a) or ("", "")))
    monkeypatch.setattr(CatalogScopeDialog, "exec", lambda self: asked.append(self) or CatalogScopeDialog.DialogCode.Accepted)
    window.choose_file_to_translate()
    assert "shop.de.po is English → German" in window.statusBar().currentMessage()
    assert not asked and not window.files.running


def test_a_broken_xliff_is_refused_with_its_line(qtbot, window, tmp_path, monkeypatch):
    broken = tmp_path / "broken.xlf"
    broken.write_text((DATA / "notizen-1.2.xlf").read_text(encoding="utf-8").replace("</source>", "", 1), encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(broken), "")))
    window.choose_file_to_translate()
    assert "not well-formed XML (line" in window.statusBar().currentMessage() and window.files.scope_dialog is None


def test_the_training_tab_previews_po_and_xliff_with_their_skip_reasons(qtbot, shipped_dir_with_tiny, tmp_path):
    from translator_app.gui.training import TrainingTab

    tab = TrainingTab()
    qtbot.addWidget(tab)
    tab.resize(1100, 700)
    tab.show()
    for name, kept, reasons in [
        ("fotos.en.po", 7, ["8 untranslated", "1 fuzzy", "2 obsolete"]),
        ("notizen-1.2.xlf", 3, ["3 untranslated", "1 fuzzy", "1 not for translation"]),
    ]:
        with qtbot.waitSignal(tab.previewShown, timeout=TRANSLATE_TIMEOUT_MS) as blocker:
            tab.set_data_files([str(DATA / name)])
        result = blocker.args[0]
        assert result is not None and result.kept == kept and result.format == name.split(".")[-1].replace("xlf", "xliff")
        assert tab.preview_table.rowCount() == kept
        assert all(reason in tab.data_summary.text() for reason in reasons), tab.data_summary.text()
    assert not tab.grab().isNull()
    assert tab.shutdown()
