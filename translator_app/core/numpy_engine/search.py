"""Greedy and beam search over the NumPy network, step for step what ``core.search`` does in PyTorch.

The same batch of B sentences × K beams in B·K rows, the same GNMT scores, shortlist columns,
per-sentence placeholder bans, no-repeat n-gram ban, output limits with a forced end-of-sentence,
n-best, and the same full-vocabulary rescoring of the chosen tokens under a shortlist. The
PyTorch search is the reference: ``tests/test_numpy_engine.py`` holds the two token for token.
One difference in bookkeeping, none in results: a row's encoder annotations are expanded once and
never reordered, since beam reordering keeps each row within its own sentence.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from translator_app.core.hypothesis import NEVER_GENERATED, Hypothesis, length_normalise, output_limit
from translator_app.core.numpy_engine.network import AttentionNetwork, DecoderState
from translator_app.core.types.options import DecodeOptions
from translator_app.core.text import BOS_ID, EOS_ID, PAD_ID

LOGIT_BUDGET = 1 << 24  # tokens × vocabulary rescored at once, as core.full_scores


def output_limits(lengths: np.ndarray, options: DecodeOptions) -> np.ndarray:
    relative = lengths.astype(np.float32) * np.float32(options.max_length_ratio)  # float32, as the PyTorch search
    return np.array([output_limit(float(r), options) for r in relative], dtype=np.int64)


def log_softmax(x: np.ndarray) -> np.ndarray:
    shifted = x - x.max(-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))


class Columns:
    """The output columns search scores: every subword, or a sorted shortlist of them."""

    def __init__(self, ids: np.ndarray | None, vocab_size: int):
        self.ids = ids
        self.eos = EOS_ID if ids is None else int(np.searchsorted(ids, EOS_ID))
        self.column = np.full(vocab_size, -1, np.int64)  # subword id → its column, -1 where unscored
        self.column[ids if ids is not None else np.arange(vocab_size)] = np.arange(vocab_size if ids is None else len(ids))

    def token(self, columns: np.ndarray) -> np.ndarray:
        return columns if self.ids is None else self.ids[columns]

    def ban(self, log_probs: np.ndarray, rows: np.ndarray, ids: np.ndarray) -> None:
        """In place: -inf at each (row, subword id) pair whose id has a column."""
        cols = self.column[ids]
        keep = cols >= 0
        log_probs[rows[keep], cols[keep]] = -np.inf


def source_bans(banned: Sequence[Sequence[int]], columns: Columns, width: int) -> np.ndarray | None:
    """[B, C] True where sentence b must not produce that column (placeholders its source lacks)."""
    if not any(banned):
        return None
    mask = np.zeros((len(banned), width), bool)
    for row, ids in enumerate(banned):
        cols = columns.column[np.asarray(ids, np.int64)] if ids else np.zeros(0, np.int64)
        mask[row, cols[cols >= 0]] = True
    return mask


def ban_repeated_ngrams(log_probs: np.ndarray, generated: np.ndarray, n: int, columns: Columns) -> None:
    """In place: forbid each row's next token where it would repeat an n-gram of that row."""
    length = generated.shape[1]
    if n <= 0 or length < max(n - 1, 1):
        return
    if n == 1:
        rows = np.repeat(np.arange(len(generated)), length)
        columns.ban(log_probs, rows, generated.ravel())
        return
    if length < n:
        return
    windows = np.lib.stride_tricks.sliding_window_view(generated, n, axis=1)  # [N, W, n]
    match = (windows[:, :, :-1] == generated[:, None, length - n + 1 :]).all(-1)  # [N, W]
    rows, where = np.nonzero(match)
    columns.ban(log_probs, rows, windows[rows, where, -1])


class Decoding:
    """One batch's search state shared by greedy and beam: the network, the columns and bans."""

    def __init__(self, net: AttentionNetwork, options: DecodeOptions, columns: Columns, bans: np.ndarray | None, beam: int):
        self.net, self.options, self.columns, self.bans, self.beam = net, options, columns, bans, beam
        self.out_w = net.embedding if columns.ids is None else net.embedding[columns.ids]
        self.out_b = net.output_bias if columns.ids is None else net.output_bias[columns.ids]
        self.features: list[np.ndarray] = []  # each step's [rows, E], for full-vocabulary rescoring

    def next_log_probs(self, state: DecoderState, prev: np.ndarray, generated: np.ndarray, step: int, limits: np.ndarray):
        out = self.net.step(state, prev)
        self.features.append(out.features)
        log_probs = log_softmax(out.features @ self.out_w.T + self.out_b)
        if self.columns.ids is None:  # a shortlist never lists them
            log_probs[:, NEVER_GENERATED] = -np.inf
        if self.bans is not None:
            width = log_probs.shape[1]
            view = log_probs.reshape(len(self.bans), -1, width)
            view[np.broadcast_to(self.bans[:, None, :], view.shape)] = -np.inf
        ban_repeated_ngrams(log_probs, generated, self.options.no_repeat_ngram_size, self.columns)
        at_limit = step >= limits
        if at_limit.any():
            eos = log_probs[:, self.columns.eos].copy()
            log_probs[at_limit] = -np.inf
            log_probs[at_limit, self.columns.eos] = eos[at_limit]
        return log_probs, out.state, out.attention

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


def greedy(d: Decoding, src: np.ndarray, lengths: np.ndarray) -> list[list[Hypothesis]]:
    batch = len(src)
    state = d.net.encode(src, lengths)
    limits = output_limits(lengths, d.options)
    generated = np.zeros((batch, 0), np.int64)
    token_lps = np.zeros((batch, 0), np.float32)
    attentions = []
    finished = np.zeros(batch, bool)
    prev = np.full(batch, BOS_ID, np.int64)
    for step in range(int(limits.max()) + 1):
        log_probs, state, attention = d.next_log_probs(state, prev, generated, step, limits)
        best = log_probs.argmax(-1)
        best_lp = log_probs[np.arange(batch), best]
        prev = np.where(finished, PAD_ID, d.columns.token(best))
        generated = np.concatenate([generated, prev[:, None]], 1)
        token_lps = np.concatenate([token_lps, np.where(finished, 0.0, best_lp)[:, None].astype(np.float32)], 1)
        attentions.append(attention)
        finished |= prev == EOS_ID
        if finished.all():
            break
    attention_all = np.stack(attentions, 1)  # [B, T, S]
    results = []
    for b in range(batch):
        ids = generated[b].tolist()
        length = ids.index(EOS_ID) + 1 if EOS_ID in ids else len(ids)
        lps = token_lps[b, :length].tolist()
        total = float(sum(lps))
        hyp = Hypothesis(
            ids[:length],
            lps,
            total,
            length_normalise(total, length, d.options.length_penalty),
            attention_all[b, :length, : int(lengths[b])].tolist(),
            truncated=length - 1 >= int(limits[b]),
            feature_rows=[t * batch + b for t in range(length)],
        )
        results.append([hyp])
    return results


def beam_search(d: Decoding, src: np.ndarray, lengths: np.ndarray) -> list[list[Hypothesis]]:
    options, beam = d.options, d.beam
    batch = len(src)
    rows = batch * beam
    expand = np.repeat(np.arange(batch), beam)
    state = d.net.expand(d.net.encode(src, lengths), expand)
    limits = output_limits(lengths, options)[expand]
    scores = np.full((batch, beam), -np.inf, np.float32)
    scores[:, 0] = 0.0
    generated = np.zeros((rows, 0), np.int64)
    token_lps = np.zeros((rows, 0), np.float32)
    feature_hist = np.zeros((rows, 0), np.int64)
    attention_hist = np.zeros((rows, 0, src.shape[1]), np.float32)
    finished: list[list[Hypothesis]] = [[] for _ in range(batch)]
    done = np.zeros(batch, bool)
    base = (np.arange(batch) * beam)[:, None]
    prev = np.full(rows, BOS_ID, np.int64)
    for step in range(int(limits.max()) + 1):
        log_probs, state, attention = d.next_log_probs(state, prev, generated, step, limits)
        attention_hist = np.concatenate([attention_hist, attention[:, None, :]], 1)
        vocab = log_probs.shape[1]
        candidates = (scores.reshape(rows, 1) + log_probs).reshape(batch, beam * vocab)
        k = min(2 * beam, beam * vocab)
        part = np.argpartition(-candidates, k - 1, axis=1)[:, :k] if k < beam * vocab else np.tile(np.arange(k), (batch, 1))
        part_scores = np.take_along_axis(candidates, part, 1)
        ranked = np.argsort(-part_scores, axis=1, kind="stable")
        top_index = np.take_along_axis(part, ranked, 1)
        top_scores = np.take_along_axis(part_scores, ranked, 1)
        top_beam, top_column = top_index // vocab, top_index % vocab
        top_rows = base + top_beam
        is_eos = (top_column == d.columns.eos) & np.isfinite(top_scores)

        for b, rank in zip(*np.nonzero(is_eos[:, :beam])):
            if done[b]:
                continue
            row = int(top_rows[b, rank])
            ids = generated[row].tolist() + [EOS_ID]
            lps = token_lps[row].tolist() + [float(log_probs[row, d.columns.eos])]
            total = float(top_scores[b, rank])
            finished[b].append(
                Hypothesis(
                    ids,
                    lps,
                    total,
                    length_normalise(total, len(ids), options.length_penalty),
                    attention_hist[row, :, : int(lengths[b])].tolist(),
                    truncated=step >= int(limits[row]),
                    feature_rows=feature_hist[row].tolist() + [step * rows + row],
                )
            )
        for b in range(batch):
            if not done[b] and len(finished[b]) >= beam:
                done[b] = True
        if done.all():
            break

        order = np.argsort(is_eos * k + np.arange(k), axis=1, kind="stable")[:, :beam]
        scores = np.take_along_axis(top_scores, order, 1)
        scores[done] = -np.inf
        next_rows = np.take_along_axis(top_rows, order, 1).reshape(rows)
        chosen = np.take_along_axis(top_column, order, 1).reshape(rows)
        prev = d.columns.token(chosen)
        generated = np.concatenate([generated[next_rows], prev[:, None]], 1)
        token_lps = np.concatenate([token_lps[next_rows], log_probs[next_rows, chosen][:, None]], 1)
        feature_hist = np.concatenate([feature_hist[next_rows], (step * rows + next_rows)[:, None]], 1)
        attention_hist = attention_hist[next_rows]
        state = d.net.reorder(state, next_rows)
    return [sorted(hyps, key=lambda h: h.score, reverse=True)[: options.n_best] for hyps in finished]


def search(
    net: AttentionNetwork,
    sources: Sequence[Sequence[int]],
    options: DecodeOptions,
    shortlist_ids: np.ndarray | None = None,
    banned: Sequence[Sequence[int]] | None = None,
) -> list[list[Hypothesis]]:
    """Hypotheses per source (ids ending with EOS), best first, as ``core.search.search``;
    ``shortlist_ids``: the sorted candidate subwords to score (None: all)."""
    options = options.validated()
    lengths = np.array([len(s) for s in sources], np.int64)
    src = np.full((len(sources), int(lengths.max())), PAD_ID, np.int64)
    for row, ids in enumerate(sources):
        src[row, : len(ids)] = ids
    columns = Columns(shortlist_ids, net.vocab_size)
    width = net.vocab_size if shortlist_ids is None else len(shortlist_ids)
    beam = options.beam_width
    d = Decoding(net, options, columns, source_bans(banned or [], columns, width), beam)
    found = greedy(d, src, lengths) if beam == 1 else beam_search(d, src, lengths)
    if shortlist_ids is not None:  # the shortlist's softmax overstates every token: score them over all subwords
        hyps = [h for sentence in found for h in sentence]
        for h, lps in zip(hyps, d.full_scores([(h.feature_rows or [], h.token_ids) for h in hyps])):
            h.token_log_probs, h.log_prob, h.feature_rows = lps, sum(lps), None
    return found
