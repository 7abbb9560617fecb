"""Print the README's per-domain model table from the shipped models' measured figures.

    python scripts/model_table.py

The figures are read from each ``models/*/config.json`` (written by ``publish_model.py``), so the
README shows exactly what the cards and ``translator-app models`` show.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from translator_app.core.catalog import list_models, model_role  # noqa: E402
from translator_app.core.modelformat import read_config  # noqa: E402
from translator_app.core.models import ARCHITECTURE_TITLES  # noqa: E402

DOMAINS = ("everyday", "news", "captions")


def main() -> int:
    models = [m for m in list_models() if m.shipped]
    print(
        "| model | domains | architecture | file | everyday: Tatoeba test | news: newstest2014 | captions: Multi30k test_2016_flickr |"
    )
    print("|---|---|---|---|---|---|---|")
    for m in models:
        tests = m.metrics.get("tests", {})
        cells = [f"{tests[d]['sacrebleu']:.2f} / {tests[d]['chrf']:.2f}" if d in tests else "—" for d in DOMAINS]
        role = model_role(m, models)
        arch = ARCHITECTURE_TITLES.get(m.architecture, m.architecture)
        if read_config(m.path)["hyperparameters"].get("cell") == "lstm":
            arch += ", LSTM cells"
        print(
            f"| `{m.name}`{f' ({role})' if role else ''} | {', '.join(m.domains) or '—'} | {arch} | "
            f"{m.size_bytes / 1e6:.0f} MB | " + " | ".join(cells) + " |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
