"""Comparing models (core.compare and `translator-app compare`): one entry per model, in tutorial order,
with its facts, confidence, time and differences marked; the registry's tutorial numbers; `models --json`."""

from __future__ import annotations

import json

import pytest

from compare_support import ship_tiny_pair
from translator_app.cli.main import main
from translator_app.core.compare import ComparedModel, ModelPool, choose, comparable_models, compare, mark_differences
from translator_app.core.types.architectures import ARCHITECTURES, TUTORIALS, tutorial_of
from translator_app.core.paths import DEFAULT_MODEL, project_root

TWELVE_WORDS = "Ein Mann mit einem roten Hut sitzt am Abend allein im Park."


def test_every_architecture_has_its_tutorial_number_once():
    assert set(TUTORIALS) == set(ARCHITECTURES)
    assert sorted(t.number for t in TUTORIALS.values()) == [1, 2, 3, 4, 5, 6]
    assert [tutorial_of(a).number for a in ("lstm", "gru", "attention", "packed_attention", "convs2s", "transformer")] == [
        1,
        2,
        3,
        4,
        5,
        6,
    ]
    assert tutorial_of("nonsense") is None


def test_differences_are_the_words_the_others_did_not_write():
    marks = mark_differences(["A dog runs in the park.", "A dog runs in the garden.", "A dog is running in the park."])
    differing = [[w.word for w in words if w.differs] for words in marks]
    assert differing == [[], ["garden"], ["is", "running"]]
    only = mark_differences(["Alone here."])
    assert not any(w.differs for w in only[0])
    assert [w.word for w in marks[0]] == ["A", "dog", "runs", "in", "the", "park", "."]


@pytest.fixture()
def two_shipped(tmp_path, tiny_model_dir, tiny_attention_model_dir, monkeypatch):
    return ship_tiny_pair(tmp_path, tiny_model_dir, tiny_attention_model_dir, monkeypatch)


def test_compare_gives_each_model_once_in_tutorial_order_and_keeps_them_loaded(two_shipped):
    models = [ComparedModel.from_info(m) for m in choose(comparable_models(), None)]
    assert [(m.architecture, m.tutorial) for m in models] == [("lstm", 1), ("attention", 3)]
    pool = ModelPool("cpu")
    seen = []
    entries = compare("Ein Mann fährt Fahrrad.", models, pool, on_entry=seen.append)
    assert [e.model.name for e in entries] == [DEFAULT_MODEL, "tiny-attention"] == [e.model.name for e in seen]
    assert all(e.error is None and e.text and e.level is not None and e.seconds > 0 for e in entries)
    assert all(e.load_seconds > 0 for e in entries) and len(pool) == 2
    assert not entries[0].has_attention and entries[1].has_attention  # the LSTM has no attention to show
    assert all(e.marks for e in entries)
    again = compare("Zwei Hunde spielen.", models, pool)
    assert all(e.load_seconds == 0 for e in again)  # kept, not loaded again
    pool.release()
    assert len(pool) == 0


def test_an_unknown_model_name_is_refused_with_the_installed_ones(two_shipped, capsys):
    assert main(["compare", "--models", "nope", "Hallo"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "'nope'" in err and DEFAULT_MODEL in err


def test_cli_compare_json_is_one_entry_per_model(two_shipped, capsys):
    assert main(["compare", "--json", "Ein Hund läuft."]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["name"] for r in records] == [DEFAULT_MODEL, "tiny-attention"]
    assert [r["tutorial"] for r in records] == [1, 3] and records[1]["has_attention"]
    assert all(isinstance(r["seconds"], float) and r["text"] and r["level"] for r in records)
    assert main(["compare", "--models", "tiny-attention", "Ein Hund läuft."]) == 0
    out = capsys.readouterr().out
    assert "tiny-attention · Tutorial 3" in out and DEFAULT_MODEL not in out


@pytest.mark.skipif(not (project_root() / "models" / DEFAULT_MODEL).is_dir(), reason="no shipped models")
def test_cli_compare_json_on_the_default_install(capsys, monkeypatch):
    """Every shipped model answers a 12-word sentence, found by its architecture and tutorial."""
    monkeypatch.setenv("TRANSLATOR_APP_SHIPPED_MODELS", str(project_root() / "models"))
    shipped = [m for m in comparable_models() if m.shipped]
    assert main(["compare", "--json", "--device", "cpu", TWELVE_WORDS]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted(r["name"] for r in records) == sorted(m.name for m in shipped)
    assert all(r["error"] is None and r["text"] and r["tutorial"] in range(1, 7) for r in records)
    assert [r["tutorial"] for r in records] == sorted(r["tutorial"] for r in records)
    for r in records:
        assert r["test_bleu"], f"{r['name']} has no measured test BLEU"


def test_models_json_lets_each_model_be_found_by_architecture(two_shipped, capsys):
    assert main(["models", "--json"]) == 0
    records = {r["name"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert records["tiny-attention"]["tutorial"] == 3 and records["tiny-attention"]["family"] == TUTORIALS["attention"].family
    assert main(["models", "--json", "--architecture", "attention"]) == 0
    assert [json.loads(line)["name"] for line in capsys.readouterr().out.splitlines()] == ["tiny-attention"]
    assert main(["models", "--json", "--architecture", "1"]) == 0
    assert [json.loads(line)["name"] for line in capsys.readouterr().out.splitlines()] == [DEFAULT_MODEL]
