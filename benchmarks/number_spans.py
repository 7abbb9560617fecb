"""Numbers, units, money, dates and times through the shipped models: rendered the English way?

    python benchmarks/number_spans.py [--model general-lstm-de-en general-transformer-de-en] [--out FILE]

On the span corpus (tests/data/numbers/spans.tsv: German sentences written for it, each with the
spans an English translation must hold, "1.299,99 €" as "€1,299.99"), each model translates every
sentence at its default decoding. Per span kind: how many, the share rendered exactly, and how
many were dropped (digits or unit lost: ``core.spans.scoring``), and how many placeholders the
model itself left out, so that ``core.protect.restore`` appended their span at the end (counted by
watching what reaches ``restore``; a span put back so is kept, but may stand in the wrong place).
Prints a table and writes benchmarks/results/numbers.json, with the spans each model missed.
``numbers-before.json`` there is the same corpus through the code before typed spans (8d081fb^).
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "numbers" / "spans.tsv"
DEFAULT_MODELS = ["general-lstm-de-en", "general-transformer-de-en"]


def measure(name: str, corpus) -> dict:
    from translator_app.core import glossary
    from translator_app.core.protect import PLACEHOLDERS
    from translator_app.core.spans.scoring import score_spans
    from translator_app.core.translator import Translator

    translator = Translator.load(name)
    counts = {"spans": 0, "copied": 0}
    restore = glossary.restore

    def watched(text: str, spans: tuple[str, ...]) -> str:  # what the model gave, before spans go back
        counts["spans"] += len(spans)
        counts["copied"] += len({ch for ch in text if ch in PLACEHOLDERS[: len(spans)]})
        return restore(text, spans)

    glossary.restore = watched
    try:
        start = time.perf_counter()
        results = translator.translate_sentences([line.source for line in corpus], translator.default_options())
        seconds = time.perf_counter() - start
    finally:
        glossary.restore = restore
    outputs = [r.hypotheses[0].text if r.hypotheses else "" for r in results]
    report = score_spans(outputs, corpus)
    total = report.total
    kinds = {
        kind: {"count": s.count, "exact": round(s.exact_rate, 4), "dropped": s.dropped}
        for kind, s in sorted(report.kinds.items())
    }
    return {
        "model": name,
        "engine": translator.engine,
        "seconds": round(seconds, 2),
        "spans": total.count,
        "exact": round(total.exact_rate, 4),
        "dropped": total.dropped,
        "appended": counts["spans"] - counts["copied"],
        "kinds": kinds,
        "misses": [{"source": s, "expected": e, "output": o} for s, e, o in report.misses],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", nargs="+", default=DEFAULT_MODELS)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "numbers.json")
    args = parser.parse_args()
    from translator_app.core.spans.scoring import read_span_corpus

    corpus = read_span_corpus(CORPUS)
    rows = [measure(name, corpus) for name in args.model]
    print(f"{len(corpus)} sentences, {sum(len(line.spans) for line in corpus)} spans")
    for row in rows:
        print(f"\n{row['model']} ({row['engine']}, {row['seconds']:.1f} s)")
        print(f"  {'kind':10} {'count':>6} {'exact':>7} {'dropped':>8}")
        for kind, score in row["kinds"].items():
            print(f"  {kind:10} {score['count']:6d} {100 * score['exact']:6.1f}% {score['dropped']:8d}")
        print(f"  {'all':10} {row['spans']:6d} {100 * row['exact']:6.1f}% {row['dropped']:8d}")
        if "appended" in row:
            print(f"  placeholders the model left out (their spans appended at the end): {row['appended']}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {"machine": platform.platform(), "corpus": str(CORPUS.relative_to(ROOT)), "models": rows}
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
