"""Autosave after edits, recovery at start, and the window layout remembered between runs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.core.catalog import Catalog
from app.core.editing import new_document
from app.core.model import AudienceTarget, IdSyncDocument
from app.editor.steps import Step
from app.storage.autosave import read_recovery
from app.storage.documents import write_document
from app.storage.locks import FileLock
from app.storage.paths import state_dir
from app.storage.settings import Settings, load_settings
from app.ui import main_window as main_window_module
from app.ui.main_window import MainWindow
from tests.helpers.dialogs import DialogDriver, FileDialogs
from tests.helpers.recovery import leave_crashed_recovery
from tests.helpers.windows import close_window, open_window

CTRL = Qt.KeyboardModifier.ControlModifier


def own_recovery(window: MainWindow) -> Path:
    """The window's own recovery file (it exists only while there is unsaved work)."""
    session = window.autosaver.session
    assert session is not None
    return session.path


def test_an_edit_is_autosaved_and_saving_removes_it(
    qtbot: QtBot, window: MainWindow, file_dialogs: FileDialogs, tmp_path: Path
) -> None:
    window.autosaver.delay_ms = 50
    qtbot.keyClicks(window.target_page.fields["target.space_id"], "spa_autosaved")
    qtbot.waitUntil(own_recovery(window).exists)
    recovery = read_recovery(own_recovery(window))
    assert recovery is not None
    assert recovery.document.target.space_id == "spa_autosaved"
    assert recovery.original_path is None

    file_dialogs.will_save(tmp_path / "kept.json")
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    assert not own_recovery(window).exists()


def test_typing_fast_writes_once_after_the_pause(qtbot: QtBot, window: MainWindow) -> None:
    window.autosaver.delay_ms = 60_000  # nothing is written while the test types
    qtbot.keyClicks(window.target_page.fields["target.space_id"], "spa_1")
    assert window.autosaver.pending
    assert not own_recovery(window).exists()
    window.autosaver.flush()  # what the timer does when it fires
    recovery = read_recovery(own_recovery(window))
    assert recovery is not None and recovery.document.target.space_id == "spa_1"


def test_undoing_back_to_the_saved_state_removes_the_autosave(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.autosaver.delay_ms = 50
    qtbot.keyClicks(window.target_page.fields["target.space_id"], "spa_1")
    qtbot.waitUntil(own_recovery(window).exists)
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert not window.isWindowModified()
    qtbot.waitUntil(lambda: not own_recovery(window).exists())


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


def test_a_clean_close_leaves_no_autosave_and_no_lock(
    qtbot: QtBot, catalog: Catalog, dialogs: DialogDriver
) -> None:
    window = open_window(qtbot, catalog)
    window.autosaver.delay_ms = 50
    qtbot.keyClicks(window.target_page.fields["target.space_id"], "spa_1")
    qtbot.waitUntil(own_recovery(window).exists)
    dialogs.expect("unsavedChangesDialog", QMessageBox.StandardButton.Discard)
    window.close()
    assert os.listdir(state_dir()) == []
    window.deleteLater()


# --- two windows --------------------------------------------------------------------------


def test_two_windows_keep_separate_recovery_files(
    qtbot: QtBot, catalog: Catalog, dialogs: DialogDriver
) -> None:
    first = open_window(qtbot, catalog)
    first.autosaver.delay_ms = 50
    qtbot.keyClicks(first.target_page.fields["target.space_id"], "spa_first")
    qtbot.waitUntil(own_recovery(first).exists)

    # The second window asks nothing: the first is open, its work is not "left over".
    second = open_window(qtbot, catalog)
    assert dialogs.seen == []
    assert own_recovery(second) != own_recovery(first)
    second.autosaver.delay_ms = 50
    qtbot.keyClicks(second.target_page.fields["target.space_id"], "spa_second")
    qtbot.waitUntil(own_recovery(second).exists)

    # Close without Saving in the second takes only the second's file.
    dialogs.expect("unsavedChangesDialog", QMessageBox.StandardButton.Discard)
    second.close()
    second.deleteLater()
    assert not own_recovery(second).exists()
    recovery = read_recovery(own_recovery(first))
    assert recovery is not None and recovery.document.target.space_id == "spa_first"
    session = first.autosaver.session
    assert session is not None and FileLock.is_held(session.lock_path)

    dialogs.expect("unsavedChangesDialog", QMessageBox.StandardButton.Discard)
    first.close()
    first.deleteLater()
    assert os.listdir(state_dir()) == []


# --- the file named on the command line ---------------------------------------------------


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


def _started(qtbot: QtBot, catalog: Catalog, paths: list[Path]) -> MainWindow:
    window = MainWindow(catalog)
    window.show()
    qtbot.waitExposed(window)
    window.start(paths)
    return window


def test_size_splitter_and_last_step_are_restored(
    qtbot: QtBot, catalog: Catalog, dialogs: DialogDriver
) -> None:
    first = open_window(qtbot, catalog)
    # Within the offscreen screen (800x800), above the window's minimum height (a new
    # document's Review step shows the Default Setup notes under the preview).
    first.resize(720, 660)
    first.splitter.setSizes([230, 490])
    qtbot.keyClick(first, Qt.Key.Key_3, CTRL)
    sidebar_width = first.splitter.sizes()[0]
    size = (first.width(), first.height())
    assert size == (720, 660)
    close_window(first)
    settings = load_settings()
    assert settings.last_step == Step.IDENTIFIERS.value
    assert settings.window_geometry and settings.splitter_state

    second = open_window(qtbot, catalog)
    try:
        assert (second.width(), second.height()) == size
        assert second.splitter.sizes()[0] == sidebar_width
        assert second.current_step is Step.IDENTIFIERS
        assert second.stack.currentWidget() is second.pages[Step.IDENTIFIERS]
    finally:
        close_window(second)


def test_custom_identifiers_of_a_document_are_remembered(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "custom.json"
    write_document(path, IdSyncDocument(custom_identifiers=("phone", "loyalty_id")))
    assert window.files.open_path(path)
    assert window.remembered_identifiers() == ("phone", "loyalty_id")
    qtbot.waitUntil(lambda: load_settings().custom_identifiers == ["phone", "loyalty_id"])


# --- an unusable state folder ------------------------------------------------------------


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


def test_flushing_with_nothing_unsaved_survives_an_unusable_state_folder(
    qtbot: QtBot, window: MainWindow, idsync_home: Path, tmp_path: Path
) -> None:
    (idsync_home / "state").rename(tmp_path / "state-was-here")
    (idsync_home / "state").write_text("not a folder", encoding="utf-8")
    assert not window.controller.is_dirty
    window.autosaver.flush()  # removes the (unreachable) recovery file: must not raise
    assert (idsync_home / "state").is_file()


def test_opening_a_file_writes_the_preferences_once_and_after_the_open(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[tuple[list[str], list[str]]] = []
    real_save = main_window_module.save_settings

    def save(settings: Settings) -> None:
        written.append((list(settings.recent_files), list(settings.custom_identifiers)))
        real_save(settings)

    monkeypatch.setattr(main_window_module, "save_settings", save)
    path = tmp_path / "custom.json"
    write_document(path, IdSyncDocument(custom_identifiers=("phone",)))
    assert window.files.open_path(path)
    assert written == []  # the open did not wait for the disk
    qtbot.waitUntil(lambda: written != [])
    qtbot.wait(main_window_module.SETTINGS_WRITE_DELAY_MS + 100)
    assert written == [([str(path)], ["phone"])]  # both changes, in one write


def test_closing_the_window_writes_pending_preferences_at_once(
    qtbot: QtBot, catalog: Catalog, tmp_path: Path
) -> None:
    window = open_window(qtbot, catalog)
    path = tmp_path / "closing.json"
    write_document(path, IdSyncDocument(name="closing"))
    assert window.files.open_path(path)
    close_window(window)
    assert load_settings().recent_files == [str(path)]


def test_a_quit_that_comes_without_a_close_still_writes_pending_preferences(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "quit.json"
    write_document(path, IdSyncDocument(name="quit"))
    assert window.files.open_path(path)
    app = QApplication.instance()
    assert app is not None
    app.aboutToQuit.emit()  # what the end of a session, or app.quit() alone, sends
    assert load_settings().recent_files == [str(path)]
