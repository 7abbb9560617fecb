"""The run folders the training worker holds, and when each is let go of or deleted.

A prepared run keeps its folder's lock (no other window or process may use its name) until nothing
waits on it any more. A run prepared for an estimate but never trained leaves no folder behind, nor
does one that failed while being prepared: neither has a checkpoint to resume from. The worker
changes ``RunFolders`` on its thread; the ``TrainingThread`` lets go of what is left (``close``) only
once that thread has stopped, so the two never touch it at the same time.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the facade imports torch once a run is prepared: on the worker thread only
    from translator_app.core.training.facade import PreparedRun

log = logging.getLogger(__name__)


class RunFolders:
    """The held run (its lock) and the folder of a run prepared but not trained (removed at ``close``)."""

    def __init__(self) -> None:
        self.held: PreparedRun | None = None  # the run whose folder lock is held
        self.unused: Path | None = None  # prepared (for an estimate) but never trained

    def hold(self, prepared: PreparedRun) -> None:
        """Keep ``prepared``'s folder lock until ``let_go``; a lock held for another run is released now."""
        if self.held is not None and self.held is not prepared:
            self.held.release()
        self.held = prepared

    def let_go(self) -> None:
        """Release the held run's lock: its name is free again."""
        held, self.held = self.held, None
        if held is not None:
            held.release()

    def held_for(self, run_dir: Path) -> PreparedRun | None:
        """The held run if it is ``run_dir``'s (to delete one's own run under its lock), or None."""
        held = self.held
        return held if held is not None and Path(held.run_dir) == Path(run_dir) else None

    def close(self) -> None:
        """The worker's thread has stopped: free the run's name, and remove a folder prepared but never trained."""
        self.let_go()
        unused, self.unused = self.unused, None
        if unused is not None:
            remove_unused_run(unused)


def remove_unused_run(run_dir: Path) -> None:
    """Delete a run folder that was prepared but never trained (it has no checkpoint)."""
    try:
        from translator_app.core.training.facade import discard_unstarted

        discard_unstarted(run_dir)
    except Exception:
        log.exception("removing the unused run folder %s failed", run_dir)


def remove_failed_preparation(name: str) -> None:
    """A run that failed while being prepared leaves no half-made folder (never one with a checkpoint)."""
    try:
        from translator_app.core.training.facade import discard_unstarted, run_folder

        try:
            folder = run_folder(name)
        except ValueError:
            return  # not a folder name: nothing was created
        discard_unstarted(folder)
    except Exception:
        log.exception("cleaning up after a failed preparation failed")
