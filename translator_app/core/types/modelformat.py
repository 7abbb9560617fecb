"""The model folder's format, its config.json and the model's description read from it, without torch
(model lists, the GUI)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from translator_app.core.types.errors import AppError
from translator_app.core.types.options import LIMITS, DecodeOptions

FORMAT_NAME = "translator-app-model"
FORMAT_VERSION = 1
CONFIG_FILE, WEIGHTS_FILE, VOCAB_FILE, CARD_FILE = "config.json", "model.safetensors", "spm.model", "README.md"
SHORTLIST_FILE = "shortlist.safetensors"  # optional: the vocabulary shortlist (core.shortlist)
REPLAY_FILE = "replay.safetensors"  # optional: the sample a fine-tune mixes in (core.replay)


def has_replay(folder: Path) -> bool:
    """Whether a model folder ships a replay sample (core.replay): a file check the window can make
    on its own thread without loading numpy or safetensors."""
    return (Path(folder) / REPLAY_FILE).is_file()


class ModelFileError(AppError):
    """A model folder that cannot be used; the message names the file and what is wrong."""


@dataclass(frozen=True)
class FileBound:
    """The most bytes one model file may have, and what the file is (for the refusal message)."""

    max_bytes: int
    what: str


MB = 1024**2
# Each bound is far above what the app writes (the shipped files' sizes in the comments) and far below
# what would cost memory: a file over its bound is refused by its size, before a byte of it is read.
FILE_BOUNDS: Mapping[str, FileBound] = MappingProxyType(
    {
        CONFIG_FILE: FileBound(2 * MB, "model config"),  # 6-38 KB: hyperparameters, training history, metrics
        CARD_FILE: FileBound(1 * MB, "model card"),  # 4-11 KB of Markdown, rendered whole by the window
        VOCAB_FILE: FileBound(16 * MB, "SentencePiece model"),  # 0.4-0.5 MB for 16,000 pieces
        SHORTLIST_FILE: FileBound(64 * MB, "shortlist"),  # 1.6 MB
        REPLAY_FILE: FileBound(64 * MB, "replay sample"),  # 1.9 MB for 19,966 pairs
        WEIGHTS_FILE: FileBound(2 * 1024 * MB, "weights file"),  # 15-19 MB; the largest trainable ~200 MB
    }
)


def _too_big(path: Path, size: int) -> ModelFileError:
    bound = FILE_BOUNDS[path.name]
    return ModelFileError(
        f"{path}: {size / MB:,.1f} MB, more than the {bound.max_bytes / MB:g} MB a {bound.what} "
        "of this app can be; refused unread"
    )


def check_size(path: Path) -> int:
    """The size of a model file (from ``FILE_BOUNDS``) if within its bound; else ModelFileError, nothing read."""
    size = Path(path).stat().st_size
    if size > FILE_BOUNDS[Path(path).name].max_bytes:
        raise _too_big(Path(path), size)
    return size


def read_bounded(path: Path) -> bytes:
    """A model file's bytes, refused by its size first; at most the bound is read even if it grows meanwhile."""
    path = Path(path)
    limit = FILE_BOUNDS[path.name].max_bytes
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > limit:
            raise _too_big(path, size)
        data = fh.read(size + 1)  # read(n) allocates n bytes up front: the stated size, not the bound
        if len(data) > size:  # grown since: read on, to one byte past the bound at most
            data += fh.read(limit + 1 - len(data))
    if len(data) > limit:
        raise _too_big(path, len(data))
    return data


def read_card(folder: Path) -> str:
    """The model card's text (README.md), bounded like every model file; OSError if there is none."""
    return read_bounded(Path(folder) / CARD_FILE).decode("utf-8", errors="replace")


def read_config(folder: Path) -> dict[str, Any]:
    """Read and check config.json alone (cheap: used to list models without loading weights)."""
    path = Path(folder) / CONFIG_FILE
    if not Path(folder).is_dir():
        raise ModelFileError(f"{folder}: not a model folder (no such directory)")
    if not path.is_file():
        raise ModelFileError(f"{path}: missing (every model folder needs a {CONFIG_FILE})")
    try:
        raw = json.loads(read_bounded(path).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ModelFileError(f"{path}: not valid JSON ({type(exc).__name__}: {str(exc)[:200]})") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT_NAME:
        raise ModelFileError(
            f"{path}: not a translator-app model config (format is {raw.get('format') if isinstance(raw, dict) else None!r})"
        )
    version = raw.get("format_version")
    if version is None:
        raise ModelFileError(f"{path}: format_version is missing")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:  # JSON's true is no version
        raise ModelFileError(f"{path}: format_version must be a whole number from 1 to {FORMAT_VERSION}, not {version!r}")
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
        if limit is None:
            if key in DecodeOptions.__dataclass_fields__:  # a glossary is the user's, never a model's default
                raise ModelFileError(f"{path}: default_decoding.{key} cannot be set by a model")
            continue  # a field this version does not know: ignored, as loading ignores it
        if not limit.of_kind(value):
            raise ModelFileError(
                f"{path}: default_decoding.{key} must be a number"
                + (" (a whole number)" if limit.kind is int else "")
                + f", not {value!r}"
            )
        if not limit.allows(value):  # the command line's limits: else every translation with it would fail
            raise ModelFileError(f"{path}: default_decoding.{key} is {value!r}, but {limit.message()}")
    if not all(isinstance(d, str) for d in raw.get("domains", [])):
        raise ModelFileError(f"{path}: the field 'domains' must list strings")


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
    """The metadata of a config.json already read and checked by ``read_config``."""
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
