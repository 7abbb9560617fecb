"""The model catalog's pure choices: which model to try after one would not load."""

from __future__ import annotations

from pathlib import Path

from translator_app.core.catalog import ModelInfo, next_candidate


def model(name: str, *, error: str | None = None, shipped: bool = True) -> ModelInfo:
    return ModelInfo(name=name, path=Path("/models") / name, shipped=shipped, error=error)


def test_next_candidate_is_the_first_loadable_model_not_yet_tried_in_list_order():
    models = [model("default"), model("best"), model("mine", shipped=False)]
    assert next_candidate(models, set()).name == "default"
    assert next_candidate(models, {"default"}).name == "best"  # tried by name
    assert next_candidate(models, {"/models/default", "best"}).name == "mine"  # by path, or by name


def test_next_candidate_skips_damaged_models_and_ends_when_all_were_tried():
    models = [model("broken", error="config.json: not JSON"), model("default")]
    assert next_candidate(models, set()).name == "default"
    assert next_candidate(models, {"/models/default"}) is None
    assert next_candidate([], set()) is None
