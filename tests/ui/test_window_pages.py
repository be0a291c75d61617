"""The step pages, built on first use: the starting one at once, the others after start,
one per turn of the event loop."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from idsync.editor.steps import Step
from idsync.ui.main_window import MainWindow


def test_after_start_every_page_is_built_and_the_window_says_so(
    qtbot: QtBot, window: MainWindow
) -> None:
    with qtbot.waitSignal(window.pagesBuilt, timeout=5000):
        pass  # the window fixture has started it
    for step in Step:
        assert type(window.stack.widget(step.position)) is not QWidget  # no placeholder


def test_every_page_built_before_the_timer_still_counts_as_all_built(
    qtbot: QtBot, window: MainWindow
) -> None:
    for step in Step:
        window.go_to_step(step)  # a quick person visits every step at once
    with qtbot.waitSignal(window.pagesBuilt, timeout=5000):
        pass

