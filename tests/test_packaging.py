"""Packaging: the PyInstaller spec's inputs, the Linux desktop entry and icons (fast), and a frozen
build that starts and translates (slow: ``python -m pytest -m slow tests/test_packaging.py``)."""

from __future__ import annotations

import ast
import configparser
import json
import os
import shutil
import struct
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
RESOURCES = ROOT / "resources"
sys.path.insert(0, str(PACKAGING))
import bundle_config  # noqa: E402
from conftest import read_multi30k  # noqa: E402

sys.path.remove(str(PACKAGING))


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


# --- fast ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", ["translator_app.spec", "translator_app_onefile.spec"])
def test_spec_files_parse(spec):
    tree = ast.parse((PACKAGING / spec).read_text(encoding="utf-8"))
    assert tree.body


def test_spec_wiring():
    source = (PACKAGING / "translator_app.spec").read_text(encoding="utf-8")
    for needle in (
        "launcher.py",
        "hookspath",
        "cfg.app_datas(ROOT)",
        "excludes=cfg.EXCLUDES + cfg.torch_testing_excludes()",
        "icon=icon",
        "COLLECT(",
    ):
        assert needle in source
    assert "from translator_app.cli.main import main" in (PACKAGING / "launcher.py").read_text(encoding="utf-8")
    for hook in ("hook-spacy.py", "hook-thinc.py", "hook-sacrebleu.py", "hook-translator_app.py"):
        ast.parse((PACKAGING / "hooks" / hook).read_text(encoding="utf-8"))


def test_launcher_runs_the_cli():
    result = subprocess.run(
        [sys.executable, str(PACKAGING / "launcher.py"), "--version"], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert result.returncode == 0 and result.stdout.startswith("translator-app ")


def test_bundled_datas_hold_resources_and_icons():
    datas = bundle_config.resource_datas(ROOT)
    bundled = {str(Path(dest) / Path(src).name) for src, dest in datas}
    assert "resources/translator-app.desktop" in bundled
    assert "resources/translator-app.svg" in bundled
    for size in bundle_config.ICON_SIZES:
        assert f"resources/icons/translator-app-{size}.png" in bundled
    assert not any("screenshots" in dest for _src, dest in datas)
    assert all(Path(src).is_file() for src, _dest in datas)


def test_bundled_models_are_model_folders_only(tmp_path, monkeypatch):
    model = tmp_path / "lstm-de-en"
    model.mkdir()
    shipped = ("config.json", "model.safetensors", "spm.model", "README.md", "shortlist.safetensors", "replay.safetensors")
    for name in shipped + ("checkpoint.safetensors",):
        (model / name).write_text("x")
    (tmp_path / "not-a-model").mkdir()
    (tmp_path / ".lstm-run").mkdir()
    (tmp_path / ".lstm-run" / "config.json").write_text("{}")
    monkeypatch.setenv(bundle_config.MODELS_ENV, str(tmp_path))
    datas = [d for d in bundle_config.app_datas(ROOT) if d[1].startswith("models")]
    assert sorted(Path(src).name for src, _ in datas) == sorted(shipped)  # the shortlist and replay sample too
    assert {dest for _, dest in datas} == {"models/lstm-de-en"}


# What the NumPy engine (the default model's) needs beyond numpy: safetensors' NumPy loader and threadpoolctl
NUMPY_ENGINE = ("translator_app.core.numpy_engine.network", "safetensors.numpy", "threadpoolctl")


def test_exclusions():
    for module in (
        "tkinter",
        "matplotlib",
        "IPython",
        "tensorboard",
        "triton",
        "PySide6.QtWebEngineCore",
        "PySide6.Qt3DCore",
        "PySide6.QtQuick",
        "PySide6.QtMultimedia",
    ):
        assert module in bundle_config.EXCLUDES
    for needed in ("PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtSvg", "torch", "spacy", *NUMPY_ENGINE):
        assert not any(needed == m or needed.startswith(m + ".") for m in bundle_config.EXCLUDES), needed
    for dest in (
        "torch/bin/test_api",
        "torch/test/c10_Half_test",
        "torch/include/ATen/ATen.h",
        "torch/lib/libtorchbind_test.so",
        "PySide6/Qt/translations/qtbase_de.qm",
        "nvidia/cublas/lib/libcublas.so.12",
        "numpy/_core/tests/data/x.csv",
        "babel/locale-data/fr.dat",
    ):
        assert bundle_config.dropped(dest), dest
    for dest in (
        "torch/lib/libtorch_cpu.so",
        "torch/lib/libc10.so",
        "torch/bin/torch_shm_manager",
        "spacy/default_config.cfg",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
        "PySide6/Qt/plugins/imageformats/libqsvg.so",
        "thinc/backends/_custom_kernels.cu",
        "resources/icons/translator-app-16.png",
        "models/lstm-de-en/model.safetensors",
        "babel/global.dat",
        *(f"babel/locale-data/{name}.dat" for name in ("root", "de", "en", "en_US")),  # what core.spans loads
    ):
        assert not bundle_config.dropped(dest), dest


def test_torch_test_helpers_are_excluded_except_what_torch_imports():
    excludes = bundle_config.torch_testing_excludes()
    assert "torch.testing._internal.common_utils" in excludes
    assert "torch.testing._internal.opinfo" in excludes
    for kept in bundle_config.TORCH_TESTING_KEEP:
        assert kept not in excludes
        assert not any(kept.startswith(e + ".") for e in excludes), kept


def test_desktop_entry_is_valid():
    path = RESOURCES / "translator-app.desktop"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("[Desktop Entry]\n")
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(text)
    entry = parser["Desktop Entry"]
    for key in ("Name", "Exec", "Icon", "Type", "Categories"):
        assert entry.get(key, "").strip(), f"missing {key}"
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] == "translator-app"  # the [project.scripts] name and the bundle's executable
    assert entry["Icon"] == "translator-app" and (RESOURCES / "icons" / "translator-app-48.png").is_file()
    assert entry["Categories"].endswith(";")
    assert entry.get("Terminal", "false") == "false"
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_icons_have_their_sizes():
    for size, path in bundle_config.icon_pngs(ROOT).items():
        assert png_size(path) == (size, size), path
    root = ET.parse(RESOURCES / "translator-app.svg").getroot()
    assert root.tag.endswith("svg")


def test_ico_and_icns_are_well_formed(tmp_path):
    pngs = bundle_config.icon_pngs(ROOT)
    ico = bundle_config.write_ico(pngs, tmp_path / "a.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind, count) == (0, 1, 6)  # 16..256: .ico entries stop at 256 px
    for i in range(count):
        width, _h, _c, _r, _planes, _bpp, size, offset = struct.unpack("<BBBBHHII", ico[6 + 16 * i : 22 + 16 * i])
        assert ico[offset : offset + 8] == b"\x89PNG\r\n\x1a\n" and offset + size <= len(ico)
    icns = bundle_config.write_icns(pngs, tmp_path / "a.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)


# --- slow: build the bundle and run it -------------------------------------------------------------


@pytest.fixture(scope="module")
def frozen_app(tmp_path_factory, tiny_model_dir):
    """The one-folder build, made with packaging/build.sh into a temporary folder.

    It bundles the repository's models/ when the default model is there; otherwise a tiny model
    named ``lstm-de-en`` (so the frozen app's own models/ folder is what is tested).
    """
    from translator_app.core.paths import DEFAULT_MODEL

    tmp = tmp_path_factory.mktemp("bundle")
    env = {**os.environ, "PYTHON": sys.executable}
    if not (ROOT / "models" / DEFAULT_MODEL / "config.json").is_file():
        shutil.copytree(tiny_model_dir, tmp / "models" / DEFAULT_MODEL)
        env[bundle_config.MODELS_ENV] = str(tmp / "models")
    started = time.monotonic()
    try:
        result = subprocess.run(
            [
                "bash",
                str(PACKAGING / "build.sh"),
                "--distpath",
                str(tmp / "dist"),
                "--workpath",
                str(tmp / "build"),
                "--log-level",
                "WARN",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=3600,
        )
        assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
        print(f"build: {time.monotonic() - started:.0f} s\n{result.stdout[-400:]}")
        shutil.rmtree(tmp / "build", ignore_errors=True)
        exe = tmp / "dist" / "translator-app" / "translator-app"
        assert exe.is_file()
        yield exe
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # the bundle is ~0.9 GB


def run_frozen(exe: Path, *args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(exe), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        cwd=exe.parent.parent,
    )


@pytest.mark.slow
def test_frozen_self_test(frozen_app):
    result = run_frozen(frozen_app, "--self-test")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test: OK" in result.stdout


@pytest.mark.slow
def test_frozen_translate(frozen_app):
    result = run_frozen(frozen_app, "translate", "Ein Mann fährt Fahrrad.")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() and result.stdout.isascii()
    stdin = subprocess.run(
        [str(frozen_app), "translate", "--json"],
        input="Ein Hund.\nZwei Hunde spielen.\n",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert stdin.returncode == 0, stdin.stderr
    assert [json.loads(line)["source"] for line in stdin.stdout.splitlines()] == ["Ein Hund.", "Zwei Hunde spielen."]


@pytest.mark.slow
def test_frozen_uses_shipped_models_override(frozen_app, shipped_dir_with_tiny):
    result = run_frozen(frozen_app, "models", "--json")
    assert result.returncode == 0, result.stderr
    paths = [json.loads(line)["path"] for line in result.stdout.splitlines()]
    assert any(p.startswith(str(shipped_dir_with_tiny)) for p in paths), paths
    assert "self-test: OK" in run_frozen(frozen_app, "--self-test").stdout


def bundled_modules(exe: Path) -> set[str]:
    """The module names in the executable's PYZ archive (PyInstaller's own archive reader)."""
    from PyInstaller.archive.readers import CArchiveReader

    pkg = CArchiveReader(str(exe))
    return set(pkg.open_embedded_archive("PYZ.pyz").toc)


@pytest.mark.slow
def test_frozen_bundle_contents(frozen_app):
    internal = frozen_app.parent / "_internal"
    for needed in (
        "spacy/default_config.cfg",
        "spacy/cli/templates",
        "thinc/backends/_custom_kernels.cu",
        "torch/bin/torch_shm_manager",
        "resources/translator-app.desktop",
        "resources/translator-app.svg",
        "resources/icons/translator-app-256.png",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqwayland.so",
        "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
        "models",
    ):
        assert (internal / needed).exists(), needed
    assert list((internal / "torch" / "lib").glob("libtorch_cpu*"))
    assert list((internal / "spacy" / "pipeline").glob("sentencizer.*"))  # compiled: a file, not in the PYZ
    for absent in (
        "torch/test",
        "torch/include",
        "PySide6/Qt/translations",
        "PySide6/QtNetwork.abi3.so",
        "PySide6/Qt/plugins/platforms/libqeglfs.so",
        "resources/screenshots",
        "scipy",
        "botocore",
        "tkinter",
        "matplotlib",
        "triton",
        "tensorboard",
    ):
        assert not (internal / absent).exists(), absent
    modules = bundled_modules(frozen_app)
    for needed in (
        "spacy.lang.de",
        "spacy.lang.de.punctuation",
        "spacy.lang.en",
        "spacy.language",
        "translator_app.core.models.lstm",
        "translator_app.core.models.transformer",
        *NUMPY_ENGINE,
        "translator_app.gui.main_window",
        "torch.testing._internal.logging_tensor",
        "sympy",
    ):
        assert needed in modules, needed
    for absent in (
        "spacy.lang.fr",
        "spacy.tests",
        "thinc.tests",
        "torch.testing._internal.common_utils",
        "pytest",
        "scipy",
        "networkx",
        "boto3",
        "PySide6.QtNetwork",
    ):
        assert not any(m == absent or m.startswith(absent + ".") for m in modules), absent


@pytest.mark.slow
def test_frozen_evaluate_and_fine_tune(frozen_app, tmp_path):
    """evaluate (English spaCy tokenizer, sacreBLEU) and a one-epoch fine-tune (optimizer, torch._dynamo)."""
    pairs = read_multi30k("train", 300)
    (tmp_path / "a.de").write_text("\n".join(p[0] for p in pairs) + "\n", encoding="utf-8")
    (tmp_path / "a.en").write_text("\n".join(p[1] for p in pairs) + "\n", encoding="utf-8")
    train = run_frozen(
        frozen_app,
        "train",
        str(tmp_path / "a.de"),
        str(tmp_path / "a.en"),
        "--name",
        "ft",
        "--base",
        "lstm-de-en",
        "--epochs",
        "1",
        timeout=900,
    )
    assert train.returncode == 0, train.stdout[-2000:] + train.stderr[-3000:]
    evaluate = run_frozen(
        frozen_app,
        "evaluate",
        "--model",
        "ft",
        "--src",
        str(tmp_path / "a.de"),
        "--ref",
        str(tmp_path / "a.en"),
        "--json",
        timeout=900,
    )
    assert evaluate.returncode == 0, evaluate.stderr[-3000:]
    assert "sacrebleu" in evaluate.stdout.lower()


@pytest.mark.slow
def test_frozen_gui_starts_and_translates(frozen_app):
    """No arguments open the window; benchmark mode types a sentence, waits for it, and quits."""
    result = run_frozen(frozen_app, env={"QT_QPA_PLATFORM": "offscreen", "TRANSLATOR_APP_BENCHMARK": "1"})
    events = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    bench = [e for e in events if e.get("event") == "benchmark"]
    assert result.returncode == 0 and bench and bench[0]["status"] == "ok", result.stdout + result.stderr
