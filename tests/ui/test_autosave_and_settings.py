"""Autosave after edits, recovery at start, and the window layout remembered between runs."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from idsync.core.catalog import Catalog
from idsync.storage.autosave import read_recovery
from idsync.storage.paths import state_dir
from idsync.ui.main_window import MainWindow
from tests.helpers.dialogs import DialogDriver, FileDialogs
from tests.helpers.locks import lock_is_held
from tests.helpers.recovery import own_recovery
from tests.helpers.windows import open_window

CTRL = Qt.KeyboardModifier.ControlModifier


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
    assert session is not None and lock_is_held(session.lock_path)

    dialogs.expect("unsavedChangesDialog", QMessageBox.StandardButton.Discard)
    first.close()
    first.deleteLater()
    assert os.listdir(state_dir()) == []


# --- the file named on the command line ---------------------------------------------------


# --- an unusable state folder ------------------------------------------------------------


def test_flushing_with_nothing_unsaved_survives_an_unusable_state_folder(
    qtbot: QtBot, window: MainWindow, idsync_home: Path, tmp_path: Path
) -> None:
    (idsync_home / "state").rename(tmp_path / "state-was-here")
    (idsync_home / "state").write_text("not a folder", encoding="utf-8")
    assert not window.controller.is_dirty
    window.autosaver.flush()  # removes the (unreachable) recovery file: must not raise
    assert (idsync_home / "state").is_file()


