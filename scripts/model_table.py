"""Print the README's model tables from the shipped models' measured figures.

    python scripts/model_table.py [models|goals|confidence]

``models`` (the default) is the per-domain score table, ``goals`` the general models' scores
against their quality goals, ``confidence`` how well each model's confidence predicts chrF. The
figures are read from each ``models/*/config.json`` (written by ``publish_model.py``), so the
README shows exactly what the cards and ``translator-app models`` show.
"""

from __future__ import annotations

import sys

from translator_app.core.catalog import ModelInfo, list_models, model_role
from translator_app.core.eval_sets import EVAL_SETS
from translator_app.core.types.architectures import ARCHITECTURE_TITLES
from translator_app.core.types.modelformat import read_config

# The quality goals set for the general models (sacreBLEU, beam 5), by role and domain.
GOALS = {
    "best quality": {"everyday": 42.0, "news": 12.0, "captions": 40.0},
    "default": {"everyday": 35.0, "news": 8.0, "captions": 30.0},
}


def models_table(models: list[ModelInfo]) -> None:
    print("| model | domains | architecture | file | " + " | ".join(f"{s.domain}: {s.name}" for s in EVAL_SETS) + " |")
    print("|---|---|---|---|" + "---|" * len(EVAL_SETS))
    for m in models:
        tests = m.metrics.get("tests", {})
        scores = [tests.get(s.domain) for s in EVAL_SETS]
        cells = [f"{t['sacrebleu']:.2f} / {t['chrf']:.2f}" if t else "—" for t in scores]
        role = model_role(m, models)
        arch = ARCHITECTURE_TITLES.get(m.architecture, m.architecture)
        if read_config(m.path)["hyperparameters"].get("cell") == "lstm":
            arch += ", LSTM cells"
        print(
            f"| `{m.name}`{f' ({role})' if role else ''} | {', '.join(m.domains) or '—'} | {arch} | "
            f"{m.size_bytes / 1e6:.0f} MB | " + " | ".join(cells) + " |"
        )


def goals_table(models: list[ModelInfo]) -> None:
    by_role = {model_role(m, models): m for m in models}
    roles = [r for r in GOALS if r in by_role]
    print("| test set | " + " | ".join(f"{r}: `{by_role[r].name}` (goal)" for r in roles) + " |")
    print("|---|" + "---|" * len(roles))
    for s in EVAL_SETS:
        cells = []
        for role in roles:
            score, goal = by_role[role].metrics["tests"][s.domain]["sacrebleu"], GOALS[role][s.domain]
            cells.append(f"{score:.2f} {'✔' if score >= goal else '✘'} (≥ {goal:g})")
        print(f"| `{s.test}` ({s.domain}) | " + " | ".join(cells) + " |")


def confidence_table(models: list[ModelInfo]) -> None:
    print(
        "| model | dev: Pearson / Spearman with sentence chrF | dev: worst tenth flagged low "
        "| test: Pearson / Spearman | test: worst tenth flagged low | test: all flagged low |"
    )
    print("|---|---|---|---|---|---|")
    for m in models:
        conf = m.metrics.get("confidence")
        if not conf:
            continue
        dev, test = conf["dev"], conf["test"]
        print(
            f"| `{m.name}` | {dev['pearson']:.2f} / {dev['spearman']:.2f} | {dev['worst_decile_flagged']:.0%} "
            f"| {test['pearson']:.2f} / {test['spearman']:.2f} | {test['worst_decile_flagged']:.0%} | {test['flagged']:.0%} |"
        )


TABLES = {"models": models_table, "goals": goals_table, "confidence": confidence_table}


def main() -> int:
    which = sys.argv[1] if len(sys.argv) > 1 else "models"
    if which not in TABLES:
        print(f"usage: model_table.py [{'|'.join(TABLES)}]", file=sys.stderr)
        return 2
    TABLES[which]([m for m in list_models() if m.shipped])
    return 0


if __name__ == "__main__":
    sys.exit(main())
