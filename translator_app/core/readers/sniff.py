"""Opening a data file: refusing what cannot be read before any real reading, and sniffing its head."""

from __future__ import annotations

import gzip
import io
import re
import stat
import zlib
from dataclasses import dataclass
from pathlib import Path
from translator_app.core.readers.encodings import SNIFF_BYTES, UTF8, UTF16, TextEncoding, sniff_encoding
from translator_app.core.types.errors import EncodingError
from translator_app.core.types.errors import ParallelDataError

READ_ERRORS = (OSError, EOFError, zlib.error)  # what reading a file, gzipped or not, can raise
BinaryFile = gzip.GzipFile | io.BufferedReader  # what open_binary returns


@dataclass
class Source:
    """A file that passed the cheap checks, plus what its first few KB told us about it."""

    path: Path
    name: str
    gzipped: bool
    text_encoding: TextEncoding  # the policy's; a UTF-8 guess becomes Windows-1252 if reading proves it
    newline: str  # "\n", or "\r" for classic-Mac files that have no "\n" at all
    text_head: str  # the sniffed bytes decoded leniently, for format detection only
    truncated: bool  # whether the file is longer than the sniffed head
    is_xml: bool
    declared: str | None = None  # an XML file's declared encoding, which its parser follows

    @property
    def encoding(self) -> str:
        """As reported to the user."""
        return self.declared or self.text_encoding.name


def open_binary(path: Path, gzipped: bool) -> BinaryFile:
    return gzip.open(path, "rb") if gzipped else open(path, "rb")  # noqa: SIM115


def io_error(name: str, gzipped: bool, exc: BaseException) -> ParallelDataError:
    if gzipped and not isinstance(exc, PermissionError):
        return ParallelDataError(f"{name} is a damaged gzip file ({exc}); download or compress it again")
    reason = getattr(exc, "strerror", None) or str(exc)
    return ParallelDataError(f"cannot read {name}: {reason}")


def _xml_encoding(text_head: str) -> str | None:
    match = re.match(r"\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)", text_head)
    return match.group(1).lower() if match else None


def _special_file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _check_regular_file(p: Path, name: str) -> None:
    """Refuse anything but a regular file before opening it.

    Opening a named pipe waits until something writes to it (forever, for a user who picked it by
    mistake), and a device such as /dev/zero never ends. ``stat`` follows symbolic links, so a link
    to a real file is fine and a link to a pipe is refused like the pipe.
    """
    try:
        mode = p.stat().st_mode
    except FileNotFoundError:
        raise ParallelDataError(f"{name} does not exist (looked for {p})") from None
    except OSError as exc:
        raise io_error(name, False, exc) from exc
    if stat.S_ISDIR(mode):
        raise ParallelDataError(f"{name} is a folder, not a file")
    if not stat.S_ISREG(mode):
        raise ParallelDataError(
            f"{name} is not a regular file (it is {_special_file_kind(mode)}); choose a data file saved on disk"
        )


def sniff(path: str | Path) -> Source:
    """Reject missing, special, empty, binary and wrongly encoded files before any real reading starts."""
    p = Path(path)
    name = p.name or str(path)
    _check_regular_file(p, name)
    gzipped = False
    try:
        with open(p, "rb") as f:
            gzipped = f.read(2) == b"\x1f\x8b"  # by content: downloads often lose or gain ".gz"
        with open_binary(p, gzipped) as f:
            head = f.read(SNIFF_BYTES + 1)
    except READ_ERRORS as exc:
        raise io_error(name, gzipped, exc) from exc
    truncated = len(head) > SNIFF_BYTES
    head = head[:SNIFF_BYTES]
    try:
        encoding = sniff_encoding(head)
    except EncodingError as exc:
        raise ParallelDataError(f"{name} {exc}") from None

    if encoding is UTF16:
        text_head = head[: len(head) // 2 * 2].decode("utf-16", errors="ignore")
    else:
        text_head = head[encoding.bom :].decode("utf-8", errors="replace")
    if not truncated and not text_head.strip():
        raise ParallelDataError(f"{name} is empty")

    stripped = text_head.lstrip("\ufeff \t\r\n").lower()
    is_xml = stripped.startswith(("<?xml", "<tmx", "<!doctype tmx", "<xliff"))
    declared = (_xml_encoding(text_head) or "utf-8") if is_xml and encoding is UTF8 else None
    newline = "\r" if "\r" in text_head and "\n" not in text_head else "\n"
    return Source(p, name, gzipped, encoding, newline, text_head, truncated, is_xml, declared)
