"""Writes the recovery file a few seconds after the last edit, and removes it once saved."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from app.storage.autosave import remove_autosave, write_autosave
from app.storage.documents import DocumentError
from app.ui.controller import DocumentController

AUTOSAVE_DELAY_MS = 3000

_log = logging.getLogger(__name__)


class Autosaver(QObject):
    """Debounced: a burst of typing gives one write, ``delay_ms`` after the last key.

    Starts disabled so that, at start, a recovery file from a crashed session is not
    replaced before the person has been asked about it.
    """

    failed = Signal(str)

    def __init__(
        self,
        controller: DocumentController,
        delay_ms: int = AUTOSAVE_DELAY_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._enabled = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.flush)
        controller.documentChanged.connect(self._schedule)
        controller.undo_stack.cleanChanged.connect(self._schedule)
        controller.pathChanged.connect(self._schedule)

    @property
    def delay_ms(self) -> int:
        return self._timer.interval()

    @delay_ms.setter
    def delay_ms(self, value: int) -> None:
        self._timer.setInterval(value)

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

    def enable(self) -> None:
        self._enabled = True
        self._schedule()

    def flush(self) -> None:
        """Bring the recovery file in line with the document now."""
        self._timer.stop()
        if not self._enabled:
            return
        if not self._controller.is_dirty:
            self.discard()
            return
        try:
            write_autosave(self._controller.document, self._controller.path)
        except (OSError, DocumentError) as error:
            # Not worth a dialog on every edit; the window shows it in the status bar.
            _log.warning("Autosave failed: %s", error)
            self.failed.emit(f"Autosave failed: {error}")

    def discard(self) -> None:
        """The work is saved or deliberately thrown away: no recovery is needed."""
        self._timer.stop()
        try:
            remove_autosave()
        except OSError as error:
            _log.warning("Could not remove the autosave file: %s", error)

    def _schedule(self, *_args: object) -> None:
        if self._enabled:
            self._timer.start()
