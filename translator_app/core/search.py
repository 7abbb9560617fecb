"""Greedy and beam search over any ``Seq2Seq``, batched over sentences *and* beams.

The B sentences × K beams live in one batch of B·K decoder rows, so each step is one call to the
model whatever the beam width; reordering beams is one ``index_select`` on the model's state.
Scores follow GNMT (Wu et al. 2016): log p(y) / ((5 + |y|) / 6) ** length_penalty.

With a vocabulary shortlist (``core.shortlist``) the model scores only the batch's candidate
subwords, and the whole step (softmax, bans, top-k) works on those few hundred columns; a
``Columns`` maps them back to subword ids.
"""

from __future__ import annotations

from typing import Sequence

import torch
import torch.nn.functional as F
from torch import Tensor

from translator_app.core.batching import pad_batch  # batching's; named here too, for the decoders' callers
from translator_app.core.full_scores import full_vocabulary_log_probs
from translator_app.core.hypothesis import LENGTH_OFFSET, NEVER_GENERATED, Hypothesis, length_normalise
from translator_app.core.models.base import Seq2Seq
from translator_app.core.types.options import DecodeOptions
from translator_app.core.shortlist import Shortlist
from translator_app.core.text import BOS_ID, EOS_ID, PAD_ID


def output_limits(src_lengths: Tensor, options: DecodeOptions) -> Tensor:
    relative = torch.ceil(src_lengths.float() * options.max_length_ratio).long() + LENGTH_OFFSET
    return relative.clamp(max=options.max_length).clamp(min=1)


class Columns:
    """Which subword each column of the model's scores is: all of them in id order, or a shortlist."""

    def __init__(self, ids: Tensor | None):
        self.ids = ids  # column → subword id; None: the identity
        self.eos = EOS_ID if ids is None else int((ids == EOS_ID).nonzero()[0, 0])
        self._id_range = int(ids.max()) + 1 if ids is not None and len(ids) else 1  # once, not at every step

    def token(self, columns: Tensor) -> Tensor:
        return columns if self.ids is None else self.ids[columns]

    def ban(self, log_probs: Tensor, banned: Tensor) -> None:
        """In place: -inf for the subword ids ``banned`` [N, M] of each row (PAD where nothing is banned)."""
        if self.ids is None:
            log_probs.scatter_(1, banned, float("-inf"))
            return
        full = torch.zeros(banned.size(0), self._id_range, dtype=torch.bool, device=banned.device)
        full.scatter_(1, banned.clamp(max=full.size(1) - 1), banned < full.size(1))
        full[:, PAD_ID] = False
        log_probs.masked_fill_(full[:, self.ids], float("-inf"))


class SourceBans:
    """Per sentence, subword ids it must never produce: the placeholders its source lacks. A
    placeholder stands for a span of *this* source, so one it lacks could only be made up (and
    would leave a private-use character or nothing where the model meant a word)."""

    def __init__(self, banned: Sequence[Sequence[int]], columns: Columns):
        self.banned = [list(ids) for ids in banned]
        self.columns = columns
        self._mask: Tensor | None = None  # [B, columns], built at the first step, when the width is known

    def apply(self, log_probs: Tensor) -> None:
        """In place, on [B·K, C] rows (K beams of each sentence, consecutive)."""
        if self._mask is None:
            self._mask = self._build(log_probs.size(1), log_probs.device)
        batch, width = self._mask.shape
        log_probs.view(batch, -1, width).masked_fill_(self._mask.unsqueeze(1), float("-inf"))

    def _build(self, width: int, device: torch.device) -> Tensor:
        mask = torch.zeros(len(self.banned), width, dtype=torch.bool)
        ids = self.columns.ids
        column = {int(i): c for c, i in enumerate(ids.tolist())} if ids is not None else None
        for row, banned in enumerate(self.banned):
            cols = [i for i in banned if i < width] if column is None else [column[i] for i in banned if i in column]
            mask[row, cols] = True
        return mask.to(device)


def ban_repeated_ngrams(log_probs: Tensor, generated: Tensor, n: int, columns: Columns | None = None) -> None:
    """In place: forbid each row's next token where it would repeat an n-gram of that row."""
    columns = columns or Columns(None)
    if n <= 0 or generated.size(1) < max(n - 1, 1):
        return
    if n == 1:
        columns.ban(log_probs, generated)
        return
    if generated.size(1) < n:
        return
    windows = generated.unfold(1, n, 1)  # [N, W, n]
    suffix = generated[:, -(n - 1) :].unsqueeze(1)  # [N, 1, n-1]
    match = (windows[:, :, :-1] == suffix).all(-1)  # [N, W]
    banned = windows[:, :, -1].masked_fill(~match, PAD_ID)  # PAD is banned anyway
    columns.ban(log_probs, banned)


def _next_log_probs(
    model: Seq2Seq,
    state,
    prev: Tensor,
    generated: Tensor,
    step: int,
    limits: Tensor,
    options: DecodeOptions,
    columns: Columns,
    bans: SourceBans | None = None,
):
    logits, state, attention = model.decode_step(state, prev)
    log_probs = F.log_softmax(logits.float(), dim=-1)
    if columns.ids is None:  # a shortlist never lists them
        log_probs[:, NEVER_GENERATED] = float("-inf")
    if bans is not None:
        bans.apply(log_probs)
    ban_repeated_ngrams(log_probs, generated, options.no_repeat_ngram_size, columns)
    at_limit = step >= limits
    if at_limit.any():
        eos = log_probs[:, columns.eos].clone()
        log_probs[at_limit] = float("-inf")
        log_probs[at_limit, columns.eos] = eos[at_limit]
    return log_probs, state, attention


@torch.inference_mode()
def greedy_search(
    model: Seq2Seq,
    src: Tensor,
    src_lengths: Tensor,
    options: DecodeOptions,
    columns: Columns | None = None,
    bans: SourceBans | None = None,
) -> list[list[Hypothesis]]:
    options = options.validated()
    columns = columns or Columns(None)
    batch = src.size(0)
    state = model.encode(src, src_lengths)
    limits = output_limits(src_lengths, options).to(src.device)
    generated = torch.empty(batch, 0, dtype=torch.long, device=src.device)
    token_lps = torch.empty(batch, 0, device=src.device)
    attentions: list[Tensor] = []
    finished = torch.zeros(batch, dtype=torch.bool, device=src.device)
    prev = torch.full((batch,), BOS_ID, dtype=torch.long, device=src.device)
    for step in range(int(limits.max()) + 1):
        log_probs, state, attention = _next_log_probs(model, state, prev, generated, step, limits, options, columns, bans)
        best_lp, best = log_probs.max(-1)
        prev = columns.token(best).masked_fill(finished, PAD_ID)
        generated = torch.cat([generated, prev.unsqueeze(1)], 1)
        token_lps = torch.cat([token_lps, best_lp.masked_fill(finished, 0.0).unsqueeze(1)], 1)
        if attention is not None:
            attentions.append(attention.float())
        finished |= prev == EOS_ID
        if finished.all():
            break
    results = []
    attention_all = torch.stack(attentions, 1) if attentions else None  # [B, T, S], stacked once
    for b in range(batch):
        ids = generated[b].tolist()
        length = ids.index(EOS_ID) + 1 if EOS_ID in ids else len(ids)
        lps = token_lps[b, :length].tolist()
        attention = None
        if attention_all is not None:
            attention = attention_all[b, :length, : int(src_lengths[b])].tolist()
        total = float(sum(lps))
        results.append(
            [
                Hypothesis(
                    ids[:length],
                    lps,
                    total,
                    length_normalise(total, length, options.length_penalty),
                    attention,
                    truncated=length - 1 >= int(limits[b]),
                    feature_rows=[t * batch + b for t in range(length)],
                )
            ]
        )
    return results


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
    options = options.validated()
    columns = columns or Columns(None)
    batch, beam, device = src.size(0), options.beam_width, src.device
    rows = batch * beam
    expand = torch.arange(batch, device=device).repeat_interleave(beam)
    state = model.reorder_state(model.encode(src, src_lengths), expand)
    limits = output_limits(src_lengths, options).to(device).index_select(0, expand)
    scores = torch.full((batch, beam), float("-inf"), device=device)
    scores[:, 0] = 0.0  # only one live beam at the start
    generated = torch.empty(rows, 0, dtype=torch.long, device=device)
    token_lps = torch.empty(rows, 0, device=device)
    feature_hist = torch.empty(rows, 0, dtype=torch.long, device=device)  # see Hypothesis.feature_rows
    attention_hist: Tensor | None = None
    finished: list[list[Hypothesis]] = [[] for _ in range(batch)]
    done = [False] * batch
    base = (torch.arange(batch, device=device) * beam).unsqueeze(1)
    prev = torch.full((rows,), BOS_ID, dtype=torch.long, device=device)

    for step in range(int(limits.max()) + 1):
        log_probs, state, attention = _next_log_probs(model, state, prev, generated, step, limits, options, columns, bans)
        if attention is not None:
            attention_hist = (
                attention.float().unsqueeze(1)
                if attention_hist is None
                else torch.cat([attention_hist, attention.float().unsqueeze(1)], 1)
            )
        vocab = log_probs.size(1)
        candidates = (scores.view(rows, 1) + log_probs).view(batch, beam * vocab)
        top_scores, top_index = candidates.topk(min(2 * beam, beam * vocab), dim=1)
        top_beam, top_column = top_index // vocab, top_index % vocab
        top_rows = base + top_beam  # [B, 2K] rows of the batch
        is_eos = (top_column == columns.eos) & torch.isfinite(top_scores)

        # Finish hypotheses that end in EOS among the K best candidates (Python over few items).
        for b, rank in is_eos[:, :beam].nonzero().tolist():
            if done[b]:
                continue
            row = int(top_rows[b, rank])
            ids = generated[row].tolist() + [EOS_ID]
            lps = token_lps[row].tolist() + [float(log_probs[row, columns.eos])]
            total = float(top_scores[b, rank])
            attention_rows = attention_hist[row, :, : int(src_lengths[b])].tolist() if attention_hist is not None else None
            finished[b].append(
                Hypothesis(
                    ids,
                    lps,
                    total,
                    length_normalise(total, len(ids), options.length_penalty),
                    attention_rows,
                    truncated=step >= int(limits[row]),
                    feature_rows=feature_hist[row].tolist() + [step * rows + row],
                )
            )
        for b in range(batch):
            if not done[b] and len(finished[b]) >= beam:
                done[b] = True
        if all(done):
            break

        # Continue with the K best candidates that did not end (EOS ones sort to the back).
        order = (is_eos.long() * top_scores.size(1) + torch.arange(top_scores.size(1), device=device)).argsort(dim=1)[:, :beam]
        scores = top_scores.gather(1, order)
        scores[torch.tensor(done, device=device)] = float("-inf")
        next_rows = top_rows.gather(1, order).view(rows)
        chosen = top_column.gather(1, order).view(rows)
        prev = columns.token(chosen)
        generated = torch.cat([generated.index_select(0, next_rows), prev.unsqueeze(1)], 1)
        token_lps = torch.cat([token_lps.index_select(0, next_rows), log_probs[next_rows, chosen].unsqueeze(1)], 1)
        feature_hist = torch.cat([feature_hist.index_select(0, next_rows), (step * rows + next_rows).unsqueeze(1)], 1)
        if attention_hist is not None:
            attention_hist = attention_hist.index_select(0, next_rows)
        state = model.reorder_state(state, next_rows)

    return [sorted(hyps, key=lambda h: h.score, reverse=True)[: options.n_best] for hyps in finished]


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
    options = options.validated()
    run = greedy_search if options.beam_width == 1 else beam_search
    ids = shortlist.candidates(src, src_lengths).to(src.device) if shortlist is not None else None
    columns = Columns(ids)
    bans = SourceBans(banned, columns) if banned is not None and any(banned) else None
    with model.restricted_output(ids):
        found = run(model, src, src_lengths, options, columns, bans)
        if ids is not None:  # the shortlist's softmax overstates every token: score them over all subwords
            hyps = [h for sentence in found for h in sentence]
            for h, lps in zip(hyps, full_vocabulary_log_probs(model, [(h.feature_rows or [], h.token_ids) for h in hyps])):
                h.token_log_probs, h.log_prob, h.feature_rows = lps, sum(lps), None
    return found


__all__ = ["Hypothesis", "SourceBans", "beam_search", "greedy_search", "search", "pad_batch"]
