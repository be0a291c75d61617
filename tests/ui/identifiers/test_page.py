"""The Event settings page in the real window, as a person clicked it (issue 20): controls
stay where they are while hints, notes and the banner come and go."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from idsync.core.model import IdentifierRow, Setup, Strategy
from idsync.editor.steps import Step
from idsync.ui.main_window import MainWindow
from tests.helpers.documents import CLEAN
from tests.helpers.editing import open_editor, press, reactivate

K = Qt.Key
LEFT = Qt.MouseButton.LeftButton

# One row, Send Mobile IDs off: a mobile advertising ID row would bring the banner, and
# that must not move anything either.
ONE_ROW = CLEAN

def click_at(qtbot: QtBot, window: MainWindow, spot: QPoint) -> QWidget:
    """A click where the mouse is: on whatever the window shows at ``spot`` now."""
    target = window.childAt(spot)
    assert target is not None
    qtbot.mouseClick(target, LEFT, pos=target.mapFrom(window, spot))
    return target


def where(window: MainWindow, widget: QWidget) -> QPoint:
    return widget.mapTo(window, QPoint(0, 0))


def test_three_clicks_at_one_spot_on_add_identifier_add_three_rows(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.controller.load(ONE_ROW, None)
    press(qtbot, window, K.Key_3)
    assert window.current_step is Step.IDENTIFIERS
    page = window.event_settings_page
    qtbot.wait(50)  # what the person sees: the page laid out
    add = page.add_button
    spot = add.mapTo(window, QPoint(add.width() // 2, add.height() // 2))
    placed = {w: where(window, w) for w in (add, page.table, page.send_mobile_ids_checkbox)}
    assert not page.cell_detail.isHidden()  # its line is there before any cell is chosen

    for _ in range(3):
        reactivate(qtbot, window)
        clicked = click_at(qtbot, window, spot)
        assert clicked is add
        qtbot.waitUntil(lambda: open_editor(window) is not None)  # the new row, for editing
        qtbot.wait(50)  # a person's pause between clicks: the page is laid out again

    assert len(window.controller.document.identifiers) == 4
    # The editing hint, a finding or the banner may have come; nothing has moved.
    assert {w: where(window, w) for w in placed} == placed
    editor = open_editor(window)
    if editor is not None:
        qtbot.keyClick(editor, K.Key_Escape)
        qtbot.waitUntil(lambda: open_editor(window) is None)
    qtbot.wait(50)
    assert {w: where(window, w) for w in placed} == placed


def test_default_setup_neither_points_at_a_disabled_button_nor_warns_of_kept_rows(
    qtbot: QtBot, window: MainWindow
) -> None:
    too_many_all = ONE_ROW.with_rows(
        tuple(
            IdentifierRow(segment=segment, destination=key, strategy=Strategy.ALL)
            for segment, key in (
                ("email", "EMAIL"),
                ("phone", "PHONE"),
                ("user_id", "EXTERN_ID"),
                ("anonymous_id", "EXTERN_ID"),
            )
        )
    )
    window.controller.load(too_many_all, None)
    press(qtbot, window, K.Key_3)
    page = window.event_settings_page
    assert page.row_counter_icon.isVisible()
    assert "1 too many" in page.row_counter.text()

    reactivate(qtbot, window)
    qtbot.mouseClick(page.default_radio, LEFT, pos=QPoint(10, page.default_radio.height() // 2))
    assert window.controller.document.setup is Setup.DEFAULT
    assert not page.row_counter_icon.isVisible()
    assert "too many" not in page.row_counter.text()
    assert "not sent" in page.row_counter.text()
    assert not page.row_counter.font().bold()

    window.controller.load(ONE_ROW.replace(setup=Setup.DEFAULT, identifiers=()), None)
    assert not page.add_button.isEnabled()
    assert "Add Identifier" not in page.table.placeholder_text
    assert "Customized Setup" in page.table.placeholder_text
