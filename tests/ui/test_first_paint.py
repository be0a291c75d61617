"""FirstPaint: callbacks run after a window's first paint, or at the latest after a wait."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from idsync.ui.first_paint import FirstPaint


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


def test_a_callback_given_after_the_paint_runs_too(qtbot: QtBot) -> None:
    window = QLabel("painted")
    qtbot.addWidget(window)
    watch = FirstPaint(window)
    first: list[bool] = []
    watch.then(lambda: first.append(True))
    window.show()
    qtbot.waitUntil(lambda: first == [True])
    late: list[bool] = []
    watch.then(lambda: late.append(True))
    qtbot.waitUntil(lambda: late == [True])
    watch.stop()


def test_a_window_that_never_paints_still_gets_its_callbacks(qtbot: QtBot) -> None:
    hidden = QLabel("never shown")
    qtbot.addWidget(hidden)
    watch = FirstPaint(hidden, latest_ms=30)
    ran: list[bool] = []
    watch.then(lambda: ran.append(True))
    qtbot.waitUntil(lambda: ran == [True], timeout=2000)
    assert watch.at is None and watch.paints == 0
    watch.stop()


def test_without_a_latest_time_it_waits_for_the_paint(qtbot: QtBot) -> None:
    hidden = QLabel("not yet shown")
    qtbot.addWidget(hidden)
    watch = FirstPaint(hidden, latest_ms=None)
    ran: list[bool] = []
    watch.then(lambda: ran.append(True))
    qtbot.wait(100)
    assert ran == []
    hidden.show()
    qtbot.waitUntil(lambda: ran == [True])
    watch.stop()
