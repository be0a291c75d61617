"""File > Compare…: two files, a file and a history version, a file and its live
connection (a real sandbox over loopback) — side by side, marked from the same diff as
`idsync diff`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from idsync.core.diff import diff_documents
from idsync.core.model import IdentifierRow, Strategy
from idsync.resources import resource_path
from idsync.segment.endpoints import ConnectionProfile, EndpointKind
from idsync.segment.sandbox import Sandbox
from idsync.storage.documents import read_document, write_document
from idsync.storage.history import HistoryEvent, HistoryStore
from idsync.ui.compare_dialog import CompareDialog, LeftKind, Mark, mark_color
from idsync.ui.main_window import MainWindow
from idsync.ui.push.session import SegmentSession
from tests.helpers.dialogs import FileDialogs
from tests.helpers.documents import CLEAN, write

PHONE = IdentifierRow(segment="phone", destination="PHONE", strategy=Strategy.LAST)


def _cells(table: QTableWidget) -> list[list[str]]:
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def _background(table: QTableWidget, row: int) -> QColor:
    return table.item(row, 1).background().color()


def _open_compare(qtbot: QtBot, window: MainWindow) -> CompareDialog:
    window.review_actions.compare_action.trigger()
    dialog = window.review_actions.compare_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_two_files_side_by_side(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, file_dialogs: FileDialogs
) -> None:
    right = write(tmp_path / "right.json", CLEAN.with_rows([*CLEAN.identifiers, PHONE]))
    left = write(tmp_path / "left.json", CLEAN.replace(name="Old name"))
    assert window.files.open_path(right)
    dialog = _open_compare(qtbot, window)
    assert dialog.kind is LeftKind.FILE
    assert dialog.right_name.text() == "The open config: right.json"
    file_dialogs.will_open(left)
    dialog.left_file_button.click()
    expected = diff_documents(read_document(left), read_document(right))
    assert dialog.difference == expected
    assert [dialog.changes.item(i).text() for i in range(dialog.changes.count())] == (
        expected.render_text()
    )
    assert "- row 2 added: phone -> PHONE (last)" in expected.render_text()
    palette = dialog.palette()
    # The added row is marked on the right; the left has no such row.
    right_rows = dialog.right_pane.rows
    assert _cells(right_rows)[1][1:] == ["phone", "PHONE", "Last added"]
    assert _background(right_rows, 1) == mark_color(Mark.ADDED, palette)
    assert dialog.left_pane.rows.rowCount() == 1
    # The renamed field is marked on both sides.
    for pane, value in ((dialog.left_pane, "Old name"), (dialog.right_pane, "Facebook email")):
        fields = _cells(pane.fields)
        row = [name for name, _ in fields].index("name")
        assert fields[row][1] == value
        assert pane.fields.item(row, 1).background().color() == mark_color(Mark.CHANGED, palette)
        assert pane.fields.item(row, 1).font().bold()
    dialog.close()


def test_a_file_and_a_history_version(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, idsync_home: Path
) -> None:
    path = write(tmp_path / "doc.json", CLEAN)
    assert window.files.open_path(path)
    HistoryStore().record(CLEAN, HistoryEvent.SAVE, source_path=path)
    changed = CLEAN.with_rows(
        [IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.ALL)]
    )
    window.controller.edit(changed, "strategy")
    dialog = _open_compare(qtbot, window)
    assert "(unsaved changes)" in dialog.right_name.text()
    dialog.set_kind(LeftKind.HISTORY)
    assert dialog.history_combo.isVisible() and dialog.history_combo.count() == 1
    assert "Saved" in dialog.history_combo.itemText(0)
    assert dialog.difference is not None
    assert dialog.difference.render_text() == ["- row 1 strategy: last -> all"]
    palette = dialog.palette()
    for pane in (dialog.left_pane, dialog.right_pane):
        assert _background(pane.rows, 0) == mark_color(Mark.CHANGED, palette)
        assert pane.rows.item(0, 3).font().bold(), "the changed cell stands out"
        assert not pane.rows.item(0, 1).font().bold()
    assert _cells(dialog.left_pane.rows)[0][3] == "Last added"
    assert _cells(dialog.right_pane.rows)[0][3] == "All"
    dialog.close()


@pytest.fixture
def live(qtbot: QtBot) -> Iterator[tuple[SegmentSession, Sandbox]]:
    with Sandbox() as sandbox:
        session = SegmentSession()
        session.connect_to(
            ConnectionProfile(EndpointKind.SANDBOX, sandbox.url), sandbox.token, remember=False
        )
        yield session, sandbox
        session.shutdown()


def test_a_file_and_its_live_connection_read_only(
    qtbot: QtBot, window: MainWindow, tmp_path: Path,
    live: tuple[SegmentSession, Sandbox],
) -> None:
    session, sandbox = live
    path = tmp_path / "facebook.json"
    write_document(path, read_document(resource_path("examples", "facebook-custom-audiences.json")))
    assert window.files.open_path(path)
    dialog = CompareDialog(window.controller, session=session, parent=window)
    dialog.open()
    qtbot.waitExposed(dialog)
    dialog.set_kind(LeftKind.LIVE)
    assert dialog.live_button.isVisible() and dialog.live_button.isEnabled()
    with qtbot.waitSignal(dialog.changes.model().rowsInserted):
        dialog.live_button.click()
    assert dialog.left_pane.source_label.text().startswith("Live: spa_example_marketing/")
    assert dialog.difference is not None
    assert "- row 3 added: ios.idfa -> MADID (all)" in dialog.difference.render_text()
    assert sandbox.count(method="POST") + sandbox.count(method="PATCH") == 0
    dialog.close()


def test_live_needs_a_connection(qtbot: QtBot, window: MainWindow) -> None:
    dialog = _open_compare(qtbot, window)
    dialog.set_kind(LeftKind.LIVE)
    assert not dialog.live_button.isEnabled()
    assert "Connect to Segment" in dialog.status.text()
    dialog.close()
