"""The window opens, the steps are reachable by click and by Ctrl+1..4, badges count errors."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from idsync import APP_NAME
from idsync.core.findings import Severity
from idsync.core.model import DestinationRef, IdentifierRow, IdSyncDocument, Strategy
from idsync.editor.steps import Step, step_of
from idsync.storage.documents import write_document
from idsync.ui.application import run_gui
from idsync.ui.main_window import MainWindow
from tests.helpers.dialogs import DialogDriver
from tests.helpers.documents import facebook_document
from tests.helpers.windows import double_click


def click_step(qtbot: QtBot, window: MainWindow, step: Step) -> None:
    sidebar = window.sidebar
    rect = sidebar.visualItemRect(sidebar.item_for(step))
    qtbot.mouseClick(sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_window_opens_on_an_untitled_document(window: MainWindow) -> None:
    assert window.isVisible()
    assert window.windowTitle() == f"Untitled[*] — {APP_NAME}"
    assert not window.isWindowModified()
    assert [window.sidebar.item(i).text() for i in range(window.sidebar.count())] == [
        "Target", "Destination", "Event settings", "Review",
    ]
    assert window.current_step is Step.TARGET


def test_clicking_a_step_shows_its_page(qtbot: QtBot, window: MainWindow) -> None:
    for step in (Step.REVIEW, Step.DESTINATION, Step.IDENTIFIERS, Step.TARGET):
        click_step(qtbot, window, step)
        assert window.current_step is step
        assert window.stack.currentWidget() is window.pages[step]


def test_badges_count_each_steps_errors(qtbot: QtBot, window: MainWindow) -> None:
    space = window.target_page.fields["target.space_id"]
    qtbot.keyClicks(space, "spa 1")  # a space inside an id: a house rule, so a warning
    assert "IDS201" in {f.code for f in window.controller.findings}
    assert window.sidebar.error_count(Step.TARGET) == 0
    # Four rows on All break one Segment limit: one error, however many rows it names.
    window.controller.load(
        facebook_document(
            send_mobile_ids=True,
            identifiers=tuple(
                IdentifierRow(segment=s, destination=d, strategy=Strategy.ALL)
                for s, d in (
                    ("email", "EMAIL"), ("phone", "PHONE"), ("ios.idfa", "MADID"),
                    ("android.idfa", "MADID"),
                )
            ),
        ),
        None,
    )
    findings = window.controller.findings
    for step in Step:
        expected = sum(1 for f in findings if f.severity is Severity.ERROR and step_of(f) is step)
        assert window.sidebar.error_count(step) == expected
    assert window.sidebar.error_count(Step.IDENTIFIERS) == 1
    item = window.sidebar.item_for(Step.IDENTIFIERS)
    assert "1 error" in item.data(Qt.ItemDataRole.AccessibleTextRole)


def test_double_clicking_a_target_finding_focuses_its_field(
    qtbot: QtBot, window: MainWindow
) -> None:
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    review = window.review_page.findings_list
    row = next(
        i for i, f in enumerate(review.findings) if f.field == "target.audience_id"
    )
    item = review.topLevelItem(row)
    # Warnings and notes only now: the finding may sit below the fold, as a person would
    # find it, scroll to it first.
    review.scrollToItem(item)
    rect = review.visualItemRect(item)
    assert review.viewport().rect().contains(rect.center())
    double_click(qtbot, review.viewport(), rect.center())
    assert window.current_step is Step.TARGET
    focused = window.focusWidget()
    assert isinstance(focused, QLineEdit)
    assert focused.objectName() == "target.audience_id"


def test_every_control_on_the_first_steps_has_an_accessible_name(window: MainWindow) -> None:
    from PySide6.QtWidgets import (
        QAbstractButton,
        QComboBox,
        QListView,
        QPlainTextEdit,
        QTabBar,
    )

    for step in (Step.TARGET, Step.DESTINATION, Step.REVIEW):
        page = window.pages[step]
        for kind in (QLineEdit, QComboBox, QListView, QPlainTextEdit, QAbstractButton):
            for control in page.findChildren(kind):
                # Qt's own sub-controls (a combo's editor, a field's clear button, tab
                # scrollers) are described by their owner.
                if isinstance(control.parent(), (QComboBox, QLineEdit, QTabBar)):
                    continue
                if control.window() is not window:  # a combo's popup list
                    continue
                named = control.accessibleName() or (
                    isinstance(control, QAbstractButton) and control.text()
                )
                assert named, f"{type(control).__name__} {control.objectName()!r} on {step}"


def test_double_clicking_a_row_finding_selects_its_cell(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "idfa.json"
    write_document(
        path,
        IdSyncDocument(
            destination=DestinationRef(slug="personas-facebook-custom-audiences"),
            identifiers=(
                IdentifierRow(segment="email", destination="EMAIL"),
                IdentifierRow(segment="ios.idfa", destination="MADID"),
            ),
        ),
    )
    assert window.files.open_path(path)
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    review = window.review_page.findings_list
    row = next(i for i, f in enumerate(review.findings) if f.code == "IDS109")
    review.scrollToItem(review.topLevelItem(row))
    # Where a person would click: the part of the finding's line that is on screen.
    shown = review.visualItemRect(review.topLevelItem(row)) & review.viewport().rect()
    assert not shown.isEmpty()
    double_click(qtbot, review.viewport(), shown.center())
    assert window.current_step is Step.IDENTIFIERS
    table = window.event_settings_page.table
    assert (table.currentIndex().row(), table.currentIndex().column()) == (1, 0)


def test_the_status_bar_summarises_and_leads_to_review(
    qtbot: QtBot, window: MainWindow
) -> None:
    # A new document (Default Setup) has no destination or target yet: warnings, never
    # errors.
    assert window.findings_button.text().startswith("3 warnings")
    qtbot.mouseClick(window.findings_button, Qt.MouseButton.LeftButton)
    assert window.current_step is Step.REVIEW


def test_run_gui_opens_the_file_named_on_the_command_line(
    qtbot: QtBot, tmp_path: Path, dialogs: DialogDriver
) -> None:
    path = tmp_path / "given.json"
    write_document(path, IdSyncDocument(name="From the command line"))
    seen: list[IdSyncDocument] = []

    def close_when_open() -> None:
        for widget in QApplication.topLevelWidgets():
            if (
                isinstance(widget, MainWindow)
                and widget.populated  # the frame paints first, then it is filled
                and widget.controller.path == path
            ):
                seen.append(widget.controller.document)
                widget.close()
                return
        QTimer.singleShot(20, close_when_open)

    QTimer.singleShot(20, close_when_open)
    # Should the window never show the file, give up rather than hang the run.
    give_up = QTimer()
    give_up.setSingleShot(True)
    give_up.timeout.connect(lambda: QApplication.instance().exit(3))
    give_up.start(10_000)
    try:
        assert run_gui([str(path)]) == 0
    finally:
        give_up.stop()
    assert [doc.name for doc in seen] == ["From the command line"]


def test_run_gui_sets_what_start_up_made_aside_from_the_collector(
    qtbot: QtBot, tmp_path: Path, dialogs: DialogDriver
) -> None:
    assert gc.get_freeze_count() == 0

    def close_when_frozen() -> None:
        if gc.get_freeze_count() > 0:
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, MainWindow):
                    widget.close()
            return
        QTimer.singleShot(20, close_when_frozen)

    QTimer.singleShot(20, close_when_frozen)
    give_up = QTimer()
    give_up.setSingleShot(True)
    give_up.timeout.connect(lambda: QApplication.instance().exit(3))
    give_up.start(10_000)
    try:
        assert run_gui([]) == 0
        assert gc.get_freeze_count() > 0
    finally:
        give_up.stop()
        gc.unfreeze()  # the rest of the test run collects as usual


def test_run_gui_says_so_and_ends_with_2_when_the_shipped_catalog_is_damaged(
    qtbot: QtBot, dialogs: DialogDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    import idsync.catalog
    from idsync.catalog import CatalogError

    def damaged() -> object:
        raise CatalogError(Path("destinations.json"), "is not JSON", line=3, column=1)

    monkeypatch.setattr(idsync.catalog, "load_catalog", damaged)
    dialogs.expect("catalogErrorDialog", QMessageBox.StandardButton.Ok)
    assert run_gui([]) == 2
    (seen,) = dialogs.seen
    assert "destinations.json" in seen.text and "Reinstall" in seen.text
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)
                and w.isVisible()]


def test_a_failure_while_filling_the_window_ends_the_run_instead_of_hanging(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: MainWindow, catalog: object) -> None:
        raise RuntimeError("the editor could not be built")

    monkeypatch.setattr(MainWindow, "populate", broken)
    give_up = QTimer()
    give_up.setSingleShot(True)
    give_up.timeout.connect(lambda: QApplication.instance().exit(99))
    give_up.start(10_000)
    try:
        with pytest.raises(RuntimeError, match="could not be built"):
            run_gui([])  # the CLI reports it as an internal error, exit 3
    finally:
        give_up.stop()
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)
                and w.isVisible()]


