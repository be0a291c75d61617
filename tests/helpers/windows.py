"""The real main window as the tests start and close it, a person's double-click, and
what the screen shows of a widget."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from idsync.core.catalog import Catalog
from idsync.ui.main_window import MainWindow

_LEFT = Qt.MouseButton.LeftButton


def double_click(qtbot: QtBot, widget: QWidget, pos: QPoint) -> None:
    """What a person's double-click delivers: a click, then the double-click event."""
    qtbot.mouseClick(widget, _LEFT, pos=pos)
    qtbot.mouseDClick(widget, _LEFT, pos=pos)


def open_window(qtbot: QtBot, catalog: Catalog) -> MainWindow:
    """A shown, active main window, started as the app starts it (recovery offered)."""
    window = MainWindow(catalog)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.start([])
    return window


def close_window(window: MainWindow) -> None:
    """Close without the unsaved-changes question (tests that want it ask for it)."""
    window.controller.undo_stack.setClean()
    window.close()
    window.deleteLater()


def on_screen(widget: QWidget) -> QImage:
    """The pixels the screen holds for ``widget``: the window's last paint, not a fresh
    rendering (so a repaint that never came shows as the old pixels)."""
    window = widget.window()
    screen = window.screen()
    assert screen is not None
    top_left = widget.mapTo(window, widget.rect().topLeft())
    grabbed = screen.grabWindow(
        window.winId(), top_left.x(), top_left.y(), widget.width(), widget.height()
    )
    return grabbed.toImage()
