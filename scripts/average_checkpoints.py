"""Average the weights of a run's last epochs (Vaswani et al. 2017, §6.1) and keep it if val says so.

    python scripts/average_checkpoints.py runs/transformer --last 5

Needs a run trained with ``"keep_epoch_weights": N`` in its TrainConfig. Writes ``runs/X/averaged``
(a full-precision model folder like ``best/``) and prints greedy val sacreBLEU for the best single
epoch and for averages of the last 2..N epochs, so the choice is made on val, never on test.
Publish the winner with ``scripts/publish_model.py``.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import torch

from multi30k import read_split
from translator_app.core.checkpoint import average_weights, epoch_weight_files
from translator_app.core.evaluation import evaluate_pairs
from translator_app.core.modelfile import load_model_folder, save_model_folder
from translator_app.core.search import DecodeOptions
from translator_app.core.translator import Translator


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("run", type=Path)
    parser.add_argument("--last", type=int, default=5, help="average at most this many final epochs")
    args = parser.parse_args()

    snapshots = epoch_weight_files(args.run)[-args.last :]
    if len(snapshots) < 2:
        raise SystemExit(f"{args.run}: fewer than two epoch snapshots (train with keep_epoch_weights)")
    loaded = load_model_folder(args.run / "best")
    src, ref = read_split("val")
    greedy = DecodeOptions(beam_width=1)

    def val_bleu() -> float:
        loaded.model.eval()
        return evaluate_pairs(Translator(loaded, torch.device("cpu")), src, ref, greedy).scores.sacrebleu

    results = {"best single epoch": (val_bleu(), None)}
    print(
        f"best single epoch ({loaded.metadata.training.get('best_epoch')}): val sacreBLEU {results['best single epoch'][0]:.2f}",
        flush=True,
    )
    for n in range(2, len(snapshots) + 1):
        chosen = snapshots[-n:]
        loaded.model.load_state_dict(average_weights(chosen))
        score = val_bleu()
        label = f"average of {', '.join(p.stem for p in chosen)}"
        results[label] = (score, chosen)
        print(f"{label}: val sacreBLEU {score:.2f}", flush=True)
    label, (score, chosen) = max(results.items(), key=lambda item: item[1][0])
    if chosen is None:
        print("averaging does not help on val: keep best/")
        return 0
    loaded.model.load_state_dict(average_weights(chosen))
    loaded.metadata.training = {
        **loaded.metadata.training,
        "averaged_epochs": [p.stem for p in chosen],
        "val_bleu": round(score, 2),
    }
    out = args.run / "averaged"
    shutil.rmtree(out, ignore_errors=True)
    save_model_folder(out, loaded.model, loaded.vocab, loaded.metadata, half_precision=False)
    (out / "averaging.json").write_text(json.dumps({k: round(v[0], 2) for k, v in results.items()}, indent=1))
    print(f"chosen: {label} ({score:.2f}); written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
