"""Model registry: an architecture name maps to its config dataclass and its module."""

from __future__ import annotations

from typing import Any

from translator_app.core.models.base import ModelConfig, Seq2Seq
from translator_app.core.models.lstm import LSTMConfig, LSTMSeq2Seq

REGISTRY: dict[str, tuple[type[ModelConfig], type[Seq2Seq]]] = {
    "lstm": (LSTMConfig, LSTMSeq2Seq),
}

ARCHITECTURE_TITLES = {
    "lstm": "LSTM encoder-decoder (Sutskever et al. 2014)",
}


def config_from_dict(architecture: str, hyperparameters: dict[str, Any]) -> ModelConfig:
    if architecture not in REGISTRY:
        raise ValueError(f"unknown architecture {architecture!r} (known: {', '.join(sorted(REGISTRY))})")
    return REGISTRY[architecture][0].from_dict(hyperparameters)


def build_model(config: ModelConfig) -> Seq2Seq:
    return REGISTRY[config.architecture][1](config)


__all__ = ["REGISTRY", "ARCHITECTURE_TITLES", "ModelConfig", "Seq2Seq", "config_from_dict", "build_model"]
