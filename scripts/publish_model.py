"""Evaluate a trained run's best model and publish it into ``models/`` with its model card.

    python scripts/publish_model.py runs/lstm/best --name lstm-de-en [--notes notes.md]

The length penalty is chosen on val (never on test); then BLEU both ways and chrF are measured on
test_2016_flickr at greedy and beam 5. The model is written in half precision, and evaluated
again *after* the fp16 round trip, so the card reports what the shipped file really does. An
existing model is replaced only with --replace and only if the new one scores higher on val, by at
least --min-gain (0.2 BLEU): a smaller difference is noise, and every weights file stays in git.
``--evaluate-only`` measures the same way for a model that is not shipped (the README's table).
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import sys
import tempfile
from pathlib import Path

import torch

from multi30k import read_split
from translator_app.core.evaluation import evaluate_pairs
from translator_app.core.model_card import write_model_card
from translator_app.core.modelfile import load_model_folder, read_config, save_model_folder, update_config_fields
from translator_app.core.search import DecodeOptions
from translator_app.core.translator import Translator

ROOT = Path(__file__).resolve().parents[1]



def run_history(run: Path) -> dict:
    """The whole run's per-epoch validation curve and time, from its last checkpoint (for the card)."""
    state_file = run / "checkpoint" / "state.json"
    if not state_file.is_file():
        return {}
    trainer = json.loads(state_file.read_text(encoding="utf-8"))["trainer"]
    return {"history": trainer["history"], "epochs": trainer["epoch"], "total_train_seconds": round(trainer["seconds"], 1)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("run_best", type=Path)
    parser.add_argument("--name", required=True)
    parser.add_argument("--notes", type=Path, help="markdown appended to the model card (what helped)")
    parser.add_argument("--replace", action="store_true")
    parser.add_argument("--min-gain", type=float, default=0.2,
                        help="replace only if val sacreBLEU at beam 5 rises by at least this much (smaller is noise)")
    parser.add_argument("--description", help="the one line the app's model list shows")
    parser.add_argument("--evaluate-only", action="store_true",
                        help="measure as for publishing, write evaluation.json beside the run's best/, publish nothing")
    parser.add_argument("--hardware", help="what it was trained on (default: this machine's CPU)")
    args = parser.parse_args()

    loaded = load_model_folder(args.run_best)
    target = ROOT / "models" / args.name
    with tempfile.TemporaryDirectory() as tmp:
        half = save_model_folder(Path(tmp) / args.name, loaded.model, loaded.vocab, loaded.metadata)
        translator = Translator.load(half, device="cpu")
        val_src, val_ref = read_split("val")
        best_alpha, best_val = 1.0, -1.0
        for alpha in (0.0, 0.6, 1.0, 1.4):
            score = evaluate_pairs(translator, val_src, val_ref, DecodeOptions(beam_width=5, length_penalty=alpha)).scores.sacrebleu
            print(f"val beam 5, length penalty {alpha}: sacreBLEU {score:.2f}", flush=True)
            if score > best_val:
                best_alpha, best_val = alpha, score
        test_src, test_ref = read_split("test_2016_flickr")
        metrics = {}
        for label, options in (("greedy", DecodeOptions(beam_width=1)), ("beam5", DecodeOptions(beam_width=5, length_penalty=best_alpha))):
            report = evaluate_pairs(translator, test_src, test_ref, options)
            s = report.scores
            metrics[f"test_sacrebleu_{label}"] = round(s.sacrebleu, 2)
            metrics[f"test_tokenized_bleu_{label}"] = round(s.tokenized_bleu, 2)
            metrics[f"test_chrf_{label}"] = round(s.chrf, 2)
            metrics[f"test_sentences_per_second_{label}"] = round(s.sentences / report.seconds, 1)
            metrics["sacrebleu_signature"] = s.sacrebleu_signature
            print(f"test {label}: sacreBLEU {s.sacrebleu:.2f}, tokenized BLEU {s.tokenized_bleu:.2f}, chrF {s.chrf:.2f}", flush=True)
        metrics["test_sacrebleu"] = metrics["test_sacrebleu_beam5"]
        metrics["test_tokenized_bleu"] = metrics["test_tokenized_bleu_beam5"]
        metrics["val_sacrebleu_beam5"] = round(best_val, 2)
        metrics["length_penalty"] = best_alpha
        if args.evaluate_only:
            metrics["parameters"] = translator.model.num_parameters()
            metrics["train_seconds"] = run_history(args.run_best.parent).get("total_train_seconds")
            (args.run_best.parent / "evaluation.json").write_text(json.dumps(metrics, indent=2), encoding="utf-8")
            print(json.dumps(metrics, indent=2))
            return 0

        if target.exists():
            old = read_config(target).get("metrics", {}).get("val_sacrebleu_beam5", 0)   # models are chosen on val
            if not args.replace or metrics["val_sacrebleu_beam5"] < old + args.min_gain:
                print(f"{target} exists (val sacreBLEU at beam 5: {old}); not replaced", file=sys.stderr)
                return 1
        meta = translator.metadata
        meta.name = args.name
        meta.metrics = metrics
        meta.default_decoding = {"beam_width": 5, "length_penalty": best_alpha}
        meta.training["hardware"] = args.hardware or f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} CPU threads"
        meta.training.update(run_history(args.run_best.parent))
        if args.description:
            meta.description = args.description
        update_config_fields(half, name=args.name, description=meta.description, metrics=metrics,
                             default_decoding=meta.default_decoding, training=meta.training)
        notes = args.notes.read_text(encoding="utf-8") if args.notes else ""
        notes += ("\n## Evaluation\n\nMulti30k test_2016_flickr (1,000 sentences). sacreBLEU is on detokenized, cased output "
                  f"(`{metrics['sacrebleu_signature']}`); tokenized BLEU is lowercased spaCy tokens, as the PyTorch "
                  f"seq2seq tutorials reported. The length penalty ({best_alpha}) was chosen on val.\n")
        (half / "README.md").write_text(write_model_card(meta, translator.model.config, notes), encoding="utf-8")
        staging = target.with_name(f".{args.name}.new")
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(half, staging)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    print(json.dumps(metrics, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
