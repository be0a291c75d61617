"""How a severity looks, everywhere in the window: its colour, its icon, the tint of a
cell or banner that carries it, its word in rich text, its count badge, and which of
several findings shows. Every widget that shows a finding asks here.

Colours come from the palette in use, so light and dark palettes both read well and a
palette change is followed without a restart. Errors and warnings differ in shape too
(a disc and a triangle, a filled badge and an outline), not in colour alone.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QIcon,
    QPainter,
    QPalette,
    QPixmap,
    QPolygonF,
)

from idsync.core.findings import Finding, Severity
from idsync.ui.icons import ICON_SIZES, transparent_pixmap
from idsync.ui.theme import is_dark, on_color


def _palette(palette: QPalette | None) -> QPalette:
    return palette if palette is not None else QGuiApplication.palette()


def severity_color(severity: Severity, palette: QPalette) -> QColor:
    dark = is_dark(palette)
    if severity is Severity.ERROR:
        return QColor("#ff6b6b") if dark else QColor("#c62828")
    if severity is Severity.WARNING:
        return QColor("#f0b429") if dark else QColor("#b26a00")
    # Info follows the palette's own accent so it never competes with problems.
    return palette.color(QPalette.ColorRole.Highlight).lighter(130 if dark else 100)


def worst_severity(findings: Iterable[Finding]) -> Severity | None:
    ranked = sorted((f.severity for f in findings), key=lambda s: s.rank)
    return ranked[0] if ranked else None


def severity_tint(
    severity: Severity,
    palette: QPalette | None = None,
    role: QPalette.ColorRole = QPalette.ColorRole.Base,
) -> QColor:
    """The palette colour for ``role`` blended towards the severity's hue: a cell's or a
    banner's background."""
    palette = _palette(palette)
    base = palette.color(role)
    hue = severity_color(severity, palette)
    # Dark backgrounds need more of the hue to show at all; light ones need less to
    # keep the text readable.
    amount = 0.32 if base.lightnessF() < 0.5 else 0.18
    return QColor(
        round(base.red() + (hue.red() - base.red()) * amount),
        round(base.green() + (hue.green() - base.green()) * amount),
        round(base.blue() + (hue.blue() - base.blue()) * amount),
    )


def severity_word(severity: Severity, palette: QPalette, word: str | None = None) -> str:
    """Rich text: ``word`` (the severity's own label unless given) in its colour, bold."""
    color = severity_color(severity, palette).name()
    text = html.escape(severity.label if word is None else word)
    return f'<span style="color:{color}; font-weight:600">{text}</span>'


def findings_tooltip(findings: Sequence[Finding], description: str = "") -> str:
    """Rich text (so Qt wraps it) listing each finding, worst first, then the cell's
    own description."""
    parts = [
        f"<p><b>{html.escape(f.severity.label)}:</b> {html.escape(f.message)}</p>"
        for f in sorted(findings, key=lambda f: f.severity.rank)
    ]
    if description:
        parts.append(f"<p>{html.escape(description)}</p>")
    return "<qt>" + "".join(parts) + "</qt>" if parts else ""


@dataclass(frozen=True)
class BadgeStyle:
    """A count badge: ``fill`` None draws the outline only."""

    fill: QColor | None
    edge: QColor
    text: QColor


def count_badge(severity: Severity, palette: QPalette, selected: bool) -> BadgeStyle:
    """Errors: a filled badge; warnings: an outline only, so errors stay the thing that
    stands out (on a selected row in the selection's text colour: amber vanishes there)."""
    color = severity_color(severity, palette)
    if severity is Severity.ERROR:
        return BadgeStyle(color, color, on_color(color))
    if selected:
        color = palette.color(QPalette.ColorRole.HighlightedText)
    return BadgeStyle(None, color, color)


def _draw_mark(painter: QPainter, rect: QRectF, text: str, color: QColor) -> None:
    font = QFont(painter.font())
    font.setBold(True)
    font.setPixelSize(max(6, int(rect.height() * 0.62)))
    painter.setFont(font)
    painter.setPen(color)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


def severity_pixmap(severity: Severity, size: int, palette: QPalette | None = None) -> QPixmap:
    color = severity_color(severity, _palette(palette))
    pixmap = transparent_pixmap(size)
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
    """The app's own severity icon (shape and colour differ), the same on every step."""
    # Keyed by the colour, not the palette: a theme change gives a new colour, hence new
    # icons, while the few colours in use are each painted once.
    key = (severity, severity_color(severity, _palette(palette)).rgba())
    icon = _severity_icons.get(key)
    if icon is None:
        icon = QIcon()
        for size in ICON_SIZES:
            icon.addPixmap(severity_pixmap(severity, size, palette))
        _severity_icons[key] = icon
    return QIcon(icon)  # a copy sharing the pixmaps, so a caller cannot alter the cached one
