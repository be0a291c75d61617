"""The recovery offer at start: work autosaved by a window that is gone is offered back,
restored or discarded, before the given file opens."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from idsync.core.catalog import Catalog
from idsync.core.editing import new_document
from idsync.core.model import AudienceTarget, IdSyncDocument
from idsync.storage.autosave import read_recovery
from idsync.storage.documents import write_document
from idsync.storage.paths import state_dir
from idsync.ui.main_window import MainWindow
from tests.helpers.dialogs import DialogDriver
from tests.helpers.recovery import leave_crashed_recovery, own_recovery
from tests.helpers.windows import close_window, open_window

CTRL = Qt.KeyboardModifier.ControlModifier


def _started(qtbot: QtBot, catalog: Catalog, paths: list[Path]) -> MainWindow:
    window = MainWindow(catalog)
    window.show()
    qtbot.waitExposed(window)
    window.start(paths)
    return window


def test_restore_is_offered_at_start_and_restores(
    qtbot: QtBot, catalog: Catalog, dialogs: DialogDriver, tmp_path: Path
) -> None:
    original = tmp_path / "vip.json"
    saved = IdSyncDocument(name="VIP", target=AudienceTarget(space_id="spa_1"))
    write_document(original, saved)
    unsaved = saved.replace(notes="work in progress")
    crashed = leave_crashed_recovery(unsaved, original)

    dialogs.expect("restoreDialog", "Restore")
    window = open_window(qtbot, catalog)
    try:
        assert dialogs.pending == 0
        assert "VIP" in dialogs.seen[0].text
        assert str(original) in dialogs.seen[0].informative
        # What the work holds, and what it has that the file has not.
        said = dialogs.seen[0].informative
        assert "It holds: no destination; space spa_1, audience (none); Customized" in said
        assert "Not in vip.json:" in said and "work in progress" in said
        assert window.controller.document == unsaved
        assert window.controller.path == original
        assert window.isWindowModified()
        assert window.target_page.notes_edit.toPlainText() == "work in progress"
        # The work moved into this window's own recovery file at once.
        assert not crashed.exists()
        kept = read_recovery(own_recovery(window))
        assert kept is not None and kept.document == unsaved
    finally:
        close_window(window)


def test_discarding_the_restore_removes_the_file(
    qtbot: QtBot, catalog: Catalog, dialogs: DialogDriver
) -> None:
    crashed = leave_crashed_recovery(IdSyncDocument(name="lost"))
    dialogs.expect("restoreDialog", QMessageBox.StandardButton.Discard)
    window = open_window(qtbot, catalog)
    try:
        assert window.controller.document == new_document()
        assert not crashed.exists()
    finally:
        close_window(window)


def test_a_damaged_recovery_file_is_moved_aside_and_named_in_the_status_bar(
    qtbot: QtBot, catalog: Catalog, dialogs: DialogDriver
) -> None:
    crashed = leave_crashed_recovery(IdSyncDocument(name="lost"))
    crashed.write_text("{ not json", encoding="utf-8")
    window = open_window(qtbot, catalog)  # no dialog: the dialogs fixture fails on one
    try:
        message = window.statusBar().currentMessage()
        assert str(crashed) in message and "moved aside" in message
        assert not crashed.exists()
        [aside] = state_dir().glob(f"{crashed.name}.damaged-*")
        assert aside.read_text(encoding="utf-8") == "{ not json"
    finally:
        close_window(window)


def test_the_given_file_opens_after_the_recovery_prompt(
    qtbot: QtBot, catalog: Catalog, dialogs: DialogDriver, tmp_path: Path
) -> None:
    leave_crashed_recovery(IdSyncDocument(name="Old work"))
    given = tmp_path / "given.json"
    write_document(given, IdSyncDocument(name="Given"))
    dialogs.expect("restoreDialog", QMessageBox.StandardButton.Discard)
    window = _started(qtbot, catalog, [given])
    try:
        assert dialogs.pending == 0
        assert window.controller.path == given
        assert window.controller.document.name == "Given"
    finally:
        close_window(window)


def test_after_restoring_other_work_the_given_file_still_opens_once_that_is_settled(
    qtbot: QtBot, catalog: Catalog, dialogs: DialogDriver, tmp_path: Path
) -> None:
    leave_crashed_recovery(IdSyncDocument(name="Old work"))
    given = tmp_path / "given.json"
    write_document(given, IdSyncDocument(name="Given"))
    dialogs.expect("restoreDialog", "Restore")
    dialogs.expect("unsavedChangesDialog", QMessageBox.StandardButton.Discard)
    window = _started(qtbot, catalog, [given])
    try:
        assert dialogs.pending == 0
        assert window.controller.document.name == "Given"
    finally:
        close_window(window)


def test_restoring_the_given_files_own_unsaved_work_keeps_it(
    qtbot: QtBot, catalog: Catalog, dialogs: DialogDriver, tmp_path: Path
) -> None:
    given = tmp_path / "given.json"
    write_document(given, IdSyncDocument(name="Given"))
    leave_crashed_recovery(IdSyncDocument(name="Given, edited"), given)
    dialogs.expect("restoreDialog", "Restore")
    window = _started(qtbot, catalog, [given])
    try:
        assert window.controller.document.name == "Given, edited"
        assert window.controller.path == given and window.isWindowModified()
    finally:
        close_window(window)


def test_a_file_where_the_state_folder_should_be_still_opens_the_given_document(
    qtbot: QtBot, catalog: Catalog, dialogs: DialogDriver, idsync_home: Path, tmp_path: Path
) -> None:
    (idsync_home / "state").write_text("not a folder", encoding="utf-8")
    given = tmp_path / "given.json"
    write_document(given, IdSyncDocument(name="Given"))
    window = MainWindow(catalog)
    window.show()
    qtbot.waitExposed(window)
    try:
        window.start([given])
        assert window.controller.path == given.absolute()
        assert window.controller.document.name == "Given"
        message = window.statusBar().currentMessage()
        assert message.startswith("Autosave is off:")
        assert str(idsync_home / "state") in message
        # Off means off: an edit schedules no write that could only fail again.
        qtbot.keyClicks(window.target_page.fields["target.space_id"], "spa_1")
        assert not window.autosaver.pending
    finally:
        close_window(window)
