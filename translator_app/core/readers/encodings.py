"""The one encoding policy for a user's text files: training data and File → Translate File alike.

Read: UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark, and Windows-1252.
UTF-8 is what current tools write; UTF-16 with a BOM is what Excel's "Unicode text" and Notepad's
"Unicode" save; Windows-1252 (Latin-1's letters and more) is what older Windows tools wrote German
in, and refusing it only sends the user off to re-save a file whose meaning is not in doubt.

A file without a BOM is UTF-8 until a byte proves otherwise. If everything before that byte was
plain ASCII, which both encodings spell alike, the whole file is Windows-1252 and nothing read so
far changes. A file with UTF-8 letters and bytes that are not UTF-8, in either order, mixes
encodings: it is refused with the line (and byte offset) where they disagree, because any guess
would train on, or translate, garbled letters. Refused from the file's first ``SNIFF_BYTES``:
binary files, UTF-32 (rare) and UTF-16 without a BOM (not reliably told from binary data). XML
(TMX) is decoded by the XML parser, as its own declaration says.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from translator_app.core.types.errors import EncodingError, InvalidInput

SNIFF_BYTES = 8192  # how much of a file's head is looked at for byte-order marks and binary content

_RESAVE = "; re-save it as UTF-8"

_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document; copy its text into a UTF-8 text file"),
    (b"PK\x03\x04", "a ZIP archive or an Office document; unpack it, or save it as plain text or CSV"),
    (b"\xd0\xcf\x11\xe0", "an old Office document; export it as CSV or plain text"),
    (b"7z\xbc\xaf", "a 7-Zip archive; unpack it first"),
    (b"\xfd7zXZ\x00", "an XZ archive; unpack it first"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "a program"),
)


@dataclass(frozen=True)
class TextEncoding:
    """An encoding the policy reads: ``name`` as Python's codecs and the readers' reports spell it."""

    name: str
    title: str  # for people: "UTF-8" whether or not there is a BOM
    bom: int  # bytes of byte-order mark to drop before decoding (the UTF-16 codec reads its own)


UTF8 = TextEncoding("utf-8", "UTF-8", 0)
UTF8_BOM = TextEncoding("utf-8-sig", "UTF-8", len(codecs.BOM_UTF8))
UTF16 = TextEncoding("utf-16", "UTF-16", 0)
WINDOWS_1252 = TextEncoding("windows-1252", "Windows-1252", 0)


def _looks_utf16_without_bom(head: bytes) -> bool:
    """ASCII text in UTF-16 has a NUL in every other byte; real binary data does not."""
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    for zeros, other in ((odd, even), (even, odd)):
        if zeros.count(0) >= 0.4 * len(zeros) and other.count(0) <= 0.05 * len(other):
            return True
    return False


def sniff_encoding(head: bytes) -> TextEncoding:
    """What a file's first bytes say: a BOM's encoding, else UTF-8 for ``LineDecoder`` to confirm.

    Raises ``EncodingError`` for UTF-32, UTF-16 without a BOM and binary files.
    """
    head = head[:SNIFF_BYTES]
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise EncodingError(f"is not UTF-8 text (it looks like UTF-32){_RESAVE}")
    if head.startswith(codecs.BOM_UTF8):
        return UTF8_BOM
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return UTF16
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise EncodingError(f"looks like a binary file, not text ({what})")
    if b"\x00" in head:
        if _looks_utf16_without_bom(head):
            raise EncodingError(f"is not UTF-8 text (it looks like UTF-16 without a byte-order mark){_RESAVE}")
        raise EncodingError("looks like a binary file, not text (it contains NUL bytes)")
    return UTF8


def utf16_error(line: int) -> EncodingError:
    return EncodingError(f"is not valid UTF-16 text (near line {line:,}){_RESAVE}")


class LineDecoder:
    """Decodes a UTF-8 or Windows-1252 file's lines in order; ``encoding`` is what it turned out to be.

    Lines must end at "\\n" or "\\r", which no UTF-8 character holds inside, so decoding line by line
    is decoding the file. A line too long to hold is ``skip``-ped: it is counted, not decoded.
    """

    def __init__(self, encoding: TextEncoding) -> None:
        if encoding not in (UTF8, UTF8_BOM, WINDOWS_1252):
            raise InvalidInput(f"LineDecoder cannot decode {encoding.name}")
        self.encoding = encoding
        self.line = 0  # lines so far
        self.offset = 0  # bytes so far
        self._utf8_letters = encoding is UTF8_BOM  # a BOM or a UTF-8 letter rules Windows-1252 out

    def skip(self, size: int) -> None:
        self.line += 1
        self.offset += size

    def decode(self, data: bytes) -> str:
        self.line += 1
        start = self.offset
        self.offset += len(data)
        if self.line == 1 and self.encoding.bom:
            data, start = data[self.encoding.bom :], start + self.encoding.bom
        if self.encoding is WINDOWS_1252:
            return self._windows_1252(data, start)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            if self._utf8_letters or not data[: exc.start].isascii():
                where = self._where(data, exc.start, start)
                raise EncodingError(
                    f"mixes UTF-8 with another encoding (first byte that is not UTF-8: {where}){_RESAVE}"
                ) from None
            self.encoding = WINDOWS_1252
            return self._windows_1252(data, start)
        self._utf8_letters = self._utf8_letters or not data.isascii()
        return text

    def _windows_1252(self, data: bytes, start: int) -> str:
        if not data.isascii() and _is_utf8(data):
            raise EncodingError(f"mixes Windows-1252 with UTF-8 (line {self.line:,} is UTF-8, an earlier one is not){_RESAVE}")
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            where = self._where(data, exc.start, start)
            raise EncodingError(f"is neither UTF-8 nor Windows-1252 text (byte {where}){_RESAVE}") from None

    def _where(self, data: bytes, index: int, start: int) -> str:
        return f"0x{data[index]:02X} at line {self.line:,}, byte offset {start + index:,}"


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _split_lines(data: bytes, complete: bool) -> list[bytes]:
    """Lines with their ends, split as the readers split them: at "\\n", or "\\r" if there is no "\\n".

    ``complete`` False: the last line may be cut inside a character, so it is left out unless it ended.
    """
    end = b"\r" if b"\r" in data and b"\n" not in data else b"\n"
    if not complete:
        data = data[: data.rfind(end) + 1]
    parts = data.split(end)
    return [part + end for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def decode_text(data: bytes, *, complete: bool = True) -> tuple[str, TextEncoding]:
    """A file's text and encoding under the policy; ``complete`` False: ``data`` is a head, maybe cut mid-line."""
    encoding = sniff_encoding(data)
    if encoding is UTF16:
        try:
            return codecs.getincrementaldecoder("utf-16")().decode(data, final=complete), UTF16
        except UnicodeDecodeError as exc:
            raise utf16_error(data[: exc.start].decode("utf-16", errors="replace").count("\n") + 1) from None
    if complete:
        try:  # the common case, decoded whole
            return data[encoding.bom :].decode("utf-8"), encoding
        except UnicodeDecodeError:
            pass
    decoder = LineDecoder(encoding)
    text = "".join(decoder.decode(line) for line in _split_lines(data, complete))
    return text, decoder.encoding
