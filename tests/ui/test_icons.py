"""Painted icons: severity icons are painted once per colour and follow palette changes."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette

from app.core.findings import Severity
from app.ui.icons import severity_icon
from app.ui.theme import severity_color

LIGHT = QPalette(QColor("#f0f0f0"))
DARK = QPalette(QColor("#202020"))


def _centre_colour(severity: Severity, palette: QPalette) -> QColor:
    image = severity_icon(severity, palette).pixmap(32, 32).toImage()
    # Left of the centre: inside the shape, clear of the mark painted in its middle.
    return image.pixelColor(8, 20)


@pytest.mark.parametrize("severity", list(Severity))
def test_the_same_severity_and_colours_reuse_one_painted_icon(
    qapp: object, severity: Severity
) -> None:
    first = severity_icon(severity, LIGHT)
    again = severity_icon(severity, QPalette(LIGHT))
    assert again.cacheKey() == first.cacheKey()


def test_a_palette_with_other_colours_gets_icons_in_those_colours(qapp: object) -> None:
    on_light = severity_icon(Severity.ERROR, LIGHT)
    on_dark = severity_icon(Severity.ERROR, DARK)
    assert on_dark.cacheKey() != on_light.cacheKey()
    assert _centre_colour(Severity.ERROR, LIGHT) == severity_color(Severity.ERROR, LIGHT)
    assert _centre_colour(Severity.ERROR, DARK) == severity_color(Severity.ERROR, DARK)
    # Severities never share an icon, even where they might share a colour.
    assert severity_icon(Severity.WARNING, LIGHT).cacheKey() != on_light.cacheKey()
