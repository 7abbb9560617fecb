"""Turning sentence pairs into padded, length-bucketed training batches.

Sorting by length inside large shuffled pools keeps padding (wasted compute) low while every epoch
still sees the batches in a new order. The order depends only on (seed, epoch), so a resumed run
can skip exactly the batches it has already done.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import Callable, Iterable, Iterator, Sequence

import torch
from torch import Tensor

from translator_app.core.training.corpus_store import EncodedPair, ids, pair_lengths
from translator_app.core.text import BOS_ID, EOS_ID, PAD_ID, SubwordVocab


@dataclass
class Batch:
    src: Tensor
    src_lengths: Tensor
    tgt_in: Tensor  # BOS y1 .. yn
    tgt_out: Tensor  # y1 .. yn EOS
    target_tokens: int

    def to(self, device) -> "Batch":
        return Batch(
            self.src.to(device), self.src_lengths.to(device), self.tgt_in.to(device), self.tgt_out.to(device), self.target_tokens
        )


ENCODE_CHUNK = 10_000  # pairs encoded at a time: the id lists sentencepiece returns never pile up
MAX_SUBWORDS = 100  # a training pair with a longer side is dropped (and a resampled one keeps its best segmentation)


def _encode(
    vocab: SubwordVocab,
    pairs: Iterable[tuple[str, str]],
    max_subwords: int,
    keep_text: bool,
    transform: Callable[[str, str], tuple[str, str]] | None,
) -> Iterator[EncodedPair | None]:
    """Each pair encoded, or None where it is empty or longer than ``max_subwords`` (dropped).

    A chunk at a time from any iterable, so pairs streamed from disk are never all in memory.
    """
    source = iter(pairs)
    while chunk := list(islice(source, ENCODE_CHUNK)):
        if transform is not None:
            chunk = [transform(*pair) for pair in chunk]
        src_ids = vocab.encode_batch([p[0] for p in chunk])
        tgt_ids = vocab.encode_batch([p[1] for p in chunk])
        for pair, s, t in zip(chunk, src_ids, tgt_ids):
            if not s or not t or len(s) > max_subwords or len(t) > max_subwords:
                yield None
            else:
                yield EncodedPair(ids(s + [EOS_ID]), ids([BOS_ID] + t + [EOS_ID]), (pair[0], pair[1]) if keep_text else None)


def encode_pairs(
    vocab: SubwordVocab,
    pairs: Iterable[tuple[str, str]],
    max_subwords: int = MAX_SUBWORDS,
    *,
    transform: Callable[[str, str], tuple[str, str]] | None = None,
) -> tuple[list[EncodedPair], int]:
    """Encode (german, english) pairs; drop pairs longer than ``max_subwords``. Returns (pairs, dropped).

    ``transform`` (e.g. ``protect_pair``) is applied a chunk at a time, never to a second copy of the
    whole corpus.
    """
    encoded = list(_encode(vocab, pairs, max_subwords, True, transform))
    kept = [pair for pair in encoded if pair is not None]
    return kept, len(encoded) - len(kept)


def encode_kept(
    vocab: SubwordVocab,
    pairs: Iterable[tuple[str, str]],
    max_subwords: int = MAX_SUBWORDS,
    *,
    keep_text: bool = False,
    transform: Callable[[str, str], tuple[str, str]] | None = None,
) -> tuple[Iterator[EncodedPair], Callable[[], int]]:
    """The kept pairs encoded one by one, and a function that tells how many were dropped so far.

    ``keep_text`` keeps the sentences, which only subword sampling needs again.
    """
    dropped = 0

    def kept() -> Iterator[EncodedPair]:
        nonlocal dropped
        for pair in _encode(vocab, pairs, max_subwords, keep_text, transform):
            if pair is None:
                dropped += 1
            else:
                yield pair

    return kept(), lambda: dropped


def resample_pairs(
    vocab: SubwordVocab, pairs: Sequence[EncodedPair], alpha: float, seed: int, max_subwords: int = MAX_SUBWORDS
) -> list[EncodedPair]:
    """The same pairs with freshly sampled segmentations (see ``SubwordVocab.sample_batch``).

    A pair keeps its best segmentation when it has no text or a sample would be too long, so the
    set of pairs, and with it the number of batches per epoch, never changes.
    """
    texts = [p.text for p in pairs if p.text is not None]
    samples = zip(
        vocab.sample_batch([de for de, _ in texts], alpha, seed), vocab.sample_batch([en for _, en in texts], alpha, seed + 1)
    )
    result = []
    for pair in pairs:
        s, t = next(samples) if pair.text is not None else ([], [])
        if not s or not t or len(s) > max_subwords or len(t) > max_subwords:
            result.append(pair)
        else:
            result.append(EncodedPair(ids(s + [EOS_ID]), ids([BOS_ID] + t + [EOS_ID]), pair.text))
    return result


def make_batches(
    pairs: Sequence[EncodedPair], batch_size: int, *, seed: int, epoch: int, shuffle: bool = True, max_tokens: int = 0
) -> list[list[int]]:
    """Index lists of batches: shuffle, sort pools of about 50 batches by length, cut, shuffle the batches.

    With ``max_tokens`` a batch takes as many length-sorted pairs as fit that many padded tokens
    (pairs × the longest side), instead of ``batch_size`` pairs: a batch of UI strings then carries
    about as much of the user's text as one of long sentences (90 GNOME strings or 37 news sentences
    at 1,600), so every step, and the learning rate's schedule, moves the model about as far.
    """
    generator = torch.Generator().manual_seed(seed * 100_003 + epoch)
    order = torch.randperm(len(pairs), generator=generator).tolist() if shuffle else list(range(len(pairs)))
    src_lengths, tgt_lengths = pair_lengths(pairs)
    pool = max(batch_size * 50, TOKEN_POOL) if max_tokens else batch_size * 50
    batches: list[list[int]] = []
    for start in range(0, len(order), pool):
        chunk = sorted(order[start : start + pool], key=lambda i: (src_lengths[i], tgt_lengths[i]))
        if not max_tokens:
            batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
            continue
        batch: list[int] = []
        longest = 0
        for i in chunk:
            size = max(src_lengths[i], tgt_lengths[i])
            if batch and (len(batch) + 1) * max(longest, size) > max_tokens:
                batches.append(batch)
                batch, longest = [], 0
            batch.append(i)
            longest = max(longest, size)
        if batch:
            batches.append(batch)
    if shuffle:
        batches = [batches[i] for i in torch.randperm(len(batches), generator=generator).tolist()]
    return batches


TOKEN_POOL = 8000  # pairs sorted together when batching by tokens: enough to group like lengths


def pad_batch(sequences: Sequence[Sequence[int]], device: str | torch.device = "cpu") -> tuple[Tensor, Tensor]:
    """Right-pad id sequences (lists, packed arrays, NumPy slices) into [B, S] with PAD_ID, plus their lengths."""
    lengths = torch.tensor([max(len(s), 1) for s in sequences], dtype=torch.long)
    padded = torch.full((len(sequences), int(lengths.max()) if sequences else 1), PAD_ID, dtype=torch.long)
    for i, seq in enumerate(sequences):
        if len(seq):
            padded[i, : len(seq)] = torch.tensor(seq, dtype=torch.long)  # a copy: memory-mapped slices are read-only
    return padded.to(device), lengths.to(device)


def collate(pairs: Sequence[EncodedPair], indices: Sequence[int]) -> Batch:
    src, lengths = pad_batch([pairs[i].src for i in indices])
    tgt, _ = pad_batch([pairs[i].tgt for i in indices])
    tgt_in, tgt_out = tgt[:, :-1].clone(), tgt[:, 1:].clone()
    tgt_in[tgt_in == EOS_ID] = 0  # EOS is never an input token; it becomes padding
    return Batch(src, lengths, tgt_in, tgt_out, int((tgt_out != 0).sum()))
