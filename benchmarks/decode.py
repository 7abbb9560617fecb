"""Decoding speed: latency for one sentence, throughput over test_2016_flickr, and the batched beam
search against the same beam search written the tutorial way (one hypothesis at a time).

    python benchmarks/decode.py [--model general-lstm-de-en] [--repeats 30] [--baseline-sentences 100]

Prints a table and writes benchmarks/results/decode.json. Times are medians over repeated runs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import statistics
import time
from pathlib import Path

import torch
import torch.nn.functional as F

from translator_app.core.paths import DEFAULT_MODEL
from translator_app.core.search import DecodeOptions, pad_batch
from translator_app.core.text import BOS_ID, EOS_ID
from translator_app.core.translator import Translator

ROOT = Path(__file__).resolve().parents[1]
TEST = ROOT.parent / "shared" / "data" / "multi30k" / "test_2016_flickr.de.gz"
SENTENCE = "Zwei junge Männer spielen auf einer grünen Wiese mit einem roten Ball."  # 12 words


def median_seconds(fn, repeats: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@torch.inference_mode()
def tutorial_beam_search(model, src_ids: list[int], beam: int, max_len: int) -> list[int]:
    """The textbook loop: every hypothesis is decoded on its own, batch size 1, in Python."""
    src, lengths = pad_batch([src_ids])
    state = model.encode(src, lengths)
    live = [([BOS_ID], 0.0, state)]
    finished = []
    for _ in range(max_len):
        candidates = []
        for tokens, score, st in live:
            logits, new_state, _ = model.decode_step(st, torch.tensor([tokens[-1]]))
            log_probs = F.log_softmax(logits.float(), -1)[0]
            top = log_probs.topk(beam)
            for lp, tok in zip(top.values.tolist(), top.indices.tolist()):
                candidates.append((tokens + [tok], score + lp, new_state))
        candidates.sort(key=lambda c: c[1], reverse=True)
        live = []
        for cand in candidates[:beam]:
            (finished if cand[0][-1] == EOS_ID else live).append(cand)
        if len(finished) >= beam or not live:
            break
    best = max(finished or live, key=lambda c: c[1])
    return best[0][1:]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", nargs="+", default=[DEFAULT_MODEL], help="one or more model names or folders")
    parser.add_argument("--precision", default="auto", choices=["auto", "fp32", "bf16"])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--baseline-sentences", type=int, default=100)
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "decode.json")
    args = parser.parse_args()

    sentences = gzip.open(TEST, "rt", encoding="utf-8").read().splitlines()
    report = {"threads": torch.get_num_threads(), "torch": torch.__version__, "machine": platform.machine(), "models": {}}
    for name in args.model:
        translator = Translator.load(name, device="cpu", precision=args.precision)
        report["models"][translator.name] = measure(translator, sentences, args)   # a run folder reports its model's name
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")


def measure(translator: Translator, sentences: list[str], args) -> dict:
    greedy, beam5 = DecodeOptions(beam_width=1), DecodeOptions(beam_width=5)
    rows: dict[str, float] = {}

    rows["latency_greedy_ms"] = 1000 * median_seconds(lambda: translator.translate_sentences([SENTENCE], greedy), args.repeats)
    rows["latency_beam5_ms"] = 1000 * median_seconds(lambda: translator.translate_sentences([SENTENCE], beam5), args.repeats)
    for name, options in (("greedy", greedy), ("beam5", beam5)):
        seconds = median_seconds(lambda: translator.translate_sentences(sentences, options), 3)
        rows[f"throughput_{name}_sent_per_s"] = len(sentences) / seconds

    subset = sentences[: args.baseline_sentences]
    ids = [translator.vocab.encode(s) + [EOS_ID] for s in subset]
    start = time.perf_counter()
    for one in ids:
        tutorial_beam_search(translator.model, one, 5, 60)
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    translator.translate_sentences(subset, DecodeOptions(beam_width=5, max_length=60))
    batched = time.perf_counter() - start
    rows["baseline_beam5_sent_per_s"] = len(subset) / baseline
    rows["batched_beam5_sent_per_s"] = len(subset) / batched
    rows["batched_vs_baseline_ratio"] = baseline / batched

    print(f"\nmodel {translator.name} ({translator.architecture}, {translator.model.num_parameters():,} parameters, "
          f"{str(translator.dtype).removeprefix('torch.')}), {torch.get_num_threads()} CPU threads, torch {torch.__version__}")
    print(f"{'measure':<32}{'value':>12}")
    for key, value in rows.items():
        print(f"{key:<32}{value:>12.2f}")
    return {"dtype": str(translator.dtype), "parameters": translator.model.num_parameters(), **rows}


if __name__ == "__main__":
    main()
