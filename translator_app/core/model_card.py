"""The model card (README.md in a model folder): what the model is, how it was made, how good it is."""

from __future__ import annotations

from translator_app.core.modelfile import ModelMetadata
from translator_app.core.models import ARCHITECTURE_TITLES
from translator_app.core.models.base import ModelConfig


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
