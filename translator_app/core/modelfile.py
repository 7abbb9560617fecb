"""The model folder: ``config.json`` + ``model.safetensors`` + ``spm.model`` (+ ``README.md``).

Loading never unpickles: weights are safetensors, everything else is JSON or the SentencePiece
protobuf. Every way a folder can be wrong (missing, truncated, foreign, newer format, shapes that do
not match the config) is reported as one ``ModelFileError`` naming the file and the problem.
Saving writes a complete folder under a temporary name and renames it into place, so a reader
never sees a half-written model.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import load_file, save

from translator_app.core.atomic import PARTIAL, replace_folder, sync_files, temp_sibling, write_file_atomic
from translator_app.core.models import Seq2Seq, build_model, config_from_dict
from translator_app.core.models.base import ModelConfig
from translator_app.core.types.modelformat import (
    ModelMetadata,
    metadata_from_config,
    CARD_FILE,
    CONFIG_FILE,
    FORMAT_NAME,
    FORMAT_VERSION,
    SHORTLIST_FILE,
    VOCAB_FILE,
    WEIGHTS_FILE,
    ModelFileError,
    check_size,
    read_config,
)
from translator_app.core.shortlist import Shortlist, load_shortlist
from translator_app.core.text import SubwordVocab
from translator_app.core.types.errors import AlreadyExists


@dataclass
class LoadedModel:
    model: Seq2Seq
    vocab: SubwordVocab
    config: ModelConfig
    metadata: ModelMetadata
    path: Path
    shortlist: Shortlist | None = None  # the vocabulary shortlist search may use (core.shortlist)


def load_model_folder(folder: Path, device: str | torch.device = "cpu") -> LoadedModel:
    folder = Path(folder)
    raw = read_config(folder)
    config_path = folder / CONFIG_FILE
    try:
        config = config_from_dict(raw["architecture"], raw["hyperparameters"])
    except (ValueError, TypeError) as exc:
        raise ModelFileError(f"{config_path}: {exc}") from None
    metadata = metadata_from_config(raw)

    vocab_path = folder / VOCAB_FILE
    if not vocab_path.is_file():
        raise ModelFileError(f"{vocab_path}: missing (the model's subword vocabulary)")
    _check_sizes(folder)
    try:
        vocab = SubwordVocab.from_file(vocab_path)
    except Exception as exc:  # sentencepiece raises RuntimeError/OSError with C++ messages
        raise ModelFileError(
            f"{vocab_path}: not a usable SentencePiece model ({str(exc).strip() or type(exc).__name__})"
        ) from None
    if len(vocab) != config.vocab_size:
        raise ModelFileError(f"{vocab_path}: has {len(vocab)} subwords but {CONFIG_FILE} says {config.vocab_size}")

    weights_path = folder / WEIGHTS_FILE
    if not weights_path.is_file():
        raise ModelFileError(f"{weights_path}: missing (the model's weights)")
    _check_header(weights_path, config)  # before any tensor is read or any model is built
    try:
        tensors = load_file(str(weights_path))
    except (SafetensorError, OSError, ValueError, RuntimeError) as exc:
        raise ModelFileError(f"{weights_path}: unreadable or truncated safetensors file ({exc})") from None
    for name, tensor in tensors.items():
        if not tensor.is_floating_point() or not torch.isfinite(tensor).all():
            raise ModelFileError(f"{weights_path}: tensor {name} holds non-finite or non-float values")
    shortlist = load_shortlist(folder, config.vocab_size)
    model = build_model(config)
    model.load_state_dict({k: v.float() for k, v in tensors.items()})
    model.to(device).eval()
    return LoadedModel(model=model, vocab=vocab, config=config, metadata=metadata, path=folder, shortlist=shortlist)


def _check_sizes(folder: Path) -> None:
    """Every file loading reads is within its bound (``FILE_BOUNDS``) before any of it is read."""
    for name in (VOCAB_FILE, WEIGHTS_FILE, SHORTLIST_FILE):
        path = folder / name
        if path.is_file():
            try:
                check_size(path)
            except OSError as exc:
                raise ModelFileError(f"{path}: unreadable ({exc.strerror or exc})") from None


def expected_shapes(config: ModelConfig) -> dict[str, tuple[int, ...]]:
    """The tensor shapes a model with this config has, from a model built on the meta device (no memory)."""
    with torch.device("meta"):
        model = build_model(config)
    return {name: tuple(t.shape) for name, t in model.state_dict().items()}


def _check_header(weights_path: Path, config: ModelConfig) -> None:
    """Compare the safetensors header with the config, so a wrong number in config.json costs no memory."""
    try:
        with safe_open(str(weights_path), framework="pt") as f:
            found = {name: tuple(f.get_slice(name).get_shape()) for name in f.keys()}  # noqa: SIM118 (safe_open is not iterable)
    except (SafetensorError, OSError, ValueError, RuntimeError) as exc:
        raise ModelFileError(f"{weights_path}: unreadable or truncated safetensors file ({exc})") from None
    expected = expected_shapes(config)
    missing = sorted(set(expected) - set(found))
    extra = sorted(set(found) - set(expected))
    if missing or extra:
        detail = "; ".join(
            part
            for part in (
                f"missing {', '.join(missing[:3])}" if missing else "",
                f"unexpected {', '.join(extra[:3])}" if extra else "",
            )
            if part
        )
        raise ModelFileError(
            f"{weights_path}: tensors do not match a {config.architecture} model with these hyperparameters ({detail})"
        )
    for name, shape in found.items():
        if shape != expected[name]:
            raise ModelFileError(f"{weights_path}: tensor {name} has shape {shape}, but {CONFIG_FILE} describes {expected[name]}")


def build_config_json(config: ModelConfig, metadata: ModelMetadata, dtype: str) -> dict[str, Any]:
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "name": metadata.name,
        "description": metadata.description,
        "architecture": config.architecture,
        "hyperparameters": config.to_dict(),
        "source_language": metadata.source_language,
        "target_language": metadata.target_language,
        "vocabulary": {"type": "sentencepiece", "file": VOCAB_FILE, "size": config.vocab_size},
        "weights": {"file": WEIGHTS_FILE, "dtype": dtype},
        "training": metadata.training,
        "metrics": metadata.metrics,
        "default_decoding": metadata.default_decoding,
        "domains": metadata.domains,
        "confidence": metadata.confidence,
    }


def save_model_folder(
    folder: Path,
    model: Seq2Seq,
    vocab: SubwordVocab,
    metadata: ModelMetadata,
    *,
    half_precision: bool = True,
    model_card: str | None = None,
    overwrite: bool = False,
    extra_files: Sequence[Path] = (),
) -> Path:
    """Write a complete model folder atomically.

    Without ``overwrite`` an existing folder is an error, never silently replaced. With it, the old
    folder is replaced only after the new one is complete.
    """
    folder = Path(folder)
    if folder.exists() and not overwrite:
        raise AlreadyExists(f"{folder}: a model with this name already exists")
    folder.parent.mkdir(parents=True, exist_ok=True)
    dtype = torch.float16 if half_precision else torch.float32
    tmp = temp_sibling(folder, PARTIAL)
    tmp.mkdir()  # not mkdtemp (0700): a model folder gets the usual permissions, as the umask says
    try:
        tensors = {k: v.detach().to("cpu", dtype).contiguous() for k, v in model.state_dict().items()}
        # written by us, not save_file (which makes the file 0600): the umask decides, as for the other files
        (tmp / WEIGHTS_FILE).write_bytes(save(tensors, metadata={"format": FORMAT_NAME}))
        vocab.save(tmp / VOCAB_FILE)
        config_json = build_config_json(model.config, metadata, str(dtype).removeprefix("torch."))
        (tmp / CONFIG_FILE).write_text(json.dumps(config_json, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        if model_card:
            (tmp / CARD_FILE).write_text(model_card, encoding="utf-8")
        for extra in extra_files:  # e.g. the replay sample a fine-tune carries on from its base (core.replay)
            shutil.copyfile(extra, tmp / extra.name)
        sync_files(tmp)
        replace_folder(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return folder


def update_config_fields(folder: Path, **fields_to_set: Any) -> None:
    """Atomically update top-level fields of a model's config.json (e.g. metrics after evaluation)."""
    path = Path(folder) / CONFIG_FILE
    raw = read_config(folder)
    raw.update(fields_to_set)
    write_file_atomic(path, (json.dumps(raw, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
