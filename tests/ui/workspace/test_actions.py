"""The review workspace and the editor together (issue 20): a config opened from the
workspace is in front, never hidden behind the workspace."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from idsync.ui.main_window import MainWindow
from idsync.ui.workspace.model import Column
from idsync.ui.workspace.panel import WorkspacePanel
from tests.helpers.documents import CLEAN, ROW_ERROR, write
from tests.helpers.windows import double_click
from tests.helpers.workspace import open_folder_by_menu


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "configs"
    write(root / "clean.json", CLEAN)
    write(root / "team" / "wrong.json", ROW_ERROR.replace(name="Wrong key"))
    return root


def on_screen(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def double_click_config(qtbot: QtBot, panel: WorkspacePanel, name: str) -> None:
    names = [
        str(panel.proxy.index(row, Column.NAME).data()) for row in range(panel.proxy.rowCount())
    ]
    rect = panel.table.visualRect(panel.proxy.index(names.index(name), Column.TARGET))
    double_click(qtbot, panel.table.viewport(), rect.center())


def test_the_workspace_opens_docked_in_the_editor_window_and_opening_shows_the_config(
    qtbot: QtBot, window: MainWindow, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = open_folder_by_menu(qtbot, window, folder, monkeypatch)
    assert not panel.isFloating()
    assert window.dockWidgetArea(panel) is Qt.DockWidgetArea.BottomDockWidgetArea
    assert panel.isVisible()
    assert panel.table.height() > 3 * panel.table.verticalHeader().defaultSectionSize()

    double_click_config(qtbot, panel, "Wrong key")
    assert window.controller.path == folder / "team" / "wrong.json"
    # The editor's pages and the workspace share the window; neither covers the other.
    pages = window.centralWidget()
    assert pages.isVisible()
    assert not on_screen(pages).intersects(on_screen(panel))
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def test_a_floating_workspace_over_the_editor_docks_back_when_a_config_opens(
    qtbot: QtBot, window: MainWindow, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = open_folder_by_menu(qtbot, window, folder, monkeypatch)
    panel.setFloating(True)  # what its title bar's float button does
    panel.setGeometry(on_screen(window.centralWidget()))
    qtbot.waitUntil(panel.isVisible)

    double_click_config(qtbot, panel, "Facebook email")
    assert window.controller.path == folder / "clean.json"
    qtbot.waitUntil(lambda: not panel.isFloating())
    qtbot.waitUntil(lambda: not on_screen(window.centralWidget()).intersects(on_screen(panel)))
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
