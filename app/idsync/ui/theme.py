"""Colours derived from the current palette, so light and dark system themes both read well.

The app never hard-codes a background; the few accent colours it needs (avatars here; the
severities' in ``idsync.ui.severity_style``) are picked to contrast with the palette's window
and base colours.
"""

from __future__ import annotations

import zlib

from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def on_color(background: QColor) -> QColor:
    """Readable text colour on top of ``background``."""
    return QColor("#000000") if background.lightness() > 150 else QColor("#ffffff")


def avatar_color(name: str, palette: QPalette) -> QColor:
    """A stable colour per name (same name, same colour on every run), tuned to the palette."""
    hue = zlib.crc32(name.encode("utf-8")) % 360
    if is_dark(palette):
        return QColor.fromHsl(hue, 110, 95)
    return QColor.fromHsl(hue, 140, 115)


def secondary_text_color(palette: QPalette) -> QColor:
    return palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText)


def monospace_font() -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setStyleHint(QFont.StyleHint.Monospace)
    return font


def heading_font(base: QFont, scale: float = 1.5) -> QFont:
    font = QFont(base)
    size = base.pointSizeF() if base.pointSizeF() > 0 else 10.0
    font.setPointSizeF(size * scale)
    font.setBold(True)
    return font
