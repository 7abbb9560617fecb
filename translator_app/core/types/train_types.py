"""What the trainer reports and keeps, as typed plain data: no torch, so the GUI thread may read it.

``TrainEvent`` (what a running fit reports, of a ``TrainEventKind``), ``TrainResult`` (how it ended,
with a ``RunStatus``) and ``TrainerState`` (the counters, history and loss curve a checkpoint keeps
for resuming). The enums are ``str`` valued, so events compare equal to their plain words and are
written to logs and JSON as those words.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import Enum
from pathlib import Path
from typing import Any


class _Words(str, Enum):
    """An enum whose members are, print as and are written to JSON as their plain words."""

    def __str__(self) -> str:
        return str(self.value)


class TrainEventKind(_Words):
    STEP = "step"  # one optimizer step (loss, learning rate, speed, ETA)
    EPOCH = "epoch"  # an epoch validated
    BASELINE = "baseline"  # fine-tuning: the base model validated before the first step
    CHECKPOINT = "checkpoint"
    LOG = "log"  # a line to show (e.g. where a resumed run goes on from)
    PAUSED = "paused"
    RESUMED = "resumed"


class RunStatus(_Words):
    FINISHED = "finished"  # every epoch ran
    EARLY_STOPPED = "early-stopped"  # ``patience`` epochs without a better validation BLEU
    CANCELLED = "cancelled"  # stopped between steps; the checkpoint stays, resumable
    CLOSING = "closing"  # the app's: cancelled because the window closes (never the trainer's)


@dataclass
class TrainEvent:
    kind: TrainEventKind
    epoch: int = 0
    step: int = 0
    total_steps: int = 0
    loss: float | None = None
    learning_rate: float | None = None
    tokens_per_second: float | None = None
    eta_seconds: float | None = None
    val_loss: float | None = None
    val_perplexity: float | None = None
    val_bleu: float | None = None
    general_bleu: float | None = None  # fine-tuning with a general sample: BLEU on it (core.replay)
    message: str = ""


@dataclass
class TrainResult:
    status: RunStatus
    epochs_completed: int
    steps: int
    best_epoch: int | None
    best_val_bleu: float | None
    best_folder: Path | None
    seconds: float
    history: list[dict[str, float]] = field(default_factory=list)
    base_val_bleu: float | None = None  # the base model's, when fine-tuning: an epoch must beat it to be kept
    base_general_bleu: float | None = None  # the base model's BLEU on its general sample (core.replay)
    best_general_bleu: float | None = None  # the kept epoch's

    def gain_report(self, budget: float) -> str:
        """Before → after, in plain words: what the kept epoch gained on the user's pairs and what it
        cost on general German (the base model is epoch 0)."""
        if self.best_val_bleu is None or self.base_val_bleu is None:
            return ""
        text = (
            f"Your data: validation BLEU {self.base_val_bleu:.2f} → {self.best_val_bleu:.2f} "
            f"({self.best_val_bleu - self.base_val_bleu:+.2f})"
        )
        if self.base_general_bleu is not None and self.best_general_bleu is not None:
            change = self.best_general_bleu - self.base_general_bleu
            verdict = "nothing lost" if change >= 0 else f"within the {budget:g} BLEU it may lose"
            text += (
                f"; general German BLEU {self.base_general_bleu:.2f} → {self.best_general_bleu:.2f} ({change:+.2f}, {verdict})"
            )
        return text

    def fall_warning(self) -> str:
        """Said plainly when the kept epoch's validation BLEU is below the base model's (it was kept for a
        lower loss): the new model translates the user's held-out pairs worse than its base did."""
        if self.best_val_bleu is None or self.base_val_bleu is None or self.best_val_bleu >= self.base_val_bleu:
            return ""
        return (
            f"Validation BLEU fell below the base model's: {self.base_val_bleu:.2f} before training, "
            f"{self.best_val_bleu:.2f} at best (epoch {self.best_epoch}, {self.best_val_bleu - self.base_val_bleu:+.2f}). "
            "The model was kept for its lower validation loss, but on your held-out pairs it translates worse "
            "than its base; compare the two before switching, or train longer or on more data."
        )

    def summary(self) -> dict[str, object]:
        """The one line of JSON a training script prints at its end (the logs of the shipped runs)."""
        return {
            "status": str(self.status),
            "epochs": self.epochs_completed,
            "best_epoch": self.best_epoch,
            "best_val_bleu": self.best_val_bleu,
            "seconds": round(self.seconds),
        }


@dataclass
class TrainerState:
    """Where a run is: what a checkpoint keeps (as JSON, under these very keys) to resume it exactly."""

    epoch: int = 0  # epochs finished
    batch: int = 0  # batches of the current epoch done
    step: int = 0  # optimizer steps done
    best_bleu: float | None = None
    best_epoch: int | None = None
    bad_epochs: int = 0  # epochs since the best one (early stopping)
    history: list[dict[str, float]] = field(default_factory=list)  # one record per finished epoch
    seconds: float = 0.0  # training time so far, across resumes
    step_losses: list[list[float]] = field(default_factory=list)  # [step, loss], thinned on long runs
    base: dict[str, float] | None = None  # fine-tuning: the base model's validation metrics

    def to_dict(self) -> dict[str, Any]:
        """The checkpoint's JSON: ``base`` only once it was measured, as the trainer has always written it."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        if self.base is None:
            del values["base"]
        return values

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> TrainerState:
        """A checkpoint's counters (missing keys take their start values, unknown ones are ignored).

        Raises ValueError or TypeError on values of the wrong kind (a damaged file).
        """

        def optional(key: str, kind: type) -> Any:
            value = values.get(key)
            return None if value is None else kind(value)

        return cls(
            epoch=int(values.get("epoch", 0)),
            batch=int(values.get("batch", 0)),
            step=int(values.get("step", 0)),
            best_bleu=optional("best_bleu", float),
            best_epoch=optional("best_epoch", int),
            bad_epochs=int(values.get("bad_epochs", 0)),
            history=[dict(record) for record in values.get("history") or []],
            seconds=float(values.get("seconds", 0.0)),
            step_losses=[list(point) for point in values.get("step_losses") or []],
            base=optional("base", dict),
        )
