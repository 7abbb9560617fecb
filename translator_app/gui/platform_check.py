"""Say which system libraries Qt's X11 (xcb) plugin lacks, before Qt aborts without saying.

When a Linux desktop lacks one of them, Qt prints "Could not load the Qt platform plugin xcb" and
aborts the process, which Python cannot catch. So before the QApplication exists, the app looks
for the libraries the plugin loads and, if any is missing, prints the packages to install.
"""

from __future__ import annotations

import ctypes
import os
import sys
from typing import Callable

# library → (its soname, the Debian/Ubuntu package that provides it)
XCB_LIBRARIES = {
    "xcb-cursor": ("libxcb-cursor.so.0", "libxcb-cursor0"),
    "xkbcommon-x11": ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    "xcb-icccm": ("libxcb-icccm.so.4", "libxcb-icccm4"),
    "xcb-image": ("libxcb-image.so.0", "libxcb-image0"),
    "xcb-keysyms": ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    "xcb-randr": ("libxcb-randr.so.0", "libxcb-randr0"),
    "xcb-render-util": ("libxcb-render-util.so.0", "libxcb-render-util0"),
    "xcb-shape": ("libxcb-shape.so.0", "libxcb-shape0"),
    "xcb-xkb": ("libxcb-xkb.so.1", "libxcb-xkb1"),
    "EGL": ("libEGL.so.1", "libegl1"),
    "fontconfig": ("libfontconfig.so.1", "libfontconfig1"),
}


def loadable(library: str) -> str | None:
    """The library's soname if the dynamic loader finds it (a dlopen: milliseconds, where
    ``ctypes.util.find_library`` runs ``ldconfig`` once per library), else None."""
    soname = XCB_LIBRARIES[library][0]
    try:
        ctypes.CDLL(soname)
    except OSError:
        return None
    return soname


def uses_xcb(argv: list[str], environ: dict[str, str] | os._Environ = os.environ, platform: str = sys.platform) -> bool:
    """Whether Qt will try its X11 plugin: Linux, no other platform asked for, and no Wayland session."""
    if not platform.startswith("linux"):
        return False
    if "-platform" in argv:
        index = argv.index("-platform")
        return index + 1 < len(argv) and argv[index + 1].startswith("xcb")
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.startswith("xcb")
    return not environ.get("WAYLAND_DISPLAY")


def missing_xcb_packages(find: Callable[[str], str | None] = loadable) -> list[str]:
    return [package for library, (_soname, package) in XCB_LIBRARIES.items() if find(library) is None]


def xcb_hint(missing: list[str]) -> str:
    return (
        "translator-app: Qt's X11 platform plugin needs system libraries that are missing here. "
        f"On Debian or Ubuntu: sudo apt install {' '.join(missing)} "
        "(other distributions name them alike; under Wayland, QT_QPA_PLATFORM=wayland also works)."
    )


def warn_if_xcb_libraries_missing(argv: list[str]) -> str | None:
    """Print (and return) the hint when Qt is about to need libraries this machine lacks."""
    if not uses_xcb(argv):
        return None
    missing = missing_xcb_packages()
    if not missing:
        return None
    hint = xcb_hint(missing)
    print(hint, file=sys.stderr)
    return hint
