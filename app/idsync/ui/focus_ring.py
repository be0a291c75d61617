"""Keyboard focus stays visible: after a menu closed by the keyboard, and on controls the
style draws no focus frame for (a flat button, an item view's current cell, a label's
links).

Qt's styles draw the focus frame only while the window is in "keyboard focus" mode,
which Qt turns on for Tab and shortcuts but not when a menu opened with Alt is closed
with Escape and gives the focus back: the control has the focus and shows nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, QTimer
from PySide6.QtGui import QFocusEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QMenu,
    QMenuBar,
    QPushButton,
    QWidget,
)

RING_WIDTH = 2.0


def show_keyboard_focus(window: QWidget) -> None:
    """Put ``window`` in keyboard-focus mode and repaint its focused control."""
    focused = QApplication.focusWidget()
    if focused is None or focused.window() is not window:
        return  # the focus went to another window (or nowhere): nothing to show here
    window.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, True)
    if isinstance(focused, QAbstractItemView):
        # An item view draws its cells, focus ring included, on its viewport; and on
        # PySide6 6.10 its update() takes only the update(index) overload.
        viewport = focused.viewport()
        if viewport is not None:
            viewport.update()
    else:
        focused.update()


def keyboard_focus_shown(widget: QWidget) -> bool:
    """The focus ring is due: ``widget`` has the focus and its window is in keyboard mode."""
    return widget.hasFocus() and widget.window().testAttribute(
        Qt.WidgetAttribute.WA_KeyboardFocusChange
    )


def paint_ring(
    painter: QPainter, widget: QWidget, rect: QRectF, *, on_highlight: bool = False
) -> None:
    """The ring the app draws where the style draws none, in the palette's highlight. On
    a highlighted (selected) background it is darker, with a line of the highlight's text
    colour inside, so it stands out from the selection it surrounds."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    highlight = widget.palette().color(QPalette.ColorRole.Highlight)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    inset = RING_WIDTH / 2
    outer = rect.adjusted(inset, inset, -inset, -inset)
    pen = QPen(highlight.darker(170) if on_highlight else highlight)
    pen.setWidthF(RING_WIDTH)
    painter.setPen(pen)
    painter.drawRoundedRect(outer, 3, 3)
    if on_highlight:
        inner = QPen(widget.palette().color(QPalette.ColorRole.HighlightedText))
        inner.setWidthF(1.0)
        painter.setPen(inner)
        painter.drawRoundedRect(outer.adjusted(1.5, 1.5, -1.5, -1.5), 2, 2)
    painter.restore()


class MenuFocusKeeper(QObject):
    """Watches a window's menu bar and menus: when one closes after keys were used in it,
    the control that gets the focus back shows it."""

    def __init__(self, window: QWidget, menu_bar: QMenuBar) -> None:
        super().__init__(window)
        self._window = window
        self._by_keyboard = False
        self._watched: set[int] = set()
        self.watch(menu_bar)

    def watch(self, widget: QWidget) -> None:
        """Watch ``widget`` (the menu bar or a menu) and the menus under it."""
        for each in (widget, *widget.findChildren(QMenu)):
            if id(each) not in self._watched:
                self._watched.add(id(each))
                each.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.KeyPress:
            self._by_keyboard = True
        elif kind == QEvent.Type.MouseButtonPress:
            self._by_keyboard = False
        elif kind in (QEvent.Type.Hide, QEvent.Type.FocusOut) and self._by_keyboard:
            # After Qt has given the focus back (it does so once the menu is gone).
            QTimer.singleShot(0, self._restore)
        return False

    def _restore(self) -> None:
        if QApplication.activePopupWidget() is not None:
            return  # another menu opened meanwhile: it has the keyboard
        show_keyboard_focus(self._window)


class FlatButton(QPushButton):
    """A flat button (the status bar's findings): the style draws it no focus frame."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFlat(True)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if keyboard_focus_shown(self):
            painter = QPainter(self)
            paint_ring(painter, self, QRectF(self.rect()))
            painter.end()


class LinkLabel(QLabel):
    """Rich text whose links the keyboard reaches: a Tab stop only while it holds a link,
    and Tab lands on a link (drawn with its focus frame), not on the text around it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setOpenExternalLinks(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def setText(self, text: str) -> None:
        super().setText(text)
        has_link = "<a " in text
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if has_link else Qt.FocusPolicy.NoFocus)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        reason = event.reason()
        if reason in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason):
            # Qt gives the label the focus with no link chosen: choose the first (or,
            # going back, the last) so the focus shows where Enter would go.
            QLabel.focusNextPrevChild(self, reason == Qt.FocusReason.TabFocusReason)
