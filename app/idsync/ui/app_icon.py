"""The app icon, loaded from its shipped PNGs.

A module of its own so the window can show its icon before the rest of the UI (and the
painted icons' palette code) is imported.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from idsync import DESKTOP_ID
from idsync.resources import resource_path

APP_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def app_icon_files() -> list[Path]:
    """The shipped PNGs of the app icon, smallest first (rendered from its SVG by
    scripts/render_icons.py)."""
    root = resource_path("icons", "hicolor")
    return [root / f"{n}x{n}" / "apps" / f"{DESKTOP_ID}.png" for n in APP_ICON_SIZES]


def app_icon() -> QIcon:
    """The app icon: a profile node linked to a destination node."""
    icon = QIcon()
    for size, path in zip(APP_ICON_SIZES, app_icon_files(), strict=True):
        if path.is_file():
            # With its size given, Qt reads a PNG only when that size is drawn.
            icon.addFile(str(path), QSize(size, size))
    return icon
