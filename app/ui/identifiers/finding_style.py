"""How findings look on a cell or a banner: the app's severity icons and palette-aware
tints.

Tints are the palette's own base colour blended towards a severity hue, so they read
in light and dark palettes alike and follow a palette change without a restart.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette

from app.core.findings import Finding, Severity
from app.ui import icons, theme


def worst_severity(findings: Iterable[Finding]) -> Severity | None:
    ranked = sorted((f.severity for f in findings), key=lambda s: s.rank)
    return ranked[0] if ranked else None


def severity_icon(severity: Severity) -> QIcon:
    """The app's own severity icons (shape and colour differ), as on the other steps."""
    return icons.severity_icon(severity)


def severity_title(severity: Severity) -> str:
    return severity.label


def severity_tint(
    severity: Severity,
    palette: QPalette | None = None,
    role: QPalette.ColorRole = QPalette.ColorRole.Base,
) -> QColor:
    """The palette colour for ``role`` blended towards the severity's hue."""
    palette = palette if palette is not None else QGuiApplication.palette()
    base = palette.color(role)
    hue = theme.severity_color(severity, palette)
    # Dark backgrounds need more of the hue to show at all; light ones need less to
    # keep the text readable.
    amount = 0.32 if base.lightnessF() < 0.5 else 0.18
    return QColor(
        round(base.red() + (hue.red() - base.red()) * amount),
        round(base.green() + (hue.green() - base.green()) * amount),
        round(base.blue() + (hue.blue() - base.blue()) * amount),
    )


def findings_tooltip(findings: Sequence[Finding], description: str = "") -> str:
    """Rich text (so Qt wraps it) listing each finding, worst first, then the cell's
    own description."""
    parts = [
        f"<p><b>{severity_title(f.severity)}:</b> {html.escape(f.message)}</p>"
        for f in sorted(findings, key=lambda f: f.severity.rank)
    ]
    if description:
        parts.append(f"<p>{html.escape(description)}</p>")
    return "<qt>" + "".join(parts) + "</qt>" if parts else ""
