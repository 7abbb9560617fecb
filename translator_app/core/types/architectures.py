"""The architectures this app knows, as plain data: names, titles, the tutorial each comes from.

The window's model lists, the CLI's listing and the model cards read these on the GUI thread and at
start-up, so they import nothing: ``core.models`` builds the models from this table, importing an
architecture's module (and torch) only when one is built.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

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


def available_architectures() -> list[str]:
    """Architectures whose implementation is present (for choosers in the CLI and the app)."""
    found = []
    for name, (module_name, *_rest) in ARCHITECTURES.items():
        if importlib.util.find_spec(f"translator_app.core.models.{module_name}") is not None:
            found.append(name)
    return found
