"""Strategy preview tab on the Review step: sample profiles, live updates, bad files.

Expected values are computed from the shipped profile JSON itself, so the tests follow the
sample files if they change.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from idsync.core.catalog import Catalog
from idsync.core.model import (
    DestinationRef,
    IdentifierRow,
    IdSyncDocument,
    Setup,
    Strategy,
)
from idsync.core.preview import LAST_IS_APPROXIMATE
from idsync.editor.steps import Step
from idsync.resources import resource_path
from idsync.ui.main_window import MainWindow
from idsync.ui.pages.preview_panel import (
    COLUMN_EVENTS,
    COLUMN_MAPPING,
    COLUMN_NUMBER,
    COLUMN_STRATEGY,
    COLUMN_VALUES,
    DEFAULT_SETUP_MARK,
    StrategyPreviewPanel,
    readable_name,
)
from tests.helpers.dialogs import FileDialogs

K = Qt.Key
PROFILES = resource_path("profiles")
RETURNING = PROFILES / "returning-customer.json"
ANDROID = PROFILES / "android-app-user.json"


# --- expectations straight from the JSON -----------------------------------------------------


def items_of(path: Path, identifier_type: str) -> list[dict[str, str]]:
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    return [item for item in data if item["type"] == identifier_type]


def added(item: dict[str, str]) -> datetime:
    return datetime.fromisoformat(item["created_at"].replace("Z", "+00:00"))


def newest(path: Path, identifier_type: str) -> str:
    """The value added last; equal instants are ordered by the value (the documented rule)."""
    return max(items_of(path, identifier_type), key=lambda i: (added(i), i["id"]))["id"]


def distinct_values(path: Path, identifier_type: str) -> set[str]:
    return {item["id"] for item in items_of(path, identifier_type)}


# --- driving the window -----------------------------------------------------------------------


def open_preview_tab(qtbot: QtBot, window: MainWindow) -> StrategyPreviewPanel:
    window.go_to_step(Step.REVIEW)
    page = window.review_page
    panel = page.preview_panel
    bar = page.tabs.tabBar()
    index = page.tabs.indexOf(panel)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert page.tabs.currentWidget() is panel
    assert panel.isVisible()
    return panel


def choose_profile(qtbot: QtBot, panel: StrategyPreviewPanel, name: str) -> None:
    """Pick a profile in the chooser with the arrow keys, as a keyboard user would."""
    combo = panel.profile_combo
    combo.setFocus()
    wanted = combo.findText(name)
    offered = [combo.itemText(i) for i in range(combo.count())]
    assert wanted >= 0, f"{name!r} is not offered: {offered}"
    while combo.currentIndex() != wanted:
        key = K.Key_Down if combo.currentIndex() < wanted else K.Key_Up
        qtbot.keyClick(combo, key)
    assert panel.profile_name == name


def click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2))


def cell(panel: StrategyPreviewPanel, row: int, column: int) -> str:
    item = panel.table.item(row, column)
    assert item is not None, f"no item at {row}, {column}"
    return item.text()


def tooltip(panel: StrategyPreviewPanel, row: int, column: int) -> str:
    item = panel.table.item(row, column)
    assert item is not None
    return item.toolTip()


def set_rows(window: MainWindow, *rows: IdentifierRow, mobile: bool = False) -> None:
    doc = window.controller.document.replace(destination=DestinationRef(
                slug="personas-facebook-custom-audiences", name="Facebook Custom Audiences"
            ), setup=Setup.CUSTOMIZED, send_mobile_ids=mobile).with_rows(rows)
    window.controller.edit(doc, "Set rows for the preview")


def set_strategy(window: MainWindow, row: int, strategy: Strategy) -> None:
    doc = window.controller.document
    rows = list(doc.identifiers)
    rows[row] = rows[row].replace(strategy=strategy)
    window.controller.edit(doc.with_rows(rows), "Change strategy")


EMAIL_LAST = IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.LAST)
IDFA_LAST = IdentifierRow(segment="ios.idfa", destination="MADID", strategy=Strategy.LAST)
USER_ID_FIRST = IdentifierRow(segment="user_id", destination="EXTERN_ID", strategy=Strategy.FIRST)


# --- tests ----------------------------------------------------------------------------------


def test_the_preview_is_a_tab_beside_the_bodies(qtbot: QtBot, window: MainWindow) -> None:
    tabs = window.review_page.tabs
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    assert titles[-1] == "Strategy preview"
    assert titles[:3] == ["Document JSON", "Create body (POST)", "Update body (PATCH)"]
    panel = open_preview_tab(qtbot, window)
    shipped = sorted(PROFILES.glob("*.json"))
    combo = panel.profile_combo
    assert sorted(combo.itemText(i) for i in range(combo.count())) == sorted(
        readable_name(p) for p in shipped
    )
    assert combo.accessibleName() == "Sample profile"
    assert panel.open_button.accessibleName() == "Open profile JSON"
    assert panel.table.accessibleName()


@pytest.mark.parametrize("profile", sorted(PROFILES.glob("*.json")), ids=lambda p: p.stem)
def test_a_last_added_row_shows_the_newest_email_of_the_chosen_profile(
    qtbot: QtBot, window: MainWindow, profile: Path
) -> None:
    set_rows(window, EMAIL_LAST, USER_ID_FIRST)
    panel = open_preview_tab(qtbot, window)
    choose_profile(qtbot, panel, readable_name(profile))

    assert panel.table.rowCount() == 2
    assert cell(panel, 0, COLUMN_NUMBER) == "1"
    assert cell(panel, 0, COLUMN_MAPPING) == "email → EMAIL"
    assert cell(panel, 0, COLUMN_STRATEGY) == "Last added"
    if items_of(profile, "email"):
        assert cell(panel, 0, COLUMN_VALUES) == newest(profile, "email")
        assert cell(panel, 0, COLUMN_EVENTS) == "1"
    else:
        assert "no email" in cell(panel, 0, COLUMN_VALUES)
        assert cell(panel, 0, COLUMN_EVENTS) == "0"
    oldest_user = min(items_of(profile, "user_id"), key=lambda i: (added(i), i["id"]))["id"]
    assert cell(panel, 1, COLUMN_VALUES) == oldest_user
    total = sum(int(cell(panel, r, COLUMN_EVENTS)) for r in range(panel.table.rowCount()))
    assert panel.total_label.text().startswith(f"Total: {total} event")
    if len(distinct_values(profile, "email")) > 1:
        assert LAST_IS_APPROXIMATE in panel.notes_label.text()


def test_switching_a_row_to_all_updates_values_and_events(
    qtbot: QtBot, window: MainWindow
) -> None:
    set_rows(window, EMAIL_LAST)
    panel = open_preview_tab(qtbot, window)
    choose_profile(qtbot, panel, readable_name(RETURNING))
    emails = distinct_values(RETURNING, "email")
    assert len(emails) > 1, "the sample should have several emails for this test to mean much"
    assert cell(panel, 0, COLUMN_EVENTS) == "1"
    assert panel.total_label.text().startswith("Total: 1 event ")

    set_strategy(window, 0, Strategy.ALL)

    assert cell(panel, 0, COLUMN_STRATEGY) == "All"
    values = cell(panel, 0, COLUMN_VALUES).splitlines()
    assert values[0] == f"All {len(emails)} values:"
    assert set(values[1:]) == emails
    oldest_first = sorted(items_of(RETURNING, "email"), key=lambda i: (added(i), i["id"]))
    assert values[1:] == [item["id"] for item in oldest_first]
    assert cell(panel, 0, COLUMN_EVENTS) == str(len(emails))
    assert panel.total_label.text().startswith(f"Total: {len(emails)} events ")
    assert "All (this row): " in tooltip(panel, 0, COLUMN_STRATEGY)

    # Undo is a document change too: the preview goes back with it.
    window.controller.undo_stack.undo()
    assert cell(panel, 0, COLUMN_VALUES) == newest(RETURNING, "email")
    assert cell(panel, 0, COLUMN_EVENTS) == "1"


def test_the_idfa_row_sends_nothing_while_send_mobile_ids_is_off(
    qtbot: QtBot, window: MainWindow
) -> None:
    set_rows(window, EMAIL_LAST, IDFA_LAST, mobile=False)
    panel = open_preview_tab(qtbot, window)
    choose_profile(qtbot, panel, readable_name(RETURNING))
    assert items_of(RETURNING, "ios.idfa"), "the sample should carry an IDFA"

    assert cell(panel, 1, COLUMN_MAPPING) == "ios.idfa → MADID"
    assert cell(panel, 1, COLUMN_EVENTS) == "0"
    reason = cell(panel, 1, COLUMN_VALUES)
    assert "Send Mobile IDs is off" in reason
    assert newest(RETURNING, "ios.idfa") not in reason
    assert "Send Mobile IDs is off" in tooltip(panel, 1, COLUMN_VALUES)
    assert panel.total_label.text().startswith("Total: 1 event ")

    # Ticking the real check box on the Event settings step lets the IDFA through.
    window.go_to_step(Step.IDENTIFIERS)
    page = window.event_settings_page
    click(qtbot, page.send_mobile_ids_checkbox)
    assert window.controller.document.send_mobile_ids
    window.go_to_step(Step.REVIEW)  # the preview catches up when it is on screen again
    assert cell(panel, 1, COLUMN_VALUES) == newest(RETURNING, "ios.idfa")
    assert cell(panel, 1, COLUMN_EVENTS) == "1"
    assert panel.total_label.text().startswith("Total: 2 events ")


def test_a_row_whose_identifier_the_profile_lacks_says_so(
    qtbot: QtBot, window: MainWindow
) -> None:
    set_rows(window, EMAIL_LAST)
    panel = open_preview_tab(qtbot, window)
    choose_profile(qtbot, panel, readable_name(ANDROID))
    assert not items_of(ANDROID, "email")
    reason = cell(panel, 0, COLUMN_VALUES)
    assert reason == "This profile has no email: nothing is sent for this row"
    assert cell(panel, 0, COLUMN_EVENTS) == "0"
    assert "email" not in panel.profile_summary.text().split("(")[-1]


def test_a_malformed_profile_shows_an_inline_error_and_keeps_the_previous_one(
    qtbot: QtBot, window: MainWindow, file_dialogs: FileDialogs, tmp_path: Path
) -> None:
    set_rows(window, EMAIL_LAST)
    panel = open_preview_tab(qtbot, window)
    choose_profile(qtbot, panel, readable_name(RETURNING))
    shown = cell(panel, 0, COLUMN_VALUES)
    count_before = panel.profile_combo.count()
    assert not panel.error_label.isVisible()

    broken = tmp_path / "broken-profile.json"
    good = {"id": "a@example.com", "type": "email", "created_at": "2024-01-02T03:04:05Z"}
    no_time = {"id": "b@example.com", "type": "email"}
    broken.write_text(json.dumps({"data": [good, good, no_time]}), encoding="utf-8")
    file_dialogs.will_open(broken)
    click(qtbot, panel.open_button)

    assert panel.error_label.isVisible()
    message = panel.error_label.text()
    assert "broken-profile.json" in message
    assert "data[2]" in message  # the item's index in the response's list
    assert "created_at" in message
    assert readable_name(RETURNING) in message  # says what is still shown
    assert panel.error_label.accessibleName() == message
    assert panel.profile_name == readable_name(RETURNING)
    assert panel.profile_combo.currentText() == readable_name(RETURNING)
    assert panel.profile_combo.count() == count_before
    assert cell(panel, 0, COLUMN_VALUES) == shown

    # Not JSON at all: the line and column are named.
    garbled = tmp_path / "garbled.json"
    garbled.write_text('{"data": [\n  {"id": "x",,}\n]}', encoding="utf-8")
    file_dialogs.will_open(garbled)
    click(qtbot, panel.open_button)
    assert "garbled.json" in panel.error_label.text()
    assert "line 2" in panel.error_label.text()
    assert cell(panel, 0, COLUMN_VALUES) == shown

    # Cancelling the dialog changes nothing.
    file_dialogs.will_open("")
    click(qtbot, panel.open_button)
    assert cell(panel, 0, COLUMN_VALUES) == shown

    # A good file replaces the error, joins the chooser and drives the preview.
    mine = tmp_path / "my-sample.json"
    mine.write_text(json.dumps({"data": [good]}), encoding="utf-8")
    file_dialogs.will_open(mine)
    click(qtbot, panel.open_button)
    assert not panel.error_label.isVisible()
    assert panel.profile_combo.count() == count_before + 1
    assert "my-sample.json" in panel.profile_combo.currentText()
    assert cell(panel, 0, COLUMN_VALUES) == good["id"]

    # And the shipped profiles are still one key press away.
    choose_profile(qtbot, panel, readable_name(RETURNING))
    assert cell(panel, 0, COLUMN_VALUES) == shown


def test_a_profile_file_that_breaks_after_it_was_opened_keeps_the_current_one(
    qtbot: QtBot, window: MainWindow, file_dialogs: FileDialogs, tmp_path: Path
) -> None:
    set_rows(window, EMAIL_LAST)
    panel = open_preview_tab(qtbot, window)
    mine = tmp_path / "mine.json"
    mine.write_text(
        json.dumps({"data": [{"id": "c@example.com", "type": "email",
                              "created_at": "2024-01-02T03:04:05Z"}]}),
        encoding="utf-8",
    )
    file_dialogs.will_open(mine)
    click(qtbot, panel.open_button)
    mine_name = panel.profile_combo.currentText()
    choose_profile(qtbot, panel, readable_name(RETURNING))
    mine.write_text('{"data": "nope"}', encoding="utf-8")

    combo = panel.profile_combo
    assert combo.itemText(combo.count() - 1) == mine_name
    combo.setFocus()
    qtbot.keyClick(combo, K.Key_End)  # the last entry: the opened file
    # The chooser snaps back to what the table shows.
    assert panel.error_label.isVisible()
    assert "mine.json" in panel.error_label.text()
    assert "'data' must be a list" in panel.error_label.text()
    assert combo.currentText() == readable_name(RETURNING)
    assert cell(panel, 0, COLUMN_VALUES) == newest(RETURNING, "email")


def test_default_setup_uses_the_destinations_default_strategy(
    qtbot: QtBot, window: MainWindow, catalog: Catalog
) -> None:
    panel = open_preview_tab(qtbot, window)
    choose_profile(qtbot, panel, readable_name(RETURNING))
    for spec in catalog.destinations[:40]:
        doc = IdSyncDocument(
            destination=DestinationRef(slug=spec.slug, name=spec.name), setup=Setup.DEFAULT
        )
        window.controller.edit(doc, f"Default setup on {spec.slug}")
        # One row per identifier Default Setup sends to this destination (the catalog's).
        numbers = [cell(panel, r, COLUMN_NUMBER) for r in range(panel.table.rowCount())]
        assert numbers == [DEFAULT_SETUP_MARK] * len(spec.default_identifiers), spec.slug
        mappings = [cell(panel, r, COLUMN_MAPPING) for r in range(panel.table.rowCount())]
        for mapping, segment in zip(mappings, spec.default_identifiers, strict=True):
            assert mapping.startswith(segment), (spec.slug, mapping)
        assert cell(panel, 0, COLUMN_STRATEGY) == spec.default_strategy.label
        emails = distinct_values(RETURNING, "email")
        expected = len(emails) if spec.default_strategy is Strategy.ALL else 1
        assert cell(panel, 0, COLUMN_EVENTS) == str(expected)
        assert "Default Setup" in panel.notes_label.text()
        assert "Default Setup" in tooltip(panel, 0, COLUMN_NUMBER)


def test_notes_name_identifiers_no_row_sends(qtbot: QtBot, window: MainWindow) -> None:
    set_rows(window, EMAIL_LAST)
    panel = open_preview_tab(qtbot, window)
    choose_profile(qtbot, panel, readable_name(RETURNING))
    data = json.loads(RETURNING.read_text(encoding="utf-8"))["data"]
    unsent = sorted({item["type"] for item in data} - {"email"})
    assert f"Not sent by any row: {', '.join(unsent)}." in panel.notes_label.text()
    assert QApplication.activeModalWidget() is None


def test_edits_while_the_tab_is_hidden_show_when_it_is_shown_again(
    qtbot: QtBot, window: MainWindow
) -> None:
    set_rows(window, EMAIL_LAST)
    panel = open_preview_tab(qtbot, window)
    choose_profile(qtbot, panel, readable_name(RETURNING))
    shown = panel.result
    assert shown is not None and [row.strategy for row in shown.rows] == [Strategy.LAST]

    # Another Review tab in front: the preview is not recomputed on every edit meanwhile.
    window.review_page.tabs.setCurrentIndex(0)
    assert not panel.isVisible()
    set_strategy(window, 0, Strategy.ALL)
    assert panel.result is shown

    open_preview_tab(qtbot, window)
    assert panel.result is not shown
    assert cell(panel, 0, COLUMN_STRATEGY) == Strategy.ALL.label
    assert cell(panel, 0, COLUMN_EVENTS) == str(len(distinct_values(RETURNING, "email")))

    # While it is on screen, an edit shows at once.
    set_strategy(window, 0, Strategy.FIRST)
    assert cell(panel, 0, COLUMN_STRATEGY) == Strategy.FIRST.label


def test_at_1024_by_700_the_preview_shows_every_row_of_the_example(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.files.open_path("resources/examples/facebook-custom-audiences.json")
    window.resize(1024, 700)
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    page = window.review_page
    qtbot.waitUntil(lambda: page._split)  # the first split, once laid out
    page.tabs.setCurrentWidget(page.preview_panel)
    table = page.preview_panel.table
    rows_of_example = len(window.controller.document.identifiers)
    qtbot.waitUntil(lambda: table.rowCount() == rows_of_example)
    qtbot.wait(20)  # laid out with the tab on screen
    rows = sum(table.rowHeight(row) for row in range(table.rowCount()))
    assert table.viewport().height() >= rows, "a row of the preview is cut off"
    # The findings keep room for a few of their own.
    assert page.findings_list.viewport().height() >= 100
