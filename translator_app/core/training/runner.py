"""What the training facade (``core.training.facade``) runs: a run prepared, timed and published.

Preparing reads the data (a user's files or a recipe's corpora), builds the vocabulary and the
model (or takes the base model's) and makes the ``Trainer``; what a run is asked to do, and the
defaults both shells fill it from, are ``core.types.run_spec``'s. A run lives in its own folder
under the user data folder (``runs/NAME``) with ``run.json`` (what was asked), the vocabulary, the
resumable checkpoint and the best model so far. Publishing copies the best model, in half
precision with a model card, to ``models/NAME``; an existing model is never overwritten and the
shipped models are only ever read.
"""

from __future__ import annotations

import copy
import json
import shutil
import time
from dataclasses import asdict
from pathlib import Path
from typing import Callable

import torch

from translator_app.core.atomic import remove_tree_atomically
from translator_app.core.batching import MAX_SUBWORDS, encode_kept, encode_pairs
from translator_app.core.catalog import find_model
from translator_app.core.model_store import validate_model_name
from translator_app.core.devices import describe_device, resolve_device
from translator_app.core.model_card import write_model_card
from translator_app.core.modelfile import load_model_folder, save_model_folder
from translator_app.core.types.modelformat import ModelFileError, ModelMetadata
from translator_app.core.models import build_model, config_from_dict
from translator_app.core.paths import user_models_dir, user_runs_dir
from translator_app.core.protect import protect_pair
from translator_app.core.replay import ReplaySample, load_replay, replay_path
from translator_app.core.text import SubwordVocab
from translator_app.core.types.train_types import TrainEvent, TrainResult
from translator_app.core.training.checkpoint import has_checkpoint
from translator_app.core.training.corpus_store import CorpusWriter, EncodedCorpus, has_corpus
from translator_app.core.training.distributed import Distributed, from_environment, rank_device
from translator_app.core.training.facade import PreparedRun
from translator_app.core.types.run_spec import RUN_FILE, RunSpec, load_run_spec
from translator_app.core.training.run_text import RunText, read_run_text
from translator_app.core.training.runlock import RunLock
from translator_app.core.training.trainer import BEST_DIR, Trainer
from translator_app.core.types.errors import AlreadyExists, InvalidInput

USER_DATA_DOMAIN = "your data"  # the domain a model trained on the user's own files is labelled with


def prepare_run(
    spec: RunSpec,
    *,
    callback: Callable[[TrainEvent], None] | None = None,
    resume: bool = False,
    run_dir: Path | None = None,
    check_name: bool = True,
) -> PreparedRun:
    """Read the data, build the vocabulary and model (or take the base model's), make a Trainer.

    ``check_name`` False is for the project's own recipes, whose model may already be shipped.
    Under ``torchrun`` every rank calls this: rank 0 reads, encodes and writes the run folder as a
    single process would, and the other ranks then open what it wrote (core.training.distributed).
    """
    run_dir = Path(run_dir) if run_dir else user_runs_dir() / spec.name
    device = resolve_device(spec.device)
    distributed = from_environment(device)
    device = rank_device(device, distributed)
    if not distributed.is_main:
        distributed.barrier()  # rank 0 has prepared the folder: read it, write nothing
        if not has_corpus(run_dir):  # another machine whose disk does not hold rank 0's folder
            raise InvalidInput(
                f"rank {distributed.rank} cannot see {run_dir}, which rank 0 has just prepared: put the run "
                "folder on storage every machine of the job can read (see the README, Training on several GPUs or machines)"
            )
        follower = _prepare_locked(spec, run_dir, callback, True, device, distributed)
        follower.resumed = resume  # read as a resumed run; trains as rank 0 does
        return follower
    if not resume and check_name:
        validate_model_name(spec.name)
    lock = RunLock(run_dir).acquire()  # before anything in the folder is touched
    try:
        prepared = _prepare_locked(spec, run_dir, callback, resume, device, distributed)
    except BaseException:
        if not resume and run_dir.is_dir() and not has_checkpoint(run_dir):  # a refused new run leaves nothing
            remove_tree_atomically(run_dir)
        lock.release()
        raise
    prepared.lock = lock
    distributed.barrier()  # the other ranks may read the folder now
    return prepared


def _prepare_locked(
    spec: RunSpec,
    run_dir: Path,
    callback: Callable[[TrainEvent], None] | None,
    resume: bool,
    device: torch.device,
    distributed: Distributed,
) -> PreparedRun:
    writes = distributed.is_main
    if not resume:
        if has_checkpoint(run_dir):
            raise AlreadyExists(f"an unfinished run named {spec.name!r} exists; resume it or choose another name")
        shutil.rmtree(run_dir, ignore_errors=True)
    stored = resume and has_corpus(run_dir)
    text: RunText | None = None
    if stored:  # a resumed run trains on exactly the pairs it started with, without reading the text again
        corpus, info = EncodedCorpus.open(run_dir)
        val_pairs = [(str(de), str(en)) for de, en in info["validation"]]
        data_report, dropped = str(info["report"]), int(info["dropped"])
    if writes:
        run_dir.mkdir(parents=True, exist_ok=True)
    try:
        if not stored:  # streamed into a spool beside the run: the corpus is never held as strings
            text = read_run_text(spec, run_dir)
            val_pairs, data_report = text.validation, text.report
        vocab_path = run_dir / "spm.model"
        replay: ReplaySample | None = None
        if spec.base_model:
            base = load_model_folder(find_model(spec.base_model))
            model, vocab, config = base.model, base.vocab, base.config
            lineage = {"base_model": base.metadata.name, "base_training": base.metadata.training}
            replay = load_replay(base.path, len(vocab))
        else:
            if vocab_path.exists():
                vocab = SubwordVocab.from_file(vocab_path)
            elif text is None:
                raise InvalidInput(f"{vocab_path}: missing, so the run cannot be resumed; discard it and start it again")
            else:
                vocab = SubwordVocab.train(text.sentences(), vocab_size=spec.vocab_size, placeholders=spec.placeholders)
            config = config_from_dict(spec.architecture, {**spec.hyperparameters, "vocab_size": len(vocab)})
            torch.manual_seed(spec.train.seed)  # the same recipe starts from the same weights: runs are reproducible
            model = build_model(config)
            lineage = {}
        if writes:
            vocab.save(vocab_path)
        # with placeholders, the model learns to copy numbers, URLs, ... as the translator masks them
        protect = protect_pair if vocab.has_placeholders else None
        if text is not None:
            dropped = _write_corpus(text, vocab, run_dir, spec.train.subword_sampling > 0, protect)
            corpus, _ = EncodedCorpus.open(run_dir)  # memory-mapped: the pages are the file's, shared between ranks
    finally:
        if text is not None:
            text.close()
    model.to(device)
    val_encoded, _ = encode_pairs(vocab, val_pairs, transform=protect)
    files = [f for part in spec.corpora for f in part.files] or spec.data
    metadata = ModelMetadata(
        name=spec.name,
        description=spec.description
        or (
            (f"Fine-tuned from {lineage['base_model']}" if lineage else f"{config.architecture} trained from scratch")
            + f" on {', '.join(Path(p).name for p in files)}"
        ),
        training={
            **lineage,
            "data": [str(p) for p in files],
            "pairs": len(corpus),
            "validation_pairs": len(val_pairs),
            "data_report": data_report,
            "hyperparameters": asdict(spec.train),
            "hardware": describe_device(device),
            "started": time.strftime("%Y-%m-%d %H:%M"),
        },
    )
    if writes:
        (run_dir / RUN_FILE).write_text(json.dumps(spec.to_dict(), indent=2), encoding="utf-8")
    trainer = Trainer(
        model,
        vocab,
        corpus,
        val_pairs,
        spec.train,
        run_dir,
        metadata,
        val_encoded=val_encoded,
        callback=callback,
        device=device,
        measure_base=bool(spec.base_model),
        distributed=distributed,
        replay=replay,
        replay_ratio=spec.replay_ratio,
    )
    own = [part.domain for part in spec.corpora if part.domain] or [USER_DATA_DOMAIN]
    metadata.domains = list(dict.fromkeys((base.metadata.domains if spec.base_model else []) + own))
    if spec.base_model:  # decoded as its base was tuned to be (length penalty chosen on dev), confidence alike
        metadata.default_decoding = dict(base.metadata.default_decoding)
        metadata.confidence = dict(base.metadata.confidence)
        metadata.training["replay"] = _replay_note(replay, spec.replay_ratio, len(corpus))
    if spec.corpora:
        metadata.training["corpora"] = [asdict(part) for part in spec.corpora]
        metadata.training["validation_corpora"] = [asdict(part) for part in spec.validation_corpora]
    report = data_report + (f"; {dropped} longer than {MAX_SUBWORDS} subwords dropped" if dropped else "")
    return PreparedRun(trainer, run_dir, spec, report, len(corpus), len(val_pairs), resumed=resume)


def _replay_note(replay: ReplaySample | None, ratio: float, own_pairs: int) -> str:
    """How the run mixed (or did not mix) the base model's own pairs into the user's."""
    if replay is None:
        return "none: the base model ships no replay sample, so only your pairs were trained on"
    if ratio <= 0:
        return f"off: only your pairs were trained on ({len(replay.general)} general sentences still measured)"
    return (
        f"{min(round(own_pairs * ratio), len(replay.pairs)):,} of the base model's {len(replay.pairs):,} replay pairs "
        f"mixed in each epoch ({ratio:g} per pair of yours)"
    )


def _write_corpus(
    text: RunText, vocab: SubwordVocab, run_dir: Path, keep_text: bool, protect: Callable[[str, str], tuple[str, str]] | None
) -> int:
    """Encode the run's text a chunk at a time straight into its store on disk; returns the pairs dropped."""
    with CorpusWriter(run_dir, keep_text=keep_text) as writer:
        kept, dropped = encode_kept(vocab, text.pairs(), keep_text=keep_text, transform=protect)
        writer.add_all(kept)
        if not len(writer):
            raise InvalidInput("none of the training pairs is usable (all empty or too long)")
        writer.finish({"validation": text.validation, "report": text.report, "dropped": dropped()})
    return dropped()


def publish_run(run_dir: Path, name: str | None = None, result: TrainResult | None = None) -> Path:
    """Save the run's best model as a user model (half precision, with a card); never overwrite."""
    run_dir = Path(run_dir)
    best = run_dir / BEST_DIR
    if not best.exists():
        raise InvalidInput("no epoch has finished yet, so there is no model to save")
    loaded = load_model_folder(best)
    name = name or loaded.metadata.name
    validate_model_name(name)
    loaded.metadata.name = name
    if result is not None:
        loaded.metadata.training.update(
            {
                "status": str(result.status),
                "epochs": result.epochs_completed,
                "train_seconds": round(result.seconds, 1),
                "history": result.history,
            }
        )
        if result.base_val_bleu is not None:  # before → after, on the same validation pairs
            loaded.metadata.training["base_val_bleu"] = round(result.base_val_bleu, 2)
        if result.base_general_bleu is not None and result.best_general_bleu is not None:  # and on general German
            loaded.metadata.training["base_general_bleu"] = round(result.base_general_bleu, 2)
            loaded.metadata.training["general_bleu"] = round(result.best_general_bleu, 2)
    target = user_models_dir() / name
    save_model_folder(
        target,
        loaded.model,
        loaded.vocab,
        loaded.metadata,
        model_card=write_model_card(loaded.metadata, loaded.config),
        extra_files=_carried_files(run_dir),
    )
    return target


def _carried_files(run_dir: Path) -> list[Path]:
    """The base model's replay sample, carried on so that the new model can be fine-tuned the same way."""
    try:
        base = load_run_spec(run_dir).base_model
        source = replay_path(find_model(base)) if base else None
    except (ValueError, OSError, ModelFileError):  # the run or its base has gone: publish without it
        return []
    return [source] if source is not None and source.is_file() else []


def estimate_seconds(prepared: PreparedRun, sample_steps: int = 3) -> float:
    """How long the whole run will take on its device: measured with real batches, not guessed.

    The trainer's own ``train_step`` (learning rate, loss, backward, clipping, the optimizer's update)
    runs a few times on a throw-away copy of the trainer: a deep copy of the model with an optimizer
    of its own (``build_optimizer``), on batches picked at evenly spaced sizes from the first epoch,
    after an untimed warm-up pass over the same batches. ``validate`` (loss plus greedy decoding,
    exactly as the run does it) is timed on a sample of the validation pairs, after an untimed
    warm-up on two of them. The median step time is scaled by the run's steps (batches per epoch ×
    epochs), the validation time by the validation pairs and the validations (one per epoch, and the
    base model's first when fine-tuning). The run's own model, optimizer and random-number state are
    left untouched.
    """
    trainer = prepared.trainer
    shadow = _throwaway_copy(trainer)
    with torch.random.fork_rng(devices=[trainer.device] if trainer.device.type == "cuda" else []):
        per_step = _time_steps(shadow, max(1, int(sample_steps)))
        per_validation = _time_validation(shadow, trainer)
    return per_step * trainer.total_steps + per_validation * (trainer.config.epochs + int(trainer.measure_base))


VALIDATION_SAMPLE = 32  # validation pairs timed for an estimate (scaled to all of them)


def _throwaway_copy(trainer: Trainer) -> Trainer:
    """The trainer with a deep copy of its model and an optimizer of its own: its steps change nothing of the run's."""
    shadow = copy.copy(trainer)
    shadow.model = copy.deepcopy(trainer.model)
    shadow.optimizer = shadow.build_optimizer()
    shadow.callback = lambda event: None
    return shadow


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def _time_steps(shadow: Trainer, sample_steps: int) -> float:
    """The median seconds of one ``train_step``: one hiccup (another thread, the OS) must not multiply the estimate."""
    pairs = shadow.epoch_pairs(0)  # sampled subwords make longer batches: time those
    batches = shadow.epoch_batches(pairs, 0)
    by_size = sorted(batches, key=lambda b: len(b) * max(len(pairs[i].src) + len(pairs[i].tgt) for i in b))
    chosen = [by_size[min(len(by_size) - 1, int((k + 0.5) * len(by_size) / sample_steps))] for k in range(sample_steps)]
    shadow.model.train()
    for batch in chosen:  # warm-up: first-call allocations, and the kernels
        shadow.train_step(pairs, batch, 0)  # chosen for each new shape, which a run amortises
    _sync(shadow.device)
    times = []
    for batch in chosen:  # at the schedule's first step: its rate costs no time
        started = time.perf_counter()
        shadow.train_step(pairs, batch, 0)
        _sync(shadow.device)
        times.append(time.perf_counter() - started)
    return sorted(times)[len(times) // 2]


def _time_validation(shadow: Trainer, trainer: Trainer) -> float:
    """The seconds of one validation of all the run's validation pairs, measured on a sample of them."""
    if not (trainer.val_pairs or trainer.val_encoded):
        return 0.0
    shadow.general_pairs = []  # timed on the user's pairs alone; the general sample is counted below
    shadow.val_pairs, shadow.val_encoded = trainer.val_pairs[:2], trainer.val_encoded[:2]
    shadow.validate()  # warm-up: the sentence splitter and BLEU load on first use
    sample = min(len(trainer.val_pairs) or len(trainer.val_encoded), VALIDATION_SAMPLE)
    shadow.val_pairs, shadow.val_encoded = trainer.val_pairs[:sample], trainer.val_encoded[:sample]
    started = time.perf_counter()
    shadow.validate()
    _sync(shadow.device)
    measured = time.perf_counter() - started
    # general sentences are about twice as long as a validation pair of a user's memory
    sentences = max(len(trainer.val_pairs), len(trainer.val_encoded)) + 2 * len(trainer.general_pairs)
    return measured * sentences / max(sample, 1)
