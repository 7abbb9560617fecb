"""A lexical vocabulary shortlist: score only the target subwords a sentence can plausibly produce.

At batch 1 the decoder's 16,000-row output layer is the hot spot: every step reads all of its
weights to score pieces no translation of this sentence will use. Following Marian's lexical
shortlists (Junczys-Dowmunt et al. 2018), each source subword lists the target subwords that
co-occur with it most strongly in the training data (Dice coefficient over sentence pairs); a
sentence's candidates are those lists for its own subwords, plus the most frequent target subwords,
plus its own subwords (names and numbers are copied through the joint vocabulary), plus
end-of-sentence. Search then scores a thousand or so rows instead of sixteen thousand.

The table is a safetensors file in the model folder (no pickle); a model without one decodes over
the whole vocabulary, and so does any model when the shortlist is switched off.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import torch
from safetensors.torch import save
from torch import Tensor

from translator_app.core.atomic import write_file_atomic
from translator_app.core.types.modelformat import SHORTLIST_FILE
from translator_app.core.types.run_spec import RunSpec
from translator_app.core.shortlist_file import EXCLUDED, candidates, read_shortlist
from translator_app.core.text import PAD_ID, SubwordVocab

FREQUENT_TARGETS = 500  # always candidates: the commonest target subwords (function words, punctuation)
TRANSLATIONS_PER_SOURCE = 50  # candidates each source subword adds
MIN_COOCCURRENCE = 2  # a pair seen once is noise, not a translation


@dataclass(frozen=True)
class Shortlist:
    """``frequent`` [F] target ids; ``table`` [V, K] target ids per source id, PAD_ID where unused."""

    frequent: Tensor
    table: Tensor

    @property
    def vocab_size(self) -> int:
        return self.table.size(0)

    def candidates(self, src: Tensor, src_lengths: Tensor) -> Tensor:
        """Sorted unique target ids worth scoring for a batch of sources [B, S] (PAD-padded)."""
        src = src.cpu()
        real = torch.arange(src.size(1)).unsqueeze(0) < src_lengths.cpu().unsqueeze(1)
        return torch.from_numpy(candidates(self.frequent.numpy(), self.table.numpy(), src[real].numpy()))

    def save(self, folder: Path) -> Path:
        """Write ``shortlist.safetensors`` into a model folder atomically."""
        path = Path(folder) / SHORTLIST_FILE
        dtype = (
            torch.int16 if self.vocab_size <= torch.iinfo(torch.int16).max + 1 else torch.int32
        )  # half the bytes for ≤ 32k subwords
        tensors = {"frequent": self.frequent.to(dtype).contiguous(), "table": self.table.to(dtype).contiguous()}
        write_file_atomic(path, save(tensors, metadata={"format": "translator-app-shortlist"}))
        return path


def load_shortlist(folder: Path, vocab_size: int) -> Shortlist | None:
    """The folder's shortlist as tensors, None when it has none; read and checked by
    ``core.shortlist_file`` (a damaged or degenerate one is a ModelFileError naming the file)."""
    arrays = read_shortlist(folder, vocab_size)
    if arrays is None:
        return None
    frequent, table = arrays
    return Shortlist(torch.from_numpy(frequent), torch.from_numpy(table))


def build_shortlist(
    pairs: Iterable[tuple[Sequence[int], Sequence[int]]],
    vocab_size: int,
    *,
    frequent: int = FREQUENT_TARGETS,
    per_source: int = TRANSLATIONS_PER_SOURCE,
    min_count: int = MIN_COOCCURRENCE,
    chunk_pairs: int = 20_000,
) -> Shortlist:
    """Count, over sentence pairs of subword ids, how often each source and target subword occur
    together; keep per source id the ``per_source`` targets with the highest Dice coefficient
    2·c(s,t) / (c(s) + c(t)). Counting goes in chunks, so memory stays bounded by the chunk."""
    source_count = np.zeros(vocab_size, dtype=np.int64)
    target_count = np.zeros(vocab_size, dtype=np.int64)
    target_tokens = np.zeros(vocab_size, dtype=np.int64)
    keys_parts: list[np.ndarray] = []
    counts_parts: list[np.ndarray] = []

    def flush(chunk: list[np.ndarray]) -> None:
        if chunk:
            keys, counts = np.unique(np.concatenate(chunk), return_counts=True)
            keys_parts.append(keys)
            counts_parts.append(counts)
            chunk.clear()

    chunk: list[np.ndarray] = []
    for n, (src_ids, tgt_ids) in enumerate(pairs, 1):
        tgt_all = np.asarray(tgt_ids, dtype=np.int64)
        src, tgt = np.unique(np.asarray(src_ids, dtype=np.int64)), np.unique(tgt_all)
        if not len(src) or not len(tgt):
            continue
        np.add.at(target_tokens, tgt_all, 1)
        source_count[src] += 1
        target_count[tgt] += 1
        chunk.append((src[:, None] * vocab_size + tgt[None, :]).ravel())
        if n % chunk_pairs == 0:
            flush(chunk)
            if len(keys_parts) > 8:  # merge partial counts so they never pile up
                keys, inverse = np.unique(np.concatenate(keys_parts), return_inverse=True)
                counts = np.bincount(inverse, weights=np.concatenate(counts_parts)).astype(np.int64)
                keys_parts[:], counts_parts[:] = [keys], [counts]
    flush(chunk)
    if keys_parts:
        keys, inverse = np.unique(np.concatenate(keys_parts), return_inverse=True)
        counts = np.bincount(inverse, weights=np.concatenate(counts_parts)).astype(np.int64)
    else:
        keys, counts = np.zeros(0, np.int64), np.zeros(0, np.int64)
    keep = counts >= min_count
    keys, counts = keys[keep], counts[keep]
    s, t = keys // vocab_size, keys % vocab_size
    dice = 2.0 * counts / (source_count[s] + target_count[t])
    order = np.lexsort((-dice, s))  # by source, best first
    s, t = s[order], t[order]
    starts = np.searchsorted(s, s, side="left")
    rank = np.arange(len(s)) - starts
    take = rank < per_source
    table = np.full((vocab_size, per_source), PAD_ID, dtype=np.int64)
    table[s[take], rank[take]] = t[take]
    target_tokens[list(EXCLUDED)] = 0
    top = np.argsort(-target_tokens, kind="stable")[:frequent]
    top = top[target_tokens[top] > 0]
    return Shortlist(torch.from_numpy(np.sort(top)), torch.from_numpy(table))


def shortlist_from_files(
    vocab: SubwordVocab,
    corpora: Iterable[tuple[Sequence[str | Path], str | None]],
    *,
    frequent: int = FREQUENT_TARGETS,
    per_source: int = TRANSLATIONS_PER_SOURCE,
) -> Shortlist:
    """The shortlist of a model trained on these corpora ((files, format) each, read once whatever
    their training weight), encoded exactly as training encodes them, protected spans included."""
    from translator_app.core.batching import encode_pairs
    from translator_app.core.protect import protect_pair
    from translator_app.core.readers import read_parallel

    transform = protect_pair if vocab.has_placeholders else None

    def pairs():
        for files, fmt in corpora:
            encoded, _ = encode_pairs(vocab, read_parallel(list(files), fmt).pairs, transform=transform)
            for pair in encoded:
                yield pair.src, pair.tgt[1:-1]  # BOS and EOS say nothing about the words

    return build_shortlist(pairs(), len(vocab), frequent=frequent, per_source=per_source)


def shortlist_for_run(
    vocab: SubwordVocab, spec: RunSpec, *, frequent: int = FREQUENT_TARGETS, per_source: int = TRANSLATIONS_PER_SOURCE
) -> Shortlist:
    """The shortlist of a model trained as ``spec`` says: its corpora, or its own data files."""
    corpora = [(part.files, part.format or spec.format) for part in spec.corpora] or [(spec.data, spec.format)]
    return shortlist_from_files(vocab, corpora, frequent=frequent, per_source=per_source)


__all__ = ["Shortlist", "build_shortlist", "load_shortlist", "shortlist_for_run", "shortlist_from_files"]
