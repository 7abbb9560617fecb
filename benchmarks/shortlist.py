"""What a vocabulary shortlist costs in quality and gains in speed, for models that ship one.

    python benchmarks/shortlist.py [--model general-lstm-de-en general-transformer-de-en] [--split dev] [--limit 500]

For each model: the 12-word sentence's latency (greedy and beam 5, medians) with the whole
vocabulary and with the shortlist, the mean number of subwords scored per step, and sacreBLEU /
chrF on each domain's dev (or test) set both ways, with how many outputs are identical. Prints a
table and writes benchmarks/results/shortlist.json.
"""

from __future__ import annotations

import argparse
import json
import platform
from pathlib import Path

import torch
from decode import SENTENCE, median_seconds  # benchmarks/decode.py, beside this script

from translator_app.core.devices import resolve_runtime
from translator_app.core.eval_sets import EVAL_SETS
from translator_app.core.evaluation import evaluate_pairs
from translator_app.core.batching import pad_batch
from translator_app.core.text import EOS_ID
from translator_app.core.translator import Translator
from translator_app.core.types.options import DecodeOptions

ROOT = Path(__file__).resolve().parents[1]

DEFAULT_MODELS = ["general-lstm-de-en", "general-transformer-de-en"]


def measure(translator: Translator, split: str, limit: int, repeats: int) -> dict:
    shortlist = translator.shortlist
    if shortlist is None:
        raise SystemExit(f"{translator.name}: has no shortlist (scripts/build_shortlist.py makes one)")
    row: dict = {"vocab_size": len(translator.vocab)}
    src, lengths = pad_batch([translator.vocab.encode(SENTENCE) + [EOS_ID]])
    row["scored_subwords"] = int(shortlist.candidates(src, lengths).numel())
    for label, use in (("full", False), ("shortlist", True)):
        translator.use_shortlist = use
        for name, beam in (("greedy", 1), ("beam5", 5)):
            options = DecodeOptions(beam_width=beam)
            row[f"{label}_latency_{name}_ms"] = 1000 * median_seconds(
                lambda options=options: translator.translate_sentences([SENTENCE], options), repeats
            )
    options = translator.default_options()
    for eval_set in EVAL_SETS:
        sources, references = eval_set.read(split, limit)
        reports = {}
        for label, use in (("full", False), ("shortlist", True)):
            translator.use_shortlist = use
            reports[label] = evaluate_pairs(translator, sources, references, options)
            row[f"{eval_set.domain}_{label}_bleu"] = round(reports[label].scores.sacrebleu, 2)
            row[f"{eval_set.domain}_{label}_chrf"] = round(reports[label].scores.chrf, 2)
        same = sum(a == b for a, b in zip(reports["full"].translations, reports["shortlist"].translations))
        row[f"{eval_set.domain}_identical_share"] = round(same / max(len(sources), 1), 3)
    translator.use_shortlist = True
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", nargs="+", default=DEFAULT_MODELS)
    parser.add_argument("--split", choices=["dev", "test"], default="dev")
    parser.add_argument("--limit", type=int, default=500, help="sentences per set (0: all)")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "shortlist.json")
    args = parser.parse_args()
    runtime = resolve_runtime("cpu")  # automatic, as the app
    report = {
        "threads": runtime.threads,
        "torch": torch.__version__,
        "machine": platform.machine(),
        "split": args.split,
        "limit": args.limit,
        "models": {},
    }
    print(
        f"{runtime.threads} CPU threads, torch {torch.__version__}; quality on {args.split}"
        + (f" (first {args.limit} of each set)" if args.limit else "")
    )
    header = f"{'model':<28}{'scored':>8}  {'greedy full → short':<28}{'beam 5 full → short':<28}"
    header += "".join(f"{e.domain + ' BLEU (same)':<28}" for e in EVAL_SETS)
    print(header)
    for name in args.model:
        translator = Translator.load(name, runtime=runtime)
        row = measure(translator, args.split, args.limit, args.repeats)
        report["models"][translator.name] = row
        line = f"{translator.name:<28}{row['scored_subwords']:>8}  "
        for kind in ("greedy", "beam5"):
            full, short = row[f"full_latency_{kind}_ms"], row[f"shortlist_latency_{kind}_ms"]
            line += f"{f'{full:.1f} → {short:.1f} ms ({full / short:.2f}×)':<28}"
        for e in EVAL_SETS:
            cell = f"{row[f'{e.domain}_full_bleu']:.2f} → {row[f'{e.domain}_shortlist_bleu']:.2f} ({row[f'{e.domain}_identical_share']:.0%})"
            line += f"{cell:<28}"
        print(line, flush=True)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
