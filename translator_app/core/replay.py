"""A general model's replay sample: what a fine-tune mixes in so that it does not forget German.

Fine-tuning on a few thousand of the user's pairs alone makes a model better at their domain and
worse at everything else (catastrophic forgetting: on UI strings the default LSTM lost 6.7 BLEU on
everyday German). Mixed fine-tuning (Chu et al. 2017) trains on the user's pairs together with a
sample of the original training data, so the model keeps seeing the German it knew.

Each general model ships ``replay.safetensors`` in its folder (``scripts/build_replay.py``):
- ``src``/``tgt`` with ``src_offsets``/``tgt_offsets``: a few tens of thousands of its own training
  pairs, already encoded with its vocabulary and masked as its training data was (``protect_pair``),
  packed as ``core.training.corpus_store`` packs a run's corpus;
- ``general_de``/``general_en``: a fixed general validation sample (sentences of the dev sets, UTF-8,
  one a line), on which every fine-tune is measured before its first step and after each epoch, so
  what was lost is measured as carefully as what was gained; ``general_domain`` says which domain
  each sentence is of (the names in the file's metadata), since a loss on one (everyday German,
  short like UI strings) hides in the mean of all.

Nothing is unpickled; every array is checked (integer ids inside the vocabulary, offsets that
match) before a run uses it. A fine-tuned model carries its base's sample on, so it can be
fine-tuned again the same way.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np
from safetensors import SafetensorError, safe_open
from safetensors.numpy import load_file, save

from translator_app.core.atomic import write_file_atomic
from translator_app.core.training.corpus_store import EncodedCorpus, EncodedPair
from translator_app.core.types.modelformat import REPLAY_FILE, ModelFileError, check_size
from translator_app.core.types.errors import InvalidInput

_ARRAYS = ("src", "src_offsets", "tgt", "tgt_offsets")
_GENERAL = ("general_de", "general_en")


@dataclass
class ReplaySample:
    """The base model's own training pairs (encoded) and its general validation pairs (text), by domain."""

    pairs: EncodedCorpus
    general: list[tuple[str, str]]
    general_domains: list[str] = field(default_factory=list)  # general[i]'s domain; empty: one unnamed domain

    def general_by_domain(self) -> dict[str, list[tuple[str, str]]]:
        """The general pairs of each domain, in the sample's order ("general" when it names none)."""
        if len(self.general_domains) != len(self.general):
            return {"general": list(self.general)}
        parts: dict[str, list[tuple[str, str]]] = {}
        for pair, domain in zip(self.general, self.general_domains):
            parts.setdefault(domain, []).append(pair)
        return parts

    def draw(self, count: int, seed: int, epoch: int) -> list[int]:
        """``count`` indices of the sample, a fresh draw every epoch, the same for the same (seed, epoch),
        so a resumed run sees exactly the pairs it would have."""
        count = max(0, min(count, len(self.pairs)))
        return random.Random(seed * 7919 + epoch).sample(range(len(self.pairs)), count)


class MixedPairs(Sequence[EncodedPair]):
    """The user's pairs followed by this epoch's replay pairs, as one sequence the batcher can index."""

    def __init__(self, own: Sequence[EncodedPair], replay: EncodedCorpus, chosen: list[int]):
        self.own, self.replay, self.chosen = own, replay, chosen

    def __len__(self) -> int:
        return len(self.own) + len(self.chosen)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if index < len(self.own):
            return self.own[index]
        return self.replay[self.chosen[index - len(self.own)]]

    def __iter__(self) -> Iterator[EncodedPair]:
        return (self[i] for i in range(len(self)))


def replay_path(folder: Path) -> Path:
    return Path(folder) / REPLAY_FILE


def load_replay(folder: Path, vocab_size: int) -> ReplaySample | None:
    """The sample in a model folder, checked; None when the model ships none."""
    path = replay_path(folder)
    if not path.is_file():
        return None
    check_size(path)  # a file far larger than any sample is refused before it is read
    try:
        arrays = load_file(str(path))
    except (SafetensorError, OSError, ValueError, RuntimeError) as exc:
        raise ModelFileError(f"{path}: unreadable or truncated replay sample ({exc})") from None
    missing = [name for name in _ARRAYS + _GENERAL if name not in arrays]
    if missing:
        raise ModelFileError(f"{path}: not a replay sample (missing {', '.join(missing)})")
    for name in _ARRAYS:
        if arrays[name].dtype.kind not in "iu" or arrays[name].ndim != 1:
            raise ModelFileError(f"{path}: {name} must be a list of whole numbers")
    src, tgt = arrays["src"].astype(np.int32), arrays["tgt"].astype(np.int32)
    for ids in (src, tgt):
        if len(ids) and (ids.min() < 0 or ids.max() >= vocab_size):
            raise ModelFileError(f"{path}: holds subword ids outside the model's vocabulary of {vocab_size}")
    src_offsets, tgt_offsets = arrays["src_offsets"].astype(np.int64), arrays["tgt_offsets"].astype(np.int64)
    for offsets, ids in ((src_offsets, src), (tgt_offsets, tgt)):
        if len(offsets) < 1 or offsets[0] != 0 or offsets[-1] != len(ids) or np.any(np.diff(offsets) <= 0):
            raise ModelFileError(f"{path}: damaged (the offsets do not match the subwords)")
    if len(src_offsets) != len(tgt_offsets):
        raise ModelFileError(f"{path}: damaged (different numbers of German and English sentences)")
    try:
        de, en = (bytes(arrays[name].astype(np.uint8)).decode("utf-8").split("\n") for name in _GENERAL)
    except UnicodeDecodeError:
        raise ModelFileError(f"{path}: the general validation sentences are not UTF-8") from None
    if len(de) != len(en):
        raise ModelFileError(f"{path}: the general validation sentences are not aligned ({len(de)} German, {len(en)} English)")
    domains = _domains(path, arrays.get("general_domain"), len(de))
    keep = [i for i in range(len(de)) if de[i].strip() and en[i].strip()]
    return ReplaySample(
        EncodedCorpus(src, src_offsets, tgt, tgt_offsets),
        [(de[i], en[i]) for i in keep],
        [domains[i] for i in keep] if domains else [],
    )


def _domains(path: Path, indices: np.ndarray | None, count: int) -> list[str]:
    """Each general sentence's domain name, from ``general_domain`` and the names in the metadata."""
    if indices is None:
        return []
    with safe_open(str(path), framework="numpy") as f:
        names = (f.metadata() or {}).get("general_domains", "").split(",")
    if (
        indices.ndim != 1
        or len(indices) != count
        or indices.dtype.kind not in "iu"
        or (len(indices) and indices.max() >= len(names))
    ):
        raise ModelFileError(f"{path}: damaged (general_domain does not match the general sentences)")
    return [names[i] for i in indices.tolist()]


def save_replay(
    path: Path, pairs: Sequence[EncodedPair], general: Sequence[tuple[str, str]], domains: Sequence[str] = ()
) -> Path:
    """Write a sample atomically (``scripts/build_replay.py``): ids as int16 where the vocabulary fits;
    ``domains`` names each general pair's domain."""
    corpus = EncodedCorpus.from_pairs(pairs)
    largest = max(int(corpus.src.max(initial=0)), int(corpus.tgt.max(initial=0)))
    dtype = np.int16 if largest < 2**15 else np.int32
    for de, en in general:
        if "\n" in de or "\n" in en:
            raise InvalidInput("a general validation sentence holds a line break")
    tensors = {
        "src": corpus.src.astype(dtype),
        "src_offsets": corpus.src_offsets.astype(np.int64),
        "tgt": corpus.tgt.astype(dtype),
        "tgt_offsets": corpus.tgt_offsets.astype(np.int64),
        "general_de": np.frombuffer("\n".join(d for d, _ in general).encode("utf-8"), dtype=np.uint8).copy(),
        "general_en": np.frombuffer("\n".join(e for _, e in general).encode("utf-8"), dtype=np.uint8).copy(),
    }
    metadata = {"format": "translator-app-replay"}
    if domains:
        if len(domains) != len(general) or any("," in d or not d for d in domains):
            raise InvalidInput("give one domain name (without commas) for each general pair")
        names = list(dict.fromkeys(domains))
        tensors["general_domain"] = np.array([names.index(d) for d in domains], dtype=np.uint8)
        metadata["general_domains"] = ",".join(names)
    write_file_atomic(Path(path), save(tensors, metadata=metadata))
    return Path(path)
