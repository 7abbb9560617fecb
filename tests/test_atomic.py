"""core.atomic: a file is replaced whole or not at all, and a failed write leaves nothing behind."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from translator_app.core.atomic import sync_folder, write_atomic_with, write_file_atomic, write_text_atomic


def test_a_write_that_fails_midway_keeps_the_old_file_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "weights.bin"
    target.write_bytes(b"old contents")

    def half_then_fail(tmp: Path) -> None:
        tmp.write_bytes(b"half of the ne")
        raise RuntimeError("disk went away")

    with pytest.raises(RuntimeError, match="disk went away"):
        write_atomic_with(target, half_then_fail)
    assert target.read_bytes() == b"old contents"
    assert [p.name for p in tmp_path.iterdir()] == ["weights.bin"]


def test_a_failed_first_write_creates_nothing(tmp_path: Path) -> None:
    def fail(tmp: Path) -> None:
        tmp.write_bytes(b"x")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_atomic_with(tmp_path / "new.bin", fail)
    assert list(tmp_path.iterdir()) == []


def test_the_callback_writes_through_the_temporary_path(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    seen: list[Path] = []

    def write(tmp: Path) -> None:
        seen.append(tmp)
        tmp.write_text("new", encoding="utf-8")

    write_atomic_with(target, write)
    assert target.read_text(encoding="utf-8") == "new"
    assert seen[0].parent == tmp_path and seen[0].name.startswith(".out.txt.") and seen[0] != target
    assert not seen[0].exists()


def test_bytes_and_text_forms_replace_and_keep_the_permissions(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    write_text_atomic(target, "Grüße\n")
    assert target.read_bytes() == "Grüße\n".encode("utf-8")
    if os.name != "nt":
        os.chmod(target, 0o640)
    write_file_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    if os.name != "nt":
        assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_syncing_a_folder_that_cannot_be_opened_is_no_error(tmp_path: Path) -> None:
    sync_folder(tmp_path)
    sync_folder(tmp_path / "missing")
