"""The window's own files at start: damaged ones never keep it from opening (they are
moved aside and named in the status bar), and killed saves leave nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from idsync.core.catalog import Catalog
from idsync.editor.steps import Step
from idsync.storage.atomic import is_temp_name
from idsync.storage.paths import history_database
from idsync.storage.settings import Settings, load_settings, save_settings, settings_path
from idsync.ui.main_window import MainWindow
from tests.helpers.damage import DAMAGE
from tests.helpers.dialogs import DialogDriver
from tests.helpers.killed_save import kill_during_save
from tests.helpers.windows import close_window, open_window

pytestmark = pytest.mark.timeout(120)


@pytest.mark.parametrize(
    "damage", ["invalid UTF-8", "deep nesting", "huge integer", "FIFO", "device", "wrong shape"]
)
def test_damaged_settings_open_the_window_with_defaults_and_say_so(
    qtbot: QtBot, catalog: Catalog, dialogs: DialogDriver, damage: str
) -> None:
    save_settings(Settings(last_step="review"))
    path = settings_path()
    DAMAGE[damage](path)
    window = open_window(qtbot, catalog)
    try:
        assert window.current_step is Step.TARGET
        message = window.statusBar().currentMessage()
        assert f"The settings file {path} cannot be read" in message
        assert "default settings are used" in message
        assert len(list(path.parent.glob("settings.json.damaged-*"))) == 1
    finally:
        close_window(window)
    assert load_settings().last_step == Step.TARGET.value


def test_a_damaged_history_database_is_reported_in_the_status_bar(
    qtbot: QtBot, window: MainWindow
) -> None:
    database = history_database()
    DAMAGE["FIFO"](database)
    dialog = window.open_history()
    try:
        message = window.statusBar().currentMessage()
        assert f"The history database {database} cannot be read (not a file)" in message
        assert "a new, empty history was started" in message
        assert database.is_file()
    finally:
        dialog.close()


def test_a_settings_save_killed_half_way_leaves_nothing_after_the_next_start(
    qtbot: QtBot, catalog: Catalog, dialogs: DialogDriver, idsync_home: Path, tmp_path: Path
) -> None:
    temp = kill_during_save("settings", tmp_path / "unused.json", idsync_home)
    window = open_window(qtbot, catalog)
    try:
        assert not temp.exists()
        assert [p for p in idsync_home.rglob("*") if is_temp_name(p.name)] == []
    finally:
        close_window(window)
