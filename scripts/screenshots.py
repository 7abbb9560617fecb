"""Save screenshots of the real main window (light and dark, alternatives shown) for README.md.

    python scripts/screenshots.py                       # the shipped default model
    python scripts/screenshots.py --model runs/lstm/best

Runs on Qt's offscreen platform with an empty, temporary settings folder, drives the window the way
a user would (type, ask for three alternatives, translate) and saves ``QWidget.grab()`` images into
``resources/screenshots/``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SAMPLE = ("Ein Mann mit einem orangefarbenen Hut starrt auf etwas.\n\n"
          "Zwei junge Frauen sitzen auf einer Bank im Park. Ein Hund spielt im Schnee.")
SIZE = (1180, 660)
NARROW_SIZE = (720, 760)


def wait_for(signal, timeout_ms: int = 300_000):
    """Run the event loop until ``signal`` fires; returns its arguments."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop, got = QEventLoop(), []
    signal.connect(lambda *args: (got.append(args), loop.quit()))
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    if not got:
        raise TimeoutError(f"no {signal} within {timeout_ms / 1000:.0f} s")
    return got[0]


def settle(ms: int = 300) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, help="model folder to show (default: the shipped default model)")
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "screenshots")
    args = parser.parse_args(argv)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    tmp = tempfile.TemporaryDirectory(prefix="translator-shots-")
    os.environ["TRANSLATOR_APP_CONFIG_DIR"] = str(Path(tmp.name) / "config")
    os.environ["TRANSLATOR_APP_DATA_DIR"] = str(Path(tmp.name) / "data")
    if args.model is not None:
        from translator_app.core.paths import DEFAULT_MODEL

        shipped = Path(tmp.name) / "shipped"
        shipped.mkdir()
        (shipped / DEFAULT_MODEL).symlink_to(args.model.resolve(), target_is_directory=True)
        os.environ["TRANSLATOR_APP_SHIPPED_MODELS"] = str(shipped)

    from PySide6.QtCore import Qt

    from translator_app.gui.app import create_application
    from translator_app.gui.main_window import MainWindow
    from translator_app.gui.theme import set_color_scheme

    app = create_application([sys.argv[0]])
    window = MainWindow()
    window.errorReported.connect(lambda message: print(f"error: {message}", file=sys.stderr))
    window.resize(*SIZE)
    window.show()
    wait_for(window.modelReady)
    window.as_you_type_check.setChecked(False)
    window.options_panel.spins["n_best"].setValue(3)
    window.options_panel.spins["no_repeat_ngram_size"].setValue(3)
    window.source_edit.setPlainText(SAMPLE)
    window.translate_now()
    wait_for(window.translationShown)
    window.target.alternatives.item(0).setSelected(True)
    args.out.mkdir(parents=True, exist_ok=True)

    shots = []
    for scheme, name in ((Qt.ColorScheme.Light, "light"), (Qt.ColorScheme.Dark, "dark")):
        set_color_scheme(app, scheme)
        settle()
        path = args.out / f"main-window-{name}.png"
        if not window.grab().save(str(path)):
            print(f"could not write {path}", file=sys.stderr)
            return 1
        shots.append(path)

    set_color_scheme(app, Qt.ColorScheme.Light)
    window.resize(*NARROW_SIZE)                    # narrow: the panes stack
    settle()
    path = args.out / "main-window-narrow.png"
    window.grab().save(str(path))
    shots.append(path)

    window.close()
    for path in shots:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
