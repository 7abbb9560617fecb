"""Loading a recurrent model folder for the NumPy engine: no torch, no export, no cache.

The fp16 safetensors weights are read with safetensors' NumPy loader and widened to float32 once;
the header is checked against the shapes the network reads before any tensor is loaded, and every
tensor must be finite, as ``core.modelfile`` checks for PyTorch. The shortlist comes from the same
file through ``core.shortlist_file``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Sequence

import numpy as np
from safetensors import SafetensorError, safe_open
from safetensors.numpy import load_file

from translator_app.core.devices import Runtime, apply_blas_threads, describe_cpu
from translator_app.core.hypothesis import Hypothesis
from translator_app.core.types.modelformat import (
    ModelMetadata,
    metadata_from_config,
    CONFIG_FILE,
    SHORTLIST_FILE,
    VOCAB_FILE,
    WEIGHTS_FILE,
    ModelFileError,
    check_size,
    read_config,
)
from translator_app.core.numpy_engine.network import ARCHITECTURES, GATES, AttentionNetwork, expected_shapes
from translator_app.core.numpy_engine.search import search
from translator_app.core.types.options import DecodeOptions
from translator_app.core.shortlist_file import candidates, read_shortlist
from translator_app.core.text import SubwordVocab


@dataclass(frozen=True)
class Architecture:
    """The one fact of a model's config the facade asks of either engine."""

    architecture: str


@dataclass
class NumpyModel:
    """A model folder as the NumPy engine holds it: the network, what the facade reads, and the
    ``core.engine.Engine`` that decodes it."""

    name: ClassVar[str] = "NumPy float32"
    has_attention: ClassVar[bool] = True  # it runs the attention models only
    dtype: ClassVar[np.dtype] = np.dtype(np.float32)  # the fp16 weights are widened once

    network: AttentionNetwork
    vocab: SubwordVocab
    config: Architecture
    metadata: ModelMetadata
    path: Path
    runtime: Runtime  # its threads are NumPy's BLAS's while it decodes
    shortlist: tuple[np.ndarray, np.ndarray] | None = None  # (frequent, table), core.shortlist_file
    hyperparameters: dict[str, Any] = field(default_factory=dict)

    def search(
        self, sources: Sequence[Sequence[int]], options: DecodeOptions, banned: Sequence[Sequence[int]], use_shortlist: bool
    ) -> list[list[Hypothesis]]:
        """Hypotheses per source (ids ending with EOS), best first, as ``core.search.search``."""
        apply_blas_threads(self.runtime.threads)
        ids = None
        if use_shortlist and self.shortlist is not None:
            ids = candidates(*self.shortlist, np.array([i for s in sources for i in s], np.int64))
        return search(self.network, sources, options, ids, banned)

    def describe(self) -> str:
        return f"{describe_cpu(self.runtime.threads)}, {self.name}"


def supports(architecture: str, hyperparameters: dict[str, Any]) -> bool:
    """Whether the NumPy engine runs this model (the attention models, either cell)."""
    return architecture in ARCHITECTURES and str(hyperparameters.get("cell", "gru")) in GATES


def load_numpy_model(folder: Path, runtime: Runtime) -> NumpyModel:
    """Read a model folder for the NumPy engine; every problem is a ModelFileError naming the file."""
    folder = Path(folder)
    raw = read_config(folder)
    architecture, hyper = str(raw["architecture"]), raw.get("hyperparameters", {})
    config_path = folder / CONFIG_FILE
    if not isinstance(hyper, dict) or not supports(architecture, hyper):
        raise ModelFileError(f"{config_path}: a {architecture} model does not run on the NumPy engine")
    for name in (VOCAB_FILE, WEIGHTS_FILE, SHORTLIST_FILE):
        if (folder / name).is_file():
            try:
                check_size(folder / name)
            except OSError as exc:
                raise ModelFileError(f"{folder / name}: unreadable ({exc.strerror or exc})") from None
    vocab_path = folder / VOCAB_FILE
    if not vocab_path.is_file():
        raise ModelFileError(f"{vocab_path}: missing (the model's subword vocabulary)")
    try:
        vocab = SubwordVocab.from_file(vocab_path)
    except Exception as exc:  # sentencepiece raises RuntimeError/OSError with C++ messages
        raise ModelFileError(
            f"{vocab_path}: not a usable SentencePiece model ({str(exc).strip() or type(exc).__name__})"
        ) from None
    if hyper.get("vocab_size", len(vocab)) != len(vocab):
        raise ModelFileError(f"{vocab_path}: has {len(vocab)} subwords but {CONFIG_FILE} says {hyper.get('vocab_size')}")
    weights = _read_weights(folder / WEIGHTS_FILE, architecture, hyper, len(vocab))
    return NumpyModel(
        network=AttentionNetwork(weights, packed=architecture == "packed_attention"),
        vocab=vocab,
        config=Architecture(architecture),
        metadata=metadata_from_config(raw),
        path=folder,
        runtime=runtime,
        shortlist=read_shortlist(folder, len(vocab)),
        hyperparameters=dict(hyper),
    )


def _read_weights(path: Path, architecture: str, hyper: dict[str, Any], vocab_size: int) -> dict[str, np.ndarray]:
    if not path.is_file():
        raise ModelFileError(f"{path}: missing (the model's weights)")
    try:
        with safe_open(str(path), framework="numpy") as f:
            found = {name: tuple(f.get_slice(name).get_shape()) for name in f.keys()}  # noqa: SIM118 (safe_open is not iterable)
    except (SafetensorError, OSError, ValueError, RuntimeError) as exc:
        raise ModelFileError(f"{path}: unreadable or truncated safetensors file ({exc})") from None
    expected = expected_shapes(architecture, hyper, found)
    if found.get("embedding.weight", (0,))[0] != vocab_size:
        raise ModelFileError(f"{path}: the embedding does not have the vocabulary's {vocab_size} rows")
    for name in sorted(set(expected) | set(found)):
        if found.get(name) != expected.get(name):
            raise ModelFileError(
                f"{path}: tensor {name} is {found.get(name, 'missing')}, but a {architecture} model with these "
                f"hyperparameters needs {expected.get(name, 'none')}"
            )
    try:
        tensors = load_file(str(path))
    except (SafetensorError, OSError, ValueError, RuntimeError) as exc:
        raise ModelFileError(f"{path}: unreadable or truncated safetensors file ({exc})") from None
    for name, array in tensors.items():
        if array.dtype.kind != "f" or not np.isfinite(array).all():
            raise ModelFileError(f"{path}: tensor {name} holds non-finite or non-float values")
    return tensors
