"""The training worker: a ``QObject`` on its own ``QThread`` that drives the core's training run.

It only calls the core (``readers.preview`` and the training facade, ``core.training.facade``:
prepare, estimate, start or resume, finish) and speaks to the Training tab through typed signals
carrying plain data (``results``, read off the core's objects by ``reports``); which run folder it
holds, and when one is let go of or deleted, ``RunFolders`` keeps. It is separate from the
``TranslationWorker``, so translating with the current model goes on while a run trains. ``pause``,
``resume``, ``cancel`` and ``stop_for_close`` are called from the GUI thread and only forward to the
prepared run's thread-safe methods (or set a flag the worker checks before training starts). Every
failure becomes one ``failed`` message; the run's folder and its last good checkpoint stay, so the
run can be resumed. torch and the core are imported here, on the worker thread, never on the GUI
thread.
"""

from __future__ import annotations

import logging
import threading
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from translator_app.core.types.train_types import RunStatus, TrainEventKind, TrainResult
from translator_app.core.types.run_spec import RunSpec
from translator_app.gui.training.reports import failure_message, find_unfinished_runs, read_preview, run_info, run_outcome
from translator_app.gui.training.results import describe_exception, expected_failures
from translator_app.gui.training.run_folders import RunFolders, remove_failed_preparation, remove_unused_run

if TYPE_CHECKING:  # torch: imported on the worker thread only, once a run is prepared
    from translator_app.core.training.facade import PreparedRun

log = logging.getLogger(__name__)


class TrainingWorker(QObject):
    """Previews data, prepares, estimates, trains, publishes; every outcome is a signal."""

    architecturesListed = Signal(list)  # [(name, title)]
    runsFound = Signal(list)  # [UnfinishedRun]
    previewReady = Signal(int, object)  # request id, PreviewResult
    previewFailed = Signal(int, str)  # request id, message
    status = Signal(str)  # what the worker is doing now (for the log)
    prepared = Signal(object)  # RunInfo: data read, model built
    estimated = Signal(float, object)  # seconds for the whole run, RunInfo
    trainingStarted = Signal(object)  # RunInfo: fit() runs; pause and cancel act now
    trainEvent = Signal(object)  # core TrainEvent (a plain dataclass)
    finished = Signal(object)  # RunOutcome
    published = Signal(str, str)  # model name, folder
    nameRejected = Signal(str, str)  # the name that cannot be used, why
    failed = Signal(str)  # user-facing message; the run stopped
    idle = Signal()  # the job is over (whatever happened)

    def __init__(self, folders: RunFolders | None = None) -> None:
        super().__init__()
        # Shared with the owning TrainingThread, which lets go of what is left once it has stopped.
        self._folders = folders if folders is not None else RunFolders()
        self._lock = threading.Lock()
        self._running: PreparedRun | None = None  # the run training now, only while it trains
        self._cancel_requested = False
        self._closing = False
        self._prepared: PreparedRun | None = None  # a run not yet trained (after an estimate)
        self._prepared_key: RunSpec | None = None
        self._estimated_for: PreparedRun | None = None
        self._pending_publish: tuple[PreparedRun, TrainResult] | None = None  # awaiting another name
        self._last_checkpoint: tuple[Path, int] | None = None  # run folder, step

    # ---- called from the GUI thread (thread-safe) ---------------------------------------------

    def _with_run(self, action: str, **flags: bool) -> None:
        """Set the given flags and call ``action`` on the run training now, if any, under the lock."""
        with self._lock:
            for name, value in flags.items():
                setattr(self, name, value)
            running = self._running
        if running is not None:
            getattr(running, action)()

    def pause(self) -> None:
        self._with_run("pause")

    def resume(self) -> None:
        self._with_run("go_on")

    def cancel(self) -> None:
        """Stop the run after the current step (a checkpoint is written); before training: don't start."""
        self._with_run("cancel", _cancel_requested=True)

    def stop_for_close(self) -> None:
        """The window closes: stop at the next step boundary, keep the checkpoint, publish nothing."""
        self._with_run("cancel", _closing=True, _cancel_requested=True)

    @property
    def training(self) -> bool:
        with self._lock:
            return self._running is not None

    # ---- worker-thread slots --------------------------------------------------------------------

    @Slot()
    def startUp(self) -> None:
        """List the architectures and the unfinished runs (imports the core: first on this thread)."""
        try:
            from translator_app.core.types.architectures import ARCHITECTURE_TITLES, available_architectures

            self.architecturesListed.emit([(name, ARCHITECTURE_TITLES.get(name, name)) for name in available_architectures()])
        except Exception as exc:
            log.exception("listing architectures failed")
            self.failed.emit(f"Could not list the model architectures: {exc}")
        self.scanRuns()

    @Slot()
    def scanRuns(self) -> None:
        try:
            found = find_unfinished_runs()
        except Exception as exc:
            log.exception("scanning unfinished runs failed")
            self.failed.emit(f"Could not look for unfinished training runs: {exc}")
            found = []
        self.runsFound.emit(found)

    @Slot(int, list, object, object)
    def preview(self, request_id: int, paths: list, fmt: str | None, columns: tuple[int, int] | None) -> None:
        try:
            self.previewReady.emit(request_id, read_preview(paths, fmt, columns))
        except Exception as exc:
            from translator_app.core.types.errors import ParallelDataError

            if not isinstance(exc, ParallelDataError):
                log.error("preview failed:\n%s", traceback.format_exc())
            self.previewFailed.emit(request_id, describe_exception(exc))

    @Slot(object)
    def estimate(self, spec: RunSpec) -> None:
        try:
            prepared = self._prepare(spec)
            if prepared is not None:
                self._estimate(prepared)
        except Exception as exc:
            self._report_failure("Could not estimate the run's time", exc, None)
            self._remove_failed_preparation(spec)
        finally:
            self._end_job()

    @Slot(object)
    def train(self, spec: RunSpec) -> None:
        try:
            prepared = self._prepare(spec)
            if prepared is None or self._stop_requested():
                return self._abandon_prepared("Cancelled before training started.")
            if self._estimated_for is not prepared:
                self._estimate(prepared)
            if self._stop_requested():
                return self._abandon_prepared("Cancelled before training started.")
            self._prepared = None  # it is used now: never reused by a later start
            self._folders.unused = None
            self._fit(prepared)
        except Exception as exc:
            self._report_failure("Could not start training", exc, None)
            self._remove_failed_preparation(spec)
        finally:
            self._end_job()

    @Slot(str)
    def resumeRun(self, run_dir: str) -> None:
        run_path = Path(run_dir)
        try:
            from translator_app.core.training import facade

            self._drop_prepared()
            self.status.emit(f"Restoring “{run_path.name}” from its checkpoint and its encoded data…")
            prepared = facade.resume(run_path, callback=self._on_event)
            self._folders.hold(prepared)
            self.prepared.emit(run_info(prepared, resumed=True))
            if self._stop_requested():
                self.status.emit("Cancelled before training went on; the checkpoint is kept.")
                return
            self._fit(prepared)
        except Exception as exc:
            self._report_failure("Could not resume the run", exc, run_path)
        finally:
            self._end_job()

    @Slot(str)
    def publish(self, name: str) -> None:
        """Save the finished run under another name (after ``nameRejected``)."""
        try:
            if self._pending_publish is not None:
                prepared, result = self._pending_publish
                self._finish(prepared, result, name)
        finally:
            self._let_go()
            self.idle.emit()

    @Slot(str)
    def discardRun(self, run_dir: str) -> None:
        try:
            from translator_app.core.training.facade import discard_run

            held = self._folders.held_for(Path(run_dir))
            discard_run(Path(run_dir), held=held)
            if held is not None:  # it was the run awaiting a new name
                self._pending_publish = None
                self._let_go()
            self.status.emit(f"Discarded the unfinished run in {run_dir}.")
        except Exception as exc:
            self.failed.emit(f"Could not discard the run: {describe_exception(exc)}")
        self.scanRuns()

    @Slot()
    def dropPrepared(self) -> None:
        self._drop_prepared()

    # ---- internals ------------------------------------------------------------------------------

    def _stop_requested(self) -> bool:
        with self._lock:
            return self._cancel_requested or self._closing

    def _end_job(self) -> None:
        with self._lock:
            self._cancel_requested = False
            self._running = None
        self._let_go()
        self.idle.emit()

    def _on_event(self, event) -> None:  # called by the Trainer on this thread
        held = self._folders.held
        if event.kind is TrainEventKind.CHECKPOINT and held is not None:
            with self._lock:
                self._last_checkpoint = (Path(held.run_dir), event.step)
        self.trainEvent.emit(event)

    @property
    def last_checkpoint(self) -> tuple[Path, int] | None:
        """The run folder and step of the last checkpoint written (what a quit mid-step resumes from)."""
        with self._lock:
            return self._last_checkpoint

    def _prepare(self, spec: RunSpec):
        from translator_app.core.training.facade import prepare

        if self._prepared is not None and self._prepared_key == spec:
            return self._prepared
        self._drop_prepared()
        self.status.emit("Reading the data and preparing the model…")
        prepared = prepare(spec, callback=self._on_event)
        self._folders.hold(prepared)
        self._prepared, self._prepared_key, self._estimated_for = prepared, spec, None
        self._folders.unused = Path(prepared.run_dir)
        self.prepared.emit(run_info(prepared))
        return prepared

    def _estimate(self, prepared) -> None:
        from translator_app.core.training.facade import estimate

        self.status.emit("Timing a few training steps on this device…")
        seconds = estimate(prepared)
        self._estimated_for = prepared
        self.estimated.emit(float(seconds), run_info(prepared))

    def _drop_prepared(self) -> None:
        """Forget a prepared run that was never trained; its folder holds no checkpoint, so delete it."""
        prepared, self._prepared, self._prepared_key, self._estimated_for = self._prepared, None, None, None
        self._folders.unused = None
        if prepared is not None:
            self._let_go()
            remove_unused_run(Path(prepared.run_dir))

    def _remove_failed_preparation(self, spec: RunSpec) -> None:
        """A run that failed while being prepared leaves no half-made folder (never one with a checkpoint)."""
        if self._prepared is not None:
            return  # prepared fine (the estimate failed): kept for a retry
        self._let_go()
        remove_failed_preparation(spec.name)

    def _abandon_prepared(self, message: str) -> None:
        self._drop_prepared()
        self.status.emit(message)

    def _fit(self, prepared: PreparedRun) -> None:
        from translator_app.core.training import facade

        resume = prepared.resumed
        kept = facade.progress(Path(prepared.run_dir)) if resume else None
        with self._lock:
            self._running = prepared
            self._last_checkpoint = (Path(prepared.run_dir), kept.step) if kept is not None else None
            stop = self._cancel_requested or self._closing
        if stop:  # cancelled in the instant before fit: nothing ran yet
            with self._lock:
                self._running = None
            if not resume:
                self._abandon_prepared("Cancelled before training started.")
            return
        self.trainingStarted.emit(run_info(prepared, resumed=resume))
        try:
            result = facade.start(prepared)
        except Exception as exc:  # NaN loss, out of memory, disk full, ...: stop cleanly
            self._report_failure("Training stopped", exc, Path(prepared.run_dir))
            return
        finally:
            with self._lock:
                self._running = None
                closing_now = self._closing
        outcome = run_outcome(prepared, result, closing=closing_now)
        self.finished.emit(outcome)
        if outcome.status is RunStatus.CLOSING:
            return  # the checkpoint stays: resumable from the tab
        self._finish(prepared, result, prepared.spec.name)

    def _finish(self, prepared: PreparedRun, result: TrainResult, name: str) -> None:
        """Publish the best model as ``name`` (or keep or discard the run: ``facade.finish``); a name
        that cannot be used keeps the run held until the tab gives another (``publish``)."""
        from translator_app.core.training.facade import finish

        if result.best_folder is not None:
            self.status.emit(f"Saving the best model (epoch {result.best_epoch}) as “{name}”…")
        self._pending_publish = (prepared, result)
        try:
            target = finish(prepared, result, name)
        except (FileExistsError, ValueError) as exc:
            self.nameRejected.emit(name, str(exc))
            return
        except Exception as exc:
            self._report_failure("Could not save the model", exc, Path(prepared.run_dir))
            return
        self._pending_publish = None
        if target is not None:
            self.published.emit(name, str(target))

    def _let_go(self) -> None:
        """Release the held run's lock once nothing waits on it: not prepared for a start, not awaiting a name."""
        if self._prepared is not None or self._pending_publish is not None:
            return
        self._folders.let_go()

    def _report_failure(self, what: str, exc: BaseException, run_dir: Path | None) -> None:
        if not isinstance(exc, expected_failures()):
            log.error("%s:\n%s", what, traceback.format_exc())
        self.failed.emit(failure_message(what, exc, run_dir))
