"""A model's description from its config.json (everything besides the hyperparameters), without torch."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ModelMetadata:
    """Everything in config.json besides the hyperparameters."""

    name: str
    description: str = ""
    source_language: str = "de"
    target_language: str = "en"
    training: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    default_decoding: dict[str, Any] = field(default_factory=dict)
    domains: list[str] = field(default_factory=list)  # what it was trained on: everyday, news, parliament, captions
    confidence: dict[str, float] = field(default_factory=dict)  # thresholds fitted on dev (core.confidence)


def metadata_from_config(raw: dict[str, Any]) -> ModelMetadata:
    """The metadata of a config.json already read and checked by ``core.modelformat.read_config``."""
    return ModelMetadata(
        name=str(raw["name"]),
        description=str(raw.get("description", "")),
        source_language=raw.get("source_language", "de"),
        target_language=raw.get("target_language", "en"),
        training=dict(raw.get("training", {})),
        metrics=dict(raw.get("metrics", {})),
        default_decoding=dict(raw.get("default_decoding", {})),
        domains=[str(d) for d in raw.get("domains", [])] if isinstance(raw.get("domains"), list) else [],
        confidence=dict(raw["confidence"]) if isinstance(raw.get("confidence"), dict) else {},
    )
