"""Text from files (model names, descriptions, error messages naming them) made safe for a terminal.

A model folder is data someone else may have made: an ANSI escape in its name must be shown, not
obeyed. Control and format characters are written as escapes (``\\x1b``); everything else is kept.
"""

from __future__ import annotations

import unicodedata


def safe(text: object) -> str:
    return "".join(ch if ch in "\t\n" or unicodedata.category(ch) not in ("Cc", "Cf") else ascii(ch)[1:-1] for ch in str(text))
