"""The model card (README.md in a model folder): what the model is, how it was made, how good it is."""

from __future__ import annotations

import re

from translator_app.core.types.modelformat import ModelMetadata
from translator_app.core.types.architectures import ARCHITECTURE_TITLES
from translator_app.core.models.base import ModelConfig


# "Default, everyday German: ..." or "Best quality, ...": a claim only the shipped model it was written for may make
_ROLE_CLAIM = re.compile(r"^\s*(?:the\s+)?(?:default|best[- ]quality)(?:\s+model)?\s*[,:;—–-]\s*", re.IGNORECASE)
_COPY_NOTE = "(a copy of {original})"


def copy_description(description: str, original: str = "") -> str:
    """The description of a model installed or renamed under a name of the user's: without a claim to be
    the app's default or best-quality model (only shipped models are), and saying which model it copies."""
    text = _ROLE_CLAIM.sub("", description.strip())
    text = text[:1].upper() + text[1:]
    if original and "(a copy of " not in text:
        text = f"{text} {_COPY_NOTE.format(original=original)}".strip()
    return text


def retitle_card(card: str, old_name: str, new_name: str, old_description: str, new_description: str) -> str:
    """A model card under the model's new name and description, where it shows the old ones (its title
    and the description paragraph ``write_model_card`` puts under it); anything else is left as written."""
    head, newline, rest = card.partition("\n")
    if head.strip() == f"# {old_name}":
        card = f"# {new_name}{newline}{rest}"
    if old_description and old_description != new_description and old_description in card:
        card = card.replace(old_description, new_description, 1)
    return card


def _table(rows: list[tuple[str, str]]) -> str:
    lines = ["| | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in rows]
    return "\n".join(lines)


def write_model_card(metadata: ModelMetadata, config: ModelConfig, notes: str = "") -> str:
    training = metadata.training
    parts = [f"# {metadata.name}", "", metadata.description or "", ""]
    if metadata.domains:
        parts += [f"Domains: {', '.join(metadata.domains)}.", ""]
    parts += [
        "## Architecture",
        "",
        ARCHITECTURE_TITLES.get(config.architecture, config.architecture),
        "",
        _table([(k, str(v)) for k, v in config.to_dict().items()]),
        "",
    ]
    simple = [(k.replace("_", " "), str(v)) for k, v in training.items() if not isinstance(v, (dict, list))]
    if simple:
        parts += ["## Training", "", _table(simple), ""]
    if training.get("history"):
        parts += ["### Validation per epoch", "", "| epoch | val loss | val ppl | val BLEU |", "|---|---|---|---|"]
        parts += [
            f"| {h['epoch']} | {h['val_loss']:.3f} | {h['val_perplexity']:.1f} | {h['val_bleu']:.2f} |"
            for h in training["history"]
        ]
        parts.append("")
    flat = {k: v for k, v in metadata.metrics.items() if not isinstance(v, (dict, list)) and v is not None}
    if flat:  # the per-domain tables (nested figures) are in the evaluation notes
        parts += [
            "## Quality",
            "",
            _table([(k.replace("_", " "), f"{v:.2f}" if isinstance(v, float) else str(v)) for k, v in flat.items()]),
            "",
        ]
    if notes:
        parts += [notes.strip(), ""]
    return "\n".join(parts)
