"""What the window remembers between runs: its size and place, the splitter, the step on
screen, and the preferences, written soon after a change rather than while it happens.

Part of the frame (see ``idsync.ui.main_window``): Qt and the settings module only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QObject, QRect, QSize, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget

from idsync.storage.settings import Settings, save_settings
from idsync.ui.window_slot import WindowSlot

_log = logging.getLogger(__name__)

DEFAULT_SIZE = QSize(1280, 800)
SETTINGS_WRITE_DELAY_MS = 500
"""Preferences changed by an action (a recent file, a remembered identifier) are written
this long after the last change, in one write, not while the action runs."""


def _encode(data: QByteArray) -> str:
    return bytes(data.toBase64().data()).decode("ascii")


def _decode(text: str) -> QByteArray:
    return QByteArray.fromBase64(QByteArray(text.encode("ascii")))


def _default_size() -> QSize:
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return DEFAULT_SIZE
    available = screen.availableGeometry().size()
    return DEFAULT_SIZE.boundedTo(available * 0.9)


def restore_layout(
    window: QMainWindow,
    settings: Settings,
    splitter: QSplitter,
    sidebar: QWidget,
    slot: WindowSlot,
) -> None:
    """Give ``window`` its remembered size, place and splitter, or sensible ones; a second
    window (``slot``) opens offset from the first."""
    restored = False
    if settings.window_geometry:
        restored = window.restoreGeometry(_decode(settings.window_geometry))
    if not restored:
        window.resize(_default_size())
    if slot.number:
        screen = window.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry() if screen is not None else QRect()
        window.move(slot.place(window.geometry(), available))
    if settings.window_state:
        window.restoreState(_decode(settings.window_state))
    if not (settings.splitter_state and splitter.restoreState(_decode(settings.splitter_state))):
        sidebar_width = sidebar.sizeHint().width()
        splitter.setSizes([sidebar_width, max(400, window.width() - sidebar_width)])


def remember_layout(
    window: QMainWindow, settings: Settings, splitter: QSplitter, step: str | None
) -> None:
    """Keep the window's size, place and splitter; ``step`` None keeps the remembered one
    (no step was shown yet)."""
    settings.window_geometry = _encode(window.saveGeometry())
    settings.window_state = _encode(window.saveState())
    settings.splitter_state = _encode(splitter.saveState())
    if step is not None:
        settings.last_step = step


class SettingsWriter(QObject):
    """Writes ``settings`` soon after a change (``persist``: opening a file changes two of
    them at once, and each write waits for the disk; a crash in between loses only that
    change), or now (``write``: at close).

    Qt 6 ends a desktop session without closing windows: then the writer keeps what
    closing would keep (``remember_layout`` first); a quit that did not come through a
    close still writes what is pending. Its connections go with its window (its parent).
    """

    def __init__(
        self, settings: Settings, window: QWidget, remember_layout: Callable[[], None]
    ) -> None:
        super().__init__(window)
        self.settings = settings
        self._remember_layout = remember_layout
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTINGS_WRITE_DELAY_MS)
        self._timer.timeout.connect(self.write)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.commitDataRequest.connect(self._on_session_ending)
            app.aboutToQuit.connect(self._write_pending)

    def persist(self) -> None:
        self._timer.start()

    def write(self) -> None:
        self._timer.stop()
        try:
            save_settings(self.settings)
        except OSError as error:
            _log.warning("Could not save settings: %s", error)

    def _on_session_ending(self, *_manager: object) -> None:
        self._remember_layout()
        self.write()

    def _write_pending(self) -> None:
        if self._timer.isActive():
            self.write()
