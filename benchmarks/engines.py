"""The Transformer's decoding engines side by side, in one run: PyTorch against CTranslate2 (int8,
the default, and float32) on the same weights.

    python benchmarks/engines.py [--model general-transformer-de-en] [--threads 1 2] [--sentences 1000]

For each thread count and engine: the 12-word sentence's latency (greedy and beam 5, medians) and
throughput over test_2016_flickr, with the speed-up over PyTorch. Prints a table and writes
benchmarks/results/engines.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import sys
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from decode import SENTENCE, TEST, median_seconds  # noqa: E402

from translator_app.core.search import DecodeOptions  # noqa: E402
from translator_app.core.translator import Translator  # noqa: E402

ENGINES = (("PyTorch", "pytorch", "auto"), ("CTranslate2 int8", "ctranslate2", "auto"), ("CTranslate2 float32", "ctranslate2", "fp32"))


def measure(translator: Translator, sentences: list[str], repeats: int) -> dict[str, float]:
    row = {}
    for name, beam in (("greedy", 1), ("beam5", 5)):
        options = DecodeOptions(beam_width=beam)
        row[f"latency_{name}_ms"] = 1000 * median_seconds(lambda: translator.translate_sentences([SENTENCE], options), repeats)
        seconds = median_seconds(lambda: translator.translate_sentences(sentences, options), 1)
        row[f"{name}_sent_per_s"] = len(sentences) / seconds
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="general-transformer-de-en")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--sentences", type=int, default=1000, help="test_2016_flickr sentences for throughput")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "engines.json")
    args = parser.parse_args()
    sentences = gzip.open(TEST, "rt", encoding="utf-8").read().splitlines()[: args.sentences]
    report = {"model": args.model, "torch": torch.__version__, "machine": platform.machine(), "rows": []}
    print(f"{args.model}; latency of one 12-word sentence, throughput over {len(sentences)} test_2016_flickr sentences")
    print(f"{'threads':>7}  {'engine':<22}{'greedy':>16}{'beam 5':>16}{'greedy sent/s':>20}{'beam 5 sent/s':>20}")
    for threads in args.threads:
        torch.set_num_threads(threads)
        baseline: dict[str, float] = {}
        for label, engine, precision in ENGINES:
            translator = Translator.load(args.model, device="cpu", precision=precision, engine=engine)
            row = measure(translator, sentences, args.repeats)
            baseline = baseline or row
            report["rows"].append({"threads": threads, "engine": translator.engine, "precision": str(translator.dtype), **row})

            def cell(key: str, unit: str, faster_when_lower: bool) -> str:
                ratio = baseline[key] / row[key] if faster_when_lower else row[key] / baseline[key]
                return f"{row[key]:.1f}{unit} ({ratio:.1f}×)"

            print(f"{threads:>7}  {label:<22}{cell('latency_greedy_ms', ' ms', True):>16}{cell('latency_beam5_ms', ' ms', True):>16}"
                  f"{cell('greedy_sent_per_s', '', False):>20}{cell('beam5_sent_per_s', '', False):>20}", flush=True)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
