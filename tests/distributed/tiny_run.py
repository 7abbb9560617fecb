"""One rank (or the single process) of a tiny training run, started the way torchrun starts it.

    WORLD_SIZE=2 RANK=r LOCAL_RANK=r MASTER_ADDR=127.0.0.1 MASTER_PORT=p python tiny_run.py VOCAB RUN OUT [--resume]

Trains a small LSTM on 97 fixed pairs of token ids (so the last batch of 16 leaves one rank a
single weight-0 pair) and writes its final weights to OUT/rank{RANK}.safetensors (or single). On
ranks other than 0, every way the trainer writes files is replaced by a failure: a rank that
wrote would crash the run. ``KILL_AT_STEP`` makes rank 0 print "killable" at that step and wait.
"""

import os
import random
import sys
import time
from pathlib import Path

import torch
from safetensors.torch import save_file

import translator_app.core.training.trainer as trainer_module
from translator_app.core.training.corpus_store import EncodedPair, ids
from translator_app.core.training.distributed import from_environment
from translator_app.core.types.modelformat import ModelMetadata
from translator_app.core.models import build_model
from translator_app.core.models.lstm import LSTMConfig
from translator_app.core.text import BOS_ID, EOS_ID, SubwordVocab
from translator_app.core.training.trainer import Trainer
from translator_app.core.types.train_config import TrainConfig

vocab_path, run_dir, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
resume = "--resume" in sys.argv
torch.set_num_threads(1)
distributed = from_environment()
if not distributed.is_main:

    def refuse(*_args, **_kwargs):
        raise AssertionError(f"rank {distributed.rank} tried to write into the run folder")

    for name in ("save_checkpoint", "save_model_folder", "save_epoch_weights"):
        setattr(trainer_module, name, refuse)

vocab = SubwordVocab.from_file(vocab_path)
rng = random.Random(7)
pairs = [
    EncodedPair(
        ids([rng.randrange(4, len(vocab)) for _ in range(rng.randint(3, 12))] + [EOS_ID]),
        ids([BOS_ID] + [rng.randrange(4, len(vocab)) for _ in range(rng.randint(3, 12))] + [EOS_ID]),
    )
    for _ in range(97)
]
torch.manual_seed(0)
model = build_model(LSTMConfig(vocab_size=len(vocab), emb_dim=16, hidden_dim=32, num_layers=1, dropout=0.0))
config = TrainConfig(
    epochs=3, batch_size=16, learning_rate=5e-3, warmup_steps=2, checkpoint_every=3, precision="fp32", patience=10
)
kill_at = int(os.environ.get("KILL_AT_STEP", "0"))


def on_event(event):
    if kill_at and event.kind == "checkpoint" and event.step == kill_at:
        print("killable", flush=True)
        time.sleep(600)  # the test kills the whole job here


trainer = Trainer(
    model,
    vocab,
    pairs,
    [],
    config,
    run_dir,
    ModelMetadata(name="tiny"),
    val_encoded=pairs[:20],
    callback=on_event,
    distributed=distributed,
)
result = trainer.fit(resume=resume)
name = f"rank{distributed.rank}" if distributed.enabled else "single"
out.mkdir(parents=True, exist_ok=True)
save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(out / f"{name}.safetensors"))
print(f"{name} {result.status} {result.steps}", flush=True)
distributed.close()
