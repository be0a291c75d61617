"""The whole editor, as a person uses it: from an empty window to a saved, valid Facebook
configuration, with keys and clicks only."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.core.editing import new_document
from app.core.findings import Severity
from app.core.model import IdentifierRow, Setup, Strategy
from app.core.steps import Step
from app.storage.documents import read_document
from app.ui.identifiers import FINDINGS_ROLE
from app.ui.identifiers.delegate import ChoiceCombo
from app.ui.main_window import MainWindow
from tests.ui.conftest import FileDialogs

K = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


# --- a person's hands -------------------------------------------------------------------------


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


# --- the story -----------------------------------------------------------------------------------


def test_new_facebook_configuration_by_keys_and_clicks(
    qtbot: QtBot, window: MainWindow, file_dialogs: FileDialogs, tmp_path: Path
) -> None:
    press(qtbot, window, K.Key_N)
    assert window.controller.document == new_document()

    # Destination: type, Enter.
    press(qtbot, window, K.Key_2)
    search = window.destination_page.search_edit
    search.setFocus()
    qtbot.keyClicks(search, "facebook custom")
    qtbot.keyClick(search, K.Key_Return)
    assert window.controller.document.destination.slug == "personas-facebook-custom-audiences"

    # Event settings: Customized Setup, the space's custom identifier, three rows.
    press(qtbot, window, K.Key_3)
    page = window.event_settings_page
    click(qtbot, page.default_radio)
    assert window.controller.document.setup is Setup.DEFAULT
    click(qtbot, page.customized_radio)
    assert window.controller.document.setup is Setup.CUSTOMIZED
    # Customized Setup starts from what Default Setup sends to Facebook: all emails (the
    # mobile IDs wait for Send Mobile IDs).
    assert window.controller.document.identifiers == (
        IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.ALL),
    )
    page.custom_identifiers_edit.setFocus()
    qtbot.keyClicks(page.custom_identifiers_edit, "phone")
    qtbot.keyClick(page.custom_identifiers_edit, K.Key_Return)
    assert window.controller.document.custom_identifiers == ("phone",)
    assert "phone" in window.remembered_identifiers()

    set_row(qtbot, window, 0, "email", "EMAIL", "last")
    for row, wanted in enumerate([("phone", "PHONE", "all"), ("ios.idfa", "MADID", "all")], 1):
        add_row(qtbot, window)
        set_row(qtbot, window, row, *wanted)

    # The mobile ID row warns until Send Mobile IDs is on; it never blocks.
    assert cell_codes(window, 2, 0) == ["IDS109"]
    assert window.sidebar.error_count(Step.IDENTIFIERS) == 0
    assert errors_on_identifiers(window) == []
    reactivate(qtbot, window)
    click(qtbot, page.send_mobile_ids_checkbox)
    assert window.controller.document.send_mobile_ids
    assert cell_codes(window, 2, 0) == []
    assert errors_on_identifiers(window) == []
    assert window.sidebar.error_count(Step.IDENTIFIERS) == 0

    # A fourth row using All (email switched to All too): four All rows is one too many.
    add_row(qtbot, window)
    set_row(qtbot, window, 3, "user_id", "EXTERN_ID", "all")
    set_row(qtbot, window, 0, "email", "EMAIL", "all")
    # Every row using All carries it, the row just changed among them.
    for row in range(4):
        assert cell_codes(window, row, 2) == ["IDS101"]
    assert errors_on_identifiers(window) == ["IDS101"] * 4
    assert window.sidebar.error_count(Step.IDENTIFIERS) == 4
    review_codes = [f.code for f in window.review_page.findings_list.findings]
    assert "IDS101" in review_codes

    # Fix it: the fourth row sends the first added value only.
    set_row(qtbot, window, 3, "user_id", "EXTERN_ID", "first")
    assert cell_codes(window, 3, 2) == []
    assert window.sidebar.error_count(Step.IDENTIFIERS) == 0
    finished = window.controller.document
    assert finished.identifiers == (
        IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.ALL),
        IdentifierRow(segment="phone", destination="PHONE", strategy=Strategy.ALL),
        IdentifierRow(segment="ios.idfa", destination="MADID", strategy=Strategy.ALL),
        IdentifierRow(segment="user_id", destination="EXTERN_ID", strategy=Strategy.FIRST),
    )

    # Save.
    saved = tmp_path / "facebook.json"
    file_dialogs.will_save(saved)
    press(qtbot, window, K.Key_S)
    assert read_document(saved) == finished
    assert not window.isWindowModified()

    # Every step undoes back to the empty document, and redoes to the saved one.
    steps = window.controller.undo_stack.count()
    assert steps >= 15
    for _ in range(steps):
        press(qtbot, window, K.Key_Z)
    assert window.controller.document == new_document()
    assert window.isWindowModified()
    for _ in range(steps):
        press(qtbot, window, K.Key_Z, CTRL | SHIFT)
    assert window.controller.document == finished
    assert not window.isWindowModified()

    # New, then reopen: the same document.
    press(qtbot, window, K.Key_N)
    assert window.controller.document == new_document()
    file_dialogs.will_open(saved)
    press(qtbot, window, K.Key_O)
    assert window.controller.document == finished
    assert window.controller.path == saved
    assert window.sidebar.error_count(Step.IDENTIFIERS) == 0
