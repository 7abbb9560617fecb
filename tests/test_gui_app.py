"""The app entry point in a real process: lean start-up (no torch before the window shows) and the
``--benchmark-exit`` run that benchmarks/startup.py relies on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **extra}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def test_gui_modules_do_not_import_torch_or_spacy():
    code = (
        "import sys, translator_app.gui.app, translator_app.gui.main_window, translator_app.gui.worker; "
        "print(sorted(m for m in ('torch', 'spacy', 'sentencepiece') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env(), timeout=120, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "command, extra_env",
    [
        (["-m", "translator_app.gui", "--benchmark-exit"], {}),
        (["-m", "translator_app"], {"TRANSLATOR_APP_BENCHMARK": "1"}),  # the CLI with no arguments
    ],
    ids=["gui-module", "cli-entry-point"],
)
def test_app_shows_the_window_before_torch_and_translates(shipped_dir_with_tiny, tmp_path, command, extra_env):
    env = _env(
        TRANSLATOR_APP_SHIPPED_MODELS=str(shipped_dir_with_tiny),
        TRANSLATOR_APP_CONFIG_DIR=str(tmp_path / "cfg"),
        TRANSLATOR_APP_DATA_DIR=str(tmp_path / "data"),
        **extra_env,
    )
    proc = subprocess.run([sys.executable, *command], capture_output=True, text=True, env=env, timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    report = next(e for e in events if e["event"] == "benchmark")
    assert report["status"] == "ok" and report["model"] == "tiny-lstm"
    assert report["torch_imported_at_show"] is False
    assert events[0]["t"] <= report["window_shown"] <= report["model_loaded"] <= report["first_translation"]
    assert report["rss_mb"] > 50
    assert (tmp_path / "cfg" / "settings.json").exists()  # the window saved its geometry on exit


def test_app_without_a_model_exits_with_an_error_code(tmp_path):
    env = _env(
        TRANSLATOR_APP_SHIPPED_MODELS=str(tmp_path / "none"),
        TRANSLATOR_APP_CONFIG_DIR=str(tmp_path / "cfg"),
        TRANSLATOR_APP_DATA_DIR=str(tmp_path / "data"),
    )
    proc = subprocess.run(
        [sys.executable, "-m", "translator_app.gui", "--benchmark-exit"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=tmp_path,
    )
    assert proc.returncode == 2
    report = json.loads(proc.stdout.splitlines()[-1])
    assert "No translation model is installed" in report["status"]


def test_missing_xcb_libraries_are_named_before_qt_would_abort(capsys, monkeypatch):
    from translator_app.gui import platform_check as pc

    assert pc.uses_xcb(["app"], {"DISPLAY": ":0"}, "linux")
    assert not pc.uses_xcb(["app"], {"QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not pc.uses_xcb(["app"], {"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert pc.uses_xcb(["app", "-platform", "xcb"], {"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not pc.uses_xcb(["app"], {}, "darwin")
    assert pc.missing_xcb_packages(lambda name: None if name == "xcb-cursor" else f"lib{name}.so") == ["libxcb-cursor0"]

    monkeypatch.setattr(pc, "uses_xcb", lambda argv: True)
    monkeypatch.setattr(pc, "missing_xcb_packages", lambda: ["libxcb-cursor0", "libxcb-icccm4"])
    hint = pc.warn_if_xcb_libraries_missing(["app"])
    assert hint and "sudo apt install libxcb-cursor0 libxcb-icccm4" in capsys.readouterr().err
    monkeypatch.setattr(pc, "missing_xcb_packages", lambda: [])
    assert pc.warn_if_xcb_libraries_missing(["app"]) is None


def test_a_window_never_closed_does_not_abort_the_process_at_exit(shipped_dir_with_tiny):
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent("""
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtCore import QEventLoop, QTimer
        from translator_app.gui.app import create_application
        from translator_app.gui.main_window import MainWindow
        app = create_application([sys.argv[0]])
        window = MainWindow()
        window.show()
        loop = QEventLoop()
        window.modelReady.connect(loop.quit)
        QTimer.singleShot(120_000, loop.quit)
        loop.exec()
        print("ready" if window.model_selector.current is not None else "no model", flush=True)
        # the script ends here: no close, no quit
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "ready" in done.stdout and "Destroyed while thread" not in done.stderr
