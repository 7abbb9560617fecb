"""Model registry: an architecture name maps to its config dataclass and its module.

Modules are imported on first use, so listing models or starting the app never imports an
architecture it does not need, nor torch: the registry (names, titles, tutorials) is plain data the
window's model lists read on the GUI thread. A new architecture is one file plus one line here.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from translator_app.core.models.base import ModelConfig, Seq2Seq

# name: (module, config class, model class, title)
ARCHITECTURES: dict[str, tuple[str, str, str, str]] = {
    "lstm": ("lstm", "LSTMConfig", "LSTMSeq2Seq", "LSTM encoder-decoder (Sutskever et al. 2014)"),
    "gru": ("gru", "GRUConfig", "GRUSeq2Seq", "GRU encoder-decoder (Cho et al. 2014)"),
    "attention": ("attention", "AttentionConfig", "AttentionSeq2Seq", "GRU with Bahdanau attention (Bahdanau et al. 2015)"),
    "packed_attention": (
        "packed_attention",
        "PackedAttentionConfig",
        "PackedAttentionSeq2Seq",
        "Attention with packed padded sequences and masking (tutorial 4)",
    ),
    "convs2s": ("convs2s", "ConvS2SConfig", "ConvS2SSeq2Seq", "Convolutional seq2seq (Gehring et al. 2017)"),
    "transformer": ("transformer", "TransformerConfig", "TransformerSeq2Seq", "Transformer (Vaswani et al. 2017)"),
}
ARCHITECTURE_TITLES = {name: entry[3] for name, entry in ARCHITECTURES.items()}


@dataclass(frozen=True)
class Tutorial:
    """Which of the six PyTorch seq2seq tutorials an architecture comes from: the family a model belongs to."""

    number: int
    family: str  # short, for a list's group heading

    @property
    def label(self) -> str:
        return f"Tutorial {self.number} · {self.family}"


# The PyTorch seq2seq tutorials (bentrevett/pytorch-seq2seq), in their order; every list groups by this.
TUTORIALS: dict[str, Tutorial] = {
    "lstm": Tutorial(1, "LSTM seq2seq (Sutskever 2014)"),
    "gru": Tutorial(2, "GRU, context at every step (Cho 2014)"),
    "attention": Tutorial(3, "Bahdanau attention"),
    "packed_attention": Tutorial(4, "Packed padded sequences + masking"),
    "convs2s": Tutorial(5, "Convolutional seq2seq (Gehring 2017)"),
    "transformer": Tutorial(6, "Transformer (Vaswani 2017)"),
}


def tutorial_of(architecture: str) -> Tutorial | None:
    """The tutorial of an architecture; None for one outside the six (a damaged or newer model)."""
    return TUTORIALS.get(architecture)


def family_order(architecture: str) -> int:
    """Sort key putting models in tutorial order, unknown architectures last."""
    tutorial = TUTORIALS.get(architecture)
    return tutorial.number if tutorial is not None else len(TUTORIALS) + 1


def architecture_classes(name: str) -> tuple[type[ModelConfig], type[Seq2Seq]]:
    if name not in ARCHITECTURES:
        raise ValueError(f"unknown architecture {name!r} (known: {', '.join(sorted(available_architectures()))})")
    module_name, config_name, model_name, _ = ARCHITECTURES[name]
    try:
        module = importlib.import_module(f"translator_app.core.models.{module_name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"translator_app.core.models.{module_name}":
            raise
        raise ValueError(f"architecture {name!r} is not available in this version of the app") from None
    return getattr(module, config_name), getattr(module, model_name)


def available_architectures() -> list[str]:
    """Architectures whose implementation is present (for choosers in the CLI and the app)."""
    found = []
    for name, (module_name, *_rest) in ARCHITECTURES.items():
        if importlib.util.find_spec(f"translator_app.core.models.{module_name}") is not None:
            found.append(name)
    return found


def __getattr__(name: str) -> Any:
    """``ModelConfig`` and ``Seq2Seq`` are imported (with torch) only when asked for."""
    if name in ("ModelConfig", "Seq2Seq"):
        from translator_app.core.models import base

        return getattr(base, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def config_from_dict(architecture: str, hyperparameters: dict[str, Any]) -> ModelConfig:
    return architecture_classes(architecture)[0].from_dict(hyperparameters)


def build_model(config: ModelConfig) -> Seq2Seq:
    return architecture_classes(config.architecture)[1](config)


__all__ = [
    "ARCHITECTURES",
    "ARCHITECTURE_TITLES",
    "TUTORIALS",
    "Tutorial",
    "family_order",
    "tutorial_of",
    "ModelConfig",
    "Seq2Seq",
    "architecture_classes",
    "available_architectures",
    "config_from_dict",
    "build_model",
]
