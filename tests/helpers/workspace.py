"""The review workspace as a person opens it: File > Open Folder…, the folder chosen in
the (stand-in) folder dialog, and the first check waited for."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from idsync.ui.main_window import MainWindow
from idsync.ui.workspace.panel import WorkspacePanel


def open_folder_by_menu(
    qtbot: QtBot, window: MainWindow, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> WorkspacePanel:
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda *_a, **_k: str(folder))
    )
    assert window.review_actions.open_folder_action in window.file_menu.actions()
    window.review_actions.open_folder_action.trigger()
    panel = window.review_actions.panel
    assert panel is not None
    if panel.busy:
        with qtbot.waitSignal(panel.scanFinished):
            pass
    return panel
