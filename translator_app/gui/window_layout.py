"""Narrow or wide: how the window arranges itself for its width.

The Layout setting says whether the panes sit side by side, stacked, or follow the width
("auto"). Followed automatically, a window narrower than ``NARROW_WIDTH`` stacks the panes, and one
pushed to the narrowest the panes and the options allow side by side gets the options below. Any
narrow window also wraps the model row and leaves the model's name to the picker. The decoding
options belong to translating: the Training tab puts them out of the way. The window's geometry
and dock state are saved on closing and come back at the next start.
"""

from __future__ import annotations

import base64
from typing import Any, Callable

from PySide6.QtCore import QByteArray, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QMainWindow

from translator_app.gui.settings import Key, Settings
from translator_app.gui.status_reporter import StatusReporter
from translator_app.gui.translate_page import TranslatePage

SIDE = (Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea)


class AdaptiveLayout(QObject):
    automaticChanged = Signal(bool)  # the layout follows the width (again), or no longer does

    NARROW_WIDTH = 640  # panes stack when the text area is narrower (device-independent px)

    def __init__(
        self,
        window: QMainWindow,
        page: TranslatePage,
        dock: QDockWidget,
        status: StatusReporter,
        settings: Settings,
        store: Callable[[dict[Key, Any]], None],
    ):
        super().__init__(window)
        self._window, self._page, self._dock, self._status = window, page, dock, status
        self._settings, self._store = settings, store
        self._dock_moved_for_width = False  # the options went below because the window got narrow
        self._dock_hidden_by_tab = False  # the Training tab hid them
        for signal in (dock.visibilityChanged, dock.topLevelChanged, dock.dockLocationChanged):
            signal.connect(self._on_dock_moved)

    def restore(self) -> None:
        """The saved geometry and dock state (or a default size), then the panes for that width."""
        window = self._window
        geometry = _from_base64(self._settings.get(Key.WINDOW_GEOMETRY))
        if geometry is None or not window.restoreGeometry(geometry):
            window.resize(self._default_size())
        state = _from_base64(self._settings.get(Key.WINDOW_STATE))
        if state is not None:
            window.restoreState(state)
        self.apply()

    def save(self) -> None:
        """The window closes: keep its geometry and dock state, with the options as the user left them."""
        if self._dock_hidden_by_tab:
            self._dock.setVisible(True)
        self._store(
            {Key.WINDOW_GEOMETRY: _to_base64(self._window.saveGeometry()), Key.WINDOW_STATE: _to_base64(self._window.saveState())}
        )

    def _default_size(self) -> QSize:
        """1100 × 640, or 90 % of a smaller screen."""
        screen = self._window.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return QSize(1100, 640)
        available = screen.availableGeometry()
        return QSize(min(1100, int(available.width() * 0.9)), min(640, int(available.height() * 0.9)))

    @property
    def automatic(self) -> bool:
        return self._settings.get(Key.LAYOUT) == "auto"

    def swap(self) -> None:
        """Side by side ↔ stacked, which also stops following the width."""
        horizontal = self._page.splitter.orientation() == Qt.Orientation.Horizontal
        self._store({Key.LAYOUT: "stacked" if horizontal else "side-by-side"})
        self.automaticChanged.emit(False)
        self.apply()

    def set_automatic(self, on: bool) -> None:
        current = "stacked" if self._page.splitter.orientation() == Qt.Orientation.Vertical else "side-by-side"
        self._store({Key.LAYOUT: "auto" if on else current})
        self.apply()

    def tab_changed(self, training: bool) -> None:
        dock = self._dock
        if training and not dock.isHidden() and not dock.isFloating():
            self._dock_hidden_by_tab = True
            dock.setVisible(False)
        elif not training and self._dock_hidden_by_tab:
            self._dock_hidden_by_tab = False
            dock.setVisible(True)

    def resized(self) -> None:
        compact = self._window.width() < self.NARROW_WIDTH
        self._page.arrange(compact)
        self._status.set_compact(compact)
        if self.automatic:
            self.apply()

    def apply(self) -> None:
        """Orient the panes as the setting (and, when automatic, the width) says."""
        if self.automatic:
            self._place_dock_for_width()
            stacked = self._text_area_width() < self.NARROW_WIDTH
        else:
            stacked = self._settings.get(Key.LAYOUT) == "stacked"
        splitter = self._page.splitter
        wanted = Qt.Orientation.Vertical if stacked else Qt.Orientation.Horizontal
        if splitter.orientation() != wanted:
            splitter.setOrientation(wanted)
            half = (splitter.height() if stacked else splitter.width()) // 2
            splitter.setSizes([half, half])

    def _place_dock_for_width(self) -> None:
        """A window pushed to the narrowest the panes and the options allow side by side gets the options
        below, so it can be made as narrow as about 480 px; widened well past that, they go back right."""
        window, dock, central = self._window, self._dock, self._window.centralWidget()
        if dock.isFloating() or central is None:
            return
        side_by_side = central.minimumSizeHint().width() + dock.minimumSizeHint().width()
        area = window.dockWidgetArea(dock)
        compact = window.width() <= side_by_side + (10 if area == Qt.DockWidgetArea.RightDockWidgetArea else 60)
        if compact and area == Qt.DockWidgetArea.RightDockWidgetArea:
            self._dock_moved_for_width = True
            window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        elif not compact and self._dock_moved_for_width and area == Qt.DockWidgetArea.BottomDockWidgetArea:
            self._dock_moved_for_width = False
            window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        else:
            return
        layout = window.layout()
        if layout is not None:
            layout.activate()  # the dock's new geometry now, for the pane layout decided next

    def _text_area_width(self) -> int:
        """The width left for the panes: the window less a docked (not floating) options panel."""
        window, dock = self._window, self._dock
        docked = dock.isVisible() and not dock.isFloating() and window.dockWidgetArea(dock) in SIDE
        return window.width() - (dock.width() if docked else 0)

    def _on_dock_moved(self, *_args) -> None:
        if self.automatic:
            QTimer.singleShot(0, self.apply)  # after the dock has its new size


def _to_base64(data: QByteArray) -> str:
    return base64.b64encode(bytes(data.data())).decode("ascii")


def _from_base64(text: str) -> QByteArray | None:
    if not text:
        return None
    try:
        return QByteArray(base64.b64decode(text, validate=True))
    except ValueError:
        return None
