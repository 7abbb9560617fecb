"""Encoded training pairs packed in flat arrays, kept beside the run and memory-mapped.

A Python list of token ids costs about 36 bytes a token; here a token is 4 bytes, and a pair is
two offsets more. The store is written once into the run folder (``corpus/``, plain ``.npy``
files, no pickle) by a ``CorpusWriter``, a chunk of pairs at a time as ``core.training.run_text`` streams
the text, then opened memory-mapped: the pages come from the file, the OS shares them
between processes, and a resumed run reads them back instead of reading and encoding the text
again, so it sees exactly the pairs it started with.
"""

from __future__ import annotations

import json
import shutil
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence, overload

import numpy as np

from translator_app.core.atomic import PARTIAL, replace_folder, temp_sibling
from translator_app.core.types.errors import InvalidInput


def ids(values: Sequence[int]) -> array:
    """Token ids packed 4 bytes each: a Python list of ints costs ~36 bytes a token, 9× the memory."""
    return array("i", values)


@dataclass(slots=True)
class EncodedPair:
    """One training pair as packed ids, so a corpus in memory costs what its tokens do, not its text."""

    src: array  # source subwords + EOS
    tgt: array  # BOS + target subwords + EOS
    text: tuple[str, str] | None = None  # the sentences, only when they will be re-segmented (subword sampling)


CORPUS_DIR = "corpus"
_ARRAYS = ("src", "src_offsets", "tgt", "tgt_offsets")
_INFO = "info.json"


@dataclass
class EncodedCorpus(Sequence[EncodedPair]):
    """Pair ``i`` is ``src[src_offsets[i]:src_offsets[i + 1]]`` and the same for ``tgt``."""

    src: np.ndarray  # int32 token ids of every source sentence, one after the other
    src_offsets: np.ndarray  # int64, len(pairs) + 1
    tgt: np.ndarray
    tgt_offsets: np.ndarray
    texts: list[tuple[str, str]] | None = None  # only for subword sampling, which re-segments the text

    @classmethod
    def from_pairs(cls, pairs: Iterable[EncodedPair], keep_text: bool = False) -> "EncodedCorpus":
        src, tgt = array("i"), array("i")
        src_offsets, tgt_offsets = array("q", [0]), array("q", [0])
        texts: list[tuple[str, str]] | None = [] if keep_text else None
        for pair in pairs:
            src.extend(pair.src)
            tgt.extend(pair.tgt)
            src_offsets.append(len(src))
            tgt_offsets.append(len(tgt))
            if texts is not None:
                texts.append(pair.text or ("", ""))
        as_np = lambda a, dtype: np.frombuffer(a, dtype=dtype) if len(a) else np.zeros(0, dtype)  # noqa: E731
        return cls(as_np(src, np.int32), as_np(src_offsets, np.int64), as_np(tgt, np.int32), as_np(tgt_offsets, np.int64), texts)

    def __len__(self) -> int:
        return len(self.src_offsets) - 1

    @overload
    def __getitem__(self, index: int) -> EncodedPair: ...
    @overload
    def __getitem__(self, index: slice) -> list[EncodedPair]: ...

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        i = index % len(self)
        return EncodedPair(
            self.src[self.src_offsets[i] : self.src_offsets[i + 1]],
            self.tgt[self.tgt_offsets[i] : self.tgt_offsets[i + 1]],
            self.texts[i] if self.texts is not None else None,
        )

    def __iter__(self) -> Iterator[EncodedPair]:
        return (self[i] for i in range(len(self)))

    def lengths(self) -> tuple[list[int], list[int]]:
        """(source, target) lengths of every pair, without building the pairs (for batching)."""
        return np.diff(self.src_offsets).tolist(), np.diff(self.tgt_offsets).tolist()

    @property
    def nbytes(self) -> int:
        return sum(getattr(self, name).nbytes for name in _ARRAYS)

    def save(self, run_dir: Path, info: dict) -> Path:
        """Write ``run_dir/corpus`` whole or not at all (see ``CorpusWriter``)."""
        with CorpusWriter(run_dir, keep_text=self.texts is not None) as writer:
            writer.add_all(self)
            return writer.finish(info)

    @classmethod
    def open(cls, run_dir: Path) -> tuple["EncodedCorpus", dict]:
        """The store of ``run_dir``, memory-mapped read-only, and the info saved with it."""
        folder = Path(run_dir) / CORPUS_DIR
        try:
            arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in _ARRAYS}
            info = json.loads((folder / _INFO).read_text(encoding="utf-8"))
            texts = None
            if (folder / "texts.jsonl").is_file():
                with (folder / "texts.jsonl").open(encoding="utf-8") as lines:
                    texts = [tuple(json.loads(line)) for line in lines]
        except (OSError, ValueError) as exc:
            raise InvalidInput(
                f"{folder}: the run's encoded corpus is damaged ({exc}); discard the run and start it again"
            ) from None
        corpus = cls(**arrays, texts=texts)
        if len(corpus.src_offsets) < 1 or corpus.src_offsets[-1] != len(corpus.src) or corpus.tgt_offsets[-1] != len(corpus.tgt):
            raise InvalidInput(f"{folder}: the run's encoded corpus is damaged (offsets do not match the tokens)")
        return corpus, info


class CorpusWriter:
    """Builds ``run_dir/corpus`` a pair at a time on disk, so the store of any corpus is written in
    the memory of one chunk of pairs.

    Tokens go to raw files in a hidden temporary folder as they come; ``finish`` turns them into the
    store's ``.npy`` files (header, then the raw bytes copied across) and renames the folder into
    place, so a run killed while its corpus is encoded leaves no store, only a ``.partial`` that is
    tidied later. Only the offsets, 16 bytes a pair, stay in memory.
    """

    def __init__(self, run_dir: Path, keep_text: bool = False) -> None:
        self.folder = Path(run_dir) / CORPUS_DIR
        self.tmp = temp_sibling(self.folder, PARTIAL)
        self.tmp.mkdir(parents=True)
        self._src = (self.tmp / "src.raw").open("wb")
        self._tgt = (self.tmp / "tgt.raw").open("wb")
        self._texts = (self.tmp / "texts.jsonl").open("w", encoding="utf-8") if keep_text else None
        self.src_offsets, self.tgt_offsets = array("q", [0]), array("q", [0])

    def __len__(self) -> int:
        return len(self.src_offsets) - 1

    def add(self, pair: EncodedPair) -> None:
        src, tgt = _packed(pair.src), _packed(pair.tgt)
        self._src.write(src.tobytes())
        self._tgt.write(tgt.tobytes())
        self.src_offsets.append(self.src_offsets[-1] + len(src))
        self.tgt_offsets.append(self.tgt_offsets[-1] + len(tgt))
        if self._texts is not None:
            self._texts.write(json.dumps(pair.text or ("", ""), ensure_ascii=False) + "\n")

    def add_all(self, pairs: Iterable[EncodedPair]) -> None:
        for pair in pairs:
            self.add(pair)

    def finish(self, info: dict) -> Path:
        """Write the ``.npy`` files and ``info``, and put the store in place; returns its folder."""
        self._close()
        for name, offsets in (("src", self.src_offsets), ("tgt", self.tgt_offsets)):
            raw = self.tmp / f"{name}.raw"
            _raw_to_npy(raw, self.tmp / f"{name}.npy", np.dtype(np.int32), offsets[-1])
            raw.unlink()
            np.save(self.tmp / f"{name}_offsets.npy", np.frombuffer(offsets, dtype=np.int64), allow_pickle=False)
        if self._texts is None:
            (self.tmp / "texts.jsonl").unlink(missing_ok=True)
        (self.tmp / _INFO).write_text(json.dumps(info, indent=1, ensure_ascii=False), encoding="utf-8")
        replace_folder(self.tmp, self.folder)
        return self.folder

    def _close(self) -> None:
        for handle in (self._src, self._tgt, self._texts):
            if handle is not None:
                handle.close()

    def __enter__(self) -> "CorpusWriter":
        return self

    def __exit__(self, *exc_info) -> None:
        """Whatever happened, nothing half-written is left behind."""
        self._close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def _packed(values) -> array:
    """Token ids as 4-byte ints, whatever sequence they came as (packed array, NumPy slice, list)."""
    if isinstance(values, array) and values.typecode == "i":
        return values
    if isinstance(values, np.ndarray):
        return array("i", values.astype(np.int32, copy=False).tobytes())
    return array("i", values)


_COPY_BLOCK = 1 << 22  # bytes copied at a time from a raw token file into its .npy


def _raw_to_npy(raw: Path, target: Path, dtype: np.dtype, count: int) -> None:
    """A ``.npy`` of ``count`` values whose bytes are ``raw``'s: the header, then the bytes block by block."""
    with target.open("wb") as out, raw.open("rb") as source:
        np.lib.format.write_array_header_1_0(
            out, {"descr": np.lib.format.dtype_to_descr(dtype), "fortran_order": False, "shape": (int(count),)}
        )
        shutil.copyfileobj(source, out, _COPY_BLOCK)


def has_corpus(run_dir: Path) -> bool:
    return (Path(run_dir) / CORPUS_DIR / _INFO).is_file()


def pair_lengths(pairs: Sequence[EncodedPair]) -> tuple[list[int], list[int]]:
    """(source, target) lengths: from the offsets for a store, else from each pair."""
    if isinstance(pairs, EncodedCorpus):
        return pairs.lengths()
    return [len(p.src) for p in pairs], [len(p.tgt) for p in pairs]
