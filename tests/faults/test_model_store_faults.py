"""Fault injection: hostile model archives, folders and configs given to the model store (issue 28).

Item 1: a config.json or model card far larger than any the app writes (a 1 GiB ``description``
zips to a few MB) is refused by its size before a byte of it is unpacked or read, on import, on
every listing and when a card is shown. Item 7: a ``default_decoding`` outside the command line's
limits or a ``format_version`` that is no version is refused on import, and an installed model
with one names itself and the field. Item 8 (export): an existing file is never overwritten
without ``--force`` (the window asks), and the name must end in ``.zip``.

The full-size figures (1 GiB) are measured in fresh child processes (``devtools.config_bomb``) by the slow
tests and by ``benchmarks/faults.py``; the fast tests use 8 MB files and tracemalloc.
"""

from __future__ import annotations

import json
import math
import shutil
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from translator_app.cli.main import main
from translator_app.core import model_store
from translator_app.core.catalog import list_models
from translator_app.core.modelfile import load_model_folder
from translator_app.core.types.modelformat import FILE_BOUNDS, ModelFileError, read_config
from translator_app.core.model_store import ExportTargetError, ModelStoreError, UnsafeArchiveError
from translator_app.core.paths import DEFAULT_MODEL, user_models_dir
from translator_app.devtools.config_bomb import (
    BESIDE_CONFIG,
    import_refusal_cost,
    install_big_config_model,
    listing_cost,
    write_big_config,
    write_big_config_zip,
)
from translator_app.devtools.peak_memory import MB

FAST_MB = 8  # a config this large is 4x its bound: refused, and quick to write
PEAK_MB = 400  # the bound for importing or listing a model with a 1 GiB config
REFUSE_SECONDS = 2.0


def _traced(action) -> float:
    """The most memory (MB) Python allocated at once while ``action()`` ran."""
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()


# ------------------------------------------------------------------------------------------
# Item 1: one oversized file


@pytest.mark.fault(1, "a zip whose config.json is 8 MB: refused before unpacking")
def test_an_oversized_config_in_a_zip_is_refused_before_it_is_unpacked(tmp_path, tiny_model_dir, monkeypatch):
    archive = write_big_config_zip(tmp_path / "big.zip", tiny_model_dir, FAST_MB)
    opened: list[str] = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(
        zipfile.ZipFile, "open", lambda self, name, *a, **k: opened.append(str(name)) or real_open(self, name, *a, **k)
    )
    started = time.perf_counter()
    with pytest.raises(UnsafeArchiveError, match=r"config\.json is 8\.0 MB, more than the 2 MB a model config"):
        model_store.import_model(archive)
    assert time.perf_counter() - started < REFUSE_SECONDS
    assert opened == []  # no member was unpacked, not even the small ones
    assert not user_models_dir().exists() or list(user_models_dir().iterdir()) == []


@pytest.mark.fault(1, "a model folder whose config.json is 8 MB: refused on import, unread")
def test_an_oversized_config_in_a_folder_is_refused_unread(tmp_path, tiny_model_dir):
    folder = tmp_path / "big"
    shutil.copytree(tiny_model_dir, folder)
    write_big_config(folder / "config.json", tiny_model_dir, FAST_MB)
    with pytest.raises(UnsafeArchiveError, match="more than the 2 MB a model config"):
        model_store.import_model(folder)
    with pytest.raises(ModelFileError, match="refused unread"):
        read_config(folder)
    assert _traced(lambda: pytest.raises(ModelFileError, read_config, folder)) < 1


@pytest.mark.fault(1, "listing with an installed model whose config.json is 8 MB")
def test_listing_reads_no_more_of_an_oversized_config_than_it_shows(shipped_dir_with_tiny, tiny_model_dir):
    install_big_config_model(tiny_model_dir, FAST_MB)
    rows: list = []
    peak = _traced(lambda: rows.extend(model_store.list_stored()))
    big = [r for r in rows if r.name == "big"][0]
    assert big.info.error is not None and "refused unread" in big.info.error and big.info.description == ""
    assert [r.name for r in rows if not r.info.error] == [DEFAULT_MODEL]  # the others are listed as before
    assert peak < 2, f"listing allocated {peak:.1f} MB at once"


@pytest.mark.fault(1, "a model card (README.md) of 8 MB")
def test_an_oversized_model_card_is_refused_unread(shipped_dir_with_tiny, tiny_model_dir):
    folder = install_big_config_model(tiny_model_dir, 0)
    (folder / "config.json").write_bytes((tiny_model_dir / "config.json").read_bytes())
    with open(folder / "README.md", "wb") as fh:
        fh.truncate(FAST_MB * MB)
    with pytest.raises(ModelStoreError, match="more than the 1 MB a model card"):
        model_store.model_card("big")
    from translator_app.gui.model_details import model_details

    class Loaded:  # what model_details reads off a Translator
        path, name, architecture, has_attention, domains, supports_glossary = folder, "big", "lstm", False, [], True
        metadata = load_model_folder(folder).metadata

        def default_options(self):
            raise ValueError

        def device_description(self):
            return "cpu"

    assert model_details(Loaded(), 0.0).card.startswith("# ")  # built from config.json instead


@pytest.mark.fault(1, "an spm.model or model.safetensors over its bound")
@pytest.mark.parametrize("name", ["spm.model", "model.safetensors"])
def test_an_oversized_model_file_is_refused_by_its_size(tmp_path, tiny_model_dir, name):
    folder = tmp_path / "m"
    shutil.copytree(tiny_model_dir, folder)
    with open(folder / name, "r+b") as fh:  # sparse: the size alone must refuse it
        fh.truncate(FILE_BOUNDS[name].max_bytes + 1)
    with pytest.raises(ModelFileError, match=f"{name}: .* MB, more than the .* MB a {FILE_BOUNDS[name].what}"):
        load_model_folder(folder)


@pytest.mark.slow
@pytest.mark.fault(1, "importing a 1 GiB config.json (zipped): peak memory and time to refuse")
def test_importing_a_1_gib_config_is_refused_cheaply(tmp_path, tiny_model_dir):
    archive = write_big_config_zip(tmp_path / "big.zip", tiny_model_dir, 1024)
    peak, seconds = import_refusal_cost(archive, tmp_path)
    assert peak < PEAK_MB and seconds < REFUSE_SECONDS, (peak, seconds)


@pytest.mark.slow
@pytest.mark.fault(1, "listing with a 1 GiB config.json installed: peak memory and time")
def test_listing_with_a_1_gib_config_is_cheap(tmp_path, shipped_dir_with_tiny, tiny_model_dir):
    install_big_config_model(tiny_model_dir, 1024)
    peak, seconds = listing_cost(tmp_path)
    assert peak < PEAK_MB and seconds < REFUSE_SECONDS, (peak, seconds)


# ------------------------------------------------------------------------------------------
# Item 7: a config that makes the model unusable


def _zip_with_config(tmp_path: Path, tiny_model_dir: Path, **fields) -> Path:
    raw = json.loads((tiny_model_dir / "config.json").read_text(encoding="utf-8"))
    raw.update(fields)
    archive = tmp_path / "odd.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name in BESIDE_CONFIG:
            zf.write(tiny_model_dir / name, f"odd/{name}")
        zf.writestr("odd/config.json", json.dumps(raw))  # NaN is written as NaN, which json reads back
    return archive


@pytest.mark.fault(7, "default_decoding beam_width 10^9, length_penalty NaN, ... in an import")
@pytest.mark.parametrize(
    ("decoding", "message"),
    [
        ({"beam_width": 10**9}, r"default_decoding\.beam_width is 1000000000, but beam width must be between 1 and 64"),
        ({"beam_width": 0}, r"default_decoding\.beam_width is 0, but beam width"),
        ({"length_penalty": math.nan}, r"default_decoding\.length_penalty is nan, but length penalty"),
        ({"length_penalty": math.inf}, r"default_decoding\.length_penalty is inf"),
        ({"max_length_ratio": 0.0}, r"default_decoding\.max_length_ratio is 0\.0, but max length ratio must be above 0"),
        ({"n_best": True}, r"default_decoding\.n_best must be a number \(a whole number\), not True"),
        ({"glossary": "terms.tsv"}, r"default_decoding\.glossary cannot be set by a model"),
    ],
)
def test_an_unusable_default_decoding_is_refused_on_import(tmp_path, tiny_model_dir, decoding, message):
    archive = _zip_with_config(tmp_path, tiny_model_dir, default_decoding=decoding)
    with pytest.raises(ModelStoreError, match=rf"odd\.zip.*config\.json: {message}"):
        model_store.import_model(archive)
    assert not (user_models_dir() / "odd").exists()


@pytest.mark.fault(7, "format_version true, -5, 0, 1.0 or \"1\" in an import")
@pytest.mark.parametrize("version", [True, -5, 0, 1.0, "1"])
def test_a_format_version_that_is_no_version_is_refused(tmp_path, tiny_model_dir, version):
    archive = _zip_with_config(tmp_path, tiny_model_dir, format_version=version)
    with pytest.raises(ModelStoreError, match=rf"format_version must be a whole number from 1 to 1, not {version!r}"):
        model_store.import_model(archive)


@pytest.mark.fault(7, "translate --model X whose installed config has beam_width 10^9")
def test_an_installed_model_with_a_bad_default_names_itself_and_the_field(shipped_dir_with_tiny, tiny_model_dir, capsys):
    folder = user_models_dir() / "wide"
    shutil.copytree(tiny_model_dir, folder)
    raw = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    (folder / "config.json").write_text(json.dumps({**raw, "default_decoding": {"beam_width": 10**9}}), encoding="utf-8")
    assert main(["translate", "--model", "wide", "Ein Hund."]) == 2
    err = capsys.readouterr().err
    assert str(folder / "config.json") in err and "default_decoding.beam_width is 1000000000" in err
    assert "Traceback" not in err
    assert [m.error for m in list_models() if m.name == "wide"][0] is not None  # listed as broken, not loadable


# ------------------------------------------------------------------------------------------
# Item 8 (export): never overwrite without asking


@pytest.mark.fault(8, "models export NAME existing.txt / existing.zip")
def test_export_never_overwrites_without_force_and_wants_a_zip(shipped_dir_with_tiny, tmp_path, capsys):
    notes = tmp_path / "existing.txt"
    notes.write_text("my notes", encoding="utf-8")
    assert main(["models", "export", DEFAULT_MODEL, str(notes)]) == 2
    assert "give a name ending in .zip" in capsys.readouterr().err
    assert main(["models", "export", DEFAULT_MODEL, str(notes), "--force"]) == 2  # --force does not make it a zip
    assert notes.read_text(encoding="utf-8") == "my notes"

    old = tmp_path / "old.zip"
    old.write_bytes(b"an older export")
    with pytest.raises(ExportTargetError, match="already exists; not overwritten"):
        model_store.export_model(DEFAULT_MODEL, old)
    assert main(["models", "export", DEFAULT_MODEL, str(tmp_path)]) == 0  # a folder: NAME.zip inside it
    assert main(["models", "export", DEFAULT_MODEL, str(tmp_path)]) == 2  # ... which is then refused too
    assert old.read_bytes() == b"an older export" and list(tmp_path.glob(".*partial*")) == []
    assert main(["models", "export", DEFAULT_MODEL, str(old), "--force"]) == 0
    assert zipfile.is_zipfile(old)


@pytest.mark.fault(8, "the window's export onto an existing file asks first")
@pytest.mark.parametrize("reply", ["No", "Yes"])
def test_the_window_asks_before_replacing_an_export(qtbot, shipped_dir_with_tiny, tmp_path, monkeypatch, reply):
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from translator_app.gui.model_manager import ModelManagerDialog

    old = tmp_path / "old.zip"
    old.write_bytes(b"an older export")
    asked: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(tmp_path / "old"), "")))

    def question(_parent, _title, text, *args, **kwargs):
        asked.append(text)
        return getattr(QMessageBox.StandardButton, reply)

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: pytest.fail(f"warning: {a}")))
    dialog = ModelManagerDialog()
    qtbot.addWidget(dialog)
    dialog.select(DEFAULT_MODEL)
    result = dialog.export_selected()
    assert len(asked) == 1 and "old.zip" in asked[0] and "already exists" in asked[0]
    if reply == "No":
        assert result is None and old.read_bytes() == b"an older export"
    else:
        assert result == old and zipfile.is_zipfile(old)
