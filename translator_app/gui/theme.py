"""Light/dark palette that follows the system, and the application icon.

Qt 6 already follows the system colour scheme where the platform theme supports it. Where it does
not (some Linux desktops, the Windows "vista" style, the offscreen platform used for screenshots),
the palette would stay light on a dark desktop; ``sync_palette`` notices the mismatch and installs
the Fusion style with an explicit palette. Widgets use palette roles only, never fixed colours.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from translator_app.core.paths import resources_dir

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def icon_dir() -> Path:
    return resources_dir() / "icons"


def app_icon() -> QIcon:
    """The icon from the pre-rendered PNGs (crisp at every size) plus the SVG for anything larger."""
    icon = QIcon()
    for size in ICON_SIZES:
        png = icon_dir() / f"translator-app-{size}.png"
        if png.is_file():
            icon.addFile(str(png))
    svg = resources_dir() / "translator-app.svg"
    if svg.is_file():
        icon.addFile(str(svg))
    return icon


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def dark_palette() -> QPalette:
    p = QPalette()
    colors = {
        QPalette.ColorRole.Window: "#2b2d30",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1f22",
        QPalette.ColorRole.AlternateBase: "#26282b",
        QPalette.ColorRole.ToolTipBase: "#3c3f41",
        QPalette.ColorRole.ToolTipText: "#e6e6e6",
        QPalette.ColorRole.PlaceholderText: "#8c8f93",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#3a3d41",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.BrightText: "#ff6b6b",
        QPalette.ColorRole.Light: "#4a4d52",
        QPalette.ColorRole.Midlight: "#404347",
        QPalette.ColorRole.Mid: "#33363a",
        QPalette.ColorRole.Dark: "#1a1b1e",
        QPalette.ColorRole.Shadow: "#0d0d0f",
        QPalette.ColorRole.Highlight: "#3d7fd9",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#6aa9ff",
        QPalette.ColorRole.LinkVisited: "#b18cff",
    }
    for role, value in colors.items():
        p.setColor(role, QColor(value))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7d82"))
    return p


_forced_scheme: Qt.ColorScheme | None = None


def wants_dark() -> bool:
    scheme = _forced_scheme if _forced_scheme is not None else QGuiApplication.styleHints().colorScheme()
    return scheme == Qt.ColorScheme.Dark


def sync_palette(app: QApplication) -> None:
    """Make the palette agree with the colour scheme the system (or a test) asks for."""
    dark = wants_dark()
    if is_dark(app.palette()) == dark:
        return
    if app.style().name().lower() != "fusion":
        fusion = QStyleFactory.create("Fusion")
        if fusion is not None:
            app.setStyle(fusion)
    palette = dark_palette() if dark else app.style().standardPalette()
    app.setPalette(palette)
    for class_name in ("QCheckBox", "QRadioButton"):  # PySide6's stub says bytes, but only str is accepted
        app.setPalette(_indicator_palette(palette, dark), cast(bytes, class_name))


def _indicator_palette(palette: QPalette, dark: bool) -> QPalette:
    """Fusion outlines check boxes in the window colour darkened, invisible on a dark base; a light
    window colour for these widgets alone (they never fill their background) gives a visible box."""
    result = QPalette(palette)
    if dark:
        result.setColor(QPalette.ColorRole.Window, QColor("#a0a3a8"))
    return result


def follow_system_palette(app: QApplication) -> None:
    sync_palette(app)
    QGuiApplication.styleHints().colorSchemeChanged.connect(lambda _scheme: sync_palette(app))


def set_color_scheme(app: QApplication, scheme: Qt.ColorScheme | None) -> None:
    """Force a scheme (screenshots, tests), or ``None`` to follow the system again.

    Platforms without a colour-scheme setting (offscreen) ignore ``setColorScheme``, so the choice
    is also remembered here.
    """
    global _forced_scheme
    _forced_scheme = scheme
    QGuiApplication.styleHints().setColorScheme(scheme if scheme is not None else Qt.ColorScheme.Unknown)
    sync_palette(app)
