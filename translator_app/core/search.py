"""Search over any PyTorch ``Seq2Seq``: torch's arrays and the model's steps for ``core.array_search``.

The algorithm (batched greedy and beam search, bans, limits, n-best) is written once in
``core.array_search``; this module supplies torch's ``ArrayOps`` and adapts a ``Seq2Seq`` to its
``StepModel``. Under a shortlist the model scores only the batch's candidate subwords
(``Seq2Seq.restricted_output``) and the chosen tokens are scored again over all of them
(``core.full_scores``).
"""

from __future__ import annotations

from typing import Any, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor

from translator_app.core import array_search
from translator_app.core.array_search import Columns, SourceBans
from translator_app.core.full_scores import full_vocabulary_log_probs
from translator_app.core.hypothesis import Hypothesis
from translator_app.core.models.base import Seq2Seq
from translator_app.core.types.options import DecodeOptions
from translator_app.core.shortlist import Shortlist


class TorchOps:
    """``array_search.ArrayOps`` on torch tensors of one device."""

    def __init__(self, device: torch.device | str = "cpu"):
        self.device = torch.device(device)

    def full(self, shape: tuple[int, ...], value: float) -> Tensor:
        return torch.full(shape, value, dtype=torch.float32, device=self.device)

    def full_int(self, shape: tuple[int, ...], value: int) -> Tensor:
        return torch.full(shape, value, dtype=torch.long, device=self.device)

    def full_bool(self, shape: tuple[int, ...], value: bool) -> Tensor:
        return torch.full(shape, value, dtype=torch.bool, device=self.device)

    def array_int(self, values: Sequence[int]) -> Tensor:
        return torch.tensor(values, dtype=torch.long, device=self.device)

    def array_bool(self, values: Sequence[bool]) -> Tensor:
        return torch.tensor(values, dtype=torch.bool, device=self.device)

    def arange(self, n: int) -> Tensor:
        return torch.arange(n, device=self.device)

    def repeat(self, x: Tensor, times: int) -> Tensor:
        return x.repeat_interleave(times)

    def cat(self, arrays: Sequence[Tensor], axis: int) -> Tensor:
        return torch.cat(list(arrays), axis)

    def stack(self, arrays: Sequence[Tensor], axis: int) -> Tensor:
        return torch.stack(list(arrays), axis)

    def where(self, condition: Tensor, value: float, x: Tensor) -> Tensor:
        return x.masked_fill(condition, value)

    def log_softmax(self, logits: Tensor) -> Tensor:
        return F.log_softmax(logits.float(), dim=-1)

    def max(self, x: Tensor) -> tuple[Tensor, Tensor]:
        values, indices = x.max(-1)
        return values, indices

    def topk(self, x: Tensor, k: int) -> tuple[Tensor, Tensor]:
        values, indices = x.topk(k, dim=-1)
        return values, indices

    def argsort(self, x: Tensor) -> Tensor:
        return torch.argsort(x, dim=-1, stable=True)

    def take(self, x: Tensor, index: Tensor) -> Tensor:
        return x.gather(1, index)

    def isfinite(self, x: Tensor) -> Tensor:
        return torch.isfinite(x)

    def copy(self, x: Tensor) -> Tensor:
        return x.clone()

    def masked_fill(self, x: Tensor, mask: Tensor, value: float) -> None:
        x.masked_fill_(mask, value)

    def nonzero(self, mask: Tensor) -> tuple[Tensor, ...]:
        return torch.nonzero(mask, as_tuple=True)

    def windows(self, x: Tensor, n: int) -> Tensor:
        return x.unfold(1, n, 1)


class TorchStepModel:
    """A ``Seq2Seq`` as ``array_search.StepModel``: its state reordered by ``reorder_state``."""

    def __init__(self, model: Seq2Seq):
        self.model = model

    def encode(self, src: Tensor, src_lengths: Tensor) -> Any:
        return self.model.encode(src, src_lengths)

    def step(self, state: Any, prev: Tensor) -> tuple[Tensor, Any, Tensor | None]:
        logits, state, attention = self.model.decode_step(state, prev)
        return logits, state, attention.float() if attention is not None else None

    def expand(self, state: Any, rows: Tensor) -> Any:
        return self.model.reorder_state(state, rows)

    def reorder(self, state: Any, rows: Tensor) -> Any:
        return self.model.reorder_state(state, rows)


def output_limits(src_lengths: Tensor, options: DecodeOptions) -> Tensor:
    """``array_search.output_limits`` as a tensor beside ``src_lengths``."""
    return torch.tensor(array_search.output_limits(src_lengths.tolist(), options), dtype=torch.long)


def ban_repeated_ngrams(log_probs: Tensor, generated: Tensor, n: int, columns: Columns | None = None) -> None:
    """In place: forbid each row's next token where it would repeat an n-gram of that row."""
    ops = TorchOps(log_probs.device)
    array_search.ban_repeated_ngrams(ops, log_probs, generated, n, columns or Columns(ops, None))


def _step(model: Seq2Seq, src: Tensor, options: DecodeOptions, columns: Columns | None, bans: SourceBans | None):
    ops = TorchOps(src.device)
    return array_search.Step(TorchStepModel(model), ops, options.checked(), columns or Columns(ops, None), bans)


@torch.inference_mode()
def greedy_search(
    model: Seq2Seq,
    src: Tensor,
    src_lengths: Tensor,
    options: DecodeOptions,
    columns: Columns | None = None,
    bans: SourceBans | None = None,
) -> list[list[Hypothesis]]:
    return array_search.greedy_search(_step(model, src, options, columns, bans), src, src_lengths)


@torch.inference_mode()
def beam_search(
    model: Seq2Seq,
    src: Tensor,
    src_lengths: Tensor,
    options: DecodeOptions,
    columns: Columns | None = None,
    bans: SourceBans | None = None,
) -> list[list[Hypothesis]]:
    """Batched beam search; returns, per sentence, up to n_best hypotheses best first."""
    return array_search.beam_search(_step(model, src, options, columns, bans), src, src_lengths)


def search(
    model: Seq2Seq,
    src: Tensor,
    src_lengths: Tensor,
    options: DecodeOptions,
    shortlist: Shortlist | None = None,
    banned: Sequence[Sequence[int]] | None = None,
) -> list[list[Hypothesis]]:
    """Greedy when one hypothesis from one beam is asked for, beam search otherwise; with a
    shortlist, only the batch's candidate target subwords are scored; ``banned[b]``: ids sentence
    b must never produce (``SourceBans``)."""
    ops = TorchOps(src.device)
    ids = shortlist.candidates(src, src_lengths).to(src.device) if shortlist is not None else None
    columns = Columns(ops, ids)
    bans = SourceBans(ops, banned, columns) if banned is not None and any(banned) else None
    with torch.inference_mode(), model.restricted_output(ids):
        return array_search.run(
            TorchStepModel(model),
            ops,
            src,
            src_lengths,
            options.checked(),
            columns,
            bans,
            lambda outputs: full_vocabulary_log_probs(model, outputs),
        )


__all__ = ["SourceBans", "ban_repeated_ngrams", "beam_search", "greedy_search", "output_limits", "search"]
