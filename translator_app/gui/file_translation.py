"""File → Translate File…: pick a .txt, pick where the English goes, translate with progress + cancel.

The reading, translating and atomic writing happen on the worker thread (``FileRequest``); this
controller only checks the chosen file, asks for the paths and drives a progress window that is not
modal, so the main window stays usable meanwhile. What it has to say goes to the status bar; errors
during the job are reported there by the window, with every other worker error, and this controller
just closes its progress window.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from translator_app.gui.fileio import TextFileError, check_text_file
from translator_app.gui.status_reporter import StatusReporter
from translator_app.gui.translation_messages import FileRequest, FileResult
from translator_app.gui.worker import TranslationWorker

TEXT_FILTER = "Text files (*.txt);;All files (*)"


def suggested_target(source: Path) -> Path:
    """``brief.txt`` → ``brief.en.txt``; a German-tagged ``brief.de.txt`` → ``brief.en.txt``."""
    stem = source.stem[:-3] if source.stem.lower().endswith(".de") else source.stem
    return source.with_name(f"{stem}.en.txt")


class FileTranslationController(QObject):
    finished = Signal(object)  # FileResult
    ended = Signal()  # finished, failed or cancelled: the dialog is gone

    def __init__(
        self,
        worker: TranslationWorker,
        parent: QWidget,
        next_id: Callable[[], int],
        options: Callable[[], dict[str, Any]],
        status: StatusReporter,
    ):
        super().__init__(parent)
        self._worker = worker
        self._parent = parent
        self._next_id = next_id
        self._options = options
        self._status = status
        self.job_id: int | None = None
        self.dialog: QProgressDialog | None = None
        worker.progress.connect(self._on_progress)
        worker.fileTranslated.connect(self._on_done)
        worker.failed.connect(self._on_ended)
        worker.cancelled.connect(self._on_cancelled)

    @property
    def running(self) -> bool:
        return self.job_id is not None

    def choose(self, start_dir: str = "") -> Path | None:
        """Ask for a German file and where its translation goes, and start; returns the file's folder
        (where to ask next time), or None when nothing started. Problems go to the status bar."""
        if self.running:
            self._status.report_error("A file is already being translated.")
            return None
        try:
            source, _ = QFileDialog.getOpenFileName(self._parent, "Translate a German text file", start_dir, TEXT_FILTER)
            if not source:
                return None
            check_text_file(Path(source))  # a file that cannot be translated is said before asking where to save
            target, _ = QFileDialog.getSaveFileName(
                self._parent, "Save the English translation as", str(suggested_target(Path(source))), TEXT_FILTER
            )
            if not target:
                return None
            self.start(Path(source), Path(target))
        except (ValueError, RuntimeError, TextFileError) as exc:
            self._status.report_error(str(exc))
            return None
        return Path(source).parent

    def start(self, source: Path, target: Path) -> int:
        """Queue the job and show the progress dialog; returns the job id."""
        if self.running:
            raise RuntimeError("a file is already being translated")
        if Path(source).resolve() == Path(target).resolve():
            raise ValueError("the translation cannot overwrite the file being translated; choose another name")
        self.job_id = self._next_id()
        dialog = QProgressDialog(f"Translating {Path(source).name}…", "Cancel", 0, 0, self._parent)
        dialog.setObjectName("fileProgressDialog")
        dialog.setWindowTitle("Translating file")
        dialog.setWindowModality(Qt.WindowModality.NonModal)  # the window stays usable meanwhile
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.canceled.connect(self.cancel)
        dialog.show()
        self.dialog = dialog
        self._worker.submit_file(FileRequest(self.job_id, Path(source), Path(target), self._options()))
        return self.job_id

    def cancel(self) -> None:
        if self.job_id is not None:
            self._worker.cancel(self.job_id)
            if self.dialog is not None:
                self.dialog.setLabelText("Cancelling…")

    def _on_progress(self, job_id: int, done: int, total: int) -> None:
        if job_id == self.job_id and self.dialog is not None:
            self.dialog.setMaximum(total)
            self.dialog.setValue(done)

    def _on_done(self, result: FileResult) -> None:
        if result.id == self.job_id:
            self._close()
            self._status.show_info(
                f"Translated {result.source.name} ({result.characters:,} characters, {result.encoding}) "
                f"to {result.target} in {result.seconds:.1f} s.",
                self._status.NOTICE_MS,
            )
            self.finished.emit(result)

    def _on_cancelled(self, job_id: int) -> None:
        if job_id == self.job_id:
            self._status.show_info("File translation cancelled; nothing was written.", 5000)
            self._close()

    def _on_ended(self, job_id: int, *_message) -> None:
        if job_id == self.job_id:
            self._close()

    def _close(self) -> None:
        self.job_id = None
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        self.ended.emit()
