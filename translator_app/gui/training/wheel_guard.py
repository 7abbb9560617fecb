"""The mouse wheel scrolls the Training tab's form; it changes a field only once that field has focus.

The form sits in a scroll area full of spin boxes and combo boxes. Qt lets a wheel turned over one
of them change its value (and take focus), so scrolling down the form would silently change the
epochs, the batch or a column. Guarded fields take focus only by click or Tab, and a wheel over an
unfocused one goes on to the scroll area instead.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QWidget


class WheelGuard(QObject):
    """An event filter that passes a wheel over an unfocused field on to its parents."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel and isinstance(watched, QWidget) and not watched.hasFocus():
            event.ignore()  # ignored and filtered: Qt offers it to the parents (the scroll area)
            return True
        return super().eventFilter(watched, event)


def guard_wheel(root: QWidget) -> WheelGuard:
    """Guard every spin box and combo box under ``root`` (call it once the fields are built)."""
    guard = WheelGuard(root)
    for field in root.findChildren(QAbstractSpinBox) + root.findChildren(QComboBox):
        field.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel never gives focus
        field.installEventFilter(guard)
    return guard
