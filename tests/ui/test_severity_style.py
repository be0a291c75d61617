"""How a severity looks: icons painted once per colour that follow palette changes, the
word in its colour, and count badges that tell errors from warnings by shape."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette

from idsync.core.findings import Severity
from idsync.ui.severity_style import count_badge, severity_color, severity_icon, severity_word

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


def test_the_word_of_a_severity_is_its_colour_and_bold_and_escaped(qapp: object) -> None:
    colour = severity_color(Severity.WARNING, DARK).name()
    assert severity_word(Severity.WARNING, DARK) == (
        f'<span style="color:{colour}; font-weight:600">Warning</span>'
    )
    assert ">Refused &lt;now&gt;:<" in severity_word(Severity.ERROR, LIGHT, "Refused <now>:")


@pytest.mark.parametrize("selected", [False, True])
def test_an_error_badge_is_filled_and_a_warning_badge_an_outline(
    qapp: object, selected: bool
) -> None:
    error = count_badge(Severity.ERROR, LIGHT, selected)
    assert error.fill == severity_color(Severity.ERROR, LIGHT)
    assert error.text != error.fill  # readable on its own colour
    warning = count_badge(Severity.WARNING, LIGHT, selected)
    assert warning.fill is None
    expected = (
        LIGHT.color(QPalette.ColorRole.HighlightedText)
        if selected
        else severity_color(Severity.WARNING, LIGHT)
    )
    assert warning.edge == warning.text == expected
