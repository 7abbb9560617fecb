"""Token log-probabilities over the whole vocabulary, for outputs found with a shortlist.

Search under a shortlist normalises each step's softmax over the shortlisted columns only, so a
token's probability there is its share of the listed mass: the fewer (or worse) the candidates, the
higher it looks, and confidence (``core.confidence``) would rise with a poorer shortlist. So the
restricted output layer keeps each step's decoder features (``Seq2Seq.vocabulary_logits``), search
notes which of them each returned token was chosen from (``Hypothesis.feature_rows``), and the
chosen tokens are scored here against the full output layer in one matrix product: exactly what a
full-vocabulary search reports for the same tokens, for one pass over the output weights rather
than one per step.
"""

from __future__ import annotations

from typing import Sequence

import torch
import torch.nn.functional as F

from translator_app.core.models.base import Seq2Seq
from translator_app.core.types.errors import InvalidInput

LOGIT_BUDGET = 1 << 24  # tokens × vocabulary scored at once (64 MB of float32 logits)


@torch.inference_mode()
def full_vocabulary_log_probs(model: Seq2Seq, outputs: Sequence[tuple[Sequence[int], Sequence[int]]]) -> list[list[float]]:
    """For each (feature rows, token ids) of an output found under ``model.restricted_output``,
    inside that block: each token's log-probability under the full softmax."""
    if not outputs:
        return []
    restriction = model._output_restriction  # the block's: its kept features and full output layer
    if restriction is None or restriction.full is None:
        raise InvalidInput("full-vocabulary scores need the features of a restricted search")
    features = torch.cat(restriction.features)
    weight, bias = restriction.full
    rows = torch.tensor([r for feature_rows, _ in outputs for r in feature_rows], dtype=torch.long, device=features.device)
    tokens = torch.tensor([t for _, ids in outputs for t in ids], dtype=torch.long, device=features.device)
    if len(rows) != len(tokens):
        raise InvalidInput("each token needs the features it was chosen from")
    step = max(1, LOGIT_BUDGET // weight.size(0))
    scores: list[float] = []
    for start in range(0, len(rows), step):
        logits = F.linear(features.index_select(0, rows[start : start + step]), weight, bias).float()
        picked = logits.gather(1, tokens[start : start + step].unsqueeze(1)).squeeze(1) - logits.logsumexp(-1)
        scores.extend(picked.tolist())
    results, offset = [], 0
    for _, ids in outputs:
        results.append(scores[offset : offset + len(ids)])
        offset += len(ids)
    return results


__all__ = ["full_vocabulary_log_probs"]
