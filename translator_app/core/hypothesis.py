"""What a search returns, and how it ranks it: shared by every engine, free of torch and NumPy."""

from __future__ import annotations

import math
from dataclasses import dataclass

from translator_app.core.types.options import DecodeOptions
from translator_app.core.text import BOS_ID, PAD_ID, UNK_ID

NEVER_GENERATED = (PAD_ID, UNK_ID, BOS_ID)
LENGTH_OFFSET = 10  # the relative limit allows ratio × source length + this many subwords


@dataclass
class Hypothesis:
    token_ids: list[int]  # ends with EOS
    token_log_probs: list[float]  # one per token in token_ids
    log_prob: float  # sum of token_log_probs
    score: float  # length-normalised log_prob, used for ranking
    attention: list[list[float]] | None = None  # [len(token_ids)][source length]
    truncated: bool = False  # the output limit ended it (its end-of-sentence was forced): it may be cut short
    feature_rows: list[int] | None = None  # under a shortlist, where each token's decoder features were kept


def length_normalise(log_prob: float, length: int, alpha: float) -> float:
    """GNMT (Wu et al. 2016): log p(y) / ((5 + |y|) / 6) ** alpha."""
    return log_prob / (((5.0 + length) / 6.0) ** alpha) if alpha else log_prob


def output_limit(relative: float, options: DecodeOptions) -> int:
    """The most subwords an output may have, given ratio × source length (computed by the caller
    in float32, as the engines do, then rounded up here)."""
    return max(1, min(math.ceil(relative) + LENGTH_OFFSET, options.max_length))
