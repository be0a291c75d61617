"""FirstPaint: callbacks run after a window's first paint, or at the latest after a wait."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.ui import first_paint
from app.ui.first_paint import FirstPaint


def test_callbacks_run_once_after_the_first_paint_with_its_time(qtbot: QtBot) -> None:
    window = QLabel("painted")
    qtbot.addWidget(window)
    ticks = iter(range(100))
    watch = FirstPaint(window, clock=lambda: float(next(ticks)))
    ran: list[int] = []
    watch.then(lambda: ran.append(watch.paints))
    window.show()
    qtbot.waitUntil(lambda: ran != [])
    window.repaint()
    qtbot.wait(20)
    assert ran == [1]  # once, and after the first paint had been counted
    assert watch.at == 0.0
    assert watch.paints >= 2  # it goes on counting until stopped
    watch.stop()


def test_a_window_that_never_paints_still_gets_its_callbacks(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(first_paint, "LATEST_MS", 30)
    hidden = QLabel("never shown")
    qtbot.addWidget(hidden)
    watch = FirstPaint(hidden)
    ran: list[bool] = []
    watch.then(lambda: ran.append(True))
    qtbot.waitUntil(lambda: ran == [True], timeout=2000)
    assert watch.at is None and watch.paints == 0
    watch.stop()
