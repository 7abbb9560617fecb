"""Vocabulary size for the general-domain models: how each size segments the dev sets.

Trains the joint SentencePiece vocabulary (placeholders, byte fallback) on the training side of the
general recipe at several sizes and measures, on every domain's dev set, the subwords per sentence
(German and English: sequence length is what training and decoding time scale with), the share of
words split into several pieces, and the parameters the shared embedding costs at d = 256.

    python benchmarks/vocab_size.py [--sizes 8000,16000,24000,32000]

Prints a table and writes benchmarks/results/vocab_size.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from translator_app.core.eval_sets import EVAL_SETS
from translator_app.core.readers.splits import SHARED_DATA, read_lines
from translator_app.core.text import SubwordVocab

ROOT = Path(__file__).resolve().parents[1]
RECIPE = ROOT / "scripts" / "recipes" / "general-transformer.json"


def training_sentences() -> list[str]:
    recipe = json.loads(RECIPE.read_text(encoding="utf-8"))
    sentences = []
    for part in recipe["corpora"]:
        for name in part["files"]:
            sentences += read_lines(SHARED_DATA / name)
    return sentences


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="8000,16000,24000,32000")
    parser.add_argument("--emb-dim", type=int, default=256)
    parser.add_argument(
        "--reuse",
        action="append",
        default=[],
        metavar="SIZE=SPM_MODEL",
        help="measure this already-trained vocabulary for SIZE instead of training one (e.g. a run's spm.model)",
    )
    args = parser.parse_args()
    reuse = {int(k): Path(v) for k, v in (item.split("=", 1) for item in args.reuse)}
    sentences = [] if set(int(x) for x in args.sizes.split(",")) <= set(reuse) else training_sentences()
    dev = {s.domain: s.read("dev", 1000) for s in EVAL_SETS}
    rows = []
    for size in (int(x) for x in args.sizes.split(",")):
        started = time.perf_counter()
        vocab = (
            SubwordVocab.from_file(reuse[size])
            if size in reuse
            else SubwordVocab.train(sentences, vocab_size=size, placeholders=True)
        )
        row = {
            "vocab_size": size,
            "train_seconds": None if size in reuse else round(time.perf_counter() - started, 1),
            "embedding_parameters": size * args.emb_dim,
        }
        for domain, (de, en) in dev.items():
            for lang, texts in (("de", de), ("en", en)):
                ids = vocab.encode_batch(texts)
                words = [w for t in texts for w in t.split()]
                split = sum(len(vocab.encode(w)) > 1 for w in words[:20000]) / max(1, min(len(words), 20000))
                row[f"{domain}_{lang}_subwords_per_sentence"] = round(statistics.mean(len(x) for x in ids), 2)
                row[f"{domain}_{lang}_words_split"] = round(split, 3)
        rows.append(row)
        print(json.dumps(row), flush=True)
    header = (
        "| size | emb. params | "
        + " | ".join(f"{s.domain} de/en subwords per sentence" for s in EVAL_SETS)
        + " | words split (de, everyday) |"
    )
    print("\n" + header + "\n|" + "---|" * (header.count("|") - 1))
    for r in rows:
        cells = " | ".join(
            f"{r[f'{s.domain}_de_subwords_per_sentence']} / {r[f'{s.domain}_en_subwords_per_sentence']}" for s in EVAL_SETS
        )
        print(f"| {r['vocab_size']:,} | {r['embedding_parameters'] / 1e6:.1f} M | {cells} | {r['everyday_de_words_split']:.1%} |")
    out = ROOT / "benchmarks" / "results" / "vocab_size.json"
    earlier = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else []  # sizes measured in other runs stay
    merged = {r["vocab_size"]: r for r in earlier} | {r["vocab_size"]: r for r in rows}
    out.write_text(json.dumps([merged[k] for k in sorted(merged)], indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
