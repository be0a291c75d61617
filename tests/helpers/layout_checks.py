"""Layout checks shared by the page tests: is any visible text cut off?"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QComboBox,
    QLabel,
    QLineEdit,
    QTabBar,
    QWidget,
)

# Qt's own sub-controls (a tab bar's scroll arrows, a field's clear button, a table's corner
# button, a combo's internals) are sized by their owner, not by the page's layout.
_OWNERS_OF_SUB_CONTROLS = (QTabBar, QLineEdit, QComboBox, QAbstractScrollArea)


def _is_sub_control(widget: QWidget) -> bool:
    return isinstance(widget.parent(), _OWNERS_OF_SUB_CONTROLS)


def _clipped(widget: QLabel | QAbstractButton, text: str) -> str | None:
    """Why ``widget`` cuts its text off, or None when all of it shows."""
    width, height = widget.width(), widget.height()
    hint = widget.sizeHint()
    if isinstance(widget, QLabel) and widget.wordWrap():
        needed = widget.heightForWidth(width)
        if needed <= height:
            return None
        return f"wraps to {needed}px at {width}px wide but is {height}px high"
    if hint.width() <= width and hint.height() <= height:
        return None
    return f"needs {hint.width()}x{hint.height()} but is {width}x{height}"


def clipped_texts(page: QWidget) -> list[str]:
    """Every visible label or button on ``page`` whose text does not fit, with the reason.

    A label fits when its size hint fits, or, for a word-wrapping label, when its height
    for its actual width fits. Buttons (push, check, radio, tool) must fit their size hint.
    """
    problems: list[str] = []
    widgets: list[QLabel | QAbstractButton] = [
        *page.findChildren(QLabel),
        *page.findChildren(QAbstractButton),
    ]
    for widget in widgets:
        if not widget.isVisible() or _is_sub_control(widget):
            continue
        text = widget.text()
        if isinstance(widget, QLabel) and not text:
            continue  # an empty label or a picture
        reason = _clipped(widget, text)
        if reason is not None:
            name = widget.objectName() or type(widget).__name__
            problems.append(f"{name} {text!r}: {reason}")
    return problems
