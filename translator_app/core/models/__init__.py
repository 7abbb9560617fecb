"""Model registry: an architecture name maps to its config dataclass and its module.

Modules are imported on first use, so listing models or starting the app never imports an
architecture it does not need, nor torch: the table itself (names, titles, tutorials) is plain data
in ``core.types.architectures``, which the window's model lists read on the GUI thread. A new
architecture is one file here plus one line there.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from translator_app.core.types.architectures import ARCHITECTURES, available_architectures
from translator_app.core.types.errors import InvalidInput

if TYPE_CHECKING:
    from translator_app.core.models.base import ModelConfig, Seq2Seq


def architecture_classes(name: str) -> tuple[type[ModelConfig], type[Seq2Seq]]:
    if name not in ARCHITECTURES:
        raise InvalidInput(f"unknown architecture {name!r} (known: {', '.join(sorted(available_architectures()))})")
    module_name, config_name, model_name, _ = ARCHITECTURES[name]
    try:
        module = importlib.import_module(f"translator_app.core.models.{module_name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"translator_app.core.models.{module_name}":
            raise
        raise InvalidInput(f"architecture {name!r} is not available in this version of the app") from None
    return getattr(module, config_name), getattr(module, model_name)


def __getattr__(name: str) -> Any:
    """``ModelConfig`` and ``Seq2Seq`` are imported (with torch) only when asked for."""
    if name in ("ModelConfig", "Seq2Seq"):
        from translator_app.core.models import base

        return getattr(base, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def config_from_dict(architecture: str, hyperparameters: dict[str, Any]) -> ModelConfig:
    return architecture_classes(architecture)[0].from_dict(hyperparameters)


def build_model(config: ModelConfig) -> Seq2Seq:
    return architecture_classes(config.architecture)[1](config)


__all__ = ["ModelConfig", "Seq2Seq", "architecture_classes", "config_from_dict", "build_model"]
