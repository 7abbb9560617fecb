"""Greedy and beam search written once, for every engine, over whatever arrays it computes in.

The B sentences × K beams live in one batch of B·K decoder rows, so each step is one call to the
model whatever the beam width; reordering beams is one row selection on the model's state.
Scores follow GNMT (Wu et al. 2016): log p(y) / ((5 + |y|) / 6) ** length_penalty.

With a vocabulary shortlist the model scores only the batch's candidate subwords, and the whole
step (softmax, bans, top-k) works on those few hundred columns; ``Columns`` maps them back to ids.

Arrays are touched only through what PyTorch and NumPy spell alike (indexing, arithmetic,
comparisons, ``reshape``, ``tolist``) and through an ``ArrayOps`` for the rest: ``core.search``
supplies torch's, ``core.numpy_engine.search`` NumPy's, and each wraps its model in a
``StepModel``. This module imports neither library, so the NumPy engine never loads torch.
"""

from __future__ import annotations

import struct
from typing import Any, Callable, Protocol, Sequence

from translator_app.core.hypothesis import NEVER_GENERATED, Hypothesis, length_normalise, output_limit
from translator_app.core.types.options import DecodeOptions
from translator_app.core.text import BOS_ID, EOS_ID, PAD_ID

Array = Any  # a torch.Tensor or a numpy.ndarray: whichever the engine's ArrayOps makes
NEG_INF = float("-inf")


class ArrayOps(Protocol):
    """The array operations search needs beyond the common syntax; floats are float32, ids int64."""

    def full(self, shape: tuple[int, ...], value: float) -> Array: ...

    def full_int(self, shape: tuple[int, ...], value: int) -> Array: ...

    def full_bool(self, shape: tuple[int, ...], value: bool) -> Array: ...

    def array_int(self, values: Sequence[int]) -> Array: ...

    def array_bool(self, values: Sequence[bool]) -> Array: ...

    def arange(self, n: int) -> Array: ...

    def repeat(self, x: Array, times: int) -> Array:
        """Each element ``times`` times in a row (torch's repeat_interleave)."""

    def cat(self, arrays: Sequence[Array], axis: int) -> Array: ...

    def stack(self, arrays: Sequence[Array], axis: int) -> Array: ...

    def where(self, condition: Array, value: float, x: Array) -> Array:
        """``value`` where ``condition``, else ``x``; in ``x``'s dtype."""

    def log_softmax(self, logits: Array) -> Array:
        """float32, over the last axis."""

    def max(self, x: Array) -> tuple[Array, Array]:
        """(values, first index of each) over the last axis."""

    def topk(self, x: Array, k: int) -> tuple[Array, Array]:
        """The k largest of each row (values, indices), largest first."""

    def argsort(self, x: Array) -> Array:
        """Ascending, stable, over the last axis."""

    def take(self, x: Array, index: Array) -> Array:
        """Along axis 1 (torch's gather, NumPy's take_along_axis)."""

    def isfinite(self, x: Array) -> Array: ...

    def copy(self, x: Array) -> Array: ...

    def masked_fill(self, x: Array, mask: Array, value: float) -> None:
        """In place; ``mask`` broadcasts to ``x``."""

    def nonzero(self, mask: Array) -> tuple[Array, ...]: ...

    def windows(self, x: Array, n: int) -> Array:
        """[N, L] → [N, L - n + 1, n]: every run of n along axis 1."""


class StepModel(Protocol):
    """An engine's model as search drives it; the state is opaque to search."""

    def encode(self, src: Array, src_lengths: Array) -> Any: ...

    def step(self, state: Any, prev: Array) -> tuple[Array, Any, Array | None]:
        """prev [N] ids → (logits [N, columns], next state, float32 attention [N, S] or None)."""

    def expand(self, state: Any, rows: Array) -> Any:
        """The encoder's state repeated for each beam row (``rows``: each row's sentence)."""

    def reorder(self, state: Any, rows: Array) -> Any:
        """The state of the rows the surviving beams came from."""


FullScores = Callable[[Sequence[tuple[Sequence[int], Sequence[int]]]], list[list[float]]]


def _float32(x: float) -> float:
    return float(struct.unpack("f", struct.pack("f", x))[0])


def output_limits(lengths: Sequence[int], options: DecodeOptions) -> list[int]:
    """Each source's output cap in subwords. ratio × length is rounded as float32 arithmetic
    rounds it (exact here: two float32 factors' product fits a double), as the engines always did."""
    ratio = _float32(options.max_length_ratio)
    return [output_limit(_float32(float(n) * ratio), options) for n in lengths]


class Columns:
    """Which subword each column of the model's scores is: all of them in id order, or a shortlist."""

    def __init__(self, ops: ArrayOps, ids: Array | None):
        self.ops, self.ids = ops, ids  # column → subword id; None: the identity
        listed = ids.tolist() if ids is not None else []
        self.eos = EOS_ID if ids is None else listed.index(EOS_ID)
        self._listed = {int(i): c for c, i in enumerate(listed)}
        self._column: Array = None  # subword id → column, -1 where unscored (shortlist only), built once here
        if ids is not None:
            self._column = ops.full_int((max(listed) + 1,), -1)
            self._column[ids] = ops.arange(len(listed))

    def token(self, columns: Array) -> Array:
        return columns if self.ids is None else self.ids[columns]

    def of(self, ids: Sequence[int], width: int) -> list[int]:
        """The columns of those of ``ids`` that are scored (``width``: the number of columns)."""
        if self.ids is None:
            return [i for i in ids if 0 <= i < width]
        return [self._listed[i] for i in ids if i in self._listed]

    def ban(self, log_probs: Array, rows: Array, ids: Array) -> None:
        """In place: -inf at each (row, subword id) pair whose id has a column; ``ids`` are ids
        search produced (or PAD), so each is within the shortlist's id range."""
        cols = ids
        if self.ids is not None:
            cols = self._column[ids]
            keep = cols >= 0
            rows, cols = rows[keep], cols[keep]
        log_probs[rows, cols] = NEG_INF


class SourceBans:
    """Per sentence, subword ids it must never produce: the placeholders its source lacks. A
    placeholder stands for a span of *this* source, so one it lacks could only be made up (and
    would leave a private-use character or nothing where the model meant a word)."""

    def __init__(self, ops: ArrayOps, banned: Sequence[Sequence[int]], columns: Columns):
        self.ops, self.banned, self.columns = ops, [list(ids) for ids in banned], columns
        self._mask: Array | None = None  # [B, 1, columns], built at the first step, when the width is known

    def apply(self, log_probs: Array) -> None:
        """In place, on [B·K, C] rows (K beams of each sentence, consecutive)."""
        width = log_probs.shape[1]
        if self._mask is None:
            cells = [(row, c) for row, ids in enumerate(self.banned) for c in self.columns.of(ids, width)]
            mask = self.ops.full_bool((len(self.banned), width), False)
            if cells:
                mask[self.ops.array_int([r for r, _ in cells]), self.ops.array_int([c for _, c in cells])] = True
            self._mask = mask[:, None, :]
        self.ops.masked_fill(log_probs.reshape(len(self.banned), -1, width), self._mask, NEG_INF)


def ban_repeated_ngrams(ops: ArrayOps, log_probs: Array, generated: Array, n: int, columns: Columns) -> None:
    """In place: forbid each row's next token where it would repeat an n-gram of that row."""
    length = generated.shape[1]
    if n <= 0 or length < max(n - 1, 1):
        return
    if n == 1:
        columns.ban(log_probs, ops.repeat(ops.arange(generated.shape[0]), length), generated.reshape(-1))
        return
    if length < n:
        return
    windows = ops.windows(generated, n)  # [N, W, n]
    match = (windows[:, :, :-1] == generated[:, None, length - n + 1 :]).all(-1)  # [N, W]
    rows, where = ops.nonzero(match)
    columns.ban(log_probs, rows, windows[rows, where, -1])


class Step:
    """What every step of one search shares: the model, the arrays, the options, columns and bans."""

    def __init__(self, model: StepModel, ops: ArrayOps, options: DecodeOptions, columns: Columns, bans: SourceBans | None):
        self.model, self.ops, self.options, self.columns, self.bans = model, ops, options, columns, bans

    def log_probs(self, state: Any, prev: Array, generated: Array, step: int, limits: Array) -> tuple[Array, Any, Array | None]:
        logits, state, attention = self.model.step(state, prev)
        log_probs = self.ops.log_softmax(logits)
        if self.columns.ids is None:  # a shortlist never lists them
            log_probs[:, NEVER_GENERATED] = NEG_INF
        if self.bans is not None:
            self.bans.apply(log_probs)
        ban_repeated_ngrams(self.ops, log_probs, generated, self.options.no_repeat_ngram_size, self.columns)
        at_limit = step >= limits
        if at_limit.any():  # only the end of sentence is left
            eos = self.ops.copy(log_probs[:, self.columns.eos])
            log_probs[at_limit] = NEG_INF
            log_probs[at_limit, self.columns.eos] = eos[at_limit]
        return log_probs, state, attention


def greedy_search(s: Step, src: Array, src_lengths: Array) -> list[list[Hypothesis]]:
    ops, options = s.ops, s.options
    lengths = [int(n) for n in src_lengths.tolist()]
    batch = len(lengths)
    state = s.model.encode(src, src_lengths)
    limit_list = output_limits(lengths, options)
    limits = ops.array_int(limit_list)
    generated = ops.full_int((batch, 0), PAD_ID)
    token_lps = ops.full((batch, 0), 0.0)
    attentions: list[Array] = []
    finished = ops.full_bool((batch,), False)
    prev = ops.full_int((batch,), BOS_ID)
    for step in range(max(limit_list) + 1):
        log_probs, state, attention = s.log_probs(state, prev, generated, step, limits)
        best_lp, best = ops.max(log_probs)
        prev = ops.where(finished, PAD_ID, s.columns.token(best))
        generated = ops.cat([generated, prev[:, None]], 1)
        token_lps = ops.cat([token_lps, ops.where(finished, 0.0, best_lp)[:, None]], 1)
        if attention is not None:
            attentions.append(attention)
        finished |= prev == EOS_ID
        if finished.all():
            break
    attention_all = ops.stack(attentions, 1) if attentions else None  # [B, T, S], stacked once
    results = []
    for b in range(batch):
        ids = generated[b].tolist()
        length = ids.index(EOS_ID) + 1 if EOS_ID in ids else len(ids)
        lps = token_lps[b, :length].tolist()
        total = float(sum(lps))
        hypothesis = Hypothesis(
            ids[:length],
            lps,
            total,
            length_normalise(total, length, options.length_penalty),
            attention_all[b, :length, : lengths[b]].tolist() if attention_all is not None else None,
            truncated=length - 1 >= limit_list[b],
            feature_rows=[t * batch + b for t in range(length)],
        )
        results.append([hypothesis])
    return results


def beam_search(s: Step, src: Array, src_lengths: Array) -> list[list[Hypothesis]]:
    """Batched beam search; returns, per sentence, up to n_best hypotheses best first."""
    ops, options, columns = s.ops, s.options, s.columns
    lengths = [int(n) for n in src_lengths.tolist()]
    batch, beam = len(lengths), options.beam_width
    rows = batch * beam
    state = s.model.expand(s.model.encode(src, src_lengths), ops.repeat(ops.arange(batch), beam))
    limit_list = [limit for limit in output_limits(lengths, options) for _ in range(beam)]
    limits = ops.array_int(limit_list)
    scores = ops.full((batch, beam), NEG_INF)
    scores[:, 0] = 0.0  # only one live beam at the start
    generated = ops.full_int((rows, 0), PAD_ID)
    token_lps = ops.full((rows, 0), 0.0)
    feature_hist = ops.full_int((rows, 0), 0)  # see Hypothesis.feature_rows
    attention_hist: Array | None = None
    finished: list[list[Hypothesis]] = [[] for _ in range(batch)]
    done = [False] * batch
    base = (ops.arange(batch) * beam)[:, None]
    prev = ops.full_int((rows,), BOS_ID)

    for step in range(max(limit_list) + 1):
        log_probs, state, attention = s.log_probs(state, prev, generated, step, limits)
        if attention is not None:
            attention_hist = attention[:, None] if attention_hist is None else ops.cat([attention_hist, attention[:, None]], 1)
        vocab = log_probs.shape[1]
        candidates = (scores.reshape(rows, 1) + log_probs).reshape(batch, beam * vocab)
        k = min(2 * beam, beam * vocab)
        top_scores, top_index = ops.topk(candidates, k)
        top_beam, top_column = top_index // vocab, top_index % vocab
        top_rows = base + top_beam  # [B, 2K] rows of the batch
        is_eos = (top_column == columns.eos) & ops.isfinite(top_scores)

        # Finish hypotheses that end in EOS among the K best candidates (Python over few items).
        for b, ends in enumerate(is_eos[:, :beam].tolist()):
            for rank in (r for r, end in enumerate(ends) if end and not done[b]):
                row = int(top_rows[b, rank])
                ids = generated[row].tolist() + [EOS_ID]
                total = float(top_scores[b, rank])
                finished[b].append(
                    Hypothesis(
                        ids,
                        token_lps[row].tolist() + [float(log_probs[row, columns.eos])],
                        total,
                        length_normalise(total, len(ids), options.length_penalty),
                        attention_hist[row, :, : lengths[b]].tolist() if attention_hist is not None else None,
                        truncated=step >= limit_list[row],
                        feature_rows=feature_hist[row].tolist() + [step * rows + row],
                    )
                )
        done = [d or len(hyps) >= beam for d, hyps in zip(done, finished)]
        if all(done):
            break

        # Continue with the K best candidates that did not end (EOS ones sort to the back).
        order = ops.argsort(is_eos * k + ops.arange(k))[:, :beam]
        scores = ops.take(top_scores, order)
        scores[ops.array_bool(done)] = NEG_INF
        next_rows = ops.take(top_rows, order).reshape(rows)
        chosen = ops.take(top_column, order).reshape(rows)
        prev = columns.token(chosen)
        generated = ops.cat([generated[next_rows], prev[:, None]], 1)
        token_lps = ops.cat([token_lps[next_rows], log_probs[next_rows, chosen][:, None]], 1)
        feature_hist = ops.cat([feature_hist[next_rows], (step * rows + next_rows)[:, None]], 1)
        if attention_hist is not None:
            attention_hist = attention_hist[next_rows]
        state = s.model.reorder(state, next_rows)

    return [sorted(hyps, key=lambda h: h.score, reverse=True)[: options.n_best] for hyps in finished]


def run(
    model: StepModel,
    ops: ArrayOps,
    src: Array,
    src_lengths: Array,
    options: DecodeOptions,
    columns: Columns,
    bans: SourceBans | None = None,
    full_scores: FullScores | None = None,
) -> list[list[Hypothesis]]:
    """Greedy when one hypothesis from one beam is asked for (``options`` already validated), beam
    search otherwise. Under a shortlist, ``full_scores`` rescores the chosen tokens over all
    subwords, since the shortlist's softmax overstates every token (``core.full_scores``)."""
    step = Step(model, ops, options, columns, bans)
    found = (greedy_search if options.beam_width == 1 else beam_search)(step, src, src_lengths)
    if columns.ids is not None and full_scores is not None:
        hyps = [h for sentence in found for h in sentence]
        for h, lps in zip(hyps, full_scores([(h.feature_rows or [], h.token_ids) for h in hyps])):
            h.token_log_probs, h.log_prob, h.feature_rows = lps, sum(lps), None
    return found
