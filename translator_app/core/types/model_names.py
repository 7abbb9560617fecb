"""What a model's name may be: its folder's name, so what every desktop file system keeps in one.

Letters of any language (ä, ö, ü, ß), digits, spaces and a few marks, first a letter or digit; never
a path separator, a name Windows reserves for a device, or an ending Windows drops (a space or a
dot). Names are kept in Unicode's composed form (NFC), so the same name typed on macOS and on
Windows is one name. The folder is the name itself, not a slug of it: the user finds their model
under the name they gave it, in the app, the CLI (quoted) and the file manager alike.
"""

from __future__ import annotations

import re
import unicodedata
from translator_app.core.types.errors import InvalidInput

MAX_NAME_CHARS = 64
MAX_NAME_BYTES = 255  # a folder name's limit in UTF-8 on Linux and macOS
NAME_MARKS = " ._-()+'"
_NAME = re.compile(r"[^\W_][\w" + re.escape(NAME_MARKS) + r"]*")
_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
NAME_RULE = "letters (ä, ö, ü, ß too), digits, spaces and . _ - ( ) + ', starting with a letter or digit"


def normalized_name(name: str) -> str:
    """The name as it is stored: trimmed and in Unicode's composed form (NFC), so "ü" typed on macOS
    (u + combining diaeresis) and on Windows (one character) are the same name."""
    return unicodedata.normalize("NFC", name.strip())


def check_name_rules(name: str) -> None:
    """A model name must be a safe folder name on Windows, macOS and Linux."""
    if not name:
        raise InvalidInput("give the model a name")
    if name != name.strip():
        raise InvalidInput(f"{name!r}: a model name may not start or end with a space")
    if len(name) > MAX_NAME_CHARS or len(name.encode("utf-8")) > MAX_NAME_BYTES:
        raise InvalidInput(f"{name!r} is too long: a model name has at most {MAX_NAME_CHARS} characters")
    if not _NAME.fullmatch(name) or ".." in name:
        bad = sorted({c for c in name if not (c.isalnum() or c in NAME_MARKS)} - {"_"})
        which = f" ({' '.join(bad)} cannot be in a folder name everywhere)" if bad else ""
        raise InvalidInput(f"{name!r} is not a valid model name{which}: use {NAME_RULE}")
    if name.endswith("."):
        raise InvalidInput(f"{name!r}: a model name may not end with a dot (Windows drops it from folder names)")
    if name.split(".")[0].strip().upper() in _WINDOWS_DEVICES:
        raise InvalidInput(f"{name!r} is a device name on Windows and cannot name a folder there; choose another name")
