"""Training run folders as the window lists them at start-up: which can be resumed, and their
recipe. Without torch, so that listing them never loads it before the first translation."""

from __future__ import annotations

import json
from pathlib import Path

from translator_app.core.checkpoint import has_checkpoint
from translator_app.core.paths import user_runs_dir
from translator_app.core.run_spec import RunSpec
from translator_app.core.runlock import RunBusyError, RunLock

RUN_FILE = "run.json"


def load_run_spec(run_dir: Path) -> RunSpec:
    path = Path(run_dir) / RUN_FILE
    try:
        return RunSpec.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError) as exc:
        raise ValueError(f"{path}: cannot resume this run ({exc})") from None


def unfinished_runs() -> list[Path]:
    """Runs with a checkpoint that were never published (closed or killed mid-training)."""
    root = user_runs_dir()
    if not root.is_dir():
        return []
    return sorted(
        p for p in root.iterdir() if p.is_dir() and (p / RUN_FILE).is_file() and has_checkpoint(p) and not _in_progress(p)
    )


def _in_progress(run_dir: Path) -> bool:
    """True while another window or process holds the run (it is training, not unfinished)."""
    try:
        RunLock(run_dir).acquire().release()
    except RunBusyError:
        return True
    return False
