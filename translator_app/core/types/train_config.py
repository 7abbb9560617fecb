"""The trainer's settings as plain data, checked once for the CLI, the app and the recipes.

Apart from the trainer so that it imports no torch: the Training tab builds a ``RunSpec`` (and its
``TrainConfig``) on the GUI thread, before torch is loaded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Collection
from translator_app.core.types.errors import InvalidInput

# The fewest sentence pairs a run can start from: one to train on and one held out to validate on.
# Stated here, torch-free, so the Training tab can say it before importing the trainer.
MIN_TRAINING_PAIRS = 2


@dataclass
class TrainConfig:
    epochs: int = 20
    batch_size: int = 128  # sentence pairs per batch (when ``batch_tokens`` is 0)
    batch_tokens: int = 0  # > 0: batches of as many length-sorted pairs as fit this many (padded) tokens
    learning_rate: float = 1e-3
    warmup_steps: int = 300
    min_lr_ratio: float = 0.05  # cosine decay ends at this fraction of the peak
    clip_norm: float = 1.0
    label_smoothing: float = 0.1
    teacher_forcing: float = 1.0  # probability of feeding the gold token (1 = always)
    weight_decay: float = 0.0
    adam_beta2: float = 0.999  # the Transformer paper used 0.98
    patience: int = 4  # epochs without a better validation BLEU before stopping
    precision: str = "auto"  # auto (bf16 where supported), bf16, fp32
    seed: int = 1
    checkpoint_every: int = 200  # steps; a checkpoint is also written after every epoch
    val_max_length: int = 100
    keep_epoch_weights: int = 0  # keep this many per-epoch weight snapshots for checkpoint averaging
    subword_sampling: float = 0.0  # > 0: re-segment the training text every epoch, sampling with this alpha
    forgetting_budget: float = 1.0  # fine-tuning with a general sample: BLEU it may lose there (core.replay)

    def __post_init__(self) -> None:
        """Impossible numbers are refused here, so the CLI, the app and recipes share one rule."""

        def need(ok: bool, what: str) -> None:
            if not ok:
                raise InvalidInput(what)

        def finite(x) -> bool:
            return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)

        def whole(x) -> bool:
            return isinstance(x, int) and not isinstance(x, bool)

        need(
            whole(self.epochs) and 1 <= self.epochs <= 10_000,
            f"epochs must be a whole number from 1 to 10,000, not {self.epochs!r}",
        )
        need(
            whole(self.batch_size) and 1 <= self.batch_size <= 100_000,
            f"the batch size must be a whole number from 1 to 100,000, not {self.batch_size!r}",
        )
        need(
            finite(self.learning_rate) and 0 < self.learning_rate <= 1,
            f"the learning rate must be above 0 and at most 1, not {self.learning_rate!r}",
        )
        need(
            whole(self.batch_tokens) and 0 <= self.batch_tokens <= 1_000_000,
            f"the tokens per batch must be a whole number from 0 (batches by pairs) to 1,000,000, not {self.batch_tokens!r}",
        )
        need(
            finite(self.forgetting_budget) and self.forgetting_budget >= 0,
            f"the forgetting budget must be 0 or more BLEU, not {self.forgetting_budget!r}",
        )
        need(whole(self.patience) and self.patience >= 1, f"patience must be at least 1 epoch, not {self.patience!r}")
        need(whole(self.warmup_steps) and self.warmup_steps >= 1, f"warm-up steps must be at least 1, not {self.warmup_steps!r}")
        need(finite(self.clip_norm) and self.clip_norm > 0, f"the clipping norm must be above 0, not {self.clip_norm!r}")
        need(finite(self.label_smoothing) and 0 <= self.label_smoothing < 1, "label smoothing must be from 0 to below 1")
        need(finite(self.subword_sampling) and 0 <= self.subword_sampling <= 1, "subword sampling must be from 0 (off) to 1")
        need(finite(self.min_lr_ratio) and 0 <= self.min_lr_ratio <= 1, "the minimum learning-rate ratio must be from 0 to 1")

    @classmethod
    def from_dict(cls, values: dict) -> "TrainConfig":
        return cls(**{k: v for k, v in values.items() if k in cls.__dataclass_fields__})


# What decides a run's batches (their order included) and its learning-rate schedule: a resumed run
# keeps these as it began, whichever device, precision or process it goes on in, so that it continues
# at the same step of the same schedule with the same data order. Epochs may still be extended.
KEPT_ON_RESUME = ("batch_size", "batch_tokens", "seed", "subword_sampling", "learning_rate", "warmup_steps", "min_lr_ratio")


def resumed_config(started: TrainConfig, asked: TrainConfig, explicit: Collection[str] = ()) -> TrainConfig:
    """The settings a resumed run trains with: ``asked``'s (the recipe's and this command's), except
    ``KEPT_ON_RESUME``, which stay as the run ``started``. One of those named in ``explicit`` (given on
    this command line) with another value is refused rather than silently dropped."""
    changed = [f for f in KEPT_ON_RESUME if f in explicit and getattr(asked, f) != getattr(started, f)]
    if changed:
        was = ", ".join(f"{f} {getattr(started, f)!r}" for f in changed)
        raise InvalidInput(
            f"the run began with {was}; a resumed run keeps its batches and learning-rate schedule "
            "(only the device, the precision and the epochs may change): leave that setting out or start a new run"
        )
    return replace(asked, **{f: getattr(started, f) for f in KEPT_ON_RESUME})
