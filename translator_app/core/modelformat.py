"""The model folder's format and its config.json, readable without torch (model lists, the GUI)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from translator_app.core.options import LIMITS

FORMAT_NAME = "translator-app-model"
FORMAT_VERSION = 1
CONFIG_FILE, WEIGHTS_FILE, VOCAB_FILE, CARD_FILE = "config.json", "model.safetensors", "spm.model", "README.md"
SHORTLIST_FILE = "shortlist.safetensors"  # optional: the vocabulary shortlist (core.shortlist)
REPLAY_FILE = "replay.safetensors"  # optional: the sample a fine-tune mixes in (core.replay)


class ModelFileError(Exception):
    """A model folder that cannot be used; the message names the file and what is wrong."""


def read_config(folder: Path) -> dict[str, Any]:
    """Read and check config.json alone (cheap: used to list models without loading weights)."""
    path = Path(folder) / CONFIG_FILE
    if not Path(folder).is_dir():
        raise ModelFileError(f"{folder}: not a model folder (no such directory)")
    if not path.is_file():
        raise ModelFileError(f"{path}: missing (every model folder needs a {CONFIG_FILE})")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ModelFileError(f"{path}: not valid JSON ({type(exc).__name__}: {str(exc)[:200]})") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT_NAME:
        raise ModelFileError(
            f"{path}: not a translator-app model config (format is {raw.get('format') if isinstance(raw, dict) else None!r})"
        )
    version = raw.get("format_version")
    if not isinstance(version, int):
        raise ModelFileError(f"{path}: format_version is missing")
    if version > FORMAT_VERSION:
        raise ModelFileError(
            f"{path}: written by a newer version of the app (model format {version}, this app reads up to {FORMAT_VERSION}); please update the app"
        )
    for key in ("architecture", "hyperparameters", "name"):
        if key not in raw:
            raise ModelFileError(f"{path}: the field {key!r} is missing")
    _check_types(raw, path)
    return raw


# field: (type, what it must be); absent optional fields are fine
_FIELD_TYPES: dict[str, tuple[type | tuple[type, ...], str]] = {
    "name": (str, "a string"),
    "description": (str, "a string"),
    "architecture": (str, "a string"),
    "source_language": (str, "a string"),
    "target_language": (str, "a string"),
    "hyperparameters": (dict, "an object"),
    "training": (dict, "an object"),
    "metrics": (dict, "an object"),
    "default_decoding": (dict, "an object"),
    "confidence": (dict, "an object"),
    "domains": (list, "a list"),
}


def _check_types(raw: dict[str, Any], path: Path) -> None:
    """Every field has the type the app reads it as: a wrong one is one clear error, not a traceback later."""
    for key, (kind, what) in _FIELD_TYPES.items():
        if key in raw and not isinstance(raw[key], kind):
            raise ModelFileError(f"{path}: the field {key!r} must be {what}, not {type(raw[key]).__name__}")
    for key, value in raw.get("default_decoding", {}).items():
        limit = LIMITS.get(key)
        if limit is not None and not limit.of_kind(value):
            raise ModelFileError(
                f"{path}: default_decoding.{key} must be a number"
                + (" (a whole number)" if limit.kind is int else "")
                + f", not {value!r}"
            )
    if not all(isinstance(d, str) for d in raw.get("domains", [])):
        raise ModelFileError(f"{path}: the field 'domains' must list strings")
