"""Search over the NumPy network: NumPy's arrays and the network's steps for ``core.array_search``.

The algorithm is the one PyTorch's search runs (``core.array_search``); only the arrays and the
model differ. PyTorch is the reference: ``tests/test_numpy_engine.py`` holds the two token for
token. One difference in bookkeeping, none in results: a row's encoder annotations are expanded
once and never reordered, since beam reordering keeps each row within its own sentence.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from translator_app.core import array_search
from translator_app.core.array_search import Columns, SourceBans
from translator_app.core.hypothesis import Hypothesis
from translator_app.core.numpy_engine.network import AttentionNetwork, DecoderState
from translator_app.core.types.options import DecodeOptions
from translator_app.core.text import PAD_ID

LOGIT_BUDGET = 1 << 24  # tokens × vocabulary rescored at once, as core.full_scores


class NumpyOps:
    """``array_search.ArrayOps`` on NumPy arrays."""

    def full(self, shape: tuple[int, ...], value: float) -> np.ndarray:
        return np.full(shape, value, np.float32)

    def full_int(self, shape: tuple[int, ...], value: int) -> np.ndarray:
        return np.full(shape, value, np.int64)

    def full_bool(self, shape: tuple[int, ...], value: bool) -> np.ndarray:
        return np.full(shape, value, bool)

    def array_int(self, values: Sequence[int]) -> np.ndarray:
        return np.array(values, np.int64)

    def array_bool(self, values: Sequence[bool]) -> np.ndarray:
        return np.array(values, bool)

    def arange(self, n: int) -> np.ndarray:
        return np.arange(n, dtype=np.int64)

    def repeat(self, x: np.ndarray, times: int) -> np.ndarray:
        return np.repeat(x, times)

    def cat(self, arrays: Sequence[np.ndarray], axis: int) -> np.ndarray:
        return np.concatenate(arrays, axis)

    def stack(self, arrays: Sequence[np.ndarray], axis: int) -> np.ndarray:
        return np.stack(arrays, axis)

    def where(self, condition: np.ndarray, value: float, x: np.ndarray) -> np.ndarray:
        return np.where(condition, value, x).astype(x.dtype, copy=False)

    def log_softmax(self, logits: np.ndarray) -> np.ndarray:
        shifted = logits - logits.max(-1, keepdims=True)
        return shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))

    def max(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        best = x.argmax(-1)
        return np.take_along_axis(x, best[..., None], -1)[..., 0], best

    def topk(self, x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """argpartition, then the k sorted; of values tied at the k-th, which get in may differ from torch.topk's."""
        width = x.shape[-1]
        part = np.argpartition(-x, k - 1, axis=-1)[..., :k] if k < width else np.broadcast_to(np.arange(k), (*x.shape[:-1], k))
        part_values = np.take_along_axis(x, part, -1)
        ranked = np.argsort(-part_values, axis=-1, kind="stable")
        return np.take_along_axis(part_values, ranked, -1), np.take_along_axis(part, ranked, -1)

    def argsort(self, x: np.ndarray) -> np.ndarray:
        return np.argsort(x, axis=-1, kind="stable")

    def take(self, x: np.ndarray, index: np.ndarray) -> np.ndarray:
        return np.take_along_axis(x, index, 1)

    def isfinite(self, x: np.ndarray) -> np.ndarray:
        return np.isfinite(x)

    def copy(self, x: np.ndarray) -> np.ndarray:
        return x.copy()

    def masked_fill(self, x: np.ndarray, mask: np.ndarray, value: float) -> None:
        np.copyto(x, np.asarray(value, x.dtype), where=mask)

    def nonzero(self, mask: np.ndarray) -> tuple[np.ndarray, ...]:
        return np.nonzero(mask)

    def windows(self, x: np.ndarray, n: int) -> np.ndarray:
        return np.lib.stride_tricks.sliding_window_view(x, n, axis=1)


class NetworkSteps:
    """The NumPy network as ``array_search.StepModel``, scoring only the searched columns; it keeps
    each step's features, so the chosen tokens can be scored over all subwords afterwards."""

    def __init__(self, net: AttentionNetwork, ids: np.ndarray | None):
        self.net = net
        self.out_w = net.embedding if ids is None else net.embedding[ids]
        self.out_b = net.output_bias if ids is None else net.output_bias[ids]
        self.features: list[np.ndarray] = []  # each step's [rows, E]

    def encode(self, src: np.ndarray, src_lengths: np.ndarray) -> DecoderState:
        return self.net.encode(src, src_lengths)

    def step(self, state: DecoderState, prev: np.ndarray) -> tuple[np.ndarray, DecoderState, np.ndarray]:
        out = self.net.step(state, prev)
        self.features.append(out.features)
        return out.features @ self.out_w.T + self.out_b, out.state, out.attention

    def expand(self, state: DecoderState, rows: np.ndarray) -> DecoderState:
        return self.net.expand(state, rows)

    def reorder(self, state: DecoderState, rows: np.ndarray) -> DecoderState:
        return self.net.reorder(state, rows)

    def full_scores(self, outputs: Sequence[tuple[Sequence[int], Sequence[int]]]) -> list[list[float]]:
        """Each chosen token's log-probability under the full softmax (``core.full_scores``)."""
        features = np.concatenate(self.features)
        rows = np.array([r for feature_rows, _ in outputs for r in feature_rows], np.int64)
        tokens = np.array([t for _, ids in outputs for t in ids], np.int64)
        step = max(1, LOGIT_BUDGET // self.net.vocab_size)
        scores: list[float] = []
        for start in range(0, len(rows), step):
            logits = features[rows[start : start + step]] @ self.net.embedding.T + self.net.output_bias
            top = logits.max(-1, keepdims=True)
            norm = (top + np.log(np.exp(logits - top).sum(-1, keepdims=True)))[:, 0]
            scores.extend((logits[np.arange(len(logits)), tokens[start : start + step]] - norm).tolist())
        results, offset = [], 0
        for _, ids in outputs:
            results.append(scores[offset : offset + len(ids)])
            offset += len(ids)
        return results


def search(
    net: AttentionNetwork,
    sources: Sequence[Sequence[int]],
    options: DecodeOptions,
    shortlist_ids: np.ndarray | None = None,
    banned: Sequence[Sequence[int]] | None = None,
) -> list[list[Hypothesis]]:
    """Hypotheses per source (ids ending with EOS), best first, as ``core.search.search``;
    ``shortlist_ids``: the sorted candidate subwords to score (None: all)."""
    ops = NumpyOps()
    lengths = np.array([len(s) for s in sources], np.int64)
    src = np.full((len(sources), int(lengths.max())), PAD_ID, np.int64)
    for row, ids in enumerate(sources):
        src[row, : len(ids)] = ids
    columns = Columns(ops, shortlist_ids)
    bans = SourceBans(ops, banned, columns) if banned is not None and any(banned) else None
    steps = NetworkSteps(net, shortlist_ids)
    return array_search.run(steps, ops, src, lengths, options.checked(), columns, bans, steps.full_scores)
