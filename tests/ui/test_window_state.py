"""What the window remembers between runs: its layout, the last step, remembered
identifiers, and the preferences, written once soon after a change and at once at close
or quit."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from idsync.core.catalog import Catalog
from idsync.core.model import IdSyncDocument
from idsync.editor.steps import Step
from idsync.storage.documents import write_document
from idsync.storage.settings import Settings, load_settings
from idsync.ui import window_state
from idsync.ui.main_window import MainWindow
from tests.helpers.dialogs import DialogDriver
from tests.helpers.windows import close_window, open_window

CTRL = Qt.KeyboardModifier.ControlModifier


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


def test_opening_a_file_writes_the_preferences_once_and_after_the_open(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[tuple[list[str], list[str]]] = []
    real_save = window_state.save_settings

    def save(settings: Settings) -> None:
        written.append((list(settings.recent_files), list(settings.custom_identifiers)))
        real_save(settings)

    monkeypatch.setattr(window_state, "save_settings", save)
    path = tmp_path / "custom.json"
    write_document(path, IdSyncDocument(custom_identifiers=("phone",)))
    assert window.files.open_path(path)
    assert written == []  # the open did not wait for the disk
    qtbot.waitUntil(lambda: written != [])
    qtbot.wait(window_state.SETTINGS_WRITE_DELAY_MS + 100)
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

