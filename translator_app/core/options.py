"""Decoding options: what a user can tune about how a translation is searched for.

Kept free of torch so the GUI can build and validate options before the model is even loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class DecodeOptions:
    """What a user can tune about decoding; every field is validated before search runs."""

    beam_width: int = 5
    max_length: int = 200           # absolute cap on output subwords
    max_length_ratio: float = 2.0   # and at most ratio × source subwords + 10
    length_penalty: float = 1.0     # 0 = raw log-probability; higher favours longer output
    n_best: int = 1                 # alternatives returned per sentence (beam grows to fit them)
    no_repeat_ngram_size: int = 0   # 0 = off; n = never produce the same n-gram twice

    def validated(self) -> "DecodeOptions":
        checks = [
            (1 <= self.beam_width <= 64, "beam width must be between 1 and 64"),
            (1 <= self.max_length <= 1024, "max output length must be between 1 and 1024"),
            (0 < self.max_length_ratio <= 10, "max length ratio must be above 0 and at most 10"),
            (0 <= self.length_penalty <= 5, "length penalty must be between 0 and 5"),
            (1 <= self.n_best <= 64, "number of alternatives must be between 1 and 64"),
            (0 <= self.no_repeat_ngram_size <= 10, "no-repeat n-gram size must be between 0 and 10"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(message)
        if self.n_best > self.beam_width:
            return replace(self, beam_width=self.n_best)
        return self
