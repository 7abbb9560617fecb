"""Compare-models benchmark: memory with every shipped model loaded, and the time to compare one sentence.

    python benchmarks/compare.py                 # every shipped model, 3 warm comparisons
    python benchmarks/compare.py --runs 5 --device cpu

Each run is a fresh process (so its peak resident memory, VmHWM, belongs to it alone) that does
what the Compare view does (core.compare): load every shipped model into one ModelPool, then
translate the same 12-word German sentence with each, in tutorial order. It reports the resident
memory before loading (Python, torch and the app's modules), with all models loaded, and the
peak; the load time per model; the first comparison (each model's first decode, with its one-off
warm-ups) and the median of the warm comparisons after it, which is what a user comparing a second
sentence waits.

Results: a table on stdout and ``benchmarks/results/compare.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SENTENCE = "Ein Mann mit einem roten Hut sitzt am Abend allein im Park."  # 12 words
RESULTS = ROOT / "benchmarks" / "results" / "compare.json"

CHILD = r"""
import json, statistics, sys, time
from translator_app.gui.app import rss_mb
from translator_app.core import translator  # torch and the app's modules, before any model
from translator_app.core.compare import ComparedModel, ModelPool, choose, comparable_models, compare

device, runs, sentence = sys.argv[1], int(sys.argv[2]), sys.argv[3]
before = rss_mb()
models = [ComparedModel.from_info(m) for m in choose(comparable_models(), None)]
pool = ModelPool(device)
loads = {}
for m in models:
    loads[m.name] = pool.get(m)[1]
loaded = rss_mb()
start = time.perf_counter()
first = compare(sentence, models, pool)
first_s = time.perf_counter() - start
warm, per_model = [], {m.name: [] for m in models}
for _ in range(runs):
    start = time.perf_counter()
    entries = compare(sentence, models, pool)
    warm.append(time.perf_counter() - start)
    for e in entries:
        per_model[e.model.name].append(e.seconds)
after = rss_mb()
print(json.dumps({
    "rss_before_models_mb": before["rss_mb"],
    "rss_models_loaded_mb": loaded["rss_mb"],
    "rss_after_mb": after["rss_mb"],
    "peak_rss_mb": after["peak_rss_mb"],
    "first_compare_s": first_s,
    "warm_compare_s": warm,
    "models": [
        {
            "name": e.model.name, "architecture": e.model.architecture, "tutorial": e.model.tutorial,
            "load_s": loads[e.model.name], "first_decode_s": e.seconds,
            "warm_decode_s": statistics.median(per_model[e.model.name]) if per_model[e.model.name] else None,
            "text": e.text, "error": e.error,
        }
        for e in first
    ],
}))
"""


def run_child(device: str, runs: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, device, str(runs), SENTENCE], capture_output=True, text=True, env=env, timeout=1800
    )
    if proc.returncode != 0:
        raise SystemExit(f"the benchmark process failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="warm comparisons after the first (default 3)")
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    result = run_child(args.device, args.runs)
    warm = statistics.median(result["warm_compare_s"]) if result["warm_compare_s"] else None
    print(f"Sentence ({len(SENTENCE.split())} words): {SENTENCE}")
    print(f"{'model':28} {'tut':>3} {'load s':>7} {'1st s':>7} {'warm s':>7}  translation")
    for m in result["models"]:
        warm_m = f"{m['warm_decode_s']:.3f}" if m["warm_decode_s"] is not None else "-"
        print(
            f"{m['name']:28} {m['tutorial'] or '-':>3} {m['load_s']:7.2f} {m['first_decode_s']:7.3f} {warm_m:>7}  "
            f"{m['error'] or m['text']}"
        )
    print(
        f"{len(result['models'])} models · RSS before loading {result['rss_before_models_mb']:.0f} MB, "
        f"all loaded {result['rss_models_loaded_mb']:.0f} MB, peak {result['peak_rss_mb']:.0f} MB · "
        f"compare: first {result['first_compare_s']:.2f} s, warm median {warm:.2f} s"
        if warm is not None
        else ""
    )
    record = {
        "sentence": SENTENCE,
        "device": args.device,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}",
        "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "warm_compare_median_s": warm,
        **result,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
