"""Where a batch-1 decode spends its time: torch kernels, or Python and dispatch around them.

    python benchmarks/decode_profile.py                                   # the shipped general models
    python benchmarks/decode_profile.py --model lstm-de-en transformer-de-en --beam 1 5

For each model and beam width, one 12-word sentence is translated a few times under
``torch.profiler`` (after warm-up). Reported per decode: the wall time, the time inside torch
operators (self CPU time summed over all ops: the kernels and the dispatcher's own work), the rest
(Python, module calls, the search loop), the number of operator calls, and the same per output
step. Prints a table and writes benchmarks/results/decode_profile.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

import torch
from torch.profiler import ProfilerActivity, profile

from translator_app.core.devices import resolve_runtime
from translator_app.core.translator import Translator
from translator_app.core.types.options import DecodeOptions

ROOT = Path(__file__).resolve().parents[1]

SENTENCE = "Ein Mann mit einem orangefarbenen Hut starrt auf etwas, während zwei Hunde im Schnee spielen."
TOP_OPS = 6


def profile_decode(translator: Translator, beam: int, repeats: int) -> dict:
    options = DecodeOptions(beam_width=beam)
    for _ in range(3):  # warm-up: allocations, kernel choice
        translator.translate_sentences([SENTENCE], options)
    walls = []
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(repeats):
            start = time.perf_counter()
            out = translator.translate_sentences([SENTENCE], options)
            walls.append(time.perf_counter() - start)
    events = prof.key_averages()
    op_seconds = sum(e.self_cpu_time_total for e in events) / 1e6 / repeats
    calls = sum(e.count for e in events) / repeats
    steps = max(len(out[0].hypotheses[0].tokens) + 1, 1) if out and out[0].hypotheses else 1
    wall = statistics.median(walls)
    top = sorted(events, key=lambda e: e.self_cpu_time_total, reverse=True)[:TOP_OPS]
    return {
        "wall_ms": 1000 * wall,
        "torch_ops_ms": 1000 * op_seconds,
        "outside_ops_ms": 1000 * max(wall - op_seconds, 0.0),
        "outside_share": max(wall - op_seconds, 0.0) / wall,
        "op_calls": calls,
        "steps": steps,
        "op_calls_per_step": calls / steps,
        "ms_per_step": 1000 * wall / steps,
        "top_ops": [{"op": e.key, "ms": e.self_cpu_time_total / 1e3 / repeats, "calls": e.count / repeats} for e in top],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", nargs="+", default=["general-lstm-de-en", "general-transformer-de-en"])
    parser.add_argument("--beam", nargs="+", type=int, default=[1, 5])
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "decode_profile.json")
    args = parser.parse_args()

    runtime = resolve_runtime("cpu")  # automatic, as the app
    report = {"threads": runtime.threads, "torch": torch.__version__, "machine": platform.machine(), "runs": []}
    print(f"{'model':<28}{'beam':>5}{'wall ms':>9}{'ops ms':>9}{'outside':>9}{'ops':>7}{'steps':>6}{'ops/step':>9}{'ms/step':>8}")
    for name in args.model:
        translator = Translator.load(name, runtime=runtime)
        for beam in args.beam:
            row = {
                "model": translator.name,
                "architecture": translator.architecture,
                "beam": beam,
                "dtype": str(translator.dtype),
                **profile_decode(translator, beam, args.repeats),
            }
            report["runs"].append(row)
            print(
                f"{row['model']:<28}{beam:>5}{row['wall_ms']:>9.1f}{row['torch_ops_ms']:>9.1f}"
                f"{row['outside_share']:>8.0%}{row['op_calls']:>7.0f}{row['steps']:>6}{row['op_calls_per_step']:>9.0f}"
                f"{row['ms_per_step']:>8.2f}"
            )
            print("    top ops: " + ", ".join(f"{o['op']} {o['ms']:.1f} ms" for o in row["top_ops"]))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
