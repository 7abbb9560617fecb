"""Build a model's vocabulary shortlist (``shortlist.safetensors``) from its training corpora.

    python scripts/build_shortlist.py models/general-lstm-de-en --recipe scripts/recipes/general-lstm.json
    python scripts/build_shortlist.py MODEL --recipe RECIPE --frequent 500 --per-source 50

Reads the recipe's training corpora once each (never its dev or test sets), encodes them with the
model's own vocabulary exactly as training does, counts which target subwords go with which source
subwords (``core.shortlist``) and writes the table into the model folder.
``scripts/publish_model.py`` does the same from a run's own ``run.json`` when it publishes;
``benchmarks/shortlist.py`` measures what the shortlist costs in BLEU and gains in speed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from train_corpus import DEFAULT_DATA, load_recipe

from translator_app.core.modelfile import load_model_folder
from translator_app.core.shortlist import FREQUENT_TARGETS, TRANSLATIONS_PER_SOURCE, shortlist_for_run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", type=Path, help="model folder to write shortlist.safetensors into")
    parser.add_argument("--recipe", type=Path, required=True, help="the training recipe whose corpora the model learnt from")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--frequent", type=int, default=FREQUENT_TARGETS)
    parser.add_argument("--per-source", type=int, default=TRANSLATIONS_PER_SOURCE)
    args = parser.parse_args()
    started = time.perf_counter()
    shortlist = shortlist_for_run(
        load_model_folder(args.model).vocab,
        load_recipe(args.recipe, args.data),
        frequent=args.frequent,
        per_source=args.per_source,
    )
    path = shortlist.save(args.model)
    print(
        f"{path}: {len(shortlist.frequent)} frequent + {shortlist.table.size(1)} per source subword, "
        f"{path.stat().st_size / 1e6:.1f} MB, built in {time.perf_counter() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
