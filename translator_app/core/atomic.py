"""Atomic file and folder writes and deletes, and the clean-up of what a killed process left behind.

The app's one way to write a file whole or not at all (``write_atomic_with`` and its bytes and
text forms): a temporary sibling, fsync, ``os.replace``, then fsync of the folder. A model folder
is written under a hidden temporary name and renamed into place; a folder is deleted by renaming
it aside first and then removing it. Either way a reader (or a resumed run)
sees the whole folder or none of it. A process killed in between leaves only hidden names behind,
which ``clean_leftovers`` removes at the next start: a ``.partial`` that is old enough that no
live save can still be writing it, every ``.deleting``, and a ``.NAME.old`` whose replacement
finished; a ``.NAME.old`` whose replacement never arrived is renamed back, so no model is lost.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
import uuid
from pathlib import Path
from typing import Callable

from translator_app.core.paths import user_models_dir, user_runs_dir

PARTIAL, DELETING, OLD = ".partial", ".deleting", ".old"
STALE_AFTER_SECONDS = 15 * 60  # far longer than saving any model takes

log = logging.getLogger(__name__)


def temp_sibling(folder: Path, suffix: str) -> Path:
    """A hidden, unique name beside ``folder``: ``.NAME.1a2b3c4d5e6f.partial``."""
    folder = Path(folder)
    return folder.parent / f".{folder.name}.{uuid.uuid4().hex[:12]}{suffix}"


def write_file_atomic(path: Path, data: bytes) -> None:
    """Write bytes whole or not at all (``write_atomic_with``)."""

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            fh.write(data)

    write_atomic_with(path, write)


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text whole or not at all (``write_atomic_with``)."""
    write_file_atomic(path, text.encode("utf-8"))


def write_atomic_with(path: Path, write: Callable[[Path], object]) -> None:
    """Have ``write`` fill a temporary sibling of ``path`` (for writers that want a path, such as
    safetensors' ``save_file``), fsync it, ``os.replace`` it over ``path`` and fsync the folder.

    If ``write`` or any step fails, the old file is left as it was and the temporary one is
    removed. The file keeps the permissions of the one it replaces, or gets what the umask gives
    a new file (not ``mkstemp``'s 0600, nor ``save_file``'s)."""
    path = Path(path)
    tmp = temp_sibling(path, PARTIAL)
    try:
        write(tmp)
        sync_file(tmp)
        os.chmod(tmp, usual_mode(path))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


def sync_file(path: Path) -> None:
    """Force a written file's bytes to disk, so a rename never publishes a file the OS has not stored."""
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def sync_folder(folder: Path) -> None:
    """Force a folder's entries (a rename) to disk where the OS allows it: POSIX opens folders for
    fsync; Windows cannot, and some file systems refuse it, which is no error (the data is synced)."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def usual_mode(path: Path) -> int:
    """The replaced file's permissions, or a new file's (0666 less the umask)."""
    try:
        return Path(path).stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def sync_files(folder: Path) -> None:
    """``sync_file`` for every file directly in ``folder``: before ``replace_folder`` publishes it."""
    for entry in Path(folder).iterdir():
        if entry.is_file():
            sync_file(entry)


def old_sibling(folder: Path) -> Path:
    """Where a folder being replaced waits until its replacement is in place."""
    folder = Path(folder)
    return folder.parent / f".{folder.name}{OLD}"


def replace_folder(tmp: Path, folder: Path) -> None:
    """Move the complete ``tmp`` to ``folder``, replacing an existing one only once ``tmp`` is in place.
    The files in ``tmp`` must be synced already (``sync_files``); the renames are synced here."""
    folder = Path(folder)
    if folder.exists():
        old = old_sibling(folder)
        shutil.rmtree(old, ignore_errors=True)
        os.replace(folder, old)
        os.replace(tmp, folder)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, folder)
    sync_folder(folder.parent)


def remove_tree_atomically(folder: Path) -> None:
    """Delete ``folder`` as one step: a kill mid-delete leaves a hidden ``.deleting``, never half a folder."""
    folder = Path(folder)
    if not folder.exists():
        return
    aside = temp_sibling(folder, DELETING)
    os.replace(folder, aside)
    shutil.rmtree(aside, ignore_errors=True)


def clean_leftovers(*parents: Path, now: float | None = None) -> list[str]:
    """Tidy what killed saves and deletes left in ``parents``; returns one line per thing done."""
    now = time.time() if now is None else now
    done: list[str] = []
    for parent in parents:
        try:
            entries = list(Path(parent).iterdir())
        except OSError:
            continue  # not there yet, or unreadable: nothing to tidy
        for entry in entries:
            try:
                action = _tidy(entry, now)
            except OSError as exc:
                log.warning("could not tidy %s: %s", entry, exc)
                continue
            if action:
                done.append(f"{action} {entry}")
    return done


def _tidy(entry: Path, now: float) -> str | None:
    name = entry.name
    if not name.startswith(".") or not entry.is_dir():
        return None
    if name.endswith(DELETING):
        shutil.rmtree(entry, ignore_errors=True)
        return "removed"
    if name.endswith(PARTIAL) and now - entry.stat().st_mtime > STALE_AFTER_SECONDS:
        shutil.rmtree(entry, ignore_errors=True)
        return "removed stale"
    if name.endswith(OLD):
        target = entry.with_name(name[1 : -len(OLD)])
        if target.exists():
            shutil.rmtree(entry, ignore_errors=True)
            return "removed replaced"
        os.replace(entry, target)
        return "restored"
    return None


def tidy_user_folders() -> list[str]:
    """``clean_leftovers`` over the user's models and runs: what both shells do when they start."""
    return clean_leftovers(user_models_dir(), user_runs_dir())
