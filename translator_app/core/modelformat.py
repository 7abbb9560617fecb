"""The model folder's format and its config.json, readable without torch (model lists, the GUI)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FORMAT_NAME = "translator-app-model"
FORMAT_VERSION = 1
CONFIG_FILE, WEIGHTS_FILE, VOCAB_FILE, CARD_FILE = "config.json", "model.safetensors", "spm.model", "README.md"


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
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelFileError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT_NAME:
        raise ModelFileError(f"{path}: not a translator-app model config (format is {raw.get('format') if isinstance(raw, dict) else None!r})")
    version = raw.get("format_version")
    if not isinstance(version, int):
        raise ModelFileError(f"{path}: format_version is missing")
    if version > FORMAT_VERSION:
        raise ModelFileError(f"{path}: written by a newer version of the app (model format {version}, this app reads up to {FORMAT_VERSION}); please update the app")
    for key in ("architecture", "hyperparameters", "name"):
        if key not in raw:
            raise ModelFileError(f"{path}: the field {key!r} is missing")
    return raw
