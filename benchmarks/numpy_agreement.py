"""The NumPy engine against PyTorch on the default model: token-for-token agreement in float32 on
500 dev sentences (greedy and beam 5), and BLEU on each dev set at the precision each ships in
(NumPy: the fp16 weights widened to float32; PyTorch: "auto", bf16 on a CPU with bf16 instructions).

    python benchmarks/numpy_agreement.py [--model general-lstm-de-en] [--sentences 500] [--bleu-limit 0]

Writes benchmarks/results/numpy_agreement.json. tests/test_numpy_engine.py runs the agreement on a
few dozen sentences in the normal suite.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import sacrebleu

from translator_app.core.eval_sets import EVAL_SETS
from translator_app.core.paths import DEFAULT_MODEL
from translator_app.core.translator import Translator
from translator_app.core.types.options import DecodeOptions

ROOT = Path(__file__).resolve().parents[1]


def agreement(numpy_side: Translator, torch_side: Translator, sources: list[str], options: DecodeOptions) -> dict:
    start = time.perf_counter()
    a = numpy_side.translate_sentences(sources, options)
    numpy_seconds = time.perf_counter() - start
    start = time.perf_counter()
    b = torch_side.translate_sentences(sources, options)
    torch_seconds = time.perf_counter() - start
    same = [x.hypotheses[0].tokens == y.hypotheses[0].tokens for x, y in zip(a, b)]
    differ = [x.source for x, s in zip(a, same) if not s]
    return {
        "sentences": len(sources),
        "identical": sum(same),
        "differing_sources": differ[:10],
        "numpy_seconds": round(numpy_seconds, 1),
        "pytorch_seconds": round(torch_seconds, 1),
    }


def bleu(translator: Translator, sources: list[str], references: list[str], options: DecodeOptions) -> tuple[float, float]:
    start = time.perf_counter()
    outputs = translator.translate_sentences(sources, options)
    hypotheses = [o.hypotheses[0].text if o.hypotheses else "" for o in outputs]
    return round(sacrebleu.corpus_bleu(hypotheses, [references]).score, 2), round(time.perf_counter() - start, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--sentences", type=int, default=500)
    parser.add_argument("--bleu-limit", type=int, default=0, help="sentences per dev set for BLEU (0: all)")
    parser.add_argument("--skip-bleu", action="store_true")
    args = parser.parse_args()
    numpy_side = Translator.load(args.model, engine="numpy")
    fp32 = Translator.load(args.model, device="cpu", precision="fp32", engine="pytorch")
    shipped = Translator.load(args.model, device="cpu", engine="pytorch")
    default = numpy_side.default_options()
    # the 500: the first of each dev set in turn, so every domain is in
    dev = {eval_set.domain: eval_set.read("dev") for eval_set in EVAL_SETS}
    sources = [s for group in zip(*(de for de, _ in dev.values())) for s in group][: args.sentences]
    report: dict = {"model": args.model, "pytorch_shipped": shipped.device_description(), "agreement_fp32": {}, "bleu": {}}
    for name, options in (("greedy", DecodeOptions(beam_width=1)), ("beam5", default)):
        report["agreement_fp32"][name] = row = agreement(numpy_side, fp32, sources, options)
        print(
            f"{name}: {row['identical']}/{row['sentences']} identical ({row['numpy_seconds']} s NumPy, {row['pytorch_seconds']} s PyTorch)"
        )
    if not args.skip_bleu:
        for domain, (src, ref) in dev.items():
            if args.bleu_limit:
                src, ref = src[: args.bleu_limit], ref[: args.bleu_limit]
            (np_bleu, np_s), (pt_bleu, pt_s) = bleu(numpy_side, src, ref, default), bleu(shipped, src, ref, default)
            report["bleu"][domain] = {
                "sentences": len(src),
                "numpy_fp32": np_bleu,
                "pytorch_shipped": pt_bleu,
                "seconds": [np_s, pt_s],
            }
            print(f"{domain} ({len(src)}): BLEU NumPy {np_bleu} / PyTorch {pt_bleu} ({np_s} s / {pt_s} s)")
    out = ROOT / "benchmarks" / "results" / "numpy_agreement.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
