"""What the training worker tells the Training tab: plain data and plain words, no core objects.

The worker builds these on its thread from what the core returned; the tab only reads them, so
nothing the core owns (a Trainer, a tensor) ever crosses to the GUI thread.
"""

from __future__ import annotations

import errno
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from translator_app.core.types.errors import AppError
from translator_app.core.types.run_spec import RunSpec
from translator_app.core.types.train_types import RunStatus

if TYPE_CHECKING:  # the readers are imported on the worker thread only
    from translator_app.core.readers import TableShape


@dataclass
class PreviewResult:
    """What the preview table and its summary show (plain data: no core objects cross threads)."""

    paths: list[str]
    format: str
    pairs: list[tuple[str, str]]  # the first usable pairs
    kept: int  # usable pairs in the whole file
    total_rows: int
    skipped: dict[str, int]  # reason -> count
    summary: str  # the core's one-line report
    encoding: str
    columns: tuple[int, int] | None  # (German, English) columns used, TSV/CSV only
    column_labels: list[str] = field(default_factory=list)  # one per column, TSV/CSV only


@dataclass
class RunInfo:
    name: str
    run_dir: Path
    train_pairs: int
    validation_pairs: int
    data_report: str
    steps_per_epoch: int
    total_steps: int
    epochs: int
    device: str
    base_model: str | None
    architecture: str
    resumed: bool = False


@dataclass
class RunOutcome:
    name: str
    run_dir: Path
    status: RunStatus  # finished, early-stopped, cancelled, or closing (the window closes)
    epochs_completed: int
    steps: int
    best_epoch: int | None
    best_val_bleu: float | None
    seconds: float
    history: list[dict[str, float]] = field(default_factory=list)
    has_model: bool = False  # at least one epoch finished: there is a best model to save
    no_model_reason: str = ""  # when there is none: why (core.training.facade.no_model_reason)
    base_val_bleu: float | None = None  # fine-tuning: the base model's, on the user's validation pairs
    base_general_bleu: float | None = None  # and on its general German sample (core.replay), when it ships one
    best_general_bleu: float | None = None  # the kept epoch's on that sample
    gains: str = ""  # before → after on both, in the core's words (TrainResult.gain_report); "" for a new model
    fall_warning: str = ""  # the kept epoch's validation BLEU is below the base's (TrainResult.fall_warning)


@dataclass
class UnfinishedRun:
    run_dir: Path
    name: str
    description: str
    epochs_done: int
    epochs: int
    step: int
    history: list[dict[str, float]] = field(default_factory=list)  # per finished epoch, from the checkpoint
    step_losses: list[list[float]] = field(default_factory=list)  # [step, loss] so far, from the checkpoint
    base: dict[str, float] = field(default_factory=dict)  # the base model's val_loss / val_bleu, when fine-tuning
    spec: RunSpec | None = None  # the run's own settings (run.json): the form shows them on resume


def out_of_memory_errors() -> tuple[type[BaseException], ...]:
    """Python's MemoryError, and torch's for the GPU once torch is loaded (before, nothing can raise it)."""
    torch: Any = sys.modules.get("torch")
    cuda_error = getattr(getattr(torch, "cuda", None), "OutOfMemoryError", None)
    return (MemoryError, cuda_error) if isinstance(cuda_error, type) else (MemoryError,)


def expected_failures() -> tuple[type[BaseException], ...]:
    """What a run can meet in normal use (bad data, a full disk, too little memory): said in one line, no traceback."""
    return (AppError, OSError, ValueError, *out_of_memory_errors())


def describe_exception(exc: BaseException) -> str:
    """A user-facing reason for anything that can stop a run."""
    if isinstance(exc, AppError):  # bad data, a taken name, NaN loss...: its message is written for the user
        return str(exc)
    if isinstance(exc, out_of_memory_errors()):
        return "out of memory; try a smaller batch size, or a smaller model"
    if isinstance(exc, OSError) and not isinstance(exc, FileExistsError):
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        if exc.errno == errno.ENOSPC:
            return f"the disk is full{where}; free some space"
        return f"{exc.strerror or exc}{where}"
    if isinstance(exc, RuntimeError) and "Vocabulary size" in str(exc):  # SentencePiece's own words
        detail = str(exc).strip().splitlines()[-1]
        if "smaller than required" in detail:
            return f"the vocabulary size is too small for the characters in this data; choose a larger one ({detail})"
        return f"the vocabulary size is too large for this little data; choose a smaller one ({detail})"
    if isinstance(exc, (ValueError, FileExistsError)):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def column_labels(table: TableShape) -> list[str]:
    """Labels for the column-mapping combos: the header cells, or the first row's text, as the reader saw them."""
    first = table.first_row
    labels = []
    for i in range(table.width):
        cell = " ".join(first[i].split()) if i < len(first) else ""
        cell = cell if len(cell) <= 24 else cell[:23] + "…"
        labels.append(
            f"Column {i + 1}: {cell}" if table.header and cell else f"Column {i + 1}" + (f" (“{cell}”)" if cell else "")
        )
    return labels
