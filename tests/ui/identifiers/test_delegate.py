"""The identifier table's cell editors in the real window, as a person used them (issue 20):
the same choice made twice, and Enter in a list of completions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from idsync.core.model import IdentifierRow, IdSyncDocument, Strategy
from idsync.editor.steps import Step
from idsync.ui.main_window import MainWindow
from tests.helpers.documents import CLEAN
from tests.helpers.editing import open_cell_editor, open_editor, press, reactivate

K = Qt.Key
LEFT = Qt.MouseButton.LeftButton

FACEBOOK_ROWS = CLEAN.with_rows(
    (
        IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.LAST),
        IdentifierRow(segment="user_id", destination="EXTERN_ID", strategy=Strategy.LAST),
    )
)

# Rows the rules would re-derive: user_id is not what EMAIL takes, and no preset key takes
# ios.push_token. The person chose them so; choosing the same identifier again keeps them.
UNUSUAL_ROWS = FACEBOOK_ROWS.with_rows(
    (
        IdentifierRow(segment="user_id", destination="EMAIL", strategy=Strategy.LAST),
        IdentifierRow(segment="ios.push_token", destination="EXTERN_ID", strategy=Strategy.ALL),
    )
)


def show_rows(qtbot: QtBot, window: MainWindow, doc: IdSyncDocument) -> None:
    window.controller.load(doc, None)
    press(qtbot, window, K.Key_3)
    assert window.current_step is Step.IDENTIFIERS


def keyboard_target() -> QWidget:
    """Where a key goes: an open popup list takes the keyboard, else the focus widget."""
    target = QApplication.activePopupWidget() or QApplication.focusWidget()
    assert target is not None
    return target


def type_keys(qtbot: QtBot, *keys: K | str) -> None:
    for key in keys:
        if isinstance(key, str):
            for char in key:
                qtbot.keyClicks(keyboard_target(), char)
        else:
            qtbot.keyClick(keyboard_target(), key)


def type_with_completions(qtbot: QtBot, window: MainWindow, row: int, typed: str) -> None:
    """F2 on a row's Segment identifier and type: the list of completions opens."""
    show_rows(qtbot, window, FACEBOOK_ROWS)
    editor = open_cell_editor(qtbot, window, row, 0)
    completer = editor.completer()
    assert completer is not None
    type_keys(qtbot, typed)
    qtbot.waitUntil(lambda: completer.popup().isVisible())


def click_cell(qtbot: QtBot, window: MainWindow, row: int, column: int) -> None:
    table = window.event_settings_page.table
    where = table.visualRect(table.model().index(row, column)).center()
    qtbot.mouseClick(table.viewport(), LEFT, pos=where)


def test_choosing_the_same_segment_identifier_again_keeps_the_destination(
    qtbot: QtBot, window: MainWindow
) -> None:
    show_rows(qtbot, window, UNUSUAL_ROWS)
    stack = window.controller.undo_stack
    steps = stack.count()

    # By the keyboard: F2, the value is already there, Enter.
    editor = open_cell_editor(qtbot, window, 0, 0)
    assert editor.currentText() == "user_id"
    type_keys(qtbot, K.Key_Return)
    qtbot.waitUntil(lambda: open_editor(window) is None)

    # By the mouse: one click opens the list on the current value, which is chosen again.
    reactivate(qtbot, window)
    click_cell(qtbot, window, 1, 0)
    qtbot.waitUntil(lambda: (e := open_editor(window)) is not None and e.view().isVisible())
    editor = open_editor(window)
    assert editor is not None
    assert editor.currentText() == "ios.push_token"
    type_keys(qtbot, K.Key_Return)
    qtbot.waitUntil(lambda: open_editor(window) is None)

    assert window.controller.document.identifiers == UNUSUAL_ROWS.identifiers
    assert stack.count() == steps  # nothing to undo: nothing changed


def test_enter_in_the_completion_list_ends_the_edit_and_the_arrows_move_on(
    qtbot: QtBot, window: MainWindow
) -> None:
    type_with_completions(qtbot, window, 0, "anon")
    type_keys(qtbot, K.Key_Down, K.Key_Return)
    # At once, not later: the offscreen platform takes activation from the window when a
    # list closes, and the focus leaving would end the edit, as it never does on a desktop.
    assert open_editor(window) is None
    assert window.controller.document.identifiers[0].segment == "anonymous_id"
    table = window.event_settings_page.table
    reactivate(qtbot, window)
    assert QApplication.focusWidget() is table
    # The next keys are the table's: down to the next row, whose cell is untouched.
    type_keys(qtbot, K.Key_Down)
    assert (table.currentIndex().row(), table.currentIndex().column()) == (1, 0)
    assert [row.segment for row in window.controller.document.identifiers] == [
        "anonymous_id",
        "user_id",
    ]


def test_enter_on_typed_text_with_the_completion_list_open_takes_the_text(
    qtbot: QtBot, window: MainWindow
) -> None:
    type_with_completions(qtbot, window, 1, "anonymous_id")
    type_keys(qtbot, K.Key_Return)  # no entry of the list picked: what was typed
    assert open_editor(window) is None  # at once (see above)
    assert window.controller.document.identifiers[1].segment == "anonymous_id"
    reactivate(qtbot, window)
    type_keys(qtbot, K.Key_Up)
    assert window.event_settings_page.table.currentIndex().row() == 0
    assert window.controller.document.identifiers[0].segment == "email"


def test_a_click_on_a_completion_ends_the_edit(qtbot: QtBot, window: MainWindow) -> None:
    type_with_completions(qtbot, window, 1, "anon")
    editor = open_editor(window)
    assert editor is not None and editor.completer() is not None
    popup = editor.completer().popup()
    entry = popup.visualRect(popup.model().index(0, 0)).center()
    qtbot.mouseClick(popup.viewport(), LEFT, pos=entry)
    assert open_editor(window) is None  # at once (see above)
    assert window.controller.document.identifiers[1].segment == "anonymous_id"
