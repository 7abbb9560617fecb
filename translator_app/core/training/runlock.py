"""One run at a time per run folder: an exclusive, non-blocking lock held while a run lives.

Two runs with the same name would share one folder: one deletes or overwrites the other's
checkpoint and best model, and publishes weights it did not train. The lock is an OS file lock
(``flock`` on Linux and macOS, ``msvcrt.locking`` on Windows) on a small file beside the run
folder, not inside it, because a new run deletes its folder before it starts. The OS drops the
lock when the process ends, however it ends (even ``kill -9``), so a crash never leaves a run
locked. The lock file itself is never deleted: deleting it would let two processes lock two
different files of the same name.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from translator_app.core.types.errors import AppError


class RunBusyError(AppError, FileExistsError):
    """Another window or process is training (or saving) a run with this name: the name is taken for now."""


def lock_path(run_dir: Path) -> Path:
    run_dir = Path(run_dir)
    return run_dir.parent / f".{run_dir.name}.lock"


class RunLock:
    """Held from ``acquire`` until ``release`` (or the end of the process)."""

    def __init__(self, run_dir: Path) -> None:
        self.run_dir = Path(run_dir)
        self.path = lock_path(self.run_dir)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> "RunLock":
        if self._fd is not None:
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            raise RunBusyError(
                f"a run named {self.run_dir.name!r} is already in progress (in another window or terminal); "
                f"wait for it to finish, or choose another name"
            ) from None
        self._fd = fd
        return self

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                _unlock(fd)
            finally:
                os.close(fd)

    def __enter__(self) -> "RunLock":
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
