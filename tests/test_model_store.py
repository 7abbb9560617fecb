"""The model manager's core (core.model_store) and its CLI (`translator-app models ...`).

Every refused import must leave nothing behind in the user models folder, not even a hidden
temporary folder, and must never run anything from the archive (a pickle is not unpickled).
"""

from __future__ import annotations

import io
import json
import pickle
import shutil
import stat
import zipfile
from pathlib import Path

import pytest

from translator_app.cli.main import main
from translator_app.core import model_store
from translator_app.core.modelfile import load_model_folder, update_config_fields
from translator_app.core.model_store import ModelStoreError, NameTakenError, ReadOnlyModelError, UnsafeArchiveError
from translator_app.core.paths import DEFAULT_MODEL, user_models_dir

MODEL_FILES = ("config.json", "model.safetensors", "spm.model")


@pytest.fixture()
def mine(shipped_dir_with_tiny, tiny_model_dir) -> Path:
    """A user model called "mine" beside the stand-in shipped default."""
    target = user_models_dir() / "mine"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(tiny_model_dir, target)
    return target


def leftovers() -> list[str]:
    """Everything in the user models folder, hidden temporaries included."""
    folder = user_models_dir()
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def make_zip(path: Path, entries: dict[str | zipfile.ZipInfo, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def model_entries(source: Path, folder: str = "m") -> dict[str | zipfile.ZipInfo, bytes]:
    return {f"{folder}/{name}": (source / name).read_bytes() for name in MODEL_FILES}


# ---- listing ------------------------------------------------------------------------------------


def test_list_shows_shipped_first_read_only_with_role_date_and_scores(mine):
    update_config_fields(mine, training={"started": "2024-05-01 10:00"}, metrics={"tests": {"everyday": {"sacrebleu": 12.34}}})
    rows = model_store.list_stored()
    assert [r.name for r in rows] == [DEFAULT_MODEL, "mine"]
    shipped, user = rows
    assert shipped.read_only and not user.read_only
    assert shipped.date and len(shipped.date) == 10  # the config's mtime when no start is recorded
    assert user.date == "2024-05-01"  # the training start wins over the mtime
    assert user.info.summary() == "everyday 12.3"
    assert user.info.architecture == "lstm" and user.info.size_bytes > 0


# ---- rename and delete --------------------------------------------------------------------------


def test_rename_moves_the_folder_and_the_config_name_follows(mine):
    path = model_store.rename_model("mine", "news-v2")
    assert path == user_models_dir() / "news-v2" and not mine.exists()
    assert json.loads((path / "config.json").read_text())["name"] == "news-v2"
    assert load_model_folder(path).metadata.name == "news-v2"
    assert leftovers() == ["news-v2"]


def test_rename_refuses_taken_and_unsafe_names(mine, tiny_model_dir):
    shutil.copytree(tiny_model_dir, user_models_dir() / "other")
    with pytest.raises(NameTakenError, match="already exists"):
        model_store.rename_model("mine", "other")
    with pytest.raises(NameTakenError, match="shipped model"):
        model_store.rename_model("mine", DEFAULT_MODEL)
    for bad in ("../escape", "a/b", ".hidden", "a:b", "x*", "_under"):
        with pytest.raises(ModelStoreError, match="not a valid model name"):
            model_store.rename_model("mine", bad)
    with pytest.raises(ModelStoreError, match="give the model a name"):
        model_store.rename_model("mine", "  ")
    for bad, why in (
        ("CON", "device name on Windows"),
        ("lpt1.zip", "device name"),
        ("ends.", "end with a dot"),
        ("x" * 65, "too long"),
    ):
        with pytest.raises(ModelStoreError, match=why):
            model_store.rename_model("mine", bad)
    with pytest.raises(NameTakenError, match="differ only in capitals"):  # one folder on Windows and macOS
        model_store.rename_model("mine", "OTHER")
    with pytest.raises(ModelStoreError, match="no model named 'ghost'"):
        model_store.rename_model("ghost", "x")
    assert leftovers() == ["mine", "other"]


def test_delete_removes_the_whole_folder(mine):
    model_store.delete_model("mine")
    assert leftovers() == []


def test_shipped_models_are_read_only(mine, shipped_dir_with_tiny):
    for action in (lambda: model_store.rename_model(DEFAULT_MODEL, "x"), lambda: model_store.delete_model(DEFAULT_MODEL)):
        with pytest.raises(ReadOnlyModelError, match="shipped with the app and is read-only"):
            action()
    assert (shipped_dir_with_tiny / DEFAULT_MODEL / "model.safetensors").is_file()


def test_model_card_is_the_readme(mine):
    (mine / "README.md").write_text("# mine\n\nA card.\n", encoding="utf-8")
    path, text = model_store.model_card("mine")
    assert path == mine / "README.md" and "A card." in text
    (mine / "README.md").unlink()
    with pytest.raises(ModelStoreError, match="has no model card"):
        model_store.model_card("mine")


# ---- import and export --------------------------------------------------------------------------


def test_import_a_folder_validates_and_refuses_a_clash(shipped_dir_with_tiny, tiny_model_dir):
    path = model_store.import_model(tiny_model_dir, "imported")
    assert load_model_folder(path).metadata.name == "imported"
    with pytest.raises(NameTakenError, match="already exists"):
        model_store.import_model(tiny_model_dir, "imported")
    with pytest.raises(NameTakenError, match="shipped model"):
        model_store.import_model(tiny_model_dir, DEFAULT_MODEL)
    assert leftovers() == ["imported"]


def test_export_then_import_round_trip(shipped_dir_with_tiny, tmp_path):
    out = tmp_path / "out"
    zip_path = model_store.export_model(DEFAULT_MODEL, out / "copy.zip")
    assert sorted(p.name for p in out.iterdir()) == ["copy.zip"]  # no temporary left beside it
    with zipfile.ZipFile(zip_path) as zf:
        assert {n.split("/")[0] for n in zf.namelist()} == {DEFAULT_MODEL}
    assert model_store.suggested_name(zip_path) == DEFAULT_MODEL
    path = model_store.import_model(zip_path, "copy")
    original = shipped_dir_with_tiny / DEFAULT_MODEL
    for name in ("model.safetensors", "spm.model"):
        assert (path / name).read_bytes() == (original / name).read_bytes()
    assert load_model_folder(path).metadata.name == "copy"
    with pytest.raises(NameTakenError):  # the zip's own name is the shipped one
        model_store.import_model(zip_path)
    # a folder: NAME.zip inside it, which already exists (the first export's name): replaced with force only
    assert model_store.export_model("copy", out, force=True).name == "copy.zip"
    assert leftovers() == ["copy"]


def _bomb(tmp_path, tiny_model_dir, monkeypatch):
    monkeypatch.setattr(model_store, "MAX_UNPACKED_BYTES", 8 * 1024**2)
    return {**model_entries(tiny_model_dir), "m/README.md": bytes(32 * 1024**2)}  # 32 MB of zeros, ~32 KB zipped


def _symlink(tmp_path, tiny_model_dir, monkeypatch):
    link = zipfile.ZipInfo("m/spm.model")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    entries = model_entries(tiny_model_dir)
    del entries["m/spm.model"]
    return {**entries, link: b"/etc/passwd"}


class _Trap:
    """Unpickling this creates a file: proof that a pickle was (never) loaded."""

    marker: Path

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def _pickle(tmp_path, tiny_model_dir, monkeypatch):
    _Trap.marker = tmp_path / "unpickled"
    return {**model_entries(tiny_model_dir), "m/model.safetensors": pickle.dumps({"weights": _Trap()})}


def _bad_shapes(tmp_path, tiny_model_dir, monkeypatch):
    config = json.loads((tiny_model_dir / "config.json").read_text())
    config["hyperparameters"]["hidden_dim"] *= 2
    return {**model_entries(tiny_model_dir), "m/config.json": json.dumps(config).encode()}


BAD_ZIPS = {
    "traversal": (lambda t, d, m: {**model_entries(d), "m/../../x": b"evil"}, UnsafeArchiveError, "outside the folder"),
    "absolute": (lambda t, d, m: {**model_entries(d), "/tmp/evil": b"evil"}, UnsafeArchiveError, "absolute"),
    "symlink": (_symlink, UnsafeArchiveError, "symbolic link"),
    "too many files": (
        lambda t, d, m: {**model_entries(d), **{f"m/extra{i}.txt": b"x" for i in range(10)}},
        UnsafeArchiveError,
        "entries",
    ),
    "zip bomb": (_bomb, UnsafeArchiveError, "more than the 8 MB"),
    "pickle weights": (_pickle, ModelStoreError, "model.safetensors: unreadable"),
    "shapes disagree": (_bad_shapes, ModelStoreError, "has shape"),
    "no config": (lambda t, d, m: {"m/model.safetensors": b"x"}, ModelStoreError, "no config.json"),
    "nested": (lambda t, d, m: {**model_entries(d), "m/sub/x": b"x"}, ModelStoreError, "one folder"),
}


@pytest.mark.parametrize("case", list(BAD_ZIPS))
def test_a_bad_zip_is_refused_and_leaves_nothing(case, shipped_dir_with_tiny, tiny_model_dir, tmp_path, monkeypatch):
    build, error, message = BAD_ZIPS[case]
    archive = make_zip(tmp_path / "bad.zip", build(tmp_path, tiny_model_dir, monkeypatch))
    with pytest.raises(error, match=message):
        model_store.import_model(archive, "bad")
    assert leftovers() == []
    assert not (tmp_path / "unpickled").exists()  # the pickle was never loaded
    assert not (tmp_path / "x").exists() and not Path("/tmp/evil").exists()


def test_a_file_that_is_no_zip_is_refused(shipped_dir_with_tiny, tmp_path):
    fake = tmp_path / "model.bin"
    fake.write_bytes(b"not a zip at all")
    with pytest.raises(ModelStoreError, match="neither a model folder nor a .zip"):
        model_store.import_model(fake, "fake")
    assert leftovers() == []


def test_a_damaged_zip_says_so_and_its_name_has_no_extension(shipped_dir_with_tiny, tmp_path):
    """Issue 29, item 9: a .zip cut short was "neither a model folder nor a .zip file", and "trunc.zip" the name offered."""
    whole = model_store.export_model(DEFAULT_MODEL, tmp_path / "whole.zip")
    trunc = tmp_path / "trunc.zip"
    trunc.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])  # a download cut short
    assert model_store.suggested_name(trunc) == "trunc"
    for check in (lambda: model_store.check_source(trunc), lambda: model_store.import_model(trunc, "trunc")):
        with pytest.raises(ModelStoreError, match="damaged or incomplete .zip file") as refused:
            check()
        assert "neither" not in str(refused.value)
    corrupt = tmp_path / "corrupt.zip"  # whole, but a member's bytes changed: found before any name is asked
    data = bytearray(whole.read_bytes())
    with zipfile.ZipFile(whole) as zf:
        info = zf.getinfo(f"{DEFAULT_MODEL}/model.safetensors")
    middle = info.header_offset + 30 + len(info.filename) + info.compress_size // 2
    data[middle : middle + 64] = bytes(64)
    corrupt.write_bytes(bytes(data))
    with pytest.raises(ModelStoreError, match="damaged"):
        model_store.check_source(corrupt)
    folder = tmp_path / "not-a-model"
    folder.mkdir()
    with pytest.raises(ModelStoreError, match="not a model folder"):
        model_store.check_source(folder)
    model_store.check_source(whole)  # a good one passes
    assert leftovers() == []


def test_names_may_hold_spaces_and_umlauts(mine, tmp_path, capsys):
    """Issue 29, item 9: "Mein Modell für Ärzte" was refused; the folder is the name itself, in composed form."""
    name = "Mein Modell für Ärzte (v2)"
    typed_on_a_mac = "Mein Modell fu\u0308r A\u0308rzte (v2)"  # decomposed umlauts, as macOS hands them over
    path = model_store.rename_model("mine", typed_on_a_mac)
    assert path == user_models_dir() / name and path.is_dir() and leftovers() == [name]
    assert json.loads((path / "config.json").read_text(encoding="utf-8"))["name"] == name
    assert load_model_folder(path).metadata.name == name
    assert [m.name for m in model_store.list_stored() if not m.read_only] == [name]
    assert model_store.locate(name) == path
    archive = model_store.export_model(name, tmp_path / "export.zip")
    assert model_store.suggested_name(archive) == name  # the zip's folder keeps the name
    with pytest.raises(NameTakenError):
        model_store.import_model(archive)
    assert model_store.import_model(archive, "Zweite Kopie").name == "Zweite Kopie"
    assert main(["models", "rename", name, "Straße 3"]) == 0
    assert "Renamed" in capsys.readouterr().out and (user_models_dir() / "Straße 3").is_dir()
    assert model_store.rename_model("Straße 3", "STRASSE 3").name == "STRASSE 3"  # only the capitals: allowed


def test_a_renamed_copy_carries_its_name_and_no_claim_to_be_the_default(shipped_dir_with_tiny, tmp_path):
    """Issue 29, item 9: a copy of general-lstm-de-en showed "general-lstm-de-en — Default, ..." in its card."""
    from translator_app.core.model_card import write_model_card
    from translator_app.core.types.modelformat import ModelMetadata

    shipped = shipped_dir_with_tiny / DEFAULT_MODEL
    description = "Default, everyday German: LSTM encoder-decoder trained on Tatoeba"
    update_config_fields(shipped, name=DEFAULT_MODEL, description=description)
    loaded = load_model_folder(shipped)
    (shipped / "README.md").write_text(
        write_model_card(ModelMetadata(name=DEFAULT_MODEL, description=description), loaded.config), encoding="utf-8"
    )
    archive = model_store.export_model(DEFAULT_MODEL, tmp_path / "copy.zip")
    path = model_store.import_model(archive, "meine Kopie")
    config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    card = model_store.model_card("meine Kopie")[1]
    assert config["description"] == f"Everyday German: LSTM encoder-decoder trained on Tatoeba (a copy of {DEFAULT_MODEL})"
    assert card.startswith("# meine Kopie\n") and config["description"] in card
    assert "Default" not in card and "Default" not in config["description"]
    path = model_store.rename_model("meine Kopie", "news v2")
    card = model_store.model_card("news v2")[1]
    assert card.startswith("# news v2\n") and "meine Kopie" not in card
    assert card.count("(a copy of") == 1 and f"(a copy of {DEFAULT_MODEL})" in card
    assert (shipped / "README.md").read_text(encoding="utf-8").startswith(f"# {DEFAULT_MODEL}\n")  # the original is untouched


# ---- the CLI ------------------------------------------------------------------------------------


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["models", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_models_without_action_still_lists(mine, capsys):
    code, out, _ = run_cli(capsys)
    assert code == 0 and out.startswith("NAME") and "mine" in out and "shipped" in out


def test_cli_rename_delete_import_export_card(mine, capsys, tmp_path, monkeypatch):
    assert run_cli(capsys, "rename", "mine", "ours")[:2] == (0, f"Renamed mine to ours ({user_models_dir() / 'ours'})\n")
    code, out, err = run_cli(capsys, "export", "ours", str(tmp_path / "ours.zip"))
    assert code == 0 and (tmp_path / "ours.zip").is_file()
    code, out, err = run_cli(capsys, "import", str(tmp_path / "ours.zip"))
    assert code == 2 and err.count("\n") == 1 and "already exists" in err and "--name NAME" in err
    code, out, err = run_cli(capsys, "import", str(tmp_path / "ours.zip"), "--name", "theirs")
    assert code == 0 and "Imported theirs" in out
    (user_models_dir() / "theirs" / "README.md").write_text("# theirs card\n", encoding="utf-8")
    assert "# theirs card" in run_cli(capsys, "card", "theirs")[1]

    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: --yes is required
    code, out, err = run_cli(capsys, "delete", "theirs")
    assert code == 2 and "without --yes" in err and (user_models_dir() / "theirs").is_dir()
    assert run_cli(capsys, "delete", "theirs", "--yes")[0] == 0
    assert leftovers() == ["ours"]


def test_cli_delete_asks_on_a_terminal(mine, capsys, monkeypatch):
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Tty(""))
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert run_cli(capsys, "delete", "mine")[0] == 1 and mine.is_dir()
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    assert run_cli(capsys, "delete", "mine")[0] == 0 and not mine.exists()


@pytest.mark.parametrize(
    "argv, message",
    [
        (("delete", DEFAULT_MODEL, "--yes"), "read-only"),
        (("rename", DEFAULT_MODEL, "x"), "read-only"),
        (("rename", "mine", "../x"), "not a valid model name"),
        (("card", "ghost"), "no model named 'ghost'"),
        (("import", "/no/such/thing.zip"), "no such file"),
    ],
)
def test_cli_errors_are_one_line_and_exit_2(mine, capsys, argv, message):
    code, out, err = run_cli(capsys, *argv)
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1 and message in err
    assert "Traceback" not in err
