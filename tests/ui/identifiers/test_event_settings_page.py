"""The Event settings page, driven with clicks and key presses only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMainWindow

from idsync.core.model import DestinationRef, IdentifierRow, IdSyncDocument, Setup, Strategy
from idsync.ui.controller import DocumentController
from idsync.ui.identifiers import FINDINGS_ROLE, EventSettingsPage
from idsync.ui.identifiers.delegate import ChoiceCombo
from tests.helpers.identifier_table import (
    ITERABLE,
    facebook_document,
    realistic_facebook_rows,
    small_catalog,
    small_validator,
)

# Qt 6.12's offscreen platform warns that it cannot do some window-system things
# (propagate size hints, raise a popup, grab the keyboard for it); those say nothing
# about this app, and every other Qt warning still fails the test. tests/ui/conftest.py
# marks every test for the size-hint one; tests that open a popup list add the rest
# (a marker on the function is found before the conftest's).
OFFSCREEN_PLATFORM_LIMITS = r"^This plugin does not support "
pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_PLATFORM_LIMITS)
opens_popups = pytest.mark.qt_log_ignore(OFFSCREEN_PLATFORM_LIMITS)

R = Qt.ItemDataRole
K = Qt.Key


@pytest.fixture
def controller(qapp) -> DocumentController:
    catalog = small_catalog()
    controller = DocumentController(small_validator(catalog))
    controller.load(facebook_document(), None)
    return controller


@pytest.fixture
def page(qtbot, controller) -> Iterator[EventSettingsPage]:
    window = QMainWindow()
    page = EventSettingsPage(controller, small_catalog(), lambda: ["loyalty_id"])
    window.setCentralWidget(page)
    window.resize(1280, 800)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    yield page  # the window stays referenced until the test ends
    window.close()


def open_editor(qtbot, page: EventSettingsPage, row: int, column: int) -> ChoiceCombo:
    """Keyboard only: focus the table, walk to the cell with the arrows, press F2."""
    go_to_cell(qtbot, page, row, column)
    qtbot.keyClick(page.table, K.Key_F2)
    return current_editor(qtbot, page)


def go_to_cell(qtbot, page: EventSettingsPage, row: int, column: int) -> None:
    reactivate(qtbot, page)
    table = page.table
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    qtbot.keyClick(table, K.Key_Home, Qt.KeyboardModifier.ControlModifier)
    for _ in range(row):
        qtbot.keyClick(table, K.Key_Down)
    for _ in range(column):
        qtbot.keyClick(table, K.Key_Right)
    assert (table.currentIndex().row(), table.currentIndex().column()) == (row, column)


def reactivate(qtbot, page: EventSettingsPage) -> None:
    """The offscreen platform does not hand activation back to the window after a popup
    list closes (a desktop's window manager does); give it back as a person's next
    click would."""
    window = page.window()
    if QApplication.activeWindow() is not window:
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def current_editor(qtbot, page: EventSettingsPage) -> ChoiceCombo:
    qtbot.waitUntil(lambda: editor_or_none(page) is not None)
    editor = editor_or_none(page)
    assert editor is not None
    return editor


def editor_or_none(page: EventSettingsPage) -> ChoiceCombo | None:
    editors = [e for e in page.table.findChildren(ChoiceCombo) if e.isVisible()]
    return editors[0] if editors else None


def rows(controller: DocumentController) -> list[tuple[str, str, str]]:
    return [(r.segment, r.destination, r.strategy.value) for r in controller.document.identifiers]


def click(qtbot, widget) -> None:
    """Click where a person would: on the text (a check box or radio button row is wider
    than its clickable indicator and text)."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(10, widget.height() // 2))


# -- the delegate, by keyboard ------------------------------------------------------


def test_strategy_is_chosen_with_arrows_and_enter(qtbot, page, controller) -> None:
    controller.load(facebook_document(*realistic_facebook_rows()), None)
    editor = open_editor(qtbot, page, 0, 2)
    assert not editor.isEditable()
    assert [editor.itemText(i) for i in range(editor.count())] == [
        "First added",
        "Last added",
        "All",
    ]
    assert editor.currentText() == "Last added"
    qtbot.keyClick(editor, K.Key_Down)
    qtbot.keyClick(editor, K.Key_Return)
    qtbot.waitUntil(lambda: controller.document.identifiers[0].strategy is Strategy.ALL)
    qtbot.waitUntil(lambda: editor_or_none(page) is None)
    assert controller.undo_stack.undoText() == "Change strategy of row 1"
    assert page.model.index(0, 2).data() == "All"


def test_escape_cancels_the_edit(qtbot, page, controller) -> None:
    controller.load(facebook_document(*realistic_facebook_rows()), None)
    editor = open_editor(qtbot, page, 1, 2)
    qtbot.keyClick(editor, K.Key_Up)
    qtbot.keyClick(editor, K.Key_Escape)
    qtbot.waitUntil(lambda: editor_or_none(page) is None)
    assert controller.document.identifiers[1].strategy is Strategy.ALL
    assert controller.undo_stack.count() == 0


@opens_popups
def test_typing_on_a_segment_cell_starts_editing_and_enter_commits(qtbot, page, controller) -> None:
    controller.load(facebook_document(*realistic_facebook_rows()), None)
    go_to_cell(qtbot, page, 0, 0)
    qtbot.keyClicks(page.table, "u")
    editor = current_editor(qtbot, page)
    assert editor.isEditable()
    qtbot.keyClicks(editor, "ser_id")
    assert editor.currentText() == "user_id"
    qtbot.keyClick(editor, K.Key_Return)
    qtbot.waitUntil(lambda: controller.document.identifiers[0].segment == "user_id")
    assert controller.undo_stack.undoText() == "Change Segment identifier of row 1"


def test_segment_editor_offers_defaults_custom_remembered_then_legacy(
    qtbot, page, controller
) -> None:
    controller.load(facebook_document(*realistic_facebook_rows()), None)
    editor = open_editor(qtbot, page, 0, 0)
    offered = [editor.itemData(i) for i in range(editor.count()) if editor.itemData(i)]
    assert offered == [
        "user_id",
        "email",
        "anonymous_id",
        "ios.idfa",
        "android.idfa",
        "phone",
        "loyalty_id",
        "braze_id",
    ]
    completer = editor.completer()
    assert completer is not None
    completer.setCompletionPrefix("idfa")  # matches anywhere in the name
    assert completer.completionCount() == 2
    qtbot.keyClick(editor, K.Key_Escape)


def test_preset_destination_is_a_fixed_dropdown_chosen_by_keys(qtbot, page, controller) -> None:
    controller.load(facebook_document(*realistic_facebook_rows()), None)
    editor = open_editor(qtbot, page, 1, 1)
    assert not editor.isEditable()
    assert [editor.itemData(i) for i in range(editor.count())] == [
        "EXTERN_ID",
        "EMAIL",
        "PHONE",
        "MADID",
    ]
    assert editor.itemText(0) == "External ID (EXTERN_ID)"
    assert editor.currentData() == "PHONE"
    qtbot.keyClick(editor, K.Key_Up)
    qtbot.keyClick(editor, K.Key_Enter)
    qtbot.waitUntil(lambda: controller.document.identifiers[1].destination == "EMAIL")


@opens_popups
def test_free_destination_is_typed_with_suggestions(qtbot, page, controller) -> None:
    doc = IdSyncDocument(
        destination=DestinationRef(slug=ITERABLE, name="Iterable"),
        identifiers=(IdentifierRow(segment="email"),),
    )
    controller.load(doc, None)
    editor = open_editor(qtbot, page, 0, 1)
    assert editor.isEditable()
    assert [editor.itemData(i) for i in range(editor.count())] == ["email", "userId"]
    qtbot.keyClicks(editor, "Email_Address_c")
    qtbot.keyClick(editor, K.Key_Return)
    qtbot.waitUntil(lambda: controller.document.identifiers[0].destination == "Email_Address_c")
    # An unknown field is only a warning; its cell says so.
    cell = page.model.index(0, 1)
    assert [f.code for f in cell.data(FINDINGS_ROLE)] == ["T301"]
    assert "Warning:" in cell.data(R.ToolTipRole)


@opens_popups
def test_one_click_opens_the_list_and_a_choice_commits(qtbot, page, controller) -> None:
    controller.load(facebook_document(*realistic_facebook_rows()), None)
    table = page.table
    where = table.visualRect(page.model.index(0, 2)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    editor = current_editor(qtbot, page)
    qtbot.waitUntil(lambda: editor.view().isVisible())
    qtbot.keyClick(editor.view(), K.Key_Up)
    qtbot.keyClick(editor.view(), K.Key_Return)
    qtbot.waitUntil(lambda: controller.document.identifiers[0].strategy is Strategy.FIRST)
    qtbot.waitUntil(lambda: editor_or_none(page) is None)
    assert controller.undo_stack.count() == 1


# -- the page -------------------------------------------------------------------------


def choose_in_open_editor(qtbot, editor: ChoiceCombo, value: str) -> None:
    """Arrow keys until the wanted item is current (a person reading the list)."""
    target = editor.findData(value)
    assert target >= 0, f"{value} is not offered"
    key = K.Key_Down if target > editor.currentIndex() else K.Key_Up
    while editor.currentIndex() != target:
        qtbot.keyClick(editor, key)
    qtbot.keyClick(editor, K.Key_Return)


def type_in_open_editor(qtbot, editor: ChoiceCombo, text: str) -> None:
    qtbot.keyClick(editor, K.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, K.Key_Return)


def set_row(qtbot, page, controller, row: int, segment: str, key: str, strategy: str) -> None:
    cells = controller.document.identifiers[row]
    if cells.segment != segment:
        type_in_open_editor(qtbot, open_editor(qtbot, page, row, 0), segment)
        qtbot.waitUntil(lambda: controller.document.identifiers[row].segment == segment)
        qtbot.waitUntil(lambda: editor_or_none(page) is None)
    if cells.destination != key:
        choose_in_open_editor(qtbot, open_editor(qtbot, page, row, 1), key)
        qtbot.waitUntil(lambda: controller.document.identifiers[row].destination == key)
        qtbot.waitUntil(lambda: editor_or_none(page) is None)
    if cells.strategy.value != strategy:
        choose_in_open_editor(qtbot, open_editor(qtbot, page, row, 2), strategy)
        qtbot.waitUntil(lambda: controller.document.identifiers[row].strategy.value == strategy)
        qtbot.waitUntil(lambda: editor_or_none(page) is None)


def add_row_by_button(qtbot, page) -> None:
    with qtbot.waitSignal(page.model.rowsInserted):
        click(qtbot, page.add_button)
    editor = current_editor(qtbot, page)  # the new row opens for editing
    qtbot.keyClick(editor, K.Key_Escape)
    qtbot.waitUntil(lambda: editor_or_none(page) is None)


def cell_codes(page, row: int, column: int) -> list[str]:
    return [f.code for f in page.model.index(row, column).data(FINDINGS_ROLE)]


def test_add_identifier_adds_a_preset_row_selects_it_and_opens_its_editor(
    qtbot, page, controller
) -> None:
    assert page.add_button.isEnabled()
    assert not page.remove_button.isEnabled()
    with qtbot.waitSignal(page.model.rowsInserted) as inserted:
        click(qtbot, page.add_button)
    assert inserted.args[1:] == [0, 0]
    # The most useful identifier for Facebook, under the key of its kind.
    assert rows(controller) == [("email", "EMAIL", "last")]
    assert controller.undo_stack.undoText() == "Add identifier email"
    current = page.table.currentIndex()
    assert (current.row(), current.column()) == (0, 0)
    editor = current_editor(qtbot, page)
    assert editor.isEditable() and editor.currentText() == "email"
    qtbot.keyClick(editor, K.Key_Escape)
    qtbot.waitUntil(lambda: editor_or_none(page) is None)
    assert page.remove_button.isEnabled()
    controller.undo_stack.undo()
    assert rows(controller) == []


@opens_popups
def test_facebook_flow_mobile_id_error_and_three_all_limit_then_undo_to_empty(
    qtbot, page, controller
) -> None:
    for row, wanted in enumerate(
        [("email", "EMAIL", "last"), ("phone", "PHONE", "all"), ("ios.idfa", "MADID", "all")]
    ):
        add_row_by_button(qtbot, page)
        set_row(qtbot, page, controller, row, *wanted)
    assert rows(controller) == [
        ("email", "EMAIL", "last"),
        ("phone", "PHONE", "all"),
        ("ios.idfa", "MADID", "all"),
    ]
    assert page.row_counter.text() == "3 of 5 identifiers · 2 of 3 using All"

    # The mobile ID row carries the error, with icon and a tooltip saying what to do.
    idfa = page.model.index(2, 0)
    assert cell_codes(page, 2, 0) == ["T109"]
    assert isinstance(idfa.data(R.DecorationRole), QIcon)
    assert "Turn it on" in idfa.data(R.ToolTipRole)
    assert page.banner.isVisible()
    assert "ios.idfa" in page.banner.message.text()

    # Ticking Send Mobile IDs clears it; only that cell is repainted.
    with qtbot.waitSignal(page.model.dataChanged) as changed:
        click(qtbot, page.send_mobile_ids_checkbox)
    assert controller.document.send_mobile_ids
    assert (changed.args[0].row(), changed.args[0].column()) == (2, 0)
    assert changed.args[0] == changed.args[1]
    assert cell_codes(page, 2, 0) == []
    assert idfa.data(R.DecorationRole) is None
    assert not page.banner.isVisible()

    # A fourth row using All breaks the three-All limit on that row's strategy cell.
    add_row_by_button(qtbot, page)
    set_row(qtbot, page, controller, 3, "anonymous_id", "EXTERN_ID", "all")
    set_row(qtbot, page, controller, 0, "email", "EMAIL", "all")
    assert cell_codes(page, 3, 2) == ["T101"]
    assert page.row_counter.text() == "4 of 5 identifiers · 4 of 3 using All (1 too many)"
    set_row(qtbot, page, controller, 3, "anonymous_id", "EXTERN_ID", "first")
    assert cell_codes(page, 3, 2) == []

    # Every step undoes, back to the empty document, and redoes again.
    steps = controller.undo_stack.count()
    assert steps >= 12
    for _ in range(steps):
        controller.undo_stack.undo()
    assert rows(controller) == []
    assert not controller.document.send_mobile_ids
    for _ in range(steps):
        controller.undo_stack.redo()
    assert rows(controller)[3] == ("anonymous_id", "EXTERN_ID", "first")
    assert page.model.index(3, 2).data() == "First added"


def test_banner_button_turns_send_mobile_ids_on_and_undo_brings_it_back(
    qtbot, page, controller
) -> None:
    controller.load(facebook_document(*realistic_facebook_rows()), None)
    assert page.banner.isVisible()
    assert not page.send_mobile_ids_checkbox.isChecked()
    click(qtbot, page.banner.turn_on_button)
    assert controller.document.send_mobile_ids
    assert page.send_mobile_ids_checkbox.isChecked()
    assert not page.banner.isVisible()
    assert controller.undo_stack.undoText() == "Turn on Send Mobile IDs"
    controller.undo_stack.undo()
    assert page.banner.isVisible()
    assert not page.send_mobile_ids_checkbox.isChecked()
    assert cell_codes(page, 2, 0) == ["T109"]


def test_no_banner_without_mobile_rows_or_in_default_setup(qtbot, page, controller) -> None:
    controller.load(facebook_document(realistic_facebook_rows()[0]), None)
    assert not page.banner.isVisible()
    rows_with_idfa = facebook_document(*realistic_facebook_rows())
    controller.load(rows_with_idfa.replace(setup=Setup.DEFAULT), None)
    assert not page.banner.isVisible()


def test_remove_and_move_by_buttons_and_keys_each_undoable(qtbot, page, controller) -> None:
    controller.load(facebook_document(*realistic_facebook_rows()), None)
    original = rows(controller)
    go_to_cell(qtbot, page, 2, 1)
    assert page.move_up_button.isEnabled() and not page.move_down_button.isEnabled()

    with qtbot.waitSignal(page.model.rowsMoved):
        click(qtbot, page.move_up_button)
    assert [r[0] for r in rows(controller)] == ["email", "ios.idfa", "phone"]
    assert page.table.currentIndex().row() == 1  # the selection follows the row
    assert controller.undo_stack.undoText() == "Move row 3 up"

    page.table.setFocus()
    qtbot.keyClick(
        page.table,
        K.Key_Up,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert [r[0] for r in rows(controller)] == ["ios.idfa", "email", "phone"]
    assert page.table.currentIndex().row() == 0
    assert not page.move_up_button.isEnabled()

    qtbot.keyClick(
        page.table,
        K.Key_Down,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert [r[0] for r in rows(controller)] == ["email", "ios.idfa", "phone"]

    with qtbot.waitSignal(page.model.rowsRemoved):
        qtbot.keyClick(page.table, K.Key_Delete)
    assert [r[0] for r in rows(controller)] == ["email", "phone"]
    assert controller.undo_stack.undoText() == "Remove row 2 (ios.idfa)"
    assert page.table.currentIndex().row() == 1

    click(qtbot, page.remove_button)
    assert [r[0] for r in rows(controller)] == ["email"]

    stack = controller.undo_stack
    assert stack.count() == 5
    stack.undo()
    assert [r[0] for r in rows(controller)] == ["email", "phone"]
    stack.undo()
    assert [r[0] for r in rows(controller)] == ["email", "ios.idfa", "phone"]
    stack.undo()
    assert [r[0] for r in rows(controller)] == ["ios.idfa", "email", "phone"]
    stack.undo()
    assert [r[0] for r in rows(controller)] == ["email", "ios.idfa", "phone"]
    stack.undo()
    assert rows(controller) == original
    stack.redo()
    assert [r[0] for r in rows(controller)] == ["email", "ios.idfa", "phone"]


def test_default_setup_disables_the_table_keeps_rows_and_explains(qtbot, page, controller) -> None:
    controller.load(facebook_document(*realistic_facebook_rows()), None)
    assert page.table.isEnabled()
    click(qtbot, page.default_radio)
    assert controller.document.setup is Setup.DEFAULT
    assert controller.undo_stack.undoText() == "Choose Default Setup"
    assert not page.table.isEnabled()
    assert not page.add_button.isEnabled()
    assert not page.remove_button.isEnabled()
    assert page.model.rowCount() == 3
    assert not page.model.flags(page.model.index(0, 0)) & Qt.ItemFlag.ItemIsEnabled
    explanation = page.default_explanation.text()
    # Facebook's own Default Setup, from the catalog: email and the mobile IDs.
    assert "all values of email, ios.idfa and android.idfa" in explanation
    assert "Facebook Custom Audiences" in explanation

    # Back by keyboard: the arrow moves to Customized Setup in the radio group.
    page.default_radio.setFocus()
    qtbot.waitUntil(page.default_radio.hasFocus)
    qtbot.keyClick(page.default_radio, K.Key_Down)
    assert controller.document.setup is Setup.CUSTOMIZED
    assert page.table.isEnabled() and page.add_button.isEnabled()
    controller.undo_stack.undo()
    controller.undo_stack.undo()
    assert controller.document.setup is Setup.CUSTOMIZED
    assert controller.undo_stack.count() == 2


def test_default_setup_explains_last_added_for_such_destinations(qtbot, page, controller) -> None:
    controller.load(
        IdSyncDocument(
            destination=DestinationRef(slug=ITERABLE, name="Iterable"), setup=Setup.DEFAULT
        ),
        None,
    )
    assert "the last added email and user_id values" in page.default_explanation.text()
    assert "Iterable" in page.default_explanation.text()


def test_counter_and_add_button_respect_the_five_row_limit(qtbot, page, controller) -> None:
    five = [IdentifierRow(segment=f"id{i}", destination="EMAIL") for i in range(5)]
    controller.load(facebook_document(*five[:4]), None)
    assert page.row_counter.text() == "4 of 5 identifiers · 0 of 3 using All"
    add_row_by_button(qtbot, page)
    assert page.row_counter.text() == "5 of 5 identifiers · 0 of 3 using All"
    assert not page.add_button.isEnabled()
    assert "at most 5" in page.add_button.toolTip()


def test_custom_identifiers_are_typed_and_feed_the_segment_list(qtbot, page, controller) -> None:
    controller.load(facebook_document(*realistic_facebook_rows()), None)
    edit = page.custom_identifiers_edit
    assert edit.text() == "phone"
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    qtbot.keyClick(edit, K.Key_End)
    qtbot.keyClicks(edit, ", member_no  member_no")
    qtbot.keyClick(edit, K.Key_Return)
    assert controller.document.custom_identifiers == ("phone", "member_no")
    assert edit.text() == "phone, member_no"
    assert controller.undo_stack.undoText() == "Change custom identifiers"

    editor = open_editor(qtbot, page, 0, 0)
    offered = [editor.itemData(i) for i in range(editor.count())]
    assert offered.index("member_no") < offered.index("loyalty_id") < offered.index("braze_id")
    qtbot.keyClick(editor, K.Key_Escape)

    controller.undo_stack.undo()
    assert edit.text() == "phone"


def test_focus_finding_selects_the_cell_or_the_control(qtbot, page, controller) -> None:
    from idsync.core.findings import Area, Finding, Severity

    controller.load(facebook_document(*realistic_facebook_rows()), None)
    finding = controller.findings[0]
    assert (finding.row, finding.field) == (2, "segment")
    assert page.focus_finding(finding)
    current = page.table.currentIndex()
    assert (current.row(), current.column()) == (2, 0)
    qtbot.waitUntil(page.table.hasFocus)

    def about(field: str) -> Finding:
        return Finding(
            code="X", severity=Severity.INFO, message="m", area=Area.IDENTIFIERS, field=field
        )

    assert page.focus_finding(about("send_mobile_ids"))
    qtbot.waitUntil(page.send_mobile_ids_checkbox.hasFocus)
    assert page.focus_finding(about("setup"))
    qtbot.waitUntil(page.customized_radio.hasFocus)
    assert page.focus_finding(about("custom_identifiers"))
    qtbot.waitUntil(page.custom_identifiers_edit.hasFocus)
    assert page.focus_finding(
        Finding(
            code="X",
            severity=Severity.ERROR,
            message="m",
            area=Area.IDENTIFIERS,
            row=1,
            field="strategy",
        )
    )
    assert (page.table.currentIndex().row(), page.table.currentIndex().column()) == (1, 2)
    assert not page.focus_finding(about("target.space_id"))
    assert not page.focus_finding(
        Finding(code="X", severity=Severity.ERROR, message="m", area=Area.IDENTIFIERS, row=9)
    )


def test_document_level_findings_show_under_the_table(qtbot, page, controller) -> None:
    assert page.identifier_notes.isVisible()
    assert "No identifier rows" in page.identifier_notes.text()
    add_row_by_button(qtbot, page)
    assert not page.identifier_notes.isVisible()
    assert "Profiles need an email" in page.destination_notes.text()


def test_every_control_has_an_accessible_name_and_tab_moves_in_reading_order(
    qtbot, page, controller
) -> None:
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QLineEdit

    controller.load(facebook_document(*realistic_facebook_rows()), None)
    controls = [
        *page.findChildren(QAbstractButton),
        *page.findChildren(QLineEdit),
        *page.findChildren(QAbstractItemView),
    ]
    unnamed = [
        c
        for c in controls
        if c.isVisibleTo(page)
        and c.focusPolicy() != Qt.FocusPolicy.NoFocus
        and not c.accessibleName()
    ]
    assert unnamed == []

    go_to_cell(qtbot, page, 1, 0)  # a middle row: every row button is enabled
    order = []
    page.customized_radio.setFocus()
    qtbot.waitUntil(page.customized_radio.hasFocus)
    for _ in range(8):
        order.append(QApplication.focusWidget())
        qtbot.keyClick(QApplication.focusWidget(), K.Key_Tab)
    # The controls in the order they stand: the settings above the table, then the table
    # (and the current cell's fix, when it has one) and its buttons, then the banner's.
    assert order == [
        page.customized_radio,
        page.send_mobile_ids_checkbox,
        page.custom_identifiers_edit,
        page.table,
        page.add_button,
        page.remove_button,
        page.move_up_button,
        page.move_down_button,
    ]
    assert QApplication.focusWidget() is page.banner.turn_on_button


def test_nothing_is_clipped_at_1280_by_800(qtbot, page, controller) -> None:
    from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QPushButton, QRadioButton

    controller.load(facebook_document(*realistic_facebook_rows()), None)
    qtbot.wait(10)
    for label in page.findChildren(QLabel):
        if not label.isVisible() or not label.text():
            continue
        if label.wordWrap():
            assert label.height() >= label.heightForWidth(label.width()), label.text()
        else:
            assert label.width() >= label.sizeHint().width(), label.text()
            assert label.height() >= label.sizeHint().height(), label.text()
    buttons = [*page.findChildren(QPushButton), *page.findChildren(QCheckBox)]
    for button in [*buttons, *page.findChildren(QRadioButton)]:
        if button.isVisible():
            assert button.width() >= button.sizeHint().width(), button.text()
            assert button.height() >= button.sizeHint().height(), button.text()
    combo = QComboBox()
    combo.addItems(["Mobile advertising ID (MADID)"])
    assert page.table.rowHeight(0) >= combo.sizeHint().height() + 8
    # All five rows fit without scrolling.
    table = page.table
    assert table.viewport().height() >= 5 * table.rowHeight(0)
    # The whole page fits the window: its scroll bar (always shown, so nothing re-wraps
    # when it would come and go) has nothing to scroll.
    assert page._scroll.verticalScrollBar().maximum() == 0
