"""Decoding options: what a user can tune about how a translation is searched for.

Kept free of torch so the GUI can build and validate options before the model is even loaded.
``LIMITS`` is the one statement of each option's range: ``DecodeOptions.validated`` enforces it, the
GUI's spin boxes and settings file take their ranges from it, and model configs their number types.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any, ClassVar, Mapping

from translator_app.core.types.glossary import GlossaryTerms
from translator_app.core.types.errors import InvalidInput

# What decodes a model: "auto" takes NumPy for the attention models on the CPU (core.numpy_engine),
# CTranslate2 for a Transformer on the CPU when it is installed (core.ct2_backend), PyTorch
# otherwise; the other three insist.
ENGINES = ("auto", "pytorch", "ctranslate2", "numpy")


@dataclass(frozen=True)
class Limit:
    """One option's range, and the words its error message names the option by."""

    low: int | float
    high: int | float
    what: str
    above_low: bool = False  # ``low`` itself is refused too

    @property
    def kind(self) -> type | tuple[type, ...]:
        """What ``isinstance`` accepts: whole numbers for an int range, any number for a float one."""
        return int if isinstance(self.low, int) and isinstance(self.high, int) else (int, float)

    def of_kind(self, value: Any) -> bool:
        """A number of this range's kind; never a bool (JSON's ``true`` is no beam width)."""
        return not isinstance(value, bool) and isinstance(value, self.kind)

    def allows(self, value: int | float) -> bool:
        return (self.low < value if self.above_low else self.low <= value) and value <= self.high

    def admits(self, value: Any) -> bool:
        """Of the right kind and in range: the check for values read from a file."""
        return self.of_kind(value) and self.allows(value)

    def message(self) -> str:
        if self.above_low:
            return f"{self.what} must be above {self.low:g} and at most {self.high:g}"
        return f"{self.what} must be between {self.low:g} and {self.high:g}"


MAX_BEAM = 64  # n_best's cap too: the beam widens to n_best, so more alternatives than this cannot be searched for

# DecodeOptions field -> its range. A module constant rather than a class attribute, which would be
# listed among the dataclass's fields (model configs' default_decoding keys are matched against those).
LIMITS: Mapping[str, Limit] = MappingProxyType(
    {
        "beam_width": Limit(1, MAX_BEAM, "beam width"),
        "max_length": Limit(1, 1024, "max output length"),
        "max_length_ratio": Limit(0.0, 10.0, "max length ratio", above_low=True),  # 0 would allow no output
        "length_penalty": Limit(0.0, 5.0, "length penalty"),
        "n_best": Limit(1, MAX_BEAM, "number of alternatives"),
        "no_repeat_ngram_size": Limit(0, 10, "no-repeat n-gram size"),
    }
)


@dataclass(frozen=True)
class DecodeOptions:
    """What a user can tune about decoding; every field is validated once before search runs.

    Options are validated where they are made (the window's worker from the options panel, the
    command line's decoding arguments, the comparison, file translation): ``validated`` checks them
    and marks the instance it returns. The core calls ``checked`` instead, which takes a marked
    instance as it is and validates only options someone built without validating. The mark is not
    a field: ``dataclasses.replace`` builds a new, unmarked instance, so options changed after the
    check are checked again, and equality, ``asdict`` and model configs never see it.
    """

    beam_width: int = 5
    max_length: int = 200  # absolute cap on output subwords
    max_length_ratio: float = 2.0  # and at most ratio × source subwords + 10
    length_penalty: float = 1.0  # 0 = raw log-probability; higher favours longer output
    n_best: int = 1  # alternatives returned per sentence (beam grows to fit them)
    # 0 = off; n = never produce the same n-gram of subwords twice. 3 halves the stutters ("on
    # Wednesday on Wednesday") of the general models on dev at no cost in BLEU on any of the five
    # shipped models' domains (benchmarks/repetition.py; README "Repetition").
    no_repeat_ngram_size: int = 3
    glossary: GlossaryTerms | None = None  # terms to keep as the user's English terms (core.glossary); None = none

    _validated: ClassVar[bool] = False  # set on an instance by ``validated`` alone

    def validated(self) -> "DecodeOptions":
        """These options if every field is within ``LIMITS`` (the beam widened to ``n_best``), marked as
        checked; else ValueError."""
        for field, limit in LIMITS.items():
            if not limit.allows(getattr(self, field)):
                raise InvalidInput(limit.message())
        result = replace(self, beam_width=self.n_best) if self.n_best > self.beam_width else self
        object.__setattr__(result, "_validated", True)  # frozen: the one write, on a valid instance
        return result

    def checked(self) -> "DecodeOptions":
        """What the core searches with: these options if ``validated`` made them, else validated now."""
        return self if self._validated else self.validated()
