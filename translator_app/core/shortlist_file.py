"""Reading and checking ``shortlist.safetensors`` with NumPy alone (``core.shortlist`` explains the
shortlist; this is its file), so that an engine without torch reads the same lists, refused for
the same reasons."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from safetensors import SafetensorError, safe_open
from safetensors.numpy import load_file

from translator_app.core.types.modelformat import SHORTLIST_FILE, ModelFileError
from translator_app.core.text import BOS_ID, EOS_ID, PAD_ID, UNK_ID

EXCLUDED = (PAD_ID, UNK_ID, BOS_ID)  # never generated, so never worth scoring
MAX_PER_SOURCE = 500  # 10× what build_shortlist writes; wider lists save nothing and cost memory (64 MB at most)
MIN_LISTED = 20  # fewer distinct frequent or listed subwords than this cannot make a sentence


def read_shortlist(folder: Path, vocab_size: int) -> tuple[np.ndarray, np.ndarray] | None:
    """The folder's (frequent [F] int64, table [V, K] as stored), None when it has none; a damaged
    or degenerate one is a ModelFileError naming the file, like any other file of the model.

    Refused rather than skipped: every shortlist this app writes passes these checks, so one that
    fails was damaged or made to mislead (a [V, 0] table or an empty frequent list translates
    "Berlin in Berlin in Berlin"; a [V, 20000] table of one id costs a gigabyte). Deleting the
    file, as the message says, makes the model decode with its whole vocabulary."""
    path = Path(folder) / SHORTLIST_FILE
    if not path.is_file():
        return None
    try:
        with safe_open(str(path), framework="numpy") as handle:  # the header only: shapes before memory
            shapes = {name: list(handle.get_slice(name).get_shape()) for name in handle.keys()}  # noqa: SIM118 (not iterable)
        problem = _shape_problem(shapes, vocab_size)
        arrays = {} if problem else load_file(str(path))
    except (SafetensorError, OSError, ValueError, RuntimeError) as exc:
        raise ModelFileError(f"{path}: unreadable or truncated safetensors file ({exc})") from None
    if problem:
        raise ModelFileError(f"{path}: {problem}")
    frequent, table = arrays["frequent"], arrays["table"]
    for name, array in (("frequent", frequent), ("table", table)):
        if array.dtype.kind not in "iu" or array.size and not (int(array.min()) >= 0 and int(array.max()) < vocab_size):
            raise ModelFileError(f"{path}: {name} holds ids outside the vocabulary of {vocab_size}")
    frequent = frequent.astype(np.int64)  # the table stays as stored (int16 here): 4× less memory than int64
    if problem := _content_problem(frequent, table, vocab_size):
        raise ModelFileError(f"{path}: {problem}; delete the file to translate with the whole vocabulary")
    return frequent, table


def candidates(frequent: np.ndarray, table: np.ndarray, sources: np.ndarray) -> np.ndarray:
    """Sorted unique target ids worth scoring for a batch whose real source ids are ``sources``."""
    sources = np.unique(sources)
    ids = np.unique(np.concatenate([frequent, table[sources].ravel().astype(np.int64), sources, [EOS_ID]]))
    return ids[~np.isin(ids, EXCLUDED)]


def _shape_problem(shapes: dict[str, list[int]], vocab_size: int) -> str | None:
    frequent, table = shapes.get("frequent"), shapes.get("table")
    if frequent is None or table is None or len(frequent) != 1 or len(table) != 2:
        return "not a vocabulary shortlist (needs a 1-D 'frequent' and a 2-D 'table')"
    if table[0] != vocab_size:
        return f"lists {table[0]} source subwords, but the model has {vocab_size}"
    if not 1 <= table[1] <= MAX_PER_SOURCE or frequent[0] > vocab_size:
        return (
            f"a table of {table[1]} subwords per source subword and {frequent[0]} frequent ones is no shortlist "
            f"(1 to {MAX_PER_SOURCE} and at most {vocab_size}); delete the file to translate with the whole vocabulary"
        )
    return None


def _content_problem(frequent: np.ndarray, table: np.ndarray, vocab_size: int) -> str | None:
    """Why the lists could not cover a translation: too few frequent subwords (function words and
    punctuation) or too few distinct translations in the table (all padding, or one id everywhere)."""
    least = min(MIN_LISTED, vocab_size // 2)
    listed_frequent = _real(frequent)
    if listed_frequent < least:
        return f"its frequent list names {listed_frequent} usable subwords (at least {least} needed)"
    listed = _real(table)
    if listed < least:
        return f"its table names {listed} distinct usable subwords (at least {least} needed)"
    return None


def _real(ids: np.ndarray) -> int:
    """Distinct ids that search could produce (not padding, unknown or start-of-sentence)."""
    seen = np.bincount(ids.ravel().astype(np.int64)) > 0  # ids are checked to lie in the vocabulary
    seen[[i for i in EXCLUDED if i < len(seen)]] = False
    return int(seen.sum())
