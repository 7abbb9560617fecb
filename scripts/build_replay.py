"""Build a general model's replay sample (``replay.safetensors``, see ``core.replay``).

    python scripts/build_replay.py models/general-lstm-de-en
    python scripts/build_replay.py models/general-transformer-de-en --pairs 20000

Draws a fixed random sample of the model's own training corpora (never its dev or test sets),
in the shares below, encodes it with the model's vocabulary and masks it exactly as training does,
and adds a fixed general validation sample from the dev sets (everyday and news; the sets the
models are selected on, never tested on). A fine-tune mixes the first into the user's pairs and
measures on the second what the general German it knew is still worth.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

from translator_app.core.batching import encode_pairs
from translator_app.core.eval_sets import EVAL_SETS
from translator_app.core.modelfile import load_model_folder
from translator_app.core.protect import protect_pair
from translator_app.core.readers.splits import SHARED_DATA, read_pairs
from translator_app.core.replay import load_replay, save_replay

# (files, share of the sample): about the mix of the general models' last epochs. Europarl (no
# restrictions), Tatoeba (CC-BY 2.0 FR), WMT news and Multi30k are all credited in core.credits.
TRAINING = (
    ("general/train_tatoeba", 0.45),
    ("general/train_news", 0.25),
    ("general/train_europarl", 0.12),
    ("multi30k/train", 0.18),
)
# The general sample: 400 sentences of each general domain's dev set, since greedy BLEU on 150 news
# sentences moved by more than 1 where the whole dev set, at beam 5, moved by 0.1 (and the budget is 1
# BLEU per domain).
GENERAL = {s.domain: (s.dev, 400) for s in EVAL_SETS if s.domain in ("everyday", "news")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", type=Path, help="model folder to write replay.safetensors into")
    parser.add_argument("--data", type=Path, default=SHARED_DATA)
    parser.add_argument("--pairs", type=int, default=20_000, help="training pairs in the sample (default %(default)s)")
    parser.add_argument("--seed", type=int, default=26)
    args = parser.parse_args()
    started = time.perf_counter()
    loaded = load_model_folder(args.model)
    rng = random.Random(args.seed)
    chosen: list[tuple[str, str]] = []
    for stem, share in TRAINING:
        pairs = read_pairs(args.data / stem)
        chosen += rng.sample(pairs, min(len(pairs), round(args.pairs * share)))
        print(f"{stem}: {round(args.pairs * share)} of {len(pairs)} pairs")
    rng.shuffle(chosen)
    transform = protect_pair if loaded.vocab.has_placeholders else None
    encoded, dropped = encode_pairs(loaded.vocab, chosen, transform=transform)
    general: list[tuple[str, str]] = []
    domains: list[str] = []
    for domain, (stem, count) in GENERAL.items():
        general += random.Random(args.seed).sample(read_pairs(args.data / stem), count)
        domains += [domain] * count
    path = save_replay(args.model / "replay.safetensors", encoded, general, domains)
    sample = load_replay(args.model, len(loaded.vocab))  # read back as a run will, so a bad file is never shipped
    assert sample is not None and len(sample.pairs) == len(encoded) and sample.general_domains == domains
    print(
        f"{path}: {len(encoded)} training pairs ({dropped} too long dropped), {len(general)} general validation pairs, "
        f"{path.stat().st_size / 1e6:.1f} MB, built in {time.perf_counter() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
