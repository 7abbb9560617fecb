"""Reading a user's .txt file and writing the translation, Qt-free so it runs on the worker thread.

The file is decoded under the same encoding policy as training data (``core.readers.encodings``:
UTF-8, UTF-16 with a BOM or Windows-1252; binary files and mixed encodings are refused), so a file
the Training tab reads is one File → Translate File reads, and the other way round. The output is
written beside the target under a temporary name and renamed over it, so an interrupted run never
leaves half a translation.
"""

from __future__ import annotations

import stat
from pathlib import Path

from translator_app.core.types.errors import AppError

MAX_FILE_BYTES = 20_000_000  # a 20 MB text file is hours of CPU decoding; refuse rather than hang
HEAD_BYTES = 65536  # what the GUI's quick check decodes


class TextFileError(AppError):
    """A file that cannot be read or written as text; the message is shown to the user as is."""


def read_text_file(path: Path) -> tuple[str, str]:
    """Return (text, encoding name) or raise TextFileError with a user-facing message."""
    path = Path(path)
    return _decode(path, _read(path, None), final=True)


def check_text_file(path: Path) -> None:
    """The same checks on the size and the first ``HEAD_BYTES`` only: quick enough for the GUI
    thread before it asks where to save; the worker then reads the file once, whole."""
    path = Path(path)
    _decode(path, _read(path, HEAD_BYTES), final=False)


def _read(path: Path, limit: int | None) -> bytes:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block the worker for ever
            raise TextFileError(f"{path.name} is not a regular file; choose a text file saved on disk")
        size = info.st_size
        if size > MAX_FILE_BYTES:
            raise TextFileError(
                f"{path.name} is {size / 1e6:.0f} MB; files up to {MAX_FILE_BYTES / 1e6:.0f} MB can be translated"
            )
        with path.open("rb") as fh:
            return fh.read(-1 if limit is None else limit)
    except OSError as exc:
        raise TextFileError(f"Cannot read {path}: {exc.strerror or exc}") from None


def _decode(path: Path, data: bytes, *, final: bool) -> tuple[str, str]:
    """``final`` False: ``data`` is the file's head, which may end inside a line."""
    from translator_app.core.readers import decode_text  # when a file is read, not at start-up
    from translator_app.core.types.errors import EncodingError

    try:
        text, encoding = decode_text(data, complete=final)
    except EncodingError as exc:
        raise TextFileError(f"{path.name} {exc}") from None
    return text, encoding.title


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text whole or not at all (``core.atomic``), ending in a newline; TextFileError if it cannot."""
    from translator_app.core.atomic import write_text_atomic as write_atomically

    path = Path(path)
    if text and not text.endswith("\n"):
        text += "\n"
    try:
        write_atomically(path, text)
    except OSError as exc:
        raise TextFileError(f"Cannot write {path}: {exc.strerror or exc}") from None
