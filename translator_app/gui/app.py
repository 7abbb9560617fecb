"""Entry point of the desktop app: ``translator-app`` with no arguments calls ``run()``.

Start-up is kept lean on purpose: this module imports only Qt and the GUI's own small modules; the
window is shown first and the worker thread then imports torch and loads the model.

``--benchmark-exit`` (or ``TRANSLATOR_APP_BENCHMARK=1``) makes the app print one JSON line with
wall-clock timestamps (window shown, model loaded, first translation shown) and its memory use,
then quit: ``benchmarks/startup.py`` launches the app this way.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import cast

BENCHMARK_FLAG = "--benchmark-exit"
BENCHMARK_ENV = "TRANSLATOR_APP_BENCHMARK"
BENCHMARK_TEXT = "Ein Mann mit einem orangefarbenen Hut starrt auf etwas. Zwei Hunde spielen im Schnee."
BENCHMARK_TIMEOUT_S = 300


def rss_mb() -> dict[str, float | None]:
    """Resident memory now and at its peak, in MB (Linux /proc; peak only elsewhere)."""
    current = peak = None
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    current = int(line.split()[1]) / 1024
                elif line.startswith("VmHWM:"):
                    peak = int(line.split()[1]) / 1024
    except OSError:
        try:
            import resource

            raw = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            peak = raw / (1024 * 1024) if sys.platform == "darwin" else raw / 1024
        except (ImportError, OSError):
            pass
    return {"rss_mb": current, "peak_rss_mb": peak}


def create_application(argv: list[str]):
    """The QApplication with the app's name, icon and a palette that follows the system."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from translator_app import __version__
    from translator_app.gui.theme import app_icon, follow_system_palette

    app = cast("QApplication | None", QApplication.instance())  # the stub says QCoreApplication; ours is a QApplication
    if app is None:
        from translator_app.gui.platform_check import warn_if_xcb_libraries_missing

        warn_if_xcb_libraries_missing(argv)  # Qt would abort without saying which packages to install
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv)
    app.setApplicationName("translator-app")
    app.setApplicationDisplayName("translator-app")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("translator-app")
    app.setDesktopFileName("translator-app")
    app.setWindowIcon(app_icon())
    follow_system_palette(app)
    return app


class _Benchmark:
    """Records when the window shows, the model loads and the first translation appears, then quits."""

    def __init__(self, app, window) -> None:
        from PySide6.QtCore import QTimer

        self.app, self.window = app, window
        self.marks: dict[str, float | str] = {}
        self.exit_code = 0
        window.windowShown.connect(self.window_shown)
        window.modelReady.connect(self._on_model_ready)
        window.translationShown.connect(self._on_translation)
        window.errorReported.connect(self._on_error)
        QTimer.singleShot(BENCHMARK_TIMEOUT_S * 1000, lambda: self._finish("timeout", 3))

    def window_shown(self) -> None:
        from PySide6.QtCore import QTimer

        self.marks["window_shown"] = time.time()
        self.marks["torch_imported_at_show"] = "torch" in sys.modules
        QTimer.singleShot(0, self._type_sample)

    def _type_sample(self) -> None:
        self.window.translate_page.source_edit.setPlainText(BENCHMARK_TEXT)
        self.window.live.translate(live=False)

    def _on_model_ready(self, _name: str) -> None:
        self.marks.setdefault("model_loaded", time.time())

    def _on_translation(self, result) -> None:
        self.marks["first_translation"] = time.time()
        self.marks["translation_seconds"] = result.seconds
        self._finish("ok", 0)

    def _on_error(self, message: str) -> None:
        if self.window.model_selector.current is None and "model" in message.lower():
            self._finish(f"error: {message}", 2)

    def _finish(self, status: str, code: int) -> None:
        if "status" in self.marks:
            return
        self.marks["status"] = status
        self.marks["quit_requested"] = time.time()  # the parent times the exit from here
        print(
            json.dumps(
                {
                    "event": "benchmark",
                    **self.marks,
                    **rss_mb(),
                    "model": getattr(self.window.model_selector.current, "name", None),
                    "device": getattr(self.window.model_selector.current, "device", None),
                }
            ),
            flush=True,
        )
        self.exit_code = code
        self.window.close()
        self.app.exit(code)


def run(argv: list[str] | None = None) -> int:
    """Open the main window and run the event loop, then end the process with its exit code.

    ``argv`` is a full command line as QApplication takes it (program name first; default
    ``sys.argv``), so Qt's own options (``-platform offscreen`` …) pass through. Once the window has
    closed, its threads are joined and its settings written, so the process ends at once
    (``os._exit``) instead of spending most of a second tearing down torch and Qt objects.
    """
    argv = list(sys.argv if argv is None else argv) or ["translator-app"]
    benchmark = BENCHMARK_FLAG in argv[1:] or os.environ.get(BENCHMARK_ENV) == "1"
    qt_argv = [argv[0], *(a for a in argv[1:] if a != BENCHMARK_FLAG)]
    if benchmark:
        print(json.dumps({"event": "start", "t": time.time()}), flush=True)

    from translator_app.core.atomic import tidy_user_folders
    from translator_app.gui.main_window import MainWindow

    tidy_user_folders()  # what a killed save or delete left behind

    app = create_application(qt_argv)
    window = MainWindow()
    probe = _Benchmark(app, window) if benchmark else None
    window.show()
    code = app.exec()
    window.shutdown()  # idempotent: closing the window already did it
    _end_process(probe.exit_code if probe is not None else code)
    return code  # not reached


def _end_process(code: int) -> None:
    """Flush what is buffered, then leave without the interpreter's slow teardown."""
    import logging

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass
    os._exit(code)
