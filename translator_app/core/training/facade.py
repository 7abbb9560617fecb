"""Training as the shells see it: prepare, estimate, start or resume, finish; the unfinished runs.

The one place the run lifecycle is written. A run is prepared (its folder locked, its data read,
its model built: ``runner``), maybe timed, then trained (``Trainer.fit``) and finished: its best
model published and its folder deleted; or, with no model to publish, the folder discarded when
the run ended by itself (nothing is left to resume) and kept when it was stopped (it can be
resumed). The lock is released once nothing waits on the run. ``translator-app train``, the Training
tab's worker and ``scripts/train_corpus.py`` call only this. torch is imported when a run is
prepared, not when this module is: the window lists unfinished runs before torch is loaded.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Collection

from translator_app.core.atomic import remove_tree_atomically
from translator_app.core.paths import user_runs_dir
from translator_app.core.types.train_config import resumed_config
from translator_app.core.types.train_types import RunStatus, TrainerState, TrainEvent, TrainResult
from translator_app.core.training.checkpoint import has_checkpoint, read_checkpoint_state
from translator_app.core.types.run_spec import RUN_FILE, RunSpec, check_name_pattern, load_run_spec
from translator_app.core.training.runlock import RunBusyError, RunLock

if TYPE_CHECKING:  # torch: imported by ``runner`` when a run is prepared
    from translator_app.core.training.trainer import Trainer

log = logging.getLogger(__name__)

Callback = Callable[[TrainEvent], None]


@dataclass
class PreparedRun:
    """A run ready to train: its ``Trainer``, its folder and the lock on it, what it was asked."""

    trainer: Trainer
    run_dir: Path
    spec: RunSpec
    data_report: str
    train_pairs: int
    validation_pairs: int
    resumed: bool = False  # goes on from the folder's checkpoint
    lock: RunLock | None = None  # held until the run is finished or let go of

    @property
    def is_main(self) -> bool:
        """This process reports and publishes (rank 0 under ``torchrun``; always, otherwise)."""
        return self.trainer.distributed.is_main

    def pause(self) -> None:
        """Stop between two steps until ``go_on`` (from another thread)."""
        self.trainer.pause()

    def go_on(self) -> None:
        self.trainer.resume()

    def cancel(self) -> None:
        """Stop after the current step; the checkpoint written then can be resumed."""
        self.trainer.cancel()

    def release(self) -> None:
        """Let another window or process use this run's name again."""
        if self.lock is not None:
            self.lock.release()


def prepare(
    spec: RunSpec, *, callback: Callback | None = None, run_dir: Path | None = None, check_name: bool = True
) -> PreparedRun:
    """A new run: its folder (``runs/NAME`` unless ``run_dir``) locked, data read, model built.

    ``check_name`` False is for the project's own recipes, whose model may already be shipped.
    """
    from translator_app.core.training.runner import prepare_run

    return prepare_run(spec, callback=callback, run_dir=run_dir, check_name=check_name)


def resume(
    run_dir: Path, *, callback: Callback | None = None, recipe: RunSpec | None = None, explicit: Collection[str] = ()
) -> PreparedRun:
    """An unfinished run, ready to go on from its checkpoint, as its ``run.json`` asked.

    A ``recipe`` (``scripts/train_corpus.py``) is followed instead, with the batches and the
    learning-rate schedule the run began with (``train_config.resumed_config``; ``explicit``: the
    settings given on the command line); its device and precision are this process's, so a run
    started on a GPU goes on on a CPU and the other way round. A recipe's folder with no run yet
    starts it.
    """
    from translator_app.core.training.runner import prepare_run

    run_dir = Path(run_dir)
    if recipe is None:
        spec = load_run_spec(run_dir)
    elif (run_dir / RUN_FILE).is_file():
        spec = replace(recipe, train=resumed_config(load_run_spec(run_dir).train, recipe.train, explicit))
    else:
        spec = recipe
    return prepare_run(spec, callback=callback, resume=True, run_dir=run_dir, check_name=False)


def estimate(prepared: PreparedRun) -> float:
    """Seconds the whole run will take on its device, measured on a few real steps (``runner.estimate_seconds``)."""
    from translator_app.core.training.runner import estimate_seconds

    return estimate_seconds(prepared)


def start(prepared: PreparedRun) -> TrainResult:
    """Train until the last epoch, early stopping or ``cancel``; a resumed run goes on from its checkpoint."""
    return prepared.trainer.fit(resume=prepared.resumed)


def finish(prepared: PreparedRun, result: TrainResult, name: str | None = None) -> Path | None:
    """Publish the run's best model as ``name`` (the run's own by default) and delete its folder.

    With no model to publish, the folder is deleted when the run ended by itself (nothing is left
    to resume) and kept when it was cancelled. Returns the published model's folder, or None. A
    name that cannot be used (taken by a model, say) raises ``FileExistsError`` or ``ValueError``
    with the run still locked, so the caller may ask for another and finish again; otherwise the
    lock is released.
    """
    if not prepared.is_main:  # under torchrun rank 0 publishes
        prepared.release()
        return None
    target = None
    if result.best_folder is not None:
        from translator_app.core.training.runner import publish_run

        target = publish_run(prepared.run_dir, name or prepared.spec.name, result)
    if target is not None or result.status is not RunStatus.CANCELLED:
        try:
            discard_run(prepared.run_dir, held=prepared)
        except OSError:  # nothing is left to resume: a folder left behind is untidy, not a failure
            log.exception("removing the finished run folder %s failed", prepared.run_dir)
    prepared.release()
    return target


def no_model_reason(result: TrainResult) -> str:
    """Why a run left no model to save, in the shells' words."""
    gained = [r["val_bleu"] for r in result.history if result.base_val_bleu is not None and r["val_bleu"] > result.base_val_bleu]
    if gained and result.base_general_bleu is not None:  # better on the user's pairs, but each forgot too much
        return (
            f"Every epoch that improved on your data (validation BLEU {result.base_val_bleu:.2f} before, up to "
            f"{max(gained):.2f}) lost more general German than allowed (the forgetting budget), so no model was saved "
            "and the base model stays as it was; try a lower learning rate, more of the base model's data mixed in "
            "(--replay-ratio), or a larger budget (--forgetting-budget)."
        )
    if result.epochs_completed and result.base_val_bleu is not None:
        return (
            f"No epoch improved on the base model (validation BLEU {result.base_val_bleu:.2f} before training, "
            "and no lower loss), so no model was saved and the base model stays as it was; try a lower "
            "learning rate or more data."
        )
    return "No epoch finished, so no model was saved."


def discard_run(run_dir: Path, *, held: PreparedRun | None = None) -> None:
    """Delete a run folder all at once: renamed aside first, so a kill mid-delete never leaves half a run.

    A run this process ``held`` (prepared, its lock taken) is deleted under its own lock; any other
    is locked here first, so a run that another window or process is training is refused
    (``RunBusyError``), never deleted under it.
    """
    run_dir = Path(run_dir)
    own = held is not None and held.lock is not None and Path(held.run_dir) == run_dir
    lock = RunLock(run_dir) if not own else None
    if lock is not None:
        lock.acquire()
    try:
        remove_tree_atomically(run_dir)
    finally:
        if lock is not None:
            lock.release()


def resumable(run_dir: Path) -> bool:
    """True when the run folder holds a checkpoint to go on from."""
    return has_checkpoint(run_dir)


def discard_unstarted(run_dir: Path) -> None:
    """Delete a run folder that has no checkpoint (prepared for an estimate, or failed while being
    prepared): nothing there can be resumed. A folder with a checkpoint is kept."""
    if Path(run_dir).is_dir() and not resumable(run_dir):
        discard_run(run_dir)


def run_folder(name: str) -> Path:
    """The folder a run called ``name`` lives in; ``ValueError`` for a name no folder may have."""
    check_name_pattern(name)
    return user_runs_dir() / name


def unfinished_runs() -> list[Path]:
    """Runs with a checkpoint that were never published (closed or killed mid-training), and that no
    other window or process holds (those are training, not unfinished)."""
    root = user_runs_dir()
    if not root.is_dir():
        return []
    return sorted(
        p for p in root.iterdir() if p.is_dir() and (p / RUN_FILE).is_file() and has_checkpoint(p) and not _in_progress(p)
    )


def progress(run_dir: Path) -> TrainerState:
    """Where a run's checkpoint stands (epoch, step, history, loss curve), read without torch; an
    empty state when it has none or it cannot be read."""
    return read_checkpoint_state(run_dir) or TrainerState()


def _in_progress(run_dir: Path) -> bool:
    try:
        RunLock(run_dir).acquire().release()
    except RunBusyError:
        return True
    return False
