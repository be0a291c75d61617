"""Icons painted at run time from the palette: destination avatars, and the canvas the
severity icons (``idsync.ui.severity_style``) are painted on (the app icon, from its shipped
PNGs, is in ``idsync.ui.app_icon``).

Painting the small ones keeps the app free of image files that would need a dark variant.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import (
    QFont,
    QIcon,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtWidgets import QApplication

from idsync.ui.theme import avatar_color, on_color

ICON_SIZES = (16, 24, 32, 48)
"""The sizes each painted icon holds, so it stays sharp in a list, a table and a menu."""


def _palette(palette: QPalette | None) -> QPalette:
    return palette if palette is not None else QApplication.palette()


def transparent_pixmap(size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    return pixmap


def initials(name: str) -> str:
    """Two letters for an avatar: first letters of the first two words, else of one word."""
    words = ["".join(ch for ch in word if ch.isalnum()) for word in name.split()]
    words = [word for word in words if word]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][0] + words[1][0]).upper()


def avatar_pixmap(name: str, size: int, palette: QPalette | None = None) -> QPixmap:
    color = avatar_color(name, _palette(palette))
    pixmap = transparent_pixmap(size)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawRoundedRect(QRectF(0, 0, size, size), size * 0.22, size * 0.22)
    font = QFont(painter.font())
    font.setBold(True)
    font.setPixelSize(max(6, int(size * 0.42)))
    painter.setFont(font)
    painter.setPen(on_color(color))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, initials(name))
    painter.end()
    return pixmap


def avatar_icon(name: str, palette: QPalette | None = None) -> QIcon:
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addPixmap(avatar_pixmap(name, size, palette))
    return icon
