"""One training loop for every architecture, from scratch or fine-tuning.

Adam with linear warm-up and cosine decay, gradient clipping, label smoothing, bf16 autocast where
the hardware has it, validation loss / perplexity / BLEU after every epoch, early stopping on
validation BLEU, and a resumable checkpoint. The loop reports through a callback and can be paused,
resumed and cancelled between steps from another thread (the GUI's).
"""

from __future__ import annotations

import errno
import math
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import torch
import torch.nn.functional as F
from safetensors import SafetensorError
from torch.nn.parallel import DistributedDataParallel

from translator_app.core.batching import Batch, collate, make_batches, resample_pairs
from translator_app.core.training.corpus_store import EncodedPair
from translator_app.core.training.checkpoint import has_checkpoint, load_checkpoint, save_checkpoint, save_epoch_weights
from translator_app.core.training.corpus_store import EncodedCorpus
from translator_app.core.training.distributed import Distributed
from translator_app.core.types.errors import InvalidInput, TrainingError
from translator_app.core.modelfile import save_model_folder
from translator_app.core.types.modelformat import ModelMetadata
from translator_app.core.models.base import Seq2Seq
from translator_app.core.replay import MixedPairs, ReplaySample
from translator_app.core.text import PAD_ID, SubwordVocab
from translator_app.core.types.train_config import TrainConfig
from translator_app.core.types.train_types import RunStatus, TrainerState, TrainEvent, TrainEventKind, TrainResult
from translator_app.core.training.validation import validate

# what it defines; the types it reports are core.types.train_types's
__all__ = ["BEST_DIR", "BEST_RULE", "StepResult", "Trainer", "autocast_dtype"]

BEST_DIR = "best"


@dataclass(frozen=True)
class StepResult:
    """What one optimizer step did, over the whole global batch."""

    loss: float  # the batch's mean loss (before the step)
    tokens: int  # its target tokens
    learning_rate: float


def _reason(exc: BaseException) -> str:
    """ "the disk is full" rather than a C++ error string."""
    text = str(exc)
    if (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or "No space left" in text or "os error 28" in text:
        return "the disk is full"
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else text[:200]


MAX_STEP_LOSSES = 4000  # the loss curve a checkpoint keeps for a resumed run's plot (thinned beyond)


def _keep_step_loss(kept: list[list[float]], step: int, loss: float) -> None:
    """Append [step, loss]; past MAX_STEP_LOSSES, drop every other point, so the curve keeps its shape."""
    kept.append([step, round(loss, 5)])
    if len(kept) > MAX_STEP_LOSSES:
        del kept[1::2]


def autocast_dtype(precision: str, device: torch.device) -> torch.dtype | None:
    if precision == "fp32":
        return None
    if precision not in ("auto", "bf16"):
        raise InvalidInput(f"unknown precision {precision!r} (auto, bf16, fp32)")
    if device.type == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else None
    if device.type == "cpu":
        supported = getattr(torch.backends, "mkldnn", None) is not None and torch.backends.mkldnn.is_available()
        return torch.bfloat16 if (supported or precision == "bf16") else None
    return None


def forgotten(metrics: dict[str, float], base: dict[str, float], budget: float) -> list[str]:
    """The general sample's domains (or "general", for a sample that names none) on which ``metrics``
    lost more BLEU than ``budget`` against the base model's."""
    keys = [k for k in base if k.startswith("general_bleu_")] or ["general_bleu"]
    return [k.removeprefix("general_bleu_") for k in keys if k in metrics and metrics[k] < base[k] - budget]


BEST_RULE = "the highest validation BLEU"  # what "best" means, in the log and the docs: one criterion


def best_mark(metrics: dict[str, float], base: dict[str, float] | None, improved: bool) -> str:
    """The end of an epoch's line when it is the run's best so far (by ``BEST_RULE``), saying plainly
    when that best is still below the base model's validation BLEU."""
    if not improved:
        return ""
    base_bleu = (base or {}).get("val_bleu")
    if base_bleu is not None and metrics["val_bleu"] < base_bleu:
        return (
            f" (best of this run by validation BLEU, but {base_bleu - metrics['val_bleu']:.2f} below "
            f"the base model's {base_bleu:.2f})"
        )
    return f" (best: {BEST_RULE} so far)"


def _general_note(metrics: dict[str, float], state: TrainerState, budget: float, improved: bool) -> str:
    """The end of an epoch's line: its general German BLEU against the base's, per domain, and whether it is kept."""
    base = state.base or {}
    if "general_bleu" not in metrics or "general_bleu" not in base:
        return best_mark(metrics, state.base, improved)
    domains = [k for k in metrics if k.startswith("general_bleu_") and k in base]
    detail = ", ".join(f"{k.removeprefix('general_bleu_')} {metrics[k] - base[k]:+.2f}" for k in domains)
    note = f"; general German {metrics['general_bleu']:.2f} ({metrics['general_bleu'] - base['general_bleu']:+.2f}" + (
        f": {detail})" if detail else ")"
    )
    lost = forgotten(metrics, base, budget)
    if lost:
        return note + f", over the {budget:g} BLEU it may lose on {' and '.join(lost)}: not kept"
    return note + best_mark(metrics, base, improved)


@dataclass
class _Pace:
    """How fast training goes, for each step's report: tokens per second since the start or the last
    pause (the wait is no training), and the mean of the last 50 steps' seconds (for the ETA)."""

    tokens: int = 0
    since: float = field(default_factory=time.perf_counter)
    recent: deque[float] = field(default_factory=lambda: deque(maxlen=50))

    def restart(self) -> None:
        self.tokens, self.since = 0, time.perf_counter()

    def add(self, tokens: int, seconds: float) -> None:
        self.tokens += tokens
        self.recent.append(seconds)

    def tokens_per_second(self) -> float:
        return self.tokens / max(time.perf_counter() - self.since, 1e-9)

    def step_seconds(self) -> float:
        return sum(self.recent) / len(self.recent)


_ONE_PROCESS = Distributed()  # the default: no torchrun (frozen, so one instance serves every trainer)


class Trainer:
    def __init__(
        self,
        model: Seq2Seq,
        vocab: SubwordVocab,
        train_pairs: Sequence[EncodedPair],
        val_pairs: Sequence[tuple[str, str]],
        config: TrainConfig,
        run_dir: Path,
        metadata: ModelMetadata,
        *,
        val_encoded: Sequence[EncodedPair] = (),
        callback: Callable[[TrainEvent], None] | None = None,
        device: str | torch.device = "cpu",
        measure_base: bool = False,
        distributed: Distributed = _ONE_PROCESS,
        replay: ReplaySample | None = None,
        replay_ratio: float = 0.0,
    ):
        if not train_pairs:
            raise TrainingError("there are no usable training pairs")
        self.model = model
        self.vocab = vocab
        # a packed corpus stays packed (and memory-mapped); anything else becomes a list
        self.train_pairs = train_pairs if isinstance(train_pairs, EncodedCorpus) else list(train_pairs)
        self.val_pairs = list(val_pairs)
        self.val_encoded = list(val_encoded)
        self.config = config
        self.run_dir = Path(run_dir)
        self.metadata = metadata
        self.callback = callback or (lambda event: None)
        self.measure_base = measure_base  # fine-tuning: validate the base model first, so before → after is known
        self.distributed = distributed  # under torchrun: this rank's place (core.training.distributed)
        self.device = torch.device(device)
        self.amp_dtype = autocast_dtype(config.precision, self.device)
        self._cancel = threading.Event()
        self._running = threading.Event()
        self._running.set()
        # fine-tuning: the base model's own pairs mixed in (``replay_ratio`` per pair of the user's, a
        # fresh draw each epoch) and its general sample validated beside the user's pairs (core.replay)
        self.replay = replay
        self.replay_ratio = replay_ratio if replay is not None else 0.0
        self.general_parts = replay.general_by_domain() if replay is not None else {}
        self.general_pairs = [pair for part in self.general_parts.values() for pair in part]
        self.optimizer = self.build_optimizer()
        self._validation_seconds = 0.0  # the last validation's, so the ETA counts the ones to come
        self.epoch_steps = self._count_steps()
        self.batches_per_epoch = self.epoch_steps[0]
        self.total_steps = sum(self.epoch_steps)

    # -- control from other threads -------------------------------------------------------
    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def cancel(self) -> None:
        self._cancel.set()
        self._running.set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    # -- one step ------------------------------------------------------------------------------
    def build_optimizer(self) -> torch.optim.Optimizer:
        """AdamW over the model's parameters, as the config asks (the learning rate is set every step)."""
        c = self.config
        return torch.optim.AdamW(
            self.model.parameters(), lr=c.learning_rate, betas=(0.9, c.adam_beta2), weight_decay=c.weight_decay
        )

    def learning_rate_at(self, step: int) -> float:
        c = self.config
        if step < c.warmup_steps:
            return c.learning_rate * (step + 1) / c.warmup_steps
        progress = min(1.0, (step - c.warmup_steps) / max(1, self.total_steps - c.warmup_steps))
        return c.learning_rate * (c.min_lr_ratio + (1 - c.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * progress)))

    def _loss(self, batch: Batch, model: torch.nn.Module | None = None, reduction: str = "mean") -> torch.Tensor:
        with torch.autocast(self.device.type, dtype=self.amp_dtype or torch.float32, enabled=self.amp_dtype is not None):
            logits = (model or self.model)(
                batch.src, batch.src_lengths, batch.tgt_in, teacher_forcing=self.config.teacher_forcing
            )
        return F.cross_entropy(
            logits.float().reshape(-1, logits.size(-1)),
            batch.tgt_out.reshape(-1),
            ignore_index=PAD_ID,
            label_smoothing=self.config.label_smoothing if self.model.training else 0.0,
            reduction=reduction,
        )

    def _step_loss(
        self, pairs: Sequence[EncodedPair], indices: list[int], train_model: torch.nn.Module
    ) -> tuple[torch.Tensor, float, int]:
        """(the loss to backpropagate, the global mean loss, the global target tokens) of one global batch.

        Each rank computes the summed loss of its share; scaled by ranks / global tokens, DDP's
        averaging of the gradients gives exactly the gradient of the whole batch's mean loss, so the
        step is the same whatever the number of processes.
        """
        d = self.distributed
        mine, real = d.share(indices)
        batch = collate(pairs, mine).to(self.device)
        tokens = batch.target_tokens if real else 0
        total_sum = self._loss(batch, train_model, reduction="sum") * (1.0 if real else 0.0)
        summed_loss, global_tokens = d.sum([float(total_sum.detach()), float(tokens)], self.device)
        global_tokens = max(int(global_tokens), 1)
        return total_sum * (d.world_size / global_tokens), summed_loss / global_tokens, global_tokens

    def train_step(
        self, pairs: Sequence[EncodedPair], batch: list[int], step: int, *, model: torch.nn.Module | None = None
    ) -> StepResult:
        """One optimizer step on the pairs ``batch`` indexes, at schedule position ``step``.

        The learning rate of ``step``, the loss, its gradient (through ``model``, the DDP wrapper
        under torchrun, else the trainer's own), clipping and the optimizer's update: what ``fit``
        does for every batch, and what ``runner.estimate_seconds`` times. A loss that is not
        finite stops the run (``TrainingError``) before anything is updated.
        """
        lr = self.learning_rate_at(step)
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        loss, mean_loss, tokens = self._step_loss(pairs, batch, model if model is not None else self.model)
        if not math.isfinite(mean_loss):
            raise TrainingError(
                f"the loss became {mean_loss} at step {step}; try a lower learning rate. The last checkpoint is kept."
            )
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.config.clip_norm)
        self.optimizer.step()
        return StepResult(mean_loss, tokens, lr)

    # -- the loop ------------------------------------------------------------------------------
    def fit(self, resume: bool = False) -> TrainResult:
        """Train epoch after epoch until the config's epochs are done, early stopping says enough,
        or ``cancel`` is called; each epoch ends validated and saved."""
        state = self._begin(resume)
        train_model = self._train_model()
        started = time.perf_counter() - state.seconds  # a resumed run's clock goes on
        pace = _Pace()
        status = RunStatus.FINISHED
        while state.epoch < self.config.epochs:
            if not self._train_epoch(state, train_model, started, pace):
                self._save(state, started)
                status = RunStatus.CANCELLED
                break
            if self._end_epoch(state, started):
                status = RunStatus.EARLY_STOPPED
                break
        return self._result(status, state, started)

    def _begin(self, resume: bool) -> TrainerState:
        """The checkpoint's state when resuming one; else a fresh one, after measuring the base model
        when fine-tuning asks for it, with the config's seed."""
        d = self.distributed
        if d.is_main:
            self.run_dir.mkdir(parents=True, exist_ok=True)
        if resume and has_checkpoint(self.run_dir):
            if not d.is_main:
                d.barrier()  # rank 0 first: it may put a checkpoint left mid-swap back in place
            state = load_checkpoint(self.run_dir, self.model, self.optimizer)
            if d.is_main:
                d.barrier()
            self._emit(TrainEventKind.LOG, state, message=f"Resumed at epoch {state.epoch + 1}, step {state.step}")
            return state
        state = TrainerState()
        if self.measure_base and d.is_main:
            self._measure_base(state)
        torch.manual_seed(self.config.seed)
        return state

    def _train_model(self) -> torch.nn.Module:
        """The model the steps go through: under torchrun a DDP wrapper (gradients averaged over the
        ranks; rank 0's weights to start from), else the model itself."""
        if not self.distributed.enabled:
            return self.model
        return DistributedDataParallel(self.model, device_ids=[self.device.index] if self.device.type == "cuda" else None)

    def _train_epoch(self, state: TrainerState, train_model: torch.nn.Module, started: float, pace: _Pace) -> bool:
        """The epoch's steps from where ``state`` stands (mid-epoch when resumed), pausing when asked;
        False when cancelled (rank 0 decides, all follow)."""
        pairs = self.epoch_pairs(state.epoch)
        batches = self.epoch_batches(pairs, state.epoch)
        self.model.train()
        for batch_index in range(state.batch, len(batches)):
            if not self._running.is_set():
                self._wait_while_paused(state, started)
                pace.restart()
            if self.distributed.agree(self._cancel.is_set(), self.device):
                return False
            t0 = time.perf_counter()
            done = self.train_step(pairs, batches[batch_index], state.step, model=train_model)
            state.step += 1
            state.batch = batch_index + 1
            _keep_step_loss(state.step_losses, state.step, done.loss)
            pace.add(done.tokens, time.perf_counter() - t0)
            self._report_step(state, done, pace)
            if self._checkpoint_due(state.step):
                self._save(state, started)
        if not self._checkpoint_due(state.step):
            # the epoch's steps are kept before its validation (a minute, on a large sample): a run
            # stopped meanwhile (the app quitting) resumes at that validation, not steps earlier
            self._save(state, started)
        return True

    def _wait_while_paused(self, state: TrainerState, started: float) -> None:
        self._save(state, started)
        self._emit(TrainEventKind.PAUSED, state, message="Paused")
        self._running.wait()
        self._emit(TrainEventKind.RESUMED, state, message="Resumed")

    def _checkpoint_due(self, step: int) -> bool:
        return bool(self.config.checkpoint_every and step % self.config.checkpoint_every == 0)

    def _report_step(self, state: TrainerState, done: StepResult, pace: _Pace) -> None:
        """The step's loss, rate and speed, and the time left: the steps to come at the recent pace,
        and each epoch's validation to come at the last one's."""
        tokens_per_second = pace.tokens_per_second()
        remaining = (self.total_steps - state.step) * pace.step_seconds()
        remaining += (self.config.epochs - state.epoch) * self._validation_seconds  # each epoch ends validated
        self._emit(
            TrainEventKind.STEP,
            state,
            loss=done.loss,
            learning_rate=done.learning_rate,
            tokens_per_second=tokens_per_second,
            eta_seconds=remaining,
        )

    def _end_epoch(self, state: TrainerState, started: float) -> bool:
        """Validate, keep the best, report; True to stop early (rank 0 decides, all follow)."""
        c, d = self.config, self.distributed
        state.epoch += 1
        state.batch = 0
        if not d.is_main:
            return d.agree(False, self.device)
        metrics = self.validate()
        record = {"epoch": state.epoch, "step": state.step, **metrics, "seconds": round(time.perf_counter() - started, 1)}
        state.history.append(record)
        if c.keep_epoch_weights:
            save_epoch_weights(self.run_dir, self.model, state.epoch, c.keep_epoch_weights)
        improved = self._better(metrics, state)
        if improved:
            state.best_bleu, state.best_epoch, state.bad_epochs = metrics["val_bleu"], state.epoch, 0
            self._save_best(state, started)
        elif not self._learning_but_forgetting(metrics, state):  # that one is no reason to stop: the
            state.bad_epochs += 1  # lower rates of the schedule's end often win the general German back
        self._save(state, started)
        self._emit_validation(
            TrainEventKind.EPOCH,
            state,
            metrics,
            f"Epoch {state.epoch}: val loss {metrics['val_loss']:.3f}, ppl {metrics['val_perplexity']:.1f}, "
            f"BLEU {metrics['val_bleu']:.2f}" + _general_note(metrics, state, c.forgetting_budget, improved),
        )
        return d.agree(state.bad_epochs >= c.patience, self.device)

    def _result(self, status: RunStatus, state: TrainerState, started: float) -> TrainResult:
        best = self.run_dir / BEST_DIR
        return TrainResult(
            status,
            state.epoch,
            state.step,
            state.best_epoch,
            state.best_bleu,
            best if best.exists() else None,
            time.perf_counter() - started,
            state.history,
            (state.base or {}).get("val_bleu"),
            (state.base or {}).get("general_bleu"),
            next((r.get("general_bleu") for r in state.history if r["epoch"] == state.best_epoch), None),
        )

    def _measure_base(self, state: TrainerState) -> None:
        metrics = self.validate()
        state.base = metrics
        self._emit_validation(
            TrainEventKind.BASELINE,
            state,
            metrics,
            f"Before training (the base model): val loss {metrics['val_loss']:.3f}, BLEU {metrics['val_bleu']:.2f}"
            + (f"; general German BLEU {metrics['general_bleu']:.2f}" if "general_bleu" in metrics else ""),
        )

    def _emit_validation(self, kind: TrainEventKind, state: TrainerState, metrics: dict[str, float], message: str) -> None:
        """A validation's figures as an event: the base model's before training, or an epoch's."""
        self._emit(
            kind,
            state,
            val_loss=metrics["val_loss"],
            val_perplexity=metrics["val_perplexity"],
            val_bleu=metrics["val_bleu"],
            general_bleu=metrics.get("general_bleu"),
            message=message,
        )

    def _better(self, metrics: dict[str, float], state: TrainerState) -> bool:
        """A better epoch, by one criterion (``BEST_RULE``): higher validation BLEU than the best so far.
        The first must also improve on the base model in BLEU or in loss, so a fine-tune that only hurt
        (one that diverged, say) is never kept; one kept for its loss alone says so (``best_mark``,
        ``TrainResult.fall_warning``).
        With a general sample, an epoch that lost more than ``forgetting_budget`` BLEU there is never
        kept either: the user's model must still translate the German their base knew."""
        if not self.within_budget(metrics, state):
            return False
        if state.best_bleu is not None:
            return metrics["val_bleu"] > state.best_bleu
        base = state.base
        return base is None or metrics["val_bleu"] > base["val_bleu"] or metrics["val_loss"] < base["val_loss"]

    def _learning_but_forgetting(self, metrics: dict[str, float], state: TrainerState) -> bool:
        """Better on the user's pairs than every kept epoch (or the base), but over the forgetting budget."""
        best = state.best_bleu if state.best_bleu is not None else (state.base or {}).get("val_bleu", float("inf"))
        return metrics["val_bleu"] > best and not self.within_budget(metrics, state)

    def within_budget(self, metrics: dict[str, float], state: TrainerState) -> bool:
        """True unless the epoch lost more BLEU than the budget allows on a domain of the general sample
        (or on the whole, for a sample that names none), against the base model."""
        return not forgotten(metrics, state.base or {}, self.config.forgetting_budget)

    def validate(self) -> dict[str, float]:
        """Loss, perplexity and greedy BLEU on the validation pairs (and BLEU on the general sample,
        when fine-tuning with one); the model is left in training mode. Timed, for the ETA."""
        started = time.perf_counter()
        metrics = self._validate_on(self.val_pairs, self.val_encoded)
        if self.general_pairs:  # each domain apart (a loss on one hides in the mean), and their mean
            parts = {f"general_bleu_{d}": self._validate_on(pairs, [])["val_bleu"] for d, pairs in self.general_parts.items()}
            metrics.update(parts, general_bleu=sum(parts.values()) / len(parts))
        self._validation_seconds = time.perf_counter() - started
        return metrics

    def _validate_on(self, pairs: Sequence[tuple[str, str]], encoded: Sequence[EncodedPair]) -> dict[str, float]:
        metrics = validate(
            self.model,
            self._loss,
            self.vocab,
            self.metadata,
            self.run_dir,
            pairs,
            encoded,
            batch_size=self.config.batch_size,
            max_length=self.config.val_max_length,
            device=self.device,
        )
        self.model.train()
        return metrics

    # -- helpers ------------------------------------------------------------------------------
    def epoch_pairs(self, epoch: int) -> Sequence[EncodedPair]:
        """The training pairs as this epoch sees them: re-segmented when subword sampling is on, and
        followed by this epoch's draw of the replay sample when mixing."""
        own: Sequence[EncodedPair] = self.train_pairs
        if self.config.subword_sampling > 0:
            own = resample_pairs(self.vocab, own, self.config.subword_sampling, seed=self.config.seed * 1000 + epoch * 2)
        if self.replay is None or self.replay_ratio <= 0:
            return own
        chosen = self.replay.draw(round(len(self.train_pairs) * self.replay_ratio), self.config.seed, epoch)
        return MixedPairs(own, self.replay.pairs, chosen)

    def epoch_batches(self, pairs: Sequence[EncodedPair], epoch: int) -> list[list[int]]:
        """The epoch's batches, by pairs or by tokens as the config says (the same for the same epoch)."""
        c = self.config
        return make_batches(pairs, c.batch_size, seed=c.seed, epoch=epoch, max_tokens=c.batch_tokens)

    def _count_steps(self) -> list[int]:
        """Steps of each epoch. By pairs it is arithmetic; by tokens it depends on the epoch's lengths,
        so the batches are made (cheap beside training); with subword sampling every epoch is
        taken to have the first one's count, rather than re-segmenting the corpus here."""
        c = self.config
        if not c.batch_tokens:
            return [
                math.ceil((len(self.train_pairs) + round(len(self.train_pairs) * self.replay_ratio)) / c.batch_size)
            ] * c.epochs
        if c.subword_sampling > 0:
            return [len(self.epoch_batches(self.epoch_pairs(0), 0))] * c.epochs
        return [len(self.epoch_batches(self.epoch_pairs(epoch), epoch)) for epoch in range(c.epochs)]

    def _save(self, state: TrainerState, started: float) -> None:
        state.seconds = time.perf_counter() - started
        if not self.distributed.is_main:
            return  # every rank holds the same weights: rank 0 alone writes them
        try:
            save_checkpoint(self.run_dir, self.model, self.optimizer, state)
        except (OSError, SafetensorError) as exc:  # the new checkpoint is written beside the old, then swapped
            raise TrainingError(
                f"could not write the checkpoint in {self.run_dir} ({_reason(exc)}); "
                "the last good checkpoint is kept, so the run can be resumed once there is room"
            ) from None
        self._emit(TrainEventKind.CHECKPOINT, state, message="Checkpoint saved")

    def _save_best(self, state: TrainerState, started: float) -> None:
        if not self.distributed.is_main:
            return
        metadata = ModelMetadata(**{**asdict(self.metadata)})
        metadata.training = {
            **metadata.training,
            "best_epoch": state.best_epoch,
            "steps": state.step,
            "val_bleu": round(state.best_bleu or 0.0, 2),
            "train_seconds": round(time.perf_counter() - started, 1),
        }
        try:
            save_model_folder(self.run_dir / BEST_DIR, self.model, self.vocab, metadata, half_precision=False, overwrite=True)
        except (OSError, SafetensorError) as exc:
            raise TrainingError(
                f"could not save the best model in {self.run_dir} ({_reason(exc)}); the last good checkpoint is kept"
            ) from None

    def _emit(self, kind: TrainEventKind, state: TrainerState, **values: Any) -> None:
        if not self.distributed.is_main:
            return  # rank 0 reports for all
        self.callback(TrainEvent(kind=kind, epoch=state.epoch, step=state.step, total_steps=self.total_steps, **values))
