"""The step list: a badge that changes is on the screen at once, in its own row only."""

from __future__ import annotations

from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from idsync.editor.steps import Step
from idsync.ui.main_window import MainWindow
from tests.helpers.documents import CLEAN, ROW_ERROR
from tests.helpers.windows import on_screen


def rows_on_screen(window: MainWindow) -> dict[Step, QImage]:
    sidebar = window.sidebar
    shown = on_screen(sidebar.viewport())
    return {
        step: shown.copy(sidebar.visualItemRect(sidebar.item_for(step))) for step in Step
    }


def test_an_error_badge_comes_and_goes_on_its_step_alone(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.controller.load(CLEAN, None)
    window.go_to_step(Step.TARGET)
    qtbot.wait(200)  # the window painted, and everything after it
    clean = rows_on_screen(window)
    assert window.sidebar.error_count(Step.IDENTIFIERS) == 0

    window.controller.load(ROW_ERROR, None)

    assert window.sidebar.error_count(Step.IDENTIFIERS) == 1
    qtbot.waitUntil(lambda: rows_on_screen(window)[Step.IDENTIFIERS] != clean[Step.IDENTIFIERS])
    flagged = rows_on_screen(window)
    for step in (Step.TARGET, Step.DESTINATION):
        assert flagged[step] == clean[step]
    item = window.sidebar.item_for(Step.IDENTIFIERS)
    assert "1 error" in item.toolTip()

    window.controller.load(CLEAN, None)

    qtbot.waitUntil(lambda: rows_on_screen(window)[Step.IDENTIFIERS] == clean[Step.IDENTIFIERS])
    assert "no problems" in window.sidebar.item_for(Step.IDENTIFIERS).toolTip()
