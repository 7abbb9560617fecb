"""What the window knows about models: a listed one (``core.catalog.ModelInfo``) and the loaded one (``ModelDetails``).

``model_details`` reads the details off a loaded ``Translator`` on the worker thread, into plain data
the window can keep; a model folder without a README.md gets a card built from its config.json.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from translator_app.core.types.modelformat import ModelFileError, read_card


@dataclass
class ModelDetails:
    """What the window shows about the loaded model (plain data: no torch objects cross threads)."""

    name: str
    path: Path
    architecture: str
    device: str
    description: str = ""
    card: str = ""  # the folder's README.md, or one built from config.json
    default_options: dict[str, Any] = field(default_factory=dict)
    has_attention: bool = False
    seconds: float = 0.0
    domains: list[str] = field(default_factory=list)  # what the model was trained on
    confidence: dict[str, float] = field(default_factory=dict)  # the model's thresholds (core.confidence)
    supports_glossary: bool = True  # its vocabulary has placeholders, which glossary terms need (core.glossary)


def model_details(translator, seconds: float) -> ModelDetails:
    """The details of a loaded ``Translator`` (called on the worker thread, which owns it)."""
    meta = translator.metadata
    try:
        card = read_card(Path(translator.path))  # bounded: a 1 GB README.md is refused unread
    except (OSError, ModelFileError):
        card = card_from_metadata(meta, translator.architecture)
    try:
        defaults = {
            k: getattr(translator.default_options(), k)
            for k in ("beam_width", "max_length", "length_penalty", "n_best", "no_repeat_ngram_size")
        }
    except (TypeError, ValueError):
        defaults = {}
    return ModelDetails(
        name=translator.name,
        path=Path(translator.path),
        architecture=translator.architecture,
        device=translator.device_description(),
        description=meta.description,
        card=card,
        default_options=defaults,
        has_attention=bool(translator.has_attention),
        seconds=seconds,
        domains=list(translator.domains),
        confidence=dict(meta.confidence),
        supports_glossary=bool(translator.supports_glossary),
    )


def card_from_metadata(meta, architecture: str) -> str:
    """A Markdown model card from config.json, for model folders without a README.md."""
    lines = [f"# {meta.name}", ""]
    if meta.description:
        lines += [meta.description, ""]
    lines += [f"- Architecture: {architecture}", f"- Languages: {meta.source_language} → {meta.target_language}"]
    if meta.metrics:
        lines += ["", "## Metrics", ""] + [f"- {k}: {v}" for k, v in meta.metrics.items()]
    if meta.training:
        lines += ["", "## Training", ""]
        for key, value in meta.training.items():
            if isinstance(value, dict):
                value = ", ".join(f"{k}={v}" for k, v in value.items())
            lines.append(f"- {key}: {value}")
    if meta.default_decoding:
        lines += ["", "## Default decoding", ""] + [f"- {k}: {v}" for k, v in meta.default_decoding.items()]
    return "\n".join(lines) + "\n"
