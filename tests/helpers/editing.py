"""A person's hands on the editor: clicks, shortcuts and the identifier table's cell editors,
driven by keys (the end-to-end and sharp-edge tests, and the history dialog's)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from idsync.core.findings import Severity
from idsync.core.model import IdentifierRow, Strategy
from idsync.ui.identifiers import FINDINGS_ROLE
from idsync.ui.identifiers.delegate import ChoiceCombo
from idsync.ui.main_window import MainWindow

K = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier


def click(qtbot: QtBot, widget: QWidget) -> None:
    """Click on a control's text, where a person clicks a check box or radio button."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(10, widget.height() // 2))


def reactivate(qtbot: QtBot, window: MainWindow) -> None:
    # The offscreen platform does not give activation back to the window after a popup
    # list closes, as a desktop's window manager does.
    if QApplication.activeWindow() is not window:
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def open_cell_editor(qtbot: QtBot, window: MainWindow, row: int, column: int) -> ChoiceCombo:
    reactivate(qtbot, window)
    table = window.event_settings_page.table
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    qtbot.keyClick(table, K.Key_Home, CTRL)
    for _ in range(row):
        qtbot.keyClick(table, K.Key_Down)
    for _ in range(column):
        qtbot.keyClick(table, K.Key_Right)
    qtbot.keyClick(table, K.Key_F2)
    qtbot.waitUntil(lambda: open_editor(window) is not None)
    editor = open_editor(window)
    assert editor is not None
    return editor


def open_editor(window: MainWindow) -> ChoiceCombo | None:
    table = window.event_settings_page.table
    editors = [e for e in table.findChildren(ChoiceCombo) if e.isVisible()]
    return editors[0] if editors else None


def set_cell(qtbot: QtBot, window: MainWindow, row: int, column: int, value: str) -> None:
    editor = open_cell_editor(qtbot, window, row, column)
    if editor.isEditable():
        qtbot.keyClick(editor, K.Key_A, CTRL)
        qtbot.keyClicks(editor, value)
    else:
        wanted = editor.findData(value)
        assert wanted >= 0, f"{value} is not offered in column {column}"
        key = K.Key_Down if wanted > editor.currentIndex() else K.Key_Up
        while editor.currentIndex() != wanted:
            qtbot.keyClick(editor, key)
    qtbot.keyClick(editor, K.Key_Return)
    qtbot.waitUntil(lambda: open_editor(window) is None)


def set_row(qtbot: QtBot, window: MainWindow, row: int, segment: str, key: str,
            strategy: str) -> None:
    current = window.controller.document.identifiers[row]
    if current.segment != segment:
        set_cell(qtbot, window, row, 0, segment)
    if current.destination != key:
        set_cell(qtbot, window, row, 1, key)
    if current.strategy.value != strategy:
        set_cell(qtbot, window, row, 2, strategy)
    assert window.controller.document.identifiers[row] == IdentifierRow(
        segment=segment, destination=key, strategy=Strategy(strategy)
    )


def add_row(qtbot: QtBot, window: MainWindow) -> None:
    page = window.event_settings_page
    count = len(window.controller.document.identifiers)
    reactivate(qtbot, window)
    click(qtbot, page.add_button)
    qtbot.waitUntil(lambda: open_editor(window) is not None)  # a new row opens for editing
    editor = open_editor(window)
    assert editor is not None
    qtbot.keyClick(editor, K.Key_Escape)
    qtbot.waitUntil(lambda: open_editor(window) is None)
    assert len(window.controller.document.identifiers) == count + 1


def cell_codes(window: MainWindow, row: int, column: int) -> list[str]:
    index = window.event_settings_page.model.index(row, column)
    return [f.code for f in index.data(FINDINGS_ROLE)]


def errors_on_identifiers(window: MainWindow) -> list[str]:
    return [
        f.code
        for f in window.controller.findings
        if f.severity is Severity.ERROR and f.area.value == "identifiers"
    ]


def press(qtbot: QtBot, window: MainWindow, key: K, modifiers: Qt.KeyboardModifier = CTRL) -> None:
    reactivate(qtbot, window)
    # From the step list, so no text field takes Ctrl+Z for its own undo.
    window.sidebar.setFocus()
    qtbot.keyClick(window.sidebar, key, modifiers)
