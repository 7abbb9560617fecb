"""The window on the default model, launched as users launch it (benchmarks/startup.py's launch):
the first translation comes from the NumPy engine and nothing on its way imports torch (a training
tab's run listing or a search import did, 1-1.6 s and ~220 MB), nor loads the language detector; with TRANSLATOR_APP_ENGINE=pytorch
the same launch falls back to PyTorch."""

from __future__ import annotations

import importlib.util

import pytest

from tests.conftest import ROOT


def _startup():
    spec = importlib.util.spec_from_file_location("startup_benchmark", ROOT / "benchmarks" / "startup.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("engine, device_end, torch_loaded", [("auto", "NumPy float32", False), ("pytorch", "", True)])
def test_first_translation_in_the_window_needs_no_torch(engine, device_end, torch_loaded):
    run = _startup().launch(None, "offscreen", timeout=240, engine=engine)
    assert run["device"].endswith(device_end) and ("NumPy" in run["device"]) != torch_loaded
    assert not run["torch_imported_at_show"]
    assert run["torch_imported_at_first_translation"] is torch_loaded
    # the language detector (about 0.7 s of Python) waits: beside the first translation it slowed it down
    assert run["language_id_loaded_at_first_translation"] is False
