"""How often the shipped models stutter on dev, and what the search's n-gram ban costs in BLEU.

    python benchmarks/repetition.py [--model general-lstm-de-en general-transformer-de-en] [--limit 500] [--ban 0 3 4]

For each model and each ``--ban`` value (``no_repeat_ngram_size`` in subwords, 0 = off), at the
model's own default decoding otherwise: the share of dev outputs with a stutter (a phrase of one
to four words said twice back to back where the source does not repeat itself,
``core.repetition``), and sacreBLEU / chrF per domain. Prints a table and writes
benchmarks/results/repetition.json, with a few of the stutters found as examples.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import platform
from pathlib import Path

import torch

from translator_app.core.devices import resolve_runtime
from translator_app.core.eval_sets import EVAL_SETS
from translator_app.core.evaluation import evaluate_pairs
from translator_app.core.repetition import stutter
from translator_app.core.translator import Translator

ROOT = Path(__file__).resolve().parents[1]

DEFAULT_MODELS = ["general-lstm-de-en", "general-transformer-de-en"]


def measure(translator: Translator, ban: int, limit: int) -> dict:
    options = dataclasses.replace(translator.default_options(), no_repeat_ngram_size=ban)
    row: dict = {"no_repeat_ngram_size": ban, "domains": {}}
    stutters = total = 0
    examples: list[dict] = []
    for eval_set in EVAL_SETS:
        sources, references = eval_set.read("dev", limit)
        report = evaluate_pairs(translator, sources, references, options)
        found = [(s, o, p) for s, o in zip(sources, report.translations) if (p := stutter(s, o)) is not None]
        stutters += len(found)
        total += len(sources)
        examples += [{"source": s, "output": o, "phrase": p} for s, o, p in found[:3]]
        row["domains"][eval_set.domain] = {
            "sentences": len(sources),
            "stutters": len(found),
            "bleu": round(report.scores.sacrebleu, 2),
            "chrf": round(report.scores.chrf, 2),
            "seconds": round(report.seconds, 1),
        }
    row["stutter_share"] = round(stutters / max(total, 1), 4)
    row["examples"] = examples
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", nargs="+", default=DEFAULT_MODELS)
    parser.add_argument("--limit", type=int, default=500, help="dev sentences per domain (0: all)")
    parser.add_argument("--ban", type=int, nargs="+", default=[0, 3, 4], help="no-repeat n-gram sizes to compare")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "repetition.json")
    args = parser.parse_args()
    runtime = resolve_runtime("cpu")  # automatic, as the app
    report: dict = {"threads": runtime.threads, "torch": torch.__version__, "machine": platform.machine()}
    report.update(limit=args.limit, models={})
    print(f"{runtime.threads} CPU threads; dev, first {args.limit or 'all'} sentences of each domain")
    print(f"{'model':<28}{'ban':>4}{'stutters':>10}" + "".join(f"{e.domain + ' BLEU/chrF':>24}" for e in EVAL_SETS))
    for name in args.model:
        translator = Translator.load(name, runtime=runtime)
        rows = report["models"][translator.name] = []
        for ban in args.ban:
            row = measure(translator, ban, args.limit)
            rows.append(row)
            stutters = sum(d["stutters"] for d in row["domains"].values())
            share = f"{stutters} ({row['stutter_share']:.1%})"
            line = f"{translator.name:<28}{ban:>4}{share:>10}"
            line += "".join(f"{'{:.2f} / {:.2f}'.format(d['bleu'], d['chrf']):>24}" for d in row["domains"].values())
            print(line, flush=True)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
