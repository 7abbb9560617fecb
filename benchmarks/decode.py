"""Decoding speed: latency for one sentence, throughput over test_2016_flickr, and the batched beam
search against the same beam search written the tutorial way (one hypothesis at a time).

    python benchmarks/decode.py [--model general-lstm-de-en general-transformer-de-en] [--threads 1 2] [--repeats 30]

A Transformer is measured with each engine on the same weights in the same run: PyTorch, then
CTranslate2 int8 (what the app uses) and float32, with each figure's ratio to PyTorch's; an
attention model with PyTorch (its precision, bf16 where the CPU has it), PyTorch float32 and the
NumPy engine (what the app uses). Prints a
table and writes benchmarks/results/decode.json (with the load average before the run). Times are
medians over repeated runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

import torch
import torch.nn.functional as F

from translator_app.cli.decoding import thread_setting
from translator_app.core.devices import resolve_runtime
from translator_app.core.paths import DEFAULT_MODEL
from translator_app.core.readers.splits import SHARED_DATA, read_lines
from translator_app.core.batching import pad_batch
from translator_app.core.types.options import DecodeOptions
from translator_app.core.text import BOS_ID, EOS_ID
from translator_app.core.translator import Translator

ROOT = Path(__file__).resolve().parents[1]
TEST = SHARED_DATA / "multi30k" / "test_2016_flickr.de.gz"
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


def engines_for(name: str) -> list[tuple[str, str]]:
    """(engine, precision) pairs to measure: PyTorch always; for a Transformer also CTranslate2 int8
    (what the app uses) and float32, on the same weights, when the package is installed; for an
    attention model PyTorch float32 and the NumPy engine (what the app uses, float32)."""
    from translator_app.core import ct2_backend
    from translator_app.core.types.modelformat import read_config
    from translator_app.core.catalog import find_model

    from translator_app.core.numpy_engine import supports

    rows = [("pytorch", "auto")]
    raw = read_config(find_model(name))
    if raw["architecture"] == "transformer" and ct2_backend.available():
        rows += [("ctranslate2", "auto"), ("ctranslate2", "fp32")]
    if supports(raw["architecture"], raw.get("hyperparameters", {})):
        rows += [("pytorch", "fp32"), ("numpy", "auto")]  # the same fp32 arithmetic on the same weights, then NumPy
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", nargs="+", default=[DEFAULT_MODEL], help="one or more model names or folders")
    parser.add_argument("--precision", default="auto", choices=["auto", "fp32", "bf16"], help="PyTorch's precision")
    parser.add_argument(
        "--threads", type=thread_setting, nargs="+", default=[0], help="CPU thread settings to measure, 0 = automatic (default)"
    )
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--sentences", type=int, default=1000, help="test_2016_flickr sentences for throughput")
    parser.add_argument("--baseline-sentences", type=int, default=100)
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "decode.json")
    args = parser.parse_args()

    sentences = read_lines(TEST, args.sentences)
    report = {"torch": torch.__version__, "machine": platform.machine(), "load_average_before": os.getloadavg()[0], "rows": []}
    print(
        f"{'model':<28}{'engine':<22}{'threads':>8}{'greedy ms':>18}{'beam 5 ms':>18}{'greedy sent/s':>20}{'beam 5 sent/s':>20}"
        f"{'batched vs tutorial':>21}"
    )
    for name in args.model:
        for setting in args.threads:
            runtime = resolve_runtime("cpu", setting)  # every engine's threads
            threads = runtime.threads
            baseline: dict = {}
            for engine, precision in engines_for(name):
                precision = args.precision if engine == "pytorch" and precision == "auto" else precision
                start = time.perf_counter()
                translator = Translator.load(name, precision=precision, engine=engine, runtime=runtime)
                load_seconds = time.perf_counter() - start
                row = measure(translator, sentences, args, tutorial=not baseline)  # once, on the first row
                row.update(
                    model=translator.name,
                    engine=translator.engine
                    if engine != "pytorch"
                    else f"PyTorch {str(translator.dtype).removeprefix('torch.')}",
                    load_s=round(load_seconds, 3),
                    threads=threads,
                )
                baseline = baseline or row
                report["rows"].append(row)
                print_row(row, baseline)
                if engine == "ctranslate2" and precision == "auto":  # the peer: CTranslate2 alone, no pipeline
                    peer = measure_peer(translator, sentences, args)
                    peer.update(model=translator.name, engine="peer: bare CT2 int8", threads=threads)
                    report["rows"].append(peer)
                    print_row(peer, baseline)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")


def print_row(row: dict, baseline: dict) -> None:
    def cell(key: str, lower_is_faster: bool) -> str:
        ratio = baseline[key] / row[key] if lower_is_faster else row[key] / baseline[key]
        return f"{row[key]:.1f} ({ratio:.1f}×)"

    tutorial = f"{row['batched_vs_baseline_ratio']:.1f}×" if "batched_vs_baseline_ratio" in row else "–"
    print(
        f"{row['model']:<28}{row['engine']:<22}{row['threads']:>8}{cell('latency_greedy_ms', True):>18}"
        f"{cell('latency_beam5_ms', True):>18}{cell('throughput_greedy_sent_per_s', False):>20}"
        f"{cell('throughput_beam5_sent_per_s', False):>20}{tutorial:>21}",
        flush=True,
    )


def measure_peer(translator: Translator, sentences: list[str], args) -> dict:
    """CTranslate2's own translate_batch on the same converted weights and the same subwords, with
    nothing of the app around it (no sentence splitting, protected spans, confidence or scoring):
    what the issue calls the peer."""
    import ctranslate2

    from translator_app.core.ct2_backend import COMPUTE_TYPE, CT2_DIR, engine_folder
    from translator_app.core.types.modelformat import WEIGHTS_FILE

    folder = engine_folder(translator.path, translator.path / WEIGHTS_FILE) / CT2_DIR
    peer = ctranslate2.Translator(str(folder), device="cpu", compute_type=COMPUTE_TYPE, intra_threads=translator.runtime.threads)
    vocab = translator.vocab

    def pieces(text: str) -> list[str]:
        return vocab.pieces(vocab.encode(text) + [EOS_ID])

    one, many = [pieces(SENTENCE)], [pieces(s) for s in sentences]
    rows: dict[str, float] = {}
    for name, beam in (("greedy", 1), ("beam5", 5)):
        rows[f"latency_{name}_ms"] = 1000 * median_seconds(
            lambda beam=beam: peer.translate_batch(one, beam_size=beam), args.repeats
        )
        seconds = median_seconds(lambda beam=beam: peer.translate_batch(many, beam_size=beam, max_batch_size=64), 3)
        rows[f"throughput_{name}_sent_per_s"] = len(sentences) / seconds
    return rows


def measure(translator: Translator, sentences: list[str], args, tutorial: bool) -> dict:
    greedy, beam5 = DecodeOptions(beam_width=1), DecodeOptions(beam_width=5)
    rows: dict[str, float] = {}
    rows["latency_greedy_ms"] = 1000 * median_seconds(lambda: translator.translate_sentences([SENTENCE], greedy), args.repeats)
    rows["latency_beam5_ms"] = 1000 * median_seconds(lambda: translator.translate_sentences([SENTENCE], beam5), args.repeats)
    for name, options in (("greedy", greedy), ("beam5", beam5)):
        seconds = median_seconds(lambda options=options: translator.translate_sentences(sentences, options), 3)
        rows[f"throughput_{name}_sent_per_s"] = len(sentences) / seconds
    if not tutorial:
        return rows
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
    return rows


if __name__ == "__main__":
    main()
