"""Between Python string indices and Qt text positions.

Python indexes a string by code point, Qt's text cursor by UTF-16 unit, and the two part at every
character outside the Basic Multilingual Plane (emoji, for one): an emoji is one index in Python
and two positions in Qt. A span taken from Python and given to a cursor unconverted ends inside
the emoji's surrogate pair, which Qt then draws as two broken characters.
"""

from __future__ import annotations


def qt_position(text: str, index: int) -> int:
    """The Qt cursor position of Python index ``index`` into ``text``."""
    return len(text[:index].encode("utf-16-le", "surrogatepass")) // 2  # the codec counts in C


def python_index(text: str, position: int) -> int:
    """The Python index of Qt cursor position ``position`` in ``text`` (inside a pair: its character)."""
    head = text.encode("utf-16-le", "surrogatepass")[: 2 * position].decode("utf-16-le", "surrogatepass")
    return len(head) - 1 if head and "\ud800" <= head[-1] <= "\udbff" else len(head)  # a pair cut in two
