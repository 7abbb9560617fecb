"""Between Python string indices and Qt text positions.

Python indexes a string by code point, Qt's text cursor by UTF-16 unit, and the two part at every
character outside the Basic Multilingual Plane (emoji, for one): an emoji is one index in Python
and two positions in Qt. A span taken from Python and given to a cursor unconverted ends inside
the emoji's surrogate pair, which Qt then draws as two broken characters.
"""

from __future__ import annotations


def qt_position(text: str, index: int) -> int:
    """The Qt cursor position of Python index ``index`` into ``text``."""
    return index + sum(1 for ch in text[:index] if ord(ch) > 0xFFFF)


def python_index(text: str, position: int) -> int:
    """The Python index of Qt cursor position ``position`` in ``text`` (inside a pair: its character)."""
    units = 0
    for index, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > position:
            return index
    return len(text)
