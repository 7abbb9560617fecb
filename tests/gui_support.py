"""Helpers shared by the GUI tests: open the real window on the tiny model and wait for it."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import read_multi30k

from translator_app.gui.main_window import MainWindow
from translator_app.gui.settings import Settings

MODEL_TIMEOUT_MS = 120_000  # the machine is shared with a training run: be patient
TRANSLATE_TIMEOUT_MS = 60_000


def open_window(qtbot, *, wait_model: bool = True, settings: Settings | None = None) -> MainWindow:
    """Show a ``MainWindow`` as the app would and (by default) wait until its model is loaded."""
    window = MainWindow(settings)
    qtbot.addWidget(window)
    if wait_model:
        with qtbot.waitSignal(window.modelReady, timeout=MODEL_TIMEOUT_MS):
            window.show()
    else:
        window.show()
    return window


def close_window(window: MainWindow) -> None:
    """Close as the user would (saves geometry, joins the worker thread)."""
    window.close()
    assert not window._worker_thread.thread.isRunning()


def translate(qtbot, window: MainWindow, text: str, *, button: bool = True):
    """Put ``text`` in the input, press Translate, and return the TranslationResult shown."""
    from PySide6.QtCore import Qt

    window.translate_page.as_you_type_check.setChecked(False)
    window.translate_page.source_edit.setPlainText(text)
    with qtbot.waitSignal(window.translationShown, timeout=TRANSLATE_TIMEOUT_MS) as blocker:
        if button:
            qtbot.mouseClick(window.translate_page.translate_button, Qt.MouseButton.LeftButton)
        else:
            window.live.translate()
    return blocker.args[0]


def long_german_text(chars: int = 100_000) -> str:
    """Real German sentences (Multi30k val, or its Tatoeba stand-in), in paragraphs, until ``chars`` characters."""
    lines = [de for de, _ in read_multi30k("val")]
    parts, size, i = [], 0, 0
    while size < chars:
        paragraph = " ".join(lines[(i + k) % len(lines)].strip() for k in range(5))
        parts.append(paragraph)
        size += len(paragraph) + 2
        i += 5
    return "\n\n".join(parts)[:chars]


def install_user_model(source: Path, name: str) -> Path:
    """Copy a model folder into the (test-isolated) user models folder."""
    from translator_app.core.paths import user_models_dir

    target = user_models_dir() / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source, target)
    return target
