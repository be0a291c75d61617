"""Each open editor window holds a numbered slot (a lock file in the state folder), so a
second window opens offset from the first instead of exactly on top of it, where it
would look as if nothing had opened.

The lock names its process: a slot of a window that crashed is free again at once.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QLockFile, QPoint, QRect

from idsync.storage.paths import state_dir

_log = logging.getLogger(__name__)

SLOT_OFFSET = 32
"""How far each further window opens down and to the right of the one before."""
MAX_SLOTS = 8
DECORATION = 32
"""Room kept for a title bar and borders when checking that a window stays on screen."""


class WindowSlot:
    def __init__(self, number: int, lock: QLockFile | None = None) -> None:
        self.number = number
        self._lock = lock

    @classmethod
    def take(cls, folder: Path | None = None) -> WindowSlot:
        """The first free slot; slot 0 (no offset) when the folder cannot be used."""
        try:
            where = folder if folder is not None else state_dir()
            where.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            _log.warning("Window placement without a slot: %s", error)
            return cls(0)
        for number in range(MAX_SLOTS):
            lock = QLockFile(str(where / f"window-{number}.lock"))
            lock.setStaleLockTime(0)  # stale only when its process is gone, never by age
            if lock.tryLock(0):
                return cls(number, lock)
        return cls(MAX_SLOTS)

    def place(self, frame: QRect, available: QRect) -> QPoint:
        """Where a window of ``frame`` opens in this slot, kept on the ``available`` screen."""
        if self.number == 0:
            return frame.topLeft()
        x = frame.x() + SLOT_OFFSET * self.number
        y = frame.y() + SLOT_OFFSET * self.number
        if available.isValid():
            # Off the screen's edge (with room for the window manager's frame, which
            # ``frame`` does not include yet): from the screen's top left, still offset.
            if x + frame.width() + DECORATION > available.right() + 1:
                x = available.left() + SLOT_OFFSET * self.number
            if y + frame.height() + DECORATION > available.bottom() + 1:
                y = available.top() + SLOT_OFFSET * self.number
        return QPoint(x, y)

    def release(self) -> None:
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None
