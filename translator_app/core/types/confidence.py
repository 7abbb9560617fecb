"""A sentence's confidence level and the two thresholds that make it, as the shells show them.

Plain data (``core.confidence`` scores sentences and fits the thresholds; the window colours
sentences and warns by these), so the window reads them without torch.
"""

from __future__ import annotations

import enum
import math
from dataclasses import asdict, dataclass
from typing import Any


class Confidence(enum.Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True)
class ConfidenceThresholds:
    low: float  # mean token log-probability below this: LOW
    high: float  # at or above this: HIGH

    def level(self, score: float) -> Confidence:
        if score < self.low:
            return Confidence.LOW
        return Confidence.HIGH if score >= self.high else Confidence.MEDIUM

    def to_dict(self) -> dict[str, float]:
        return {k: round(v, 4) for k, v in asdict(self).items()}

    @classmethod
    def from_metadata(cls, values: Any) -> "ConfidenceThresholds":
        try:
            low, high = float(values["low"]), float(values["high"])
        except (TypeError, KeyError, ValueError):
            return DEFAULT_THRESHOLDS
        return cls(low, high) if math.isfinite(low) and math.isfinite(high) and low <= high else DEFAULT_THRESHOLDS


# Fitted on the dev sets of the first general-domain models; a fallback for models without their own.
DEFAULT_THRESHOLDS = ConfidenceThresholds(low=-0.9, high=-0.5)
