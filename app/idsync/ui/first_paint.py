"""Run something once a window has painted for the first time.

The window's frame is shown first and filled after it is on screen (see
``MainWindow.populate``). ``show()`` only asks for a paint, which arrives through the
event loop (on X11 after the server's expose event), so "after show" is not "after the
person saw it": this waits for the paint itself, or at most ``LATEST_MS`` (a window
started minimised, or on another desktop, may not paint until it is looked at).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

LATEST_MS: Final = 1000


class FirstPaint(QObject):
    """Watches every widget of ``window``; on its first paint, notes the time (through
    ``clock``) and schedules each callback for the next turn of the event loop (after
    the paint, not inside it). Without a paint, the callbacks run after ``latest_ms``
    (``LATEST_MS`` unless given; None waits for the paint however long it takes)."""

    def __init__(
        self,
        window: QWidget,
        clock: Callable[[], float] | None = None,
        latest_ms: int | None = LATEST_MS,
    ) -> None:
        super().__init__(window)
        self.watched = window
        self.paints = 0
        self.at: float | None = None
        self._clock = clock
        self._callbacks: list[Callable[[], object]] = []
        self._fired = False
        self._latest_ms = latest_ms
        self._latest = QTimer(self)
        self._latest.setSingleShot(True)
        self._latest.timeout.connect(self._fire)
        app = QApplication.instance()
        assert app is not None, "FirstPaint needs the QApplication"
        app.installEventFilter(self)

    def then(self, callback: Callable[[], object]) -> None:
        if self._fired:  # the paint has been: run it as the others ran
            QTimer.singleShot(0, callback)
            return
        self._callbacks.append(callback)
        if self._latest_ms is not None:
            self._latest.start(self._latest_ms)

    def _fire(self) -> None:
        if self._fired:
            return
        self._fired = True
        self._latest.stop()
        for callback in self._callbacks:
            QTimer.singleShot(0, callback)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and watched.window() is self.watched
        ):
            self.paints += 1
            if self.paints == 1:
                if self._clock is not None:
                    self.at = self._clock()
                self._fire()
        return False

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
