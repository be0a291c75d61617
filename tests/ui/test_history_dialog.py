"""File > History in the real window: saves, exports and pushes are kept, the dialog shows
what restoring a version would change, and Restore is one undoable edit."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from idsync.core.model import Strategy
from idsync.segment.endpoints import ConnectionProfile, EndpointKind
from idsync.segment.sandbox import Sandbox
from idsync.storage.documents import read_document, write_document
from idsync.storage.exports import ExportKind
from idsync.storage.history import HistoryEvent, HistoryStore
from idsync.storage.history_database import APPLICATION_ID, SCHEMA_VERSION
from idsync.ui.history_dialog import NO_HISTORY, NO_HISTORY_HERE, HistoryDialog
from idsync.ui.main_window import MainWindow
from idsync.ui.push.push_dialog import PushDialog, PushStep
from idsync.ui.push.status import StatusKind
from tests.helpers.dialogs import FileDialogs
from tests.helpers.documents import facebook_document
from tests.helpers.editing import set_cell
from tests.helpers.push_support import (
    ITERABLE,
    SPACE,
    click,
    iterable_document,
    live_rows,
    row,
    tick,
)

pytest_plugins = ("tests.helpers.push_support",)

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def reactivate(qtbot: QtBot, window: MainWindow) -> None:
    if QApplication.activeWindow() is not window:
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def open_history(qtbot: QtBot, window: MainWindow) -> HistoryDialog:
    reactivate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_H, CTRL | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.history_dialog
    assert isinstance(dialog, HistoryDialog)
    qtbot.waitExposed(dialog)
    return dialog


def listed(dialog: HistoryDialog) -> list[tuple[str, str, str]]:
    """(event, file / connection, detail) of each listed version, top to bottom."""
    items = (dialog.list.topLevelItem(i) for i in range(dialog.list.topLevelItemCount()))
    return [(i.text(1), i.text(2), i.text(3)) for i in items if i is not None]


def test_an_empty_history_says_how_it_fills(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_history(qtbot, window)
    assert dialog.stack.currentWidget() is dialog.empty_label
    assert dialog.empty_label.text() == NO_HISTORY
    assert "save, export and push" in dialog.empty_label.text()
    assert not dialog.restore_button.isEnabled()
    click(qtbot, dialog.close_button)
    assert not dialog.isVisible()


def test_save_change_a_strategy_restore_and_undo(
    qtbot: QtBot, window: MainWindow, file_dialogs: FileDialogs, tmp_path: Path
) -> None:
    path = tmp_path / "fb.json"
    write_document(path, facebook_document())
    file_dialogs.will_open(path)
    qtbot.keyClick(window, Qt.Key.Key_O, CTRL)
    qtbot.keyClicks(window.target_page.name_edit, " v2")
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    saved = read_document(path)
    assert saved.name == "VIP buyers to Facebook v2"

    dialog = open_history(qtbot, window)
    assert dialog.heading.text() == "History of fb.json"
    assert listed(dialog) == [
        ("Saved", "spa_9f2KxQe7/aud_2bLq8TtW → 64f1c2a9e3b8d70012ab34cd", str(path))
    ]
    assert "same as your current document" in dialog.diff_view.toPlainText()
    assert not dialog.restore_button.isEnabled()
    click(qtbot, dialog.close_button)

    reactivate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_3, CTRL)  # Event settings
    set_cell(qtbot, window, 0, 2, "first")
    assert window.controller.document.identifiers[0].strategy is Strategy.FIRST

    dialog = open_history(qtbot, window)
    assert dialog.diff_lines() == ["- row 1 strategy: first -> last"]
    assert "would change" in dialog.diff_caption.text()
    click(qtbot, dialog.restore_button)
    assert not dialog.isVisible()
    assert window.controller.document == saved
    assert window.controller.undo_stack.undoText().startswith("Restore from history (")
    assert "Restored the version saved" in window.statusBar().currentMessage()

    reactivate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert window.controller.document.identifiers[0].strategy is Strategy.FIRST
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL | SHIFT)
    assert window.controller.document == saved


def test_saving_twice_without_a_change_keeps_one_version(
    qtbot: QtBot, window: MainWindow, file_dialogs: FileDialogs, tmp_path: Path
) -> None:
    path = tmp_path / "fb.json"
    write_document(path, facebook_document())
    assert window.files.open_path(path)
    qtbot.keyClicks(window.target_page.name_edit, "!")
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    window.files.save()
    qtbot.keyClicks(window.target_page.name_edit, "?")
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    names = [entry.name for entry in HistoryStore().entries()]
    assert names == ["VIP buyers to Facebook!?", "VIP buyers to Facebook!"]


def test_an_export_is_kept_with_where_it_went(
    qtbot: QtBot, window: MainWindow, file_dialogs: FileDialogs, tmp_path: Path
) -> None:
    window.controller.load(facebook_document(), None)
    body = tmp_path / "fb.update-body.json"
    file_dialogs.will_save(body)
    assert window.files.export(ExportKind.UPDATE_BODY)
    assert body.exists()
    entries = HistoryStore().entries()
    assert [(e.event, e.detail) for e in entries] == [
        (HistoryEvent.EXPORT, f"Update body exported to {body}")
    ]
    assert HistoryStore().load(entries[0]) == facebook_document()
    dialog = open_history(qtbot, window)
    assert listed(dialog)[0][0] == "Exported"


def test_all_documents_shows_the_others_too(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    store = HistoryStore()
    store.record(
        iterable_document("aud_other", (row("email", "email"),)), "save",
        source_path=tmp_path / "other.json",
    )
    window.controller.load(facebook_document(), tmp_path / "fb.json")
    dialog = open_history(qtbot, window)
    assert dialog.empty_label.text() == NO_HISTORY_HERE

    tick(qtbot, dialog.all_check)
    assert dialog.all_check.isChecked()
    assert dialog.heading.text() == "History of all documents"
    assert listed(dialog) == [
        ("Saved", f"{SPACE}/aud_other → {ITERABLE}", str(tmp_path / "other.json"))
    ]
    assert "- target.audience_id: 'aud_2bLq8TtW' -> 'aud_other'" in dialog.diff_lines()
    assert dialog.restore_button.isEnabled()


def test_a_history_that_cannot_be_written_does_not_stop_saving(
    qtbot: QtBot, window: MainWindow, file_dialogs: FileDialogs, tmp_path: Path,
    idsync_home: Path,
) -> None:
    database = idsync_home / "state" / "history.sqlite3"
    database.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(database) as newer:  # written by a newer version of the app
        newer.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        newer.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    newer.close()
    window.controller.load(facebook_document(), None)
    qtbot.keyClicks(window.target_page.name_edit, " v3")
    file_dialogs.will_save(tmp_path / "fb.json")
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)

    assert read_document(tmp_path / "fb.json").name == "VIP buyers to Facebook v3"
    assert not window.isWindowModified()
    message = window.statusBar().currentMessage()
    assert message.startswith("Saved, but History could not keep this version")

    assert "newer version of the app" in message
    dialog = open_history(qtbot, window)
    assert "The history cannot be read" in dialog.empty_label.text()
    assert "newer version of the app" in dialog.empty_label.text()


@pytest.mark.usefixtures("token_guard", "memory_keyring")
def test_a_push_from_the_window_is_kept_without_the_token(
    qtbot: QtBot, window: MainWindow, live_sandbox: Sandbox
) -> None:
    profile = ConnectionProfile.create(EndpointKind.CUSTOM, live_sandbox.url)
    window.segment_session.connect_to(profile, live_sandbox.token, remember=False)
    pushed_rows = (row("email", "email", Strategy.FIRST), row("user_id", "userId"))
    document = iterable_document("aud_high_value", pushed_rows)
    window.controller.load(document, None)

    dialog = window.push_actions.open_push()
    assert isinstance(dialog, PushDialog)
    qtbot.waitUntil(
        lambda: not dialog.busy
        and (dialog.plan is not None or dialog.plan_status.kind is StatusKind.ERROR),
        timeout=8000,
    )
    click(qtbot, dialog.next_button)
    click(qtbot, dialog.push_button)
    qtbot.waitUntil(lambda: dialog.step is PushStep.RESULT and not dialog.busy, timeout=10000)
    assert live_rows(live_sandbox, "aud_high_value", ITERABLE) == [
        {"externalId": "email", "strategy": "first", "mapTo": "email"},
        {"externalId": "user_id", "strategy": "last", "mapTo": "userId"},
    ]

    entries = HistoryStore().entries()
    assert [entry.event for entry in entries] == [HistoryEvent.PUSH]
    assert entries[0].detail.startswith(f"pushed to {SPACE}/aud_high_value (")
    assert entries[0].detail.endswith(": applied and verified")
    assert f" at {live_sandbox.url}:" in entries[0].detail
    assert HistoryStore().load(entries[0]) == document
    click(qtbot, dialog.close_button)
    history = open_history(qtbot, window)
    assert listed(history)[0][0] == "Pushed"
