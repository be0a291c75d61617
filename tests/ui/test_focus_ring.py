"""Keyboard focus can be seen on every Tab stop of every step, and again after a menu
opened and closed from the keyboard (issue 20)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from idsync.editor.steps import Step
from idsync.ui.main_window import MainWindow
from tests.helpers.editing import reactivate

K = Qt.Key
KEYBOARD_MODE = Qt.WidgetAttribute.WA_KeyboardFocusChange
EXAMPLE = "resources/examples/facebook-custom-audiences.json"


def looks(widget: QWidget) -> QImage:
    widget.repaint()
    return widget.grab().toImage()


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "the focus left the window"
    return widget


def tab_stops(qtbot: QtBot, window: MainWindow) -> list[tuple[QWidget, QImage]]:
    """Tab from the step list round to it again: each stop and how it looked focused."""
    seen: list[tuple[QWidget, QImage]] = []
    for _ in range(60):
        qtbot.keyClick(focused(), K.Key_Tab)
        widget = focused()
        if widget is window.sidebar:
            return seen
        seen.append((widget, looks(widget)))
    raise AssertionError(f"Tab never came back to the step list: {seen}")


def test_every_tab_stop_of_every_step_shows_the_focus(qtbot: QtBot, window: MainWindow) -> None:
    assert window.files.open_path(EXAMPLE)
    for step in Step:
        window.go_to_step(step)
        reactivate(qtbot, window)
        window.sidebar.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(window.sidebar.hasFocus)
        stops = tab_stops(qtbot, window)
        assert stops, step
        names = [type(widget).__name__ for widget, _ in stops]
        assert "QScrollArea" not in names, f"{step}: a stop that is only a scroll area"
        for widget, with_focus in stops:
            assert widget.isVisible() and widget.window() is window, (step, widget)
            assert window.testAttribute(KEYBOARD_MODE)
            # The same control without the focus looks different: the focus is painted.
            assert looks(widget) != with_focus, (step, type(widget).__name__, widget.objectName())
        assert stops[-1][0] is window.findings_button, f"{step}: the status bar comes last"


def test_the_table_shows_the_focus_after_a_menu_is_closed_with_escape(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.files.open_path(EXAMPLE)
    window.go_to_step(Step.IDENTIFIERS)
    table = window.event_settings_page.table
    reactivate(qtbot, window)
    window.sidebar.setFocus(Qt.FocusReason.TabFocusReason)
    while focused() is not table:
        qtbot.keyClick(focused(), K.Key_Tab)
    ringed = looks(table.viewport())
    table.clearFocus()
    plain = looks(table.viewport())
    assert ringed != plain
    table.setFocus(Qt.FocusReason.TabFocusReason)

    qtbot.keyClick(focused(), K.Key_F, Qt.KeyboardModifier.AltModifier)  # File menu
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    assert window.menuBar().activeAction() == window.file_menu.menuAction()
    # What Qt does when a menu goes: the window leaves keyboard-focus mode.
    window.setAttribute(KEYBOARD_MODE, False)
    qtbot.keyClick(QApplication.activePopupWidget(), K.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    reactivate(qtbot, window)
    if not table.hasFocus():  # the menu bar keeps the keys until a second Escape
        qtbot.keyClick(focused(), K.Key_Escape)
    qtbot.waitUntil(table.hasFocus)
    qtbot.waitUntil(lambda: window.testAttribute(KEYBOARD_MODE))
    reactivate(qtbot, window)  # offscreen drops the activation once the menu bar lets go
    qtbot.waitUntil(table.hasFocus)
    assert looks(table.viewport()) != plain  # the ring is back
