"""The Event settings page with the shipped catalog and the real rules, alone and inside
the main window at 1280x800."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QPushButton

from idsync.catalog import load_catalog
from idsync.core.catalog import Catalog
from idsync.core.model import DestinationRef, IdentifierRow, IdSyncDocument, Strategy
from idsync.core.rules import validate
from idsync.ui.controller import DocumentController
from idsync.ui.identifiers import FINDINGS_ROLE, EventSettingsPage, IdentifierTableModel

R = Qt.ItemDataRole

FACEBOOK = DestinationRef(
    slug="personas-facebook-custom-audiences", name="Facebook Custom Audiences"
)
GOOGLE = DestinationRef(slug="adwords-remarketing-lists", name="Google Ads Remarketing Lists")
SNAP = DestinationRef(slug="actions-snap-audiences", name="Snap Audiences (Actions)")


def facebook(*rows: IdentifierRow, send_mobile_ids: bool = False) -> IdSyncDocument:
    return IdSyncDocument(
        name="Spring promo",
        destination=FACEBOOK,
        custom_identifiers=("phone",),
        send_mobile_ids=send_mobile_ids,
        identifiers=rows,
    )


EMAIL = IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.LAST)
PHONE = IdentifierRow(segment="phone", destination="PHONE", strategy=Strategy.ALL)
IDFA = IdentifierRow(segment="ios.idfa", destination="MADID", strategy=Strategy.ALL)


@pytest.fixture(scope="module")
def real_catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def controller(qapp, real_catalog: Catalog) -> DocumentController:
    return DocumentController(lambda doc: validate(doc, real_catalog))


@pytest.fixture
def page(qtbot, controller, real_catalog) -> Iterator[EventSettingsPage]:
    window = QMainWindow()
    page = EventSettingsPage(controller, real_catalog, lambda: ())
    window.setCentralWidget(page)
    window.resize(1280, 800)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield page
    window.close()


def codes(model: IdentifierTableModel, row: int, column: int) -> list[str]:
    return [f.code for f in model.index(row, column).data(FINDINGS_ROLE)]


def test_model_tester_with_real_findings(qtmodeltester, controller, real_catalog) -> None:
    email_all = EMAIL.replace(strategy=Strategy.ALL)
    user_all = IdentifierRow(segment="user_id", destination="x", strategy=Strategy.ALL)
    controller.load(facebook(email_all, PHONE, IDFA, user_all), None)
    model = IdentifierTableModel(controller, real_catalog)
    assert codes(model, 2, 0) == ["IDS109"]
    assert "IDS101" in codes(model, 3, 2)
    assert "IDS110" in codes(model, 3, 1)
    qtmodeltester.check(model)


def test_mobile_id_warning_sits_on_the_row_and_goes_with_send_mobile_ids(
    qtbot, page, controller
) -> None:
    controller.load(facebook(EMAIL, PHONE, IDFA), None)
    cell = page.model.index(2, 0)
    assert codes(page.model, 2, 0) == ["IDS109"]
    assert isinstance(cell.data(R.DecorationRole), QIcon)
    tooltip = cell.data(R.ToolTipRole)
    assert "Warning" in tooltip and "Error" not in tooltip
    assert "tick Send Mobile IDs here" in tooltip
    assert not any(f.is_error for f in controller.findings)
    assert page.banner.isVisible()

    check = page.send_mobile_ids_checkbox
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(10, check.height() // 2))
    assert controller.document.send_mobile_ids
    assert codes(page.model, 2, 0) == []
    assert cell.data(R.DecorationRole) is None
    assert not page.banner.isVisible()

    controller.undo_stack.undo()
    assert codes(page.model, 2, 0) == ["IDS109"]
    assert page.banner.isVisible()


def test_a_fourth_all_row_flags_every_all_row_on_its_strategy_cell(qtbot, page, controller) -> None:
    user = IdentifierRow(segment="user_id", destination="EXTERN_ID", strategy=Strategy.ALL)
    controller.load(facebook(EMAIL, PHONE, IDFA, user, send_mobile_ids=True), None)
    assert codes(page.model, 3, 2) == []
    assert page.model.setData(page.model.index(0, 2), "All")
    # The row just changed carries the error, like every other row using All.
    assert codes(page.model, 0, 2) == ["IDS101"]
    assert codes(page.model, 3, 2) == ["IDS101"]
    assert page.row_counter.text() == "4 of 5 identifiers · 4 of 3 using All (1 too many)"
    controller.undo_stack.undo()
    assert codes(page.model, 3, 2) == []


def test_mobile_ids_on_snap_need_no_send_mobile_ids(qtbot, page, controller) -> None:
    # Snap's docs say to ignore Send Mobile IDs: no warning on the row, and no banner
    # saying the row will not be sent.
    idfa = IdentifierRow(segment="ios.idfa", destination="ios_idfa", strategy=Strategy.ALL)
    email = IdentifierRow(segment="email", destination="email", strategy=Strategy.ALL)
    controller.load(IdSyncDocument(destination=SNAP, identifiers=(email, idfa)), None)
    assert codes(page.model, 1, 0) == []
    assert not page.banner.isVisible()


def test_add_for_google_starts_with_its_email_matcher(qtbot, page, controller) -> None:
    controller.load(IdSyncDocument(destination=GOOGLE), None)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    row = controller.document.identifiers[0]
    assert (row.segment, row.destination) == ("email", "email")
    assert not [f for f in controller.findings if f.row is not None and f.severity.value != "info"]


def test_add_for_facebook_never_fills_a_key_of_another_kind(qtbot, page, controller) -> None:
    # The issue: a fifth row typed as android.idfa was auto-filled with First name (FN).
    controller.load(facebook(send_mobile_ids=True), None)
    for _ in range(5):
        qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert "IDS312" not in {f.code for f in controller.findings}
    assert page.model.setData(page.model.index(4, 0), "android.idfa")
    assert controller.document.identifiers[4].destination == "MADID"
    assert "IDS312" not in {f.code for f in controller.findings}


def test_inside_the_main_window_at_1280_by_800_nothing_is_clipped(qtbot, real_catalog) -> None:
    from idsync.editor.steps import Step
    from idsync.ui.main_window import MainWindow

    window = MainWindow(real_catalog)
    qtbot.addWidget(window)
    window.controller.load(facebook(EMAIL, PHONE, IDFA), None)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.go_to_step(Step.IDENTIFIERS)
    page = window.event_settings_page
    assert isinstance(page, EventSettingsPage)
    qtbot.waitUntil(page.isVisible)

    for label in page.findChildren(QLabel):
        if label.isVisible() and label.text():
            if label.wordWrap():
                assert label.height() >= label.heightForWidth(label.width()), label.text()
            else:
                assert label.width() >= label.sizeHint().width(), label.text()
    for button in page.findChildren(QPushButton):
        if button.isVisible():
            assert button.width() >= button.sizeHint().width(), button.text()
    assert page._scroll.verticalScrollBar().maximum() == 0  # the whole page fits
    assert page.table.viewport().height() >= 5 * page.table.rowHeight(0)

    # A finding from the review list lands on its cell.
    finding = next(f for f in window.controller.findings if f.code == "IDS109")
    window.go_to_finding(finding)
    current = page.table.currentIndex()
    assert (current.row(), current.column()) == (2, 0)

    # The page's keys and the window's Edit menu work together: Delete removes the row,
    # Ctrl+Z (the shell's Undo) brings it back.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert [r.segment for r in window.controller.document.identifiers] == ["email", "phone"]
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [r.segment for r in window.controller.document.identifiers] == [
        "email",
        "phone",
        "ios.idfa",
    ]

    window.controller.undo_stack.setClean()
    window.close()
    assert QApplication.activeModalWidget() is None


def test_tab_from_the_table_reaches_the_current_cells_fix(qtbot, page, controller) -> None:
    """The fix shown under the table is one Tab away from its cell, not for the mouse only."""
    wrong = IdentifierRow(segment="email", destination="email", strategy=Strategy.LAST)
    controller.load(facebook(wrong), None)
    table = page.table
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    table.setCurrentIndex(page.model.index(0, 1))
    qtbot.waitUntil(page.cell_detail.fix_button.isVisible)
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.cell_detail.fix_button
    qtbot.keyClick(page.cell_detail.fix_button, Qt.Key.Key_Space)
    assert controller.document.identifiers[0].destination == "EMAIL"


def test_the_row_buttons_stay_put_between_a_clean_cell_and_one_with_a_finding(
    qtbot, page, controller
) -> None:
    wrong = IdentifierRow(segment="email", destination="email", strategy=Strategy.LAST)
    controller.load(facebook(wrong), None)
    table = page.table
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    table.setCurrentIndex(page.model.index(0, 0))  # clean: only the editing hint
    qtbot.wait(20)
    clean_y = page.add_button.mapTo(page, QPoint(0, 0)).y()
    table.setCurrentIndex(page.model.index(0, 1))  # IDS110 with its fix
    qtbot.waitUntil(page.cell_detail.fix_button.isVisible)
    qtbot.wait(20)
    assert page.add_button.mapTo(page, QPoint(0, 0)).y() == clean_y
    # The text starts at the top of the reserved room, right under the table.
    assert page.cell_detail.text_label.alignment() & Qt.AlignmentFlag.AlignTop
