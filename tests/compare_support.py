"""Shared by the compare tests (CLI and window): two tiny shipped models, an LSTM and one with attention."""

from __future__ import annotations

import shutil
from pathlib import Path

from translator_app.core.paths import DEFAULT_MODEL


def ship_tiny_pair(tmp_path: Path, lstm: Path, attention: Path, monkeypatch) -> Path:
    """A stand-in shipped folder: the tiny LSTM as the default model (tutorial 1), "tiny-attention" (tutorial 3)."""
    shipped = tmp_path / "shipped"
    shutil.copytree(lstm, shipped / DEFAULT_MODEL)
    shutil.copytree(attention, shipped / "tiny-attention")
    monkeypatch.setenv("TRANSLATOR_APP_SHIPPED_MODELS", str(shipped))
    return shipped
