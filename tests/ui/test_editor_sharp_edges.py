"""The editor's sharp edges (issue 9, item 5), driven by clicks and keys in the real
window, asserting what the person sees."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from idsync.core.editing import new_document
from idsync.core.findings import Severity
from idsync.core.model import DestinationRef, IdentifierRow, IdSyncDocument, Setup, Strategy
from idsync.editor.steps import Step
from idsync.ui.main_window import MainWindow
from tests.helpers.editing import cell_codes, click, open_editor, press, reactivate, set_cell

K = Qt.Key
LEFT = Qt.MouseButton.LeftButton
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
FACEBOOK = DestinationRef(
    slug="personas-facebook-custom-audiences", name="Facebook Custom Audiences"
)


def facebook(*rows: tuple[str, str, Strategy], send_mobile_ids: bool = True) -> IdSyncDocument:
    return IdSyncDocument(
        destination=FACEBOOK,
        setup=Setup.CUSTOMIZED,
        send_mobile_ids=send_mobile_ids,
        custom_identifiers=("phone",),
        identifiers=tuple(
            IdentifierRow(segment=s, destination=d, strategy=st) for s, d, st in rows
        ),
    )


FIVE_ROWS = facebook(
    ("email", "EMAIL", Strategy.LAST),
    ("phone", "PHONE", Strategy.LAST),
    ("ios.idfa", "MADID", Strategy.ALL),
    ("android.idfa", "MADID", Strategy.ALL),
    ("user_id", "EXTERN_ID", Strategy.LAST),
)


def show_identifiers(qtbot: QtBot, window: MainWindow, doc: IdSyncDocument) -> None:
    window.controller.load(doc, None)
    press(qtbot, window, K.Key_3)
    assert window.current_step is Step.IDENTIFIERS


def segments(window: MainWindow) -> list[str]:
    return [row.segment for row in window.controller.document.identifiers]


def current_cell(window: MainWindow) -> tuple[int, int]:
    index = window.event_settings_page.table.currentIndex()
    return index.row(), index.column()


def click_row_number(qtbot: QtBot, window: MainWindow, row: int) -> None:
    header = window.event_settings_page.table.verticalHeader()
    y = header.sectionViewportPosition(row) + header.sectionSize(row) // 2
    qtbot.mouseClick(header.viewport(), LEFT, pos=QPoint(header.width() // 2, y))


def click_cell(qtbot: QtBot, window: MainWindow, row: int, column: int) -> None:
    table = window.event_settings_page.table
    where = table.visualRect(table.model().index(row, column)).center()
    qtbot.mouseClick(table.viewport(), LEFT, pos=where)


def close_open_editor(qtbot: QtBot, window: MainWindow) -> None:
    editor = open_editor(window)
    if editor is not None:
        if editor.view().isVisible():
            editor.hidePopup()
        qtbot.keyClick(editor, K.Key_Escape)
        qtbot.waitUntil(lambda: open_editor(window) is None)
    reactivate(qtbot, window)


# -- row numbers --------------------------------------------------------------------------


def test_clicking_a_row_number_selects_that_row_and_remove_removes_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    show_identifiers(qtbot, window, FIVE_ROWS)
    page = window.event_settings_page
    click_cell(qtbot, window, 0, 0)  # row 1 was selected before
    close_open_editor(qtbot, window)
    assert current_cell(window) == (0, 0)

    click_row_number(qtbot, window, 4)
    assert current_cell(window)[0] == 4
    assert page.table.hasFocus()  # so Delete acts on it too
    assert page.remove_button.isEnabled()
    click(qtbot, page.remove_button)
    assert segments(window) == ["email", "phone", "ios.idfa", "android.idfa"]

    # Again, with the Delete key after clicking row 2's number.
    click_row_number(qtbot, window, 1)
    assert current_cell(window)[0] == 1
    qtbot.keyClick(page.table, K.Key_Delete)
    assert segments(window) == ["email", "ios.idfa", "android.idfa"]
    assert window.controller.undo_stack.undoText() == "Remove row 2 (phone)"


# -- the current cell's findings, by keyboard -----------------------------------------------


def test_arrow_keys_to_a_cell_show_its_findings_under_the_table(
    qtbot: QtBot, window: MainWindow
) -> None:
    doc = facebook(
        ("email", "EMAIL", Strategy.LAST),
        ("ios.idfa", "MADID", Strategy.ALL),
        send_mobile_ids=False,
    )
    show_identifiers(qtbot, window, doc)
    page = window.event_settings_page
    detail = page.cell_detail
    # Keyboard only: Tab from the Customized Setup radio button into the table.
    page.customized_radio.setFocus()
    for _ in range(6):
        if page.table.hasFocus():
            break
        qtbot.keyClick(QApplication.focusWidget(), K.Key_Tab)
    assert page.table.hasFocus()
    qtbot.keyClick(page.table, K.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert current_cell(window) == (0, 0)
    assert detail.isVisible()
    assert "F2 or typing edits this cell" in detail.text_label.text()
    assert "IDS109" not in detail.text_label.text()

    qtbot.keyClick(page.table, K.Key_Down)
    assert current_cell(window) == (1, 0)
    assert cell_codes(window, 1, 0) == ["IDS109"]
    shown = detail.text_label.text()
    assert "IDS109" in shown and "Send Mobile IDs" in shown
    assert "arrow keys move" in shown
    # A screen reader hears it with the cell and with the table.
    assert "IDS109" in detail.accessibleDescription()
    assert "IDS109" in page.table.accessibleDescription()
    cell = page.model.index(1, 0)
    assert "Send Mobile IDs" in cell.data(Qt.ItemDataRole.AccessibleDescriptionRole)

    qtbot.keyClick(page.table, K.Key_Up)
    assert "IDS109" not in detail.text_label.text()
    assert "IDS109" not in page.table.accessibleDescription()


# -- three rows at most use All ----------------------------------------------------------------


def test_the_fourth_all_lands_on_the_row_just_changed_and_the_counter_warns(
    qtbot: QtBot, window: MainWindow
) -> None:
    show_identifiers(qtbot, window, FIVE_ROWS)
    page = window.event_settings_page
    counter = page.row_counter
    assert counter.text() == "5 of 5 identifiers · 2 of 3 using All"
    assert not page.row_counter_icon.isVisible()
    normal = counter.palette().color(counter.foregroundRole())

    set_cell(qtbot, window, 0, 2, "all")
    assert counter.text() == "5 of 5 identifiers · 3 of 3 using All"
    assert not page.row_counter_icon.isVisible()

    # Row 2 (phone) is the fourth set to All: its own strategy cell shows the error, and
    # the detail under the table, where the keyboard left the person, says so.
    set_cell(qtbot, window, 1, 2, "all")
    assert current_cell(window) == (1, 2)
    assert cell_codes(window, 1, 2) == ["IDS101"]
    assert "IDS101" in page.cell_detail.text_label.text()
    assert "4 rows use All (rows 1, 2, 3 and 4), but at most 3 may" in (
        page.cell_detail.text_label.text()
    )
    # The last row using All carries it too: any of them may be the one to change.
    assert cell_codes(window, 3, 2) == ["IDS101"]
    assert cell_codes(window, 4, 2) == []

    # The counter turned into a warning: words, colour and icon.
    assert counter.text() == "5 of 5 identifiers · 4 of 3 using All (1 too many)"
    assert page.row_counter_icon.isVisible()
    warned = counter.palette().color(counter.foregroundRole())
    assert warned != normal
    assert counter.font().bold()
    assert "Over Segment's limit" in counter.accessibleDescription()

    set_cell(qtbot, window, 3, 2, "last")
    assert cell_codes(window, 1, 2) == []
    assert counter.text() == "5 of 5 identifiers · 3 of 3 using All"
    assert not page.row_counter_icon.isVisible()
    assert counter.palette().color(counter.foregroundRole()) == normal
    assert not counter.font().bold()


# -- a new document -------------------------------------------------------------------------


def test_a_new_document_starts_in_default_setup_without_errors(
    qtbot: QtBot, window: MainWindow
) -> None:
    # The first start.
    page = window.event_settings_page
    assert window.controller.document == new_document()
    assert page.default_radio.isChecked()
    assert not [f for f in window.controller.findings if f.severity is Severity.ERROR]
    assert all(window.sidebar.error_count(step) == 0 for step in Step)
    assert not page.table.isEnabled()
    assert not window.isWindowModified()

    # Choose Facebook, then Customized Setup: it starts from what Default Setup sends.
    press(qtbot, window, K.Key_2)
    search = window.destination_page.search_edit
    search.setFocus()
    qtbot.keyClicks(search, "facebook custom")
    qtbot.keyClick(search, K.Key_Return)
    press(qtbot, window, K.Key_3)
    click(qtbot, page.customized_radio)
    assert window.controller.document.setup is Setup.CUSTOMIZED
    assert segments(window) == ["email"]  # the mobile IDs wait for Send Mobile IDs
    assert page.model.rowCount() == 1
    assert page.table.isEnabled()
    assert window.sidebar.error_count(Step.IDENTIFIERS) == 0

    # File > New (Ctrl+N), the unsaved work discarded: Default Setup again.
    window.controller.undo_stack.setClean()
    press(qtbot, window, K.Key_N)
    assert window.controller.document == new_document()
    assert page.default_radio.isChecked()
    assert all(window.sidebar.error_count(step) == 0 for step in Step)


def test_file_new_clears_the_destination_search_and_filter(
    qtbot: QtBot, window: MainWindow
) -> None:
    press(qtbot, window, K.Key_2)
    page = window.destination_page
    page.search_edit.setFocus()
    qtbot.keyClicks(page.search_edit, "zzz no such destination")
    page.kind_combo.setFocus()
    qtbot.keyClick(page.kind_combo, K.Key_Down)
    assert page.kind_combo.currentText() == "Destinations"
    assert page.model.rowCount() == 0
    assert page.empty_label.isVisible()

    press(qtbot, window, K.Key_N)
    assert page.search_edit.text() == ""
    assert page.kind_combo.currentText() == "All"
    assert page.model.rowCount() > 10
    assert not page.empty_label.isVisible()


# -- shortcuts of disabled actions ---------------------------------------------------------


def test_a_disabled_actions_shortcut_says_why_in_the_status_bar(
    qtbot: QtBot, window: MainWindow
) -> None:
    status = window.statusBar()
    assert not window.push_actions.push_action.isEnabled()
    press(qtbot, window, K.Key_P, CTRL_SHIFT)
    assert status.currentMessage() == (
        "Push is not available: connect to Segment first (Segment > Connect to Segment…)."
    )

    press(qtbot, window, K.Key_Z)
    assert status.currentMessage() == "Undo is not available: there is nothing to undo"

    # In the table: Ctrl+Shift+Up on the first row.
    show_identifiers(qtbot, window, FIVE_ROWS)
    table = window.event_settings_page.table
    reactivate(qtbot, window)
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    qtbot.keyClick(table, K.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(
        table, K.Key_Up, CTRL_SHIFT
    )
    assert status.currentMessage() == (
        "Move identifier up is not available: the first row cannot move up"
    )
    assert segments(window)[0] == "email"


# -- focus is visible --------------------------------------------------------------------------


def test_focus_on_the_step_list_and_the_table_can_be_seen(
    qtbot: QtBot, window: MainWindow
) -> None:
    show_identifiers(qtbot, window, FIVE_ROWS)
    sidebar = window.sidebar
    table = window.event_settings_page.table

    def looks(widget: QWidget) -> QImage:
        widget.repaint()
        return widget.grab().toImage()

    current = sidebar.visualItemRect(sidebar.currentItem())
    # Where the focus ring runs: the left edge inside the current step.
    ring = QPoint(current.left() + 4, current.center().y())
    ring_colour = sidebar.palette().color(QPalette.ColorRole.HighlightedText)

    def distance(image: QImage) -> int:
        seen = image.pixelColor(ring)
        return (
            abs(seen.red() - ring_colour.red())
            + abs(seen.green() - ring_colour.green())
            + abs(seen.blue() - ring_colour.blue())
        )

    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    assert distance(looks(sidebar)) > 150  # the selection colour only
    table_focused = looks(table.viewport())

    sidebar.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(sidebar.hasFocus)
    assert distance(looks(sidebar)) < 60  # the ring, in the selection's text colour
    assert looks(table.viewport()) != table_focused


def test_journey_fields_never_say_an_id_is_needed_to_push(
    qtbot: QtBot, window: MainWindow
) -> None:
    press(qtbot, window, K.Key_1)
    page = window.target_page
    click(qtbot, page.journey_radio)
    assert window.controller.document.target.kind == "journey"
    shown = " ".join(
        label.text() for label in page.findChildren(QLabel) if label.isVisible()
    )
    assert "journey" in shown.lower()
    assert "to push" not in shown
    assert "cannot be pushed" in shown or any(
        f.code == "IDS904" for f in window.controller.findings
    )
