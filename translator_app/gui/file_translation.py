"""File → Translate File…: pick a .txt, PO or XLIFF file, pick where the English goes, translate with progress + cancel.

A PO or XLIFF file is summarized first (``core.catalogs``, quick enough for the GUI thread) and the
user chooses which entries to fill in (``CatalogScopeDialog``); the worker fills them and writes the
file back whole, with every other byte of it as it was (XLIFF) or as gettext tools write it (PO).

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

from translator_app.core.catalogs import summarize
from translator_app.core.types.catalogs import Scope
from translator_app.core.catalogs import PO_SUFFIXES, check_translatable, default_target, is_catalog
from translator_app.core.types.errors import AppError
from translator_app.gui.catalog_scope import CatalogScopeDialog
from translator_app.gui.fileio import check_text_file, write_text_atomic
from translator_app.gui.status_reporter import StatusReporter
from translator_app.gui.translation_messages import FileRequest, FileResult
from translator_app.gui.worker import TranslationWorker

TEXT_FILTER = "Text files (*.txt);;All files (*)"
OPEN_FILTER = (
    "Text and translation files (*.txt *.po *.pot *.xlf *.xliff);;Text files (*.txt);;"
    "gettext PO (*.po *.pot);;XLIFF (*.xlf *.xliff);;All files (*)"
)
CATALOG_FILTERS = {".po": "gettext PO (*.po *.pot);;All files (*)", ".xlf": "XLIFF (*.xlf *.xliff);;All files (*)"}


def catalog_suffix(source: str | Path) -> str:
    return ".po" if Path(source).suffix.lower() in PO_SUFFIXES else ".xlf"


def progress_label(name: str, done: int, total: int | None) -> str:
    """The progress window's text: the file, and "sentence N of M (P%)" once known. (The window's own
    text does not wait for the file: the worker translates it between the file's batches.)"""
    lines = [f"Translating {name}…"]
    if total:
        lines.append(f"Sentence {min(done, total):,} of {total:,} ({100 * min(done, total) // total}%)")
    return "\n".join(lines)


def suggested_target(source: Path) -> Path:
    """``brief.txt`` → ``brief.en.txt``; a German-tagged ``brief.de.txt`` → ``brief.en.txt``."""
    stem = source.stem[:-3] if source.stem.lower().endswith(".de") else source.stem
    return source.with_name(f"{stem}.en.txt")


def save_translation_as(parent: QWidget, text: str, start_dir: str) -> Path | None:
    """File → Save Translation…: ask where, write ``text`` atomically (UTF-8); the path, or None when
    the user cancels. Raises TextFileError with what went wrong."""
    suggested = Path(start_dir or Path.home()) / "translation.en.txt"
    target, _ = QFileDialog.getSaveFileName(parent, "Save the English translation as", str(suggested), TEXT_FILTER)
    if not target:
        return None
    write_text_atomic(Path(target), text)
    return Path(target)


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
        self._name = ""  # the file being translated
        self._progress: tuple[int, int | None] = (0, None)  # sentences done, of how many (None: not known yet)
        self.dialog: QProgressDialog | None = None
        self.scope_dialog: CatalogScopeDialog | None = None  # while asking, so tests can answer it
        worker.progress.connect(self._on_progress)
        worker.fileTranslated.connect(self._on_done)
        worker.failed.connect(self._on_ended)
        worker.cancelled.connect(self._on_cancelled)

    @property
    def running(self) -> bool:
        return self.job_id is not None

    def choose(self, start_dir: str = "", source: str = "") -> Path | None:
        """Ask for a German file (unless ``source``, e.g. dropped, is given) and where its translation
        goes, and start; returns the file's folder (where to ask next time), or None when nothing
        started. Problems go to the status bar."""
        if self.running:
            self._status.report_error("A file is already being translated.")
            return None
        try:
            if not source:
                source, _ = QFileDialog.getOpenFileName(self._parent, "Translate a German file", start_dir, OPEN_FILTER)
            if not source:
                return None
            scope: Scope | None = None
            if is_catalog(source):
                if (scope := self._ask_scope(Path(source))) is None:
                    return None
                suggested, filters = default_target(Path(source)), CATALOG_FILTERS[catalog_suffix(source)]
            else:
                check_text_file(Path(source))  # a file that cannot be translated is said before asking where to save
                suggested, filters = suggested_target(Path(source)), TEXT_FILTER
            target, _ = QFileDialog.getSaveFileName(self._parent, "Save the English translation as", str(suggested), filters)
            if not target:
                return None
            self.start(Path(source), Path(target), scope)
        except (AppError, ValueError, RuntimeError) as exc:
            self._status.report_error(str(exc))
            return None
        return Path(source).parent

    def _ask_scope(self, source: Path) -> Scope | None:
        """Which entries of a PO or XLIFF file to fill in; None when the user cancels."""
        summary = summarize(source)  # raises CatalogError with what is wrong with the file
        check_translatable(source.name, summary.direction)
        dialog = CatalogScopeDialog(source.name, summary, self._parent)
        self.scope_dialog = dialog
        try:
            return dialog.scope() if dialog.exec() == CatalogScopeDialog.DialogCode.Accepted else None
        finally:
            self.scope_dialog = None
            dialog.deleteLater()

    def start(self, source: Path, target: Path, scope: Scope | None = None) -> int:
        """Queue the job and show the progress dialog; returns the job id. ``scope``: a PO or XLIFF file's
        entries to fill in (such a file may be written back over itself, atomically)."""
        if self.running:
            raise RuntimeError("a file is already being translated")
        if scope is None and Path(source).resolve() == Path(target).resolve():
            raise ValueError("the translation cannot overwrite the file being translated; choose another name")
        self.job_id = self._next_id()
        self._name, self._progress = Path(source).name, (0, None)
        dialog = QProgressDialog(progress_label(self._name, 0, None), "Cancel", 0, 0, self._parent)
        dialog.setObjectName("fileProgressDialog")
        dialog.setWindowTitle("Translating file")
        dialog.setWindowModality(Qt.WindowModality.NonModal)  # the window stays usable meanwhile
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.canceled.connect(self.cancel)
        dialog.show()
        self.dialog = dialog
        self._worker.submit_file(FileRequest(self.job_id, Path(source), Path(target), self._options(), scope))
        return self.job_id

    def cancel(self) -> None:
        if self.job_id is not None:
            self._worker.cancel(self.job_id)
            if self.dialog is not None:
                self.dialog.setLabelText("Cancelling…")

    def _on_progress(self, job_id: int, done: int, total: int) -> None:
        if job_id == self.job_id and self.dialog is not None:
            self._progress = (done, total)
            self.dialog.setMaximum(total)
            self.dialog.setValue(done)
            self._update_label()

    def _update_label(self) -> None:
        if self.dialog is not None and self.dialog.labelText() != "Cancelling…":
            self.dialog.setLabelText(progress_label(self._name, *self._progress))

    def _on_done(self, result: FileResult) -> None:
        if result.id == self.job_id:
            self._close()
            if result.filled is None:
                message = (
                    f"Translated {result.source.name} ({result.characters:,} characters, {result.encoding}) "
                    f"to {result.target} in {result.seconds:.1f} s."
                )
            else:
                repaired = f"; {result.reattached} placeholder(s) the model lost were put back" if result.reattached else ""
                message = (
                    f"Filled in {result.filled:,} entries of {result.source.name} ({result.encoding}), marked for review, "
                    f"in {result.target} in {result.seconds:.1f} s{repaired}."
                )
            self._status.show_info(message, self._status.NOTICE_MS)
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
