"""Which engine decodes a model, decided from its config.json alone, before torch is imported.

"auto" takes the NumPy engine for the attention models (``core.numpy_engine``) when the device is
the CPU ("auto" or "cpu": a recurrent model at batch one gains nothing from a GPU that would pay
for importing torch) and the precision float32 or "auto"; "numpy" insists and says why it cannot.
Everything else goes on to PyTorch, and from there to CTranslate2 (``core.ct2_backend``).
"""

from __future__ import annotations

import os
from pathlib import Path

from translator_app.core.types.modelformat import read_config
from translator_app.core.numpy_engine import supports
from translator_app.core.types.options import ENGINES
from translator_app.core.types.errors import InvalidInput

ENGINE_ENV = "TRANSLATOR_APP_ENGINE"  # what "auto" means in a process (the window has no engine setting)
NUMPY_DEVICES = ("auto", "cpu")
NUMPY_PRECISIONS = ("auto", "fp32")


def engine_setting(engine: str) -> str:
    """``engine``, or for "auto" the engine ``TRANSLATOR_APP_ENGINE`` names (benchmarks/startup.py's
    PyTorch row; a user who wants the window on PyTorch)."""
    return os.environ.get(ENGINE_ENV, "auto") or "auto" if engine == "auto" else engine


def numpy_chosen(folder: Path, device: str = "auto", precision: str = "auto", engine: str = "auto") -> bool:
    """Whether the NumPy engine decodes the model in ``folder``; ValueError where "numpy" cannot."""
    if engine not in ENGINES:
        raise InvalidInput(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if engine not in ("auto", "numpy"):
        return False
    raw = read_config(folder)
    hyper = raw.get("hyperparameters")
    reason = (
        "only the attention models (Bahdanau, LSTM or GRU cells) run on NumPy"
        if not isinstance(hyper, dict) or not supports(str(raw.get("architecture")), hyper)
        else "NumPy runs here on the CPU only"
        if (device or "auto").lower() not in NUMPY_DEVICES
        else "NumPy decodes in float32 only"
        if precision not in NUMPY_PRECISIONS
        else ""
    )
    if reason and engine == "numpy":
        raise InvalidInput(f"cannot decode {raw.get('name', folder)} with NumPy: {reason}")
    return not reason
