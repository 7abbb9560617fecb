"""The model, goals and confidence tables of ``docs/results.md`` are exactly what ``scripts/model_table.py``
prints from the shipped models' own figures, and every shipped recipe reads as a run."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

from conftest import ROOT
from translator_app.core.eval_sets import TEST_DOMAINS
from translator_app.core.types.run_spec import RunSpec

SCRIPT = ROOT / "scripts" / "model_table.py"
RECIPES = sorted((ROOT / "scripts" / "recipes").glob("*.json"))


def load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("table", ["models", "goals", "confidence"])
def test_results_page_shows_each_table_as_printed(table):
    printed = subprocess.run([sys.executable, str(SCRIPT), table], capture_output=True, text=True, check=True).stdout
    assert printed.count("\n") >= 3
    assert printed in (ROOT / "docs" / "results.md").read_text(encoding="utf-8")


def test_an_unknown_table_is_refused():
    done = subprocess.run([sys.executable, str(SCRIPT), "scores"], capture_output=True, text=True)
    assert done.returncode == 2 and "usage" in done.stderr


def test_goals_are_marked_met_only_at_or_above_the_goal(capsys):
    table = load_script("model_table")
    models = [m for m in table.list_models() if m.shipped]
    best = next(m for m in models if table.model_role(m, models) == "best quality")
    goals = table.GOALS["best quality"]
    goal = goals["news"]
    best.metrics = {**best.metrics, "tests": {d: {"sacrebleu": goals[d], "chrf": 0.0} for d in TEST_DOMAINS}}
    best.metrics["tests"]["news"] = {"sacrebleu": goal - 0.01, "chrf": 0.0}
    table.goals_table(models)
    rows = {line.split(" | ")[0]: line for line in capsys.readouterr().out.splitlines()}
    assert f"{goal - 0.01:.2f} ✘" in rows["| `general/test_newstest2014` (news)"]
    assert rows["| `general/test_tatoeba` (everyday)"].split(" | ")[1] == f"{goals['everyday']:.2f} ✔ (≥ {goals['everyday']:g})"


@pytest.mark.parametrize("recipe", RECIPES, ids=[r.stem for r in RECIPES])
def test_every_recipe_reads_as_a_run(recipe):
    spec = RunSpec.from_dict(json.loads(recipe.read_text(encoding="utf-8")))
    assert spec.corpora and all(part.weight > 0 and len(part.files) == 2 for part in spec.corpora)
    assert spec.base_model is None or (ROOT / "models" / spec.base_model / "config.json").is_file()
