"""What a training run is asked to do, and the defaults and suggestions both shells start one from.

``translator-app train`` and the Training tab fill a ``RunSpec`` from the same training defaults, name
rule, hold-out split and vocabulary suggestion, so the two never drift apart; ``core.training.runner``
runs what it describes. No torch here: the tab builds its ``RunSpec`` on the GUI thread.
"""

from __future__ import annotations

import json
import math
import random
import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from translator_app.core.types.model_names import check_name_rules
from translator_app.core.types.train_config import MIN_TRAINING_PAIRS, TrainConfig
from translator_app.core.types.errors import InvalidInput

RUN_FILE = "run.json"  # a run folder's RunSpec, as asked; a recipe is one too
FALLBACK_NAME = "my-model"
HOLDOUT_FRACTION = 0.05  # of the pairs, held out for validation when no validation file is given
MAX_VALIDATION_PAIRS = 1000
DEFAULT_VOCAB_SIZE = 8000  # a new model's subword vocabulary, and the most ever suggested
# A vocabulary holds 256 byte pieces, the special and placeholder pieces and the text's characters:
# SentencePiece cannot make fewer than about 300; more than 64,000 is far past what these models use.
VOCAB_SIZE_RANGE = (300, 64_000)
DEFAULT_ARCHITECTURE = "lstm"  # a new model's, unless another is chosen
# Fine-tuning mixes in this many of the base model's own pairs (its replay sample, core.replay) per
# pair of the user's, a fresh draw every epoch. With the epochs and learning rates below, chosen on the
# dev splits of the GNOME UI benchmark and the general dev sets (README, "Fine-tuning on your own
# data"). 0 turns mixing off.
DEFAULT_REPLAY_RATIO = 2.0
FINE_TUNE_EPOCHS = 3
FINE_TUNE_LEARNING_RATE = 3e-4
# A Transformer adapts (and forgets) faster: at 4e-4 and 2e-4 it lost 1.1-2.9 BLEU of general German
# where the recurrent models lose under 1 at 3e-4; at 1e-4 one replay pair per pair of the user's is
# enough, and learns more of their domain than two (scripts/model_notes/fine-tuning.md).
FINE_TUNE_LEARNING_RATES = {"transformer": 1e-4}
REPLAY_RATIOS = {"transformer": 1.0}
FINE_TUNE_BATCH_TOKENS = 1600  # fine-tuning batches by padded tokens: as much text a step, short segments or long
MIN_SUGGESTED_VOCAB = 600
# The subword-sampling alpha that the Training tab's check box turns on; lower values split more finely.
# 0.3 re-splits most sentences somewhere while adding only ~11% more subwords to a Multi30k epoch
# (0.1 would double them).
SUBWORD_SAMPLING_ALPHA = 0.3
_DATA_SUFFIX = re.compile(r"\.(gz|tsv|csv|tmx|po|pot|xlf|xliff|txt|xml|de|en)$", re.IGNORECASE)


@dataclass
class CorpusPart:
    """One corpus of a training mix (a recipe): its files, how much of it each epoch sees, its domain.

    ``weight`` 2 repeats every pair twice, 0.5 keeps a fixed random half (drawn from the run's
    seed, so a resumed run sees the same pairs); ``limit`` keeps only the first pairs (a
    validation set's, or a smoke test's training pairs).
    """

    files: list[str]
    weight: float = 1.0
    domain: str = ""
    format: str | None = None
    limit: int = 0


@dataclass
class RunSpec:
    name: str  # the new model's name
    data: list[str] = field(default_factory=list)  # training file(s); or a weighted mix in ``corpora``
    format: str | None = None  # None: detect
    columns: tuple[int, int] | None = None  # (german, english) for TSV/CSV
    validation: list[str] = field(default_factory=list)  # separate validation file(s), same format
    validation_fraction: float = HOLDOUT_FRACTION  # held out from the data when no file is given
    base_model: str | None = None  # fine-tune this model; None: train from scratch
    architecture: str = DEFAULT_ARCHITECTURE  # from scratch only
    hyperparameters: dict = field(default_factory=dict)
    vocab_size: int = DEFAULT_VOCAB_SIZE  # from scratch only
    train: TrainConfig = field(default_factory=TrainConfig)
    device: str = "auto"
    corpora: list[CorpusPart] = field(default_factory=list)  # a weighted mix instead of ``data``
    validation_corpora: list[CorpusPart] = field(default_factory=list)  # instead of ``validation``
    description: str = ""  # the model list's line (default: made from the run)
    placeholders: bool = True  # new vocabularies: protected-span placeholders (core.protect)
    replay_ratio: float = DEFAULT_REPLAY_RATIO  # fine-tuning: base pairs mixed in per pair of the user's (0 = off)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["columns"] = list(self.columns) if self.columns else None
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "RunSpec":
        d = dict(d)
        d["train"] = TrainConfig.from_dict(d.get("train", {}))
        d["columns"] = tuple(d["columns"]) if d.get("columns") else None
        for key in ("corpora", "validation_corpora"):
            d[key] = [CorpusPart(**part) for part in d.get(key) or []]
        return cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__})


def load_run_spec(run_dir: Path) -> RunSpec:
    """The ``RunSpec`` a run folder was started with (its ``run.json``)."""
    path = Path(run_dir) / RUN_FILE
    try:
        return RunSpec.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError) as exc:
        raise InvalidInput(f"{path}: cannot resume this run ({exc})") from None


# ---- training defaults ----------------------------------------------------------------------------


def default_train_config(fine_tune: bool, architecture: str | None = None) -> TrainConfig:
    """The one set of training defaults, for ``translator-app train`` and the Training tab alike.

    A new model takes ``TrainConfig``'s own: 20 epochs at 1e-3, warm-up 300, batch 128 (the shipped
    models' recipes). Fine-tuning took 5 epochs at 3e-4, warm-up 50 and batch 64. It is meant for
    a few thousand pairs of the user's own: with batch 128 a 2,000-pair file makes 15 steps an
    epoch, so a 5-epoch run ends barely 25 steps after its warm-up; batch 64 doubles the updates at
    the lower learning rate (and the memory a base model needs). The tab always used 64; the CLI
    had drifted to 128. Fine-tuning now batches by tokens (``FINE_TUNE_BATCH_TOKENS``; 64 pairs when
    the user asks for pairs), mixes in the base model's own pairs (``DEFAULT_REPLAY_RATIO``) and
    takes ``FINE_TUNE_EPOCHS`` epochs at the base ``architecture``'s learning rate.
    """
    if not fine_tune:
        return TrainConfig()
    return replace(
        TrainConfig(),
        epochs=FINE_TUNE_EPOCHS,
        learning_rate=FINE_TUNE_LEARNING_RATES.get(architecture or "", FINE_TUNE_LEARNING_RATE),
        warmup_steps=50,
        batch_size=64,
        batch_tokens=FINE_TUNE_BATCH_TOKENS,
    )


def default_replay_ratio(architecture: str | None) -> float:
    """Base-model pairs mixed in per pair of the user's when fine-tuning a model of ``architecture``."""
    return REPLAY_RATIOS.get(architecture or "", DEFAULT_REPLAY_RATIO)


def run_steps(pairs: int, batch_size: int, epochs: int) -> int:
    """Training steps of a run over ``pairs`` pairs (the Trainer's own arithmetic)."""
    return math.ceil(max(pairs, 0) / max(batch_size, 1)) * max(epochs, 0)


def capped_warmup(warmup_steps: int, steps: int) -> int:
    """Warm up over at most a tenth of a short run, so that it reaches its learning rate at all."""
    return min(warmup_steps, max(1, steps // 10))


def default_warmup(fine_tune: bool, pairs: int, holdout_fraction: float | None, batch_size: int, epochs: int) -> int:
    """The default warm-up of a run over ``pairs`` usable pairs, capped when the run is short.

    ``holdout_fraction`` is the share held out for validation, None with a separate validation file.
    """
    steps = run_steps(training_pairs(pairs, holdout_fraction), batch_size, epochs)
    return capped_warmup(default_train_config(fine_tune).warmup_steps, steps)


# ---- the hold-out split ---------------------------------------------------------------------------


def holdout_count(pairs: int, fraction: float) -> int:
    """How many of ``pairs`` are held out for validation when no validation file is given."""
    return min(MAX_VALIDATION_PAIRS, max(1, round(pairs * fraction)))


def training_pairs(pairs: int, fraction: float | None) -> int:
    """The pairs left to train on: all of them with a separate validation file (``fraction`` None)."""
    return pairs if fraction is None else pairs - holdout_count(pairs, fraction)


def holdout_split(pairs: int, fraction: float, seed: int) -> tuple[list[int], list[int]]:
    """(training, validation) row numbers of ``pairs`` rows: ``holdout_count`` of them picked at random
    with ``seed``, the rest kept in order. By row number, so a corpus streamed from disk splits the
    same way as one in memory."""
    if not 0 < fraction < 0.5:
        raise InvalidInput("the validation fraction must be between 0 and 0.5")
    order = list(range(pairs))
    random.Random(seed).shuffle(order)
    count = holdout_count(pairs, fraction)
    if pairs < MIN_TRAINING_PAIRS or pairs - count < 1:
        raise InvalidInput(
            f"only {pairs} usable pairs: a run needs at least {MIN_TRAINING_PAIRS} (one to train on, one held out for validation)"
        )
    held = set(order[:count])
    return [i for i in range(pairs) if i not in held], order[:count]


# ---- suggestions ------------------------------------------------------------------------------------


def check_run_numbers(vocab_size: int, validation_fraction: float) -> None:
    """Refuse a vocabulary size or hold-out share no run can use, before any data is read or folder made."""
    low, high = VOCAB_SIZE_RANGE
    if not low <= vocab_size <= high:
        raise InvalidInput(f"the vocabulary size must be from {low:,} to {high:,} subwords, not {vocab_size:,}")
    if not 0 < validation_fraction < 0.5:
        raise InvalidInput(f"the validation fraction must be between 0 and 0.5, not {validation_fraction:g}")


def suggest_vocab_size(pairs: int) -> int:
    """A new model's vocabulary for ``pairs`` usable pairs, in hundreds.

    SentencePiece cannot learn more pieces than a small corpus holds, nor fewer than its 256 byte
    pieces plus every character it has to keep: a quarter of the pairs, at least 600, suits little
    data; 8,000 a corpus of Multi30k's size or more.
    """
    return int(min(DEFAULT_VOCAB_SIZE, max(MIN_SUGGESTED_VOCAB, pairs // 4)) // 100 * 100)


def valid_name(name: str) -> bool:
    """Whether ``name`` may name a model or run: the model manager's rule (``core.types.model_names``), one for all."""
    try:
        check_name_rules(name)
    except ValueError:
        return False
    return True


def check_name_pattern(name: str) -> None:
    """Raise ValueError saying what is wrong with ``name`` as a model or run name (a folder's name)."""
    check_name_rules(name)


def suggest_model_name(base: str, data_file: str | None, taken: set[str]) -> str:
    """``BASE-FILE`` (``BASE-mine`` before a file is chosen), as a valid name that is not ``taken``."""
    stem = _DATA_SUFFIX.sub("", _DATA_SUFFIX.sub("", Path(data_file).name)) if data_file else ""
    name = re.sub(r"[^\w.-]+", "-", f"{base}-{stem}" if stem else f"{base}-mine").strip("-._")[:56].rstrip("-._")
    name = name if valid_name(name) else FALLBACK_NAME
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}-{n}", n + 1
    return candidate


def other_name(name: str) -> str:
    """The name offered when a model cannot be saved as ``name`` (it exists): ``NAME-2``."""
    return f"{name}-2" if valid_name(f"{name}-2") else FALLBACK_NAME
