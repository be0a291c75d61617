"""A second editor window opens offset from the first, not exactly on top of it (issue 20)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect
from pytestqt.qtbot import QtBot

from idsync.core.catalog import Catalog
from idsync.ui.main_window import MainWindow
from idsync.ui.window_slot import SLOT_OFFSET, WindowSlot


def test_a_second_window_opens_offset_from_the_first(qtbot: QtBot, catalog: Catalog) -> None:
    first = MainWindow(catalog)
    qtbot.addWidget(first)
    second = MainWindow(catalog)
    qtbot.addWidget(second)
    try:
        assert second.slot.number == first.slot.number + 1
        shift = second.geometry().topLeft() - first.geometry().topLeft()
        assert (shift.x(), shift.y()) == (SLOT_OFFSET, SLOT_OFFSET)
        assert second.size() == first.size()
    finally:
        second.close()
        first.close()
    third = MainWindow(catalog)  # the slots of closed windows are free again
    qtbot.addWidget(third)
    assert third.slot.number == first.slot.number
    third.close()


def test_a_slot_is_held_until_released_and_stays_on_the_screen(tmp_path: Path) -> None:
    first = WindowSlot.take(tmp_path)
    second = WindowSlot.take(tmp_path)
    assert (first.number, second.number) == (0, 1)
    screen = QRect(0, 0, 1280, 800)
    assert second.place(QRect(100, 50, 800, 600), screen) == QPoint(132, 82)
    # A window (and its frame) that would run off the screen opens offset from its corner.
    assert second.place(QRect(60, 48, 1152, 720), screen) == QPoint(92, 32)
    assert second.place(QRect(0, 0, 1260, 780), screen) == QPoint(32, 32)
    first.release()
    assert WindowSlot.take(tmp_path).number == 0
    (tmp_path / "blocked").write_text("a file where the folder should be")
    assert WindowSlot.take(tmp_path / "blocked" / "slots").number == 0
