"""The PySide6 desktop app over the Qt-free core.

``MainWindow`` and ``run`` are imported on first use, so ``import translator_app.gui.settings``
(for example from the CLI) does not pull in QtWidgets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["MainWindow", "run"]

if TYPE_CHECKING:
    from translator_app.gui.app import run
    from translator_app.gui.main_window import MainWindow


def __getattr__(name: str):
    if name == "MainWindow":
        from translator_app.gui.main_window import MainWindow

        return MainWindow
    if name == "run":
        from translator_app.gui.app import run

        return run
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
