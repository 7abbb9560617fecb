"""Where things live: shipped models beside the code, user models and settings in platformdirs."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "translator-app"
DEFAULT_MODEL = "general-lstm-de-en"  # everyday German; the Multi30k models are for picture captions


def project_root() -> Path:
    """The folder holding ``models/`` and ``resources/`` (the bundle folder when frozen)."""
    if getattr(sys, "frozen", False):
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    return Path(__file__).resolve().parents[2]


def shipped_models_dir() -> Path:
    return Path(os.environ.get("TRANSLATOR_APP_SHIPPED_MODELS", project_root() / "models"))


def user_data_dir() -> Path:
    return Path(os.environ.get("TRANSLATOR_APP_DATA_DIR") or platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_models_dir() -> Path:
    return user_data_dir() / "models"


def user_glossary_path() -> Path:
    """The glossary the window edits (core.glossary): German term, English term, one a line."""
    return user_data_dir() / "glossary.tsv"


def user_runs_dir() -> Path:
    """Resumable training runs (checkpoints) live here until they finish."""
    return user_data_dir() / "runs"


def user_config_dir() -> Path:
    return Path(os.environ.get("TRANSLATOR_APP_CONFIG_DIR") or platformdirs.user_config_dir(APP_NAME, appauthor=False))


def user_cache_dir() -> Path:
    """What the app can rebuild at will (engine conversions of models); deleting it loses nothing."""
    return Path(os.environ.get("TRANSLATOR_APP_CACHE_DIR") or platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def resources_dir() -> Path:
    return project_root() / "resources"
