"""Icons painted at run time from the palette: severities and destination avatars (the app
icon, from its shipped PNGs, is in ``app.ui.app_icon``).

Painting the small ones keeps the app free of image files that would need a dark variant.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QIcon,
    QPainter,
    QPalette,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import QApplication

from app.core.findings import Severity
from app.ui.theme import avatar_color, on_color, severity_color

_SIZES = (16, 24, 32, 48)


def _palette(palette: QPalette | None) -> QPalette:
    return palette if palette is not None else QApplication.palette()


def _pixmap(size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    return pixmap


def _draw_mark(painter: QPainter, rect: QRectF, text: str, color: QColor) -> None:
    font = QFont(painter.font())
    font.setBold(True)
    font.setPixelSize(max(6, int(rect.height() * 0.62)))
    painter.setFont(font)
    painter.setPen(color)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


def severity_pixmap(severity: Severity, size: int, palette: QPalette | None = None) -> QPixmap:
    color = severity_color(severity, _palette(palette))
    pixmap = _pixmap(size)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    inset = size * 0.06
    box = QRectF(inset, inset, size - 2 * inset, size - 2 * inset)
    if severity is Severity.WARNING:
        # A triangle, so the shape (not only the colour) tells warnings from errors.
        triangle = QPolygonF(
            [
                QPointF(box.center().x(), box.top()),
                QPointF(box.right(), box.bottom()),
                QPointF(box.left(), box.bottom()),
            ]
        )
        painter.drawPolygon(triangle)
        mark_box = QRectF(
            box.left(), box.top() + box.height() * 0.28, box.width(), box.height() * 0.7
        )
        _draw_mark(painter, mark_box, "!", on_color(color))
    else:
        painter.drawEllipse(box)
        _draw_mark(painter, box, "!" if severity is Severity.ERROR else "i", on_color(color))
    painter.end()
    return pixmap


_severity_icons: dict[tuple[Severity, int], QIcon] = {}
"""Painted severity icons by severity and colour: table cells ask for one on every paint."""


def severity_icon(severity: Severity, palette: QPalette | None = None) -> QIcon:
    # Keyed by the colour, not the palette: a theme change gives a new colour, hence new
    # icons, while the few colours in use are each painted once.
    key = (severity, severity_color(severity, _palette(palette)).rgba())
    icon = _severity_icons.get(key)
    if icon is None:
        icon = QIcon()
        for size in _SIZES:
            icon.addPixmap(severity_pixmap(severity, size, palette))
        _severity_icons[key] = icon
    return QIcon(icon)  # a copy sharing the pixmaps, so a caller cannot alter the cached one


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
    pixmap = _pixmap(size)
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
    for size in _SIZES:
        icon.addPixmap(avatar_pixmap(name, size, palette))
    return icon
