"""Fine-tuning speed on short segments: batches by pairs against batches by tokens.

    python benchmarks/short_segments.py [--model general-lstm-de-en] [--steps 12] [--windows 3]

A translation memory of UI strings has segments of about five words; a batch of 64 of them is
mostly fixed cost per step, so it trains at a fraction of the token rate of long sentences. This
times the trainer's own ``train_step`` (the real base model, its optimizer, bf16 where the CPU has
it) on the GNOME UI strings (the user's kind of data; measured only, never shipped) and on news
sentences (long), each batched by pairs (64, the old default) and by padded tokens
(``FINE_TUNE_BATCH_TOKENS``, the default now), in turns, so that a change in the machine's load
falls on every setup alike. Target tokens per second, the median of the windows. Prints a table
and writes benchmarks/results/short_segments.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path


from translator_app.cli.decoding import thread_setting
from translator_app.core.batching import encode_pairs
from translator_app.core.catalog import find_model
from translator_app.core.devices import apply_torch_threads, resolve_runtime
from translator_app.core.modelfile import load_model_folder
from translator_app.core.types.modelformat import ModelMetadata
from translator_app.core.protect import protect_pair
from translator_app.core.readers.splits import SHARED_DATA, read_split
from translator_app.core.types.run_spec import FINE_TUNE_BATCH_TOKENS, default_train_config
from translator_app.core.training.trainer import Trainer

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "short_segments.json"
CORPORA = {"UI strings": "domain/gnome-ui/train", "news sentences": "general/train_news"}


def read(stem: str, limit: int) -> list[tuple[str, str]]:
    de, en = read_split(SHARED_DATA / stem, limit)
    return [(d.strip(), e.strip()) for d, e in zip(de, en)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="general-lstm-de-en")
    parser.add_argument("--steps", type=int, default=12, help="steps per window (default %(default)s)")
    parser.add_argument("--windows", type=int, default=3, help="windows per setup, taken in turn (default %(default)s)")
    parser.add_argument("--threads", type=thread_setting, default=1, help="CPU threads, 0 = automatic (default %(default)s)")
    args = parser.parse_args()
    args.threads = resolve_runtime(threads=args.threads).threads
    apply_torch_threads(args.threads)
    loaded = load_model_folder(find_model(args.model))
    fine = default_train_config(fine_tune=True)
    setups = {}
    for label, stem in CORPORA.items():
        pairs, _ = encode_pairs(loaded.vocab, read(stem, 3000), transform=protect_pair)
        for batching, config in (("64 pairs", replace(fine, batch_tokens=0)), (f"{FINE_TUNE_BATCH_TOKENS} tokens", fine)):
            trainer = Trainer(
                loaded.model, loaded.vocab, pairs, [], config, Path(tempfile.mkdtemp()), ModelMetadata(name="bench")
            )
            batches = trainer.epoch_batches(pairs, 0)
            setups[(label, batching)] = (trainer, pairs, batches, [])
    for trainer, pairs, batches, _ in setups.values():  # warm-up: first-call allocations and kernels
        trainer.train_step(pairs, batches[0], 100)
    for window in range(args.windows):
        for trainer, pairs, batches, rates in setups.values():
            tokens, started = 0, time.perf_counter()
            for k in range(args.steps):
                tokens += trainer.train_step(pairs, batches[(window * args.steps + k) % len(batches)], 100).tokens
            rates.append(tokens / (time.perf_counter() - started))
    rows = []
    print(f"{'data':<16} {'batches':<13} {'pairs/batch':>11} {'target tok/s':>13}")
    for (label, batching), (_, _, batches, rates) in setups.items():
        row = {
            "data": label,
            "batches": batching,
            "pairs_per_batch": round(statistics.mean(len(b) for b in batches), 1),
            "target_tokens_per_second": round(statistics.median(rates)),
        }
        rows.append(row)
        print(f"{label:<16} {batching:<13} {row['pairs_per_batch']:>11} {row['target_tokens_per_second']:>13,}")
    result = {
        "model": args.model,
        "threads": args.threads,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "rows": rows,
    }
    RESULTS.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
