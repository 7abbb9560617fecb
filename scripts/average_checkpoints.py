"""Average the weights of a run's last epochs (Vaswani et al. 2017, §6.1) and keep it if val says so.

    python scripts/average_checkpoints.py runs/transformer --last 5
    python scripts/average_checkpoints.py runs/general-transformer-e1 runs/general-transformer-e2 runs/general-transformer-e3

The first form needs a run trained with ``"keep_epoch_weights": N`` in its TrainConfig and averages
its last epochs. The second averages the best models of consecutive continuation runs (each one
fine-tuned from the one before, with a learning-rate cycle of its own: snapshots of one model at
the end of each cycle). Writes ``averaged/`` in the (last) run (a full-precision model folder like
``best/``) and prints greedy val sacreBLEU for the best single model and for averages of the last
2..N, so the choice is made on validation, never on test: the run's own validation pairs (those its
training validated on), or Multi30k's val for a run that stored none. Publish the winner with
``scripts/publish_model.py``.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import torch

from multi30k import read_split
from translator_app.core.training.checkpoint import average_weights, epoch_weight_files
from translator_app.core.training.corpus_store import EncodedCorpus, has_corpus
from translator_app.core.evaluation import evaluate_pairs
from translator_app.core.modelfile import load_model_folder, save_model_folder
from translator_app.core.types.modelformat import WEIGHTS_FILE
from translator_app.core.types.options import DecodeOptions
from translator_app.core.training.trainer import BEST_DIR
from translator_app.core.translator import Translator


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("runs", type=Path, nargs="+", help="one run (its epochs), or several continuation runs, oldest first")
    parser.add_argument("--last", type=int, default=5, help="average at most this many final snapshots")
    args = parser.parse_args()

    run = args.runs[-1]
    if len(args.runs) > 1:
        snapshots = [folder / BEST_DIR / WEIGHTS_FILE for folder in args.runs][-args.last :]
    else:
        snapshots = epoch_weight_files(run)[-args.last :]
    if len(snapshots) < 2:
        raise SystemExit(f"{run}: fewer than two snapshots (train with keep_epoch_weights, or name several runs)")
    loaded = load_model_folder(run / BEST_DIR)
    if has_corpus(run):
        pairs = EncodedCorpus.open(run)[1]["validation"]
        src, ref = [de for de, _ in pairs], [en for _, en in pairs]
    else:
        src, ref = read_split("val")
    greedy = DecodeOptions(beam_width=1)

    def val_bleu() -> float:
        loaded.model.eval()
        return evaluate_pairs(Translator(loaded, torch.device("cpu")), src, ref, greedy).scores.sacrebleu

    results = {"best single epoch": (val_bleu(), None)}
    print(
        f"best single model ({run.name}, epoch {loaded.metadata.training.get('best_epoch')}): "
        f"val sacreBLEU {results['best single epoch'][0]:.2f}",
        flush=True,
    )
    for n in range(2, len(snapshots) + 1):
        chosen = snapshots[-n:]
        loaded.model.load_state_dict(average_weights(chosen))
        score = val_bleu()
        label = f"average of {', '.join(_name(p) for p in chosen)}"
        results[label] = (score, chosen)
        print(f"{label}: val sacreBLEU {score:.2f}", flush=True)
    label, (score, chosen) = max(results.items(), key=lambda item: item[1][0])
    if chosen is None:
        print("averaging does not help on val: keep best/")
        return 0
    loaded.model.load_state_dict(average_weights(chosen))
    loaded.metadata.training = {**loaded.metadata.training, "averaged": [_name(p) for p in chosen], "val_bleu": round(score, 2)}
    out = run / "averaged"
    shutil.rmtree(out, ignore_errors=True)
    save_model_folder(out, loaded.model, loaded.vocab, loaded.metadata, half_precision=False)
    (out / "averaging.json").write_text(json.dumps({k: round(v[0], 2) for k, v in results.items()}, indent=1))
    print(f"chosen: {label} ({score:.2f}); written to {out}")
    return 0


def _name(snapshot: Path) -> str:
    """An epoch snapshot's name, or the run a best model is from."""
    return snapshot.parents[1].name if snapshot.name == WEIGHTS_FILE else snapshot.stem


if __name__ == "__main__":
    raise SystemExit(main())
