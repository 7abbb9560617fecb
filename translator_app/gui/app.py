"""Entry point of the desktop app: ``translator-app`` with no arguments calls ``run()``.

Start-up is kept lean on purpose: this module imports only Qt and the GUI's own small modules; the
window is shown first and the worker thread then imports torch and loads the model.

``--benchmark-exit`` (or ``TRANSLATOR_APP_BENCHMARK=1``) makes the app print one JSON line with
wall-clock timestamps (window shown, model loaded, first translation shown, quit asked) and its
memory use, then quit: ``benchmarks/startup.py`` launches the app this way. When it quits,
``TRANSLATOR_APP_BENCHMARK_QUIT`` says: ``idle`` (default; once the first translation has settled
for ``IDLE_SETTLE_MS``) or ``translating`` (``BUSY_MS`` into translating a long text).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from typing import cast

BENCHMARK_FLAG = "--benchmark-exit"
BENCHMARK_ENV = "TRANSLATOR_APP_BENCHMARK"
BENCHMARK_TEXT = "Ein Mann mit einem orangefarbenen Hut starrt auf etwas. Zwei Hunde spielen im Schnee."
BENCHMARK_TIMEOUT_S = 300
BENCHMARK_QUIT_ENV = "TRANSLATOR_APP_BENCHMARK_QUIT"
QUIT_MODES = ("idle", "translating")
IDLE_SETTLE_MS = 2000  # after the first translation: the warm-ups that follow it are over
BUSY_MS = 1000  # into the long text's translation
LONG_TEXT_SENTENCES = 300


LONG_SENTENCE = (
    "Der Ausschuss hat am {i}. Sitzungstag nach langer Beratung beschlossen, die Mittel für die Sanierung der "
    "Schulen in den ländlichen Gemeinden deutlich zu erhöhen, obwohl einige Mitglieder vor den Kosten gewarnt hatten."
)


def long_benchmark_text() -> str:
    """Hundreds of long news-like sentences (a number each, so no cache or memo answers them at once)."""
    return " ".join(LONG_SENTENCE.format(i=i) for i in range(1, LONG_TEXT_SENTENCES + 1))


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

    def __init__(self, app, window, quit_mode: str = "idle") -> None:
        from PySide6.QtCore import QTimer

        if quit_mode not in QUIT_MODES:
            raise ValueError(f"{BENCHMARK_QUIT_ENV} must be one of {', '.join(QUIT_MODES)}, not {quit_mode!r}")
        self.app, self.window, self.quit_mode = app, window, quit_mode
        self.marks: dict[str, float | str] = {"quit_mode": quit_mode}
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
        from PySide6.QtCore import QTimer

        from translator_app.core import language_id

        if "first_translation" in self.marks:
            return
        self.marks["first_translation"] = time.time()
        self.marks["torch_imported_at_first_translation"] = "torch" in sys.modules
        self.marks["language_id_loaded_at_first_translation"] = language_id.is_loaded()
        self.marks["translation_seconds"] = result.seconds
        if self.quit_mode == "idle":
            QTimer.singleShot(IDLE_SETTLE_MS, lambda: self._finish("ok", 0))
        else:
            self.window.live.runningChanged.connect(self._on_running)
            self.window.translate_page.source_edit.setPlainText(long_benchmark_text())
            self.window.live.translate(live=False)

    def _on_running(self, running: bool) -> None:
        from PySide6.QtCore import QTimer

        if running and "long_text_started" not in self.marks:
            self.marks["long_text_started"] = time.time()
            QTimer.singleShot(BUSY_MS, self._quit_while_translating)

    def _quit_while_translating(self) -> None:
        busy = self.window.worker.is_busy()
        self._finish("ok" if busy else "error: the long text was translated before the quit", 0 if busy else 4)

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
    from translator_app.gui.thread_host import end_process_on_close

    tidy_user_folders()  # what a killed save or delete left behind

    app = create_application(qt_argv)
    window = MainWindow()
    probe = _Benchmark(app, window, os.environ.get(BENCHMARK_QUIT_ENV) or "idle") if benchmark else None
    # The process ends once the window has closed (_end_process): a busy worker need not be waited for
    # beyond a short budget (thread_host), and quitting stays quick mid-translation or mid-step.
    end_process_on_close()
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
        with contextlib.suppress(AttributeError, OSError, ValueError):  # no stream (pythonw), a closed one, a broken pipe
            stream.flush()
    os._exit(code)
