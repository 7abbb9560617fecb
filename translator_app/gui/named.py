"""Giving a Qt object its object name inline, in a way the type checker follows."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject

_Q = TypeVar("_Q", bound=QObject)


def named(obj: _Q, name: str) -> _Q:
    """``obj`` with ``objectName`` set to ``name`` (what tests, style sheets and screenshots find it by).

    PySide6 takes any Qt property as a constructor keyword, but its type stubs list only each class's
    own properties, so ``QLabel(text, objectName=...)`` (a QObject property) fails type checking.
    """
    obj.setObjectName(name)
    return obj
