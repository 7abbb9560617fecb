"""How sure the model is of a sentence, from its own token log-probabilities.

A sentence's confidence is the mean log-probability the model gave the tokens of its best
translation (end-of-sentence marker included). Models write fluent nonsense for text unlike their
training data, but they do it with low token probabilities, so this one number separates "probably
right" from "probably wrong" reasonably well (measured per model on the dev sets: the model card
and README give the correlation with sentence-level chrF). Each model carries two thresholds
fitted on its dev sets (``fit_thresholds``); a model without them gets ``DEFAULT_THRESHOLDS``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Sequence

from translator_app.core.types.confidence import DEFAULT_THRESHOLDS, Confidence, ConfidenceThresholds

LOW_CHRF = 40.0  # a sentence scoring below this chrF is one the user should not trust
HIGH_CHRF = 60.0  # above this, usually right or nearly so
OUT_OF_DOMAIN_SHARE = 0.5  # more than this share of low-confidence sentences: the text is unlike the training data


def sentence_score(token_log_probs: Sequence[float]) -> float:
    """Mean log-probability per token (0 is certain); an empty output is not confident at all."""
    return sum(token_log_probs) / len(token_log_probs) if token_log_probs else -math.inf


def fit_thresholds(scores: Sequence[float], chrfs: Sequence[float], bin_size: int = 100) -> ConfidenceThresholds:
    """Thresholds where the dev sentences' average chrF crosses LOW_CHRF and HIGH_CHRF.

    Sentences are sorted by confidence and averaged in bins of ``bin_size``; ``low`` is the upper
    edge of the highest-scoring bin whose mean chrF is still below LOW_CHRF, ``high`` the lower edge
    of the lowest bin from which every bin's mean chrF is above HIGH_CHRF.
    """
    pairs = sorted((s, c) for s, c in zip(scores, chrfs) if math.isfinite(s))
    if len(pairs) < 2 * bin_size:
        return DEFAULT_THRESHOLDS
    bins = [pairs[i : i + bin_size] for i in range(0, len(pairs) - bin_size + 1, bin_size)]
    means = [sum(c for _, c in b) / len(b) for b in bins]
    low = max((b[-1][0] for b, m in zip(bins, means) if m < LOW_CHRF), default=pairs[0][0])
    high = pairs[-1][0]
    for index in range(len(bins) - 1, -1, -1):
        if means[index] <= HIGH_CHRF:
            break
        high = bins[index][0][0]
    return ConfidenceThresholds(low, max(low, high))


@dataclass(frozen=True)
class ConfidenceReport:
    """How well the confidence predicts quality on a set of sentences (for the model card)."""

    sentences: int
    pearson: float  # confidence vs sentence chrF
    spearman: float
    worst_decile_flagged: float  # share of the 10% lowest-chrF sentences marked LOW
    flagged: float  # share of all sentences marked LOW

    def to_dict(self) -> dict[str, float]:
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in asdict(self).items()}


def measure(scores: Sequence[float], chrfs: Sequence[float], thresholds: ConfidenceThresholds) -> ConfidenceReport:
    finite = [(s if math.isfinite(s) else -50.0, c) for s, c in zip(scores, chrfs)]
    xs, ys = [s for s, _ in finite], [c for _, c in finite]
    worst = sorted(range(len(ys)), key=lambda i: ys[i])[: max(1, len(ys) // 10)]
    flagged = [thresholds.level(x) is Confidence.LOW for x in xs]
    return ConfidenceReport(
        len(xs),
        _pearson(xs, ys),
        _pearson(_ranks(xs), _ranks(ys)),
        sum(flagged[i] for i in worst) / len(worst),
        sum(flagged) / max(len(flagged), 1),
    )


def _ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2
        i = j + 1
    return ranks


def _pearson(xs: Sequence[float], ys: Sequence[float]) -> float:
    n = len(xs)
    if n < 2:
        return 0.0
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else 0.0


def looks_out_of_domain(levels: Sequence[Confidence]) -> bool:
    """Whether most of a text's sentences are LOW: the model is out of its depth, say so."""
    return bool(levels) and sum(level is Confidence.LOW for level in levels) / len(levels) > OUT_OF_DOMAIN_SHARE
