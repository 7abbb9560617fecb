"""Training speed: target tokens per second of the LSTM training step on CPU.

Compares the engine's step (length-bucketed batches, fp32 and bf16 autocast) with the tutorial-
style loop (batches in corpus order with no length bucketing, fp32). Same model size, same batch
size; the median over several windows of steps.

    python benchmarks/train.py [--steps 20] [--windows 3]

Prints a table and writes benchmarks/results/train.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import time
from pathlib import Path

import torch
import torch.nn.functional as F

from translator_app.core.batching import collate, encode_pairs, make_batches
from translator_app.core.models import build_model
from translator_app.core.models.lstm import LSTMConfig
from translator_app.core.text import PAD_ID, SubwordVocab

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "multi30k"


def load_pairs(limit: int) -> list[tuple[str, str]]:
    de = gzip.open(DATA / "train.de.gz", "rt", encoding="utf-8").read().splitlines()[:limit]
    en = gzip.open(DATA / "train.en.gz", "rt", encoding="utf-8").read().splitlines()[:limit]
    return list(zip(de, en))


def tokens_per_second(model, pairs, batches, steps: int, windows: int, amp: torch.dtype | None) -> float:
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    model.train()
    rates = []
    cursor = 0
    for _ in range(windows + 1):  # the first window warms up
        tokens, start = 0, time.perf_counter()
        for _ in range(steps):
            batch = collate(pairs, batches[cursor % len(batches)])
            cursor += 1
            with torch.autocast("cpu", dtype=amp or torch.float32, enabled=amp is not None):
                logits = model(batch.src, batch.src_lengths, batch.tgt_in)
            loss = F.cross_entropy(logits.float().reshape(-1, logits.size(-1)), batch.tgt_out.reshape(-1), ignore_index=PAD_ID)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            tokens += batch.target_tokens
        rates.append(tokens / (time.perf_counter() - start))
    return statistics.median(rates[1:])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=15)
    parser.add_argument("--windows", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--vocab", type=Path, default=ROOT / "models" / "lstm-de-en" / "spm.model")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "train.json")
    args = parser.parse_args()

    pairs_text = load_pairs(8000)
    vocab = SubwordVocab.from_file(args.vocab)
    pairs, _ = encode_pairs(vocab, pairs_text)
    bucketed = make_batches(pairs, args.batch_size, seed=1, epoch=0)
    in_order = [list(range(i, min(i + args.batch_size, len(pairs)))) for i in range(0, len(pairs), args.batch_size)]

    results = {}
    for name, batches, amp in (("tutorial loop, fp32", in_order, None), ("engine, fp32", bucketed, None),
                               ("engine, bf16 autocast", bucketed, torch.bfloat16)):
        torch.manual_seed(0)
        model = build_model(LSTMConfig(vocab_size=len(vocab)))
        results[name] = tokens_per_second(model, pairs, batches, args.steps, args.windows, amp)
    base = results["tutorial loop, fp32"]
    print(f"LSTM {LSTMConfig().emb_dim}/{LSTMConfig().hidden_dim}x{LSTMConfig().num_layers}, batch {args.batch_size}, "
          f"{torch.get_num_threads()} CPU threads")
    print(f"{'loop':<26}{'target tokens/s':>16}{'vs tutorial':>13}")
    for name, rate in results.items():
        print(f"{name:<26}{rate:>16.0f}{rate / base:>12.2f}x")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({"threads": torch.get_num_threads(), "batch_size": args.batch_size,
                                       "tokens_per_second": results,
                                       "ratios": {k: v / base for k, v in results.items()}}, indent=2) + "\n")


if __name__ == "__main__":
    main()
