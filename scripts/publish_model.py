"""Evaluate a trained model on every domain's dev and test set and publish it into ``models/``.

    python scripts/publish_model.py RUN/best --name general-lstm-de-en [--notes notes.md] [--replace]
    python scripts/publish_model.py models/lstm-de-en --name lstm-de-en --remeasure   # a shipped model's figures

The length penalty is chosen on the dev sets (never on test), by the mean sacreBLEU over the
domains at beam 5; the confidence thresholds (``core.confidence``) are fitted on the same dev
translations. Then sacreBLEU (cased, detokenized) and chrF are measured on each domain's test set
(``core.eval_sets``), plus the tutorials' tokenized BLEU on Multi30k. The model is written in half
precision and evaluated *after* the fp16 round trip, so the card reports what the shipped file
does. An existing model is replaced only with --replace and only if the new one scores higher on
dev by at least --min-gain: every weights file stays in git. ``--remeasure`` updates a shipped
model's figures, domains and card in place and leaves its weights and vocabulary untouched;
``--evaluate-only`` measures a model that is not shipped (written beside it as evaluation.json).
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

import sacrebleu
import torch

from translator_app.core.training.checkpoint import read_checkpoint_state
from translator_app.core.confidence import fit_thresholds, measure, sentence_score
from translator_app.core.credits import credits_for
from translator_app.core.eval_sets import EVAL_SETS
from translator_app.core.metrics import chrf_score, sacrebleu_score, tokenized_bleu
from translator_app.core.model_card import write_model_card
from translator_app.core.modelfile import load_model_folder, save_model_folder, update_config_fields
from translator_app.core.types.modelformat import SHORTLIST_FILE, read_config
from translator_app.core.types.options import DecodeOptions
from translator_app.core.shortlist import shortlist_for_run
from translator_app.core.types.run_spec import RUN_FILE
from translator_app.core.types.run_spec import load_run_spec
from translator_app.core.translator import Translator

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT / "scripts" / "model_notes"


def run_history(run: Path) -> dict:
    """The whole run's per-epoch validation curve and time, from its last checkpoint (for the card)."""
    state = read_checkpoint_state(run)
    if state is None:
        return {}
    return {"history": state.history, "epochs": state.epoch, "total_train_seconds": round(state.seconds, 1)}


def build_run_shortlist(run: Path, folder: Path) -> None:
    """Write the shortlist of the run's training corpora into the model folder, so that the figures
    measured next are those of the model as it ships (``core.shortlist``)."""
    if not (run / RUN_FILE).is_file():
        print(f"{run}: no {RUN_FILE}, so no shortlist: the model decodes over its whole vocabulary", flush=True)
        return
    started = time.perf_counter()
    path = shortlist_for_run(load_model_folder(folder).vocab, load_run_spec(run)).save(folder)
    print(f"{path.name}: built from the run's training corpora in {time.perf_counter() - started:.0f} s", flush=True)


def translate_scored(translator: Translator, sources: list[str], options: DecodeOptions) -> tuple[list[str], list[float]]:
    outputs = translator.translate_sentences(sources, options)
    return (
        [o.hypotheses[0].text if o.hypotheses else "" for o in outputs],
        [sentence_score(o.hypotheses[0].token_log_probs) if o.hypotheses else float("-inf") for o in outputs],
    )


def sentence_chrfs(hypotheses: list[str], references: list[str]) -> list[float]:
    return [sacrebleu.sentence_chrf(h, [r]).score for h, r in zip(hypotheses, references)]


def measure_model(translator: Translator, alphas: list[float], dev_limit: int, test_limit: int = 0) -> tuple[dict, dict]:
    """(metrics, confidence thresholds): the length penalty and thresholds chosen on dev, scores on test."""
    dev = {s.domain: s.read("dev", dev_limit) for s in EVAL_SETS}
    best_alpha, best_mean, best_dev = alphas[0], -1.0, {}
    for alpha in alphas:
        options = DecodeOptions(beam_width=5, length_penalty=alpha)
        results = {domain: translate_scored(translator, src, options) for domain, (src, _) in dev.items()}
        scores = {d: sacrebleu_score(results[d][0], dev[d][1])[0] for d in dev}
        mean = sum(scores.values()) / len(scores)
        print(
            f"dev beam 5, length penalty {alpha}: " + ", ".join(f"{d} {v:.2f}" for d, v in scores.items()) + f"; mean {mean:.2f}",
            flush=True,
        )
        if mean > best_mean:
            best_alpha, best_mean, best_dev = alpha, mean, {"results": results, "scores": scores}
    dev_conf = [c for d in dev for c in best_dev["results"][d][1]]
    dev_chrf = [c for d in dev for c in sentence_chrfs(best_dev["results"][d][0], dev[d][1])]
    thresholds = fit_thresholds(dev_conf, dev_chrf)

    metrics: dict = {
        "tests": {},
        "length_penalty": best_alpha,
        "length_penalty_chosen": len(alphas) > 1,
        "dev_sacrebleu_beam5": round(best_mean, 2),
        "dev_sacrebleu_by_domain": {d: round(v, 2) for d, v in best_dev["scores"].items()},
    }
    test_conf, test_chrf = [], []
    options = DecodeOptions(beam_width=5, length_penalty=best_alpha)
    for s in EVAL_SETS:
        src, ref = s.read("test", test_limit)
        started = time.perf_counter()
        hyps, conf = translate_scored(translator, src, options)
        seconds = time.perf_counter() - started
        bleu, signature = sacrebleu_score(hyps, ref)
        entry = {
            "test_set": s.title,
            "sacrebleu": round(bleu, 2),
            "chrf": round(chrf_score(hyps, ref), 2),
            "sentences_per_second": round(len(src) / seconds, 1),
        }
        if s.tokenized_bleu:
            entry["tokenized_bleu"] = round(tokenized_bleu(hyps, ref), 2)
        metrics["tests"][s.domain] = entry
        test_conf += conf
        test_chrf += sentence_chrfs(hyps, ref)
        print(f"test {s.domain} beam 5: " + ", ".join(f"{k} {v}" for k, v in entry.items()), flush=True)
    metrics["sacrebleu_signature"] = signature
    metrics["test_sacrebleu_mean"] = round(sum(t["sacrebleu"] for t in metrics["tests"].values()) / len(metrics["tests"]), 2)
    captions = metrics["tests"].get("captions", {})
    metrics["test_sacrebleu"] = captions.get("sacrebleu")  # the Multi30k headline of earlier cards
    metrics["test_tokenized_bleu"] = captions.get("tokenized_bleu")
    metrics["confidence"] = {
        "dev": measure(dev_conf, dev_chrf, thresholds).to_dict(),
        "test": measure(test_conf, test_chrf, thresholds).to_dict(),
    }
    print("confidence thresholds", thresholds.to_dict(), json.dumps(metrics["confidence"]), flush=True)
    return metrics, thresholds.to_dict()


def evaluation_notes(metrics: dict, shortlist: bool = False) -> str:
    rows = "\n".join(f"| {d} | {t['test_set']} | {t['sacrebleu']:.2f} | {t['chrf']:.2f} |" for d, t in metrics["tests"].items())
    conf = metrics["confidence"]
    chosen = (
        "chosen on the dev sets: Tatoeba dev, newstest2013, Multi30k val"
        if metrics.get("length_penalty_chosen", True)
        else "the model's own, kept"
    )
    return (
        f"\n## Evaluation\n\nBeam 5, length penalty {metrics['length_penalty']} ({chosen}). sacreBLEU is on "
        f"detokenized, cased output (`{metrics['sacrebleu_signature']}`).\n\n"
        f"| domain | test set | sacreBLEU | chrF |\n|---|---|---|---|\n{rows}\n\n"
        "Confidence (mean token log-probability, thresholds fitted on dev): correlation with sentence chrF "
        f"{conf['dev']['pearson']:.2f} on dev and {conf['test']['pearson']:.2f} on test (Pearson); "
        f"{conf['test']['worst_decile_flagged']:.0%} of the worst-scoring tenth of the test sentences are flagged low.\n"
        + (
            "\nThese figures are with the model's vocabulary shortlist (`shortlist.safetensors`, built from its "
            "training corpora): each sentence scores only the target subwords likely for it, which makes decoding "
            "faster; `--full-vocabulary` scores them all.\n"
            if shortlist
            else ""
        )
    )


def credits_notes(domains: list[str]) -> str:
    lines = [f"- {c.name} ({c.domain}): {c.credit} Licence: {c.licence}." for c in credits_for(domains)]
    return "\n## Data and credits\n\n" + "\n".join(lines) + "\n" if lines else ""


def card_text(meta, config, notes_file: Path, shortlist: bool) -> str:
    """The model card: the notes on how it was made, then its measured figures and the corpora's credits."""
    notes = notes_file.read_text(encoding="utf-8") if notes_file.is_file() else ""
    return write_model_card(meta, config, notes + evaluation_notes(meta.metrics, shortlist) + credits_notes(meta.domains))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("model", type=Path, help="a run's best/ folder, or a shipped model folder with --remeasure")
    parser.add_argument("--name", required=True)
    parser.add_argument("--notes", type=Path, help="markdown for the model card (default: scripts/model_notes/NAME.md)")
    parser.add_argument("--replace", action="store_true")
    parser.add_argument(
        "--min-gain",
        type=float,
        default=0.2,
        help="replace only if mean dev sacreBLEU at beam 5 rises by at least this much (smaller is noise)",
    )
    parser.add_argument("--description", help="the one line the app's model list shows")
    parser.add_argument("--domains", help="comma-separated domains (default: from the training recipe)")
    parser.add_argument("--alphas", default="0.6,1.0,1.4", help="length penalties to choose from on dev")
    parser.add_argument("--dev-limit", type=int, default=1000, help="sentences per dev set (0: all)")
    parser.add_argument("--test-limit", type=int, default=0, help="sentences per test set (0: all; only for smoke tests)")
    parser.add_argument("--evaluate-only", action="store_true")
    parser.add_argument("--remeasure", action="store_true", help="update a shipped model's figures and card, not its weights")
    parser.add_argument(
        "--card-only",
        action="store_true",
        help="write a shipped model's card again from its notes and stored figures (after editing the notes)",
    )
    parser.add_argument("--hardware", help="what it was trained on (default: this machine's CPU)")
    parser.add_argument(
        "--no-shortlist",
        action="store_true",
        help="ship without a vocabulary shortlist (core.shortlist; a Transformer never has one)",
    )
    args = parser.parse_args()

    loaded = load_model_folder(args.model)
    target = ROOT / "models" / args.name
    notes_file = args.notes or NOTES / f"{args.name}.md"
    if args.card_only:
        shortlist = (args.model / SHORTLIST_FILE).is_file()
        (args.model / "README.md").write_text(card_text(loaded.metadata, loaded.config, notes_file, shortlist), encoding="utf-8")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        half = (
            args.model
            if args.remeasure
            else save_model_folder(Path(tmp) / args.name, loaded.model, loaded.vocab, loaded.metadata)
        )
        if (
            not args.remeasure and not args.no_shortlist and loaded.config.architecture != "transformer"
        ):  # CTranslate2 decodes those
            build_run_shortlist(args.model.parent, half)
        translator = Translator.load(half, device="cpu")
        metrics, thresholds = measure_model(
            translator, [float(a) for a in args.alphas.split(",")], args.dev_limit, args.test_limit
        )
        if args.test_limit and not args.evaluate_only:
            raise SystemExit("--test-limit is for smoke tests: use it with --evaluate-only")
        if args.evaluate_only:
            metrics["parameters"] = translator.model.num_parameters()
            (args.model.parent / "evaluation.json").write_text(json.dumps(metrics, indent=2), encoding="utf-8")
            print(json.dumps(metrics, indent=2))
            return 0
        meta = translator.metadata
        meta.name = args.name
        meta.metrics = {**meta.metrics, **metrics} if args.remeasure else metrics
        meta.confidence = thresholds
        meta.default_decoding = {"beam_width": 5, "length_penalty": metrics["length_penalty"]}
        if args.domains:
            meta.domains = [d.strip() for d in args.domains.split(",") if d.strip()]
        if args.description:
            meta.description = args.description
        if not args.remeasure:
            meta.training["hardware"] = (
                args.hardware or f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} CPU threads"
            )
            meta.training.update(run_history(args.model.parent))
        card = card_text(meta, translator.model.config, notes_file, translator.shortlist is not None)
        fields = dict(
            name=args.name,
            description=meta.description,
            metrics=meta.metrics,
            confidence=thresholds,
            default_decoding=meta.default_decoding,
            domains=meta.domains,
            training=meta.training,
        )
        if args.remeasure:
            update_config_fields(args.model, **fields)
            (args.model / "README.md").write_text(card, encoding="utf-8")
            print(json.dumps(metrics, indent=2))
            return 0
        if target.exists():
            old = read_config(target).get("metrics", {}).get("dev_sacrebleu_beam5", 0)  # models are chosen on dev
            if not args.replace or metrics["dev_sacrebleu_beam5"] < old + args.min_gain:
                print(f"{target} exists (mean dev sacreBLEU at beam 5: {old}); not replaced", file=sys.stderr)
                return 1
        update_config_fields(half, **fields)
        (half / "README.md").write_text(card, encoding="utf-8")
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
