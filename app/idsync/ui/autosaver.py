"""Writes this window's recovery file a few seconds after the last edit, and removes it
once saved."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from idsync.storage.autosave import RecoverySession
from idsync.storage.documents import DocumentError
from idsync.ui.controller import DocumentController

AUTOSAVE_DELAY_MS = 3000

_log = logging.getLogger(__name__)


class Autosaver(QObject):
    """Debounced: a burst of typing gives one write, ``delay_ms`` after the last key.

    Starts disabled, without a recovery file of its own: :meth:`enable` gives it the
    window's :class:`RecoverySession` once crash recovery has been offered.
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
        self._session: RecoverySession | None = None
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

    @property
    def session(self) -> RecoverySession | None:
        return self._session

    def enable(self, session: RecoverySession) -> None:
        self._session = session
        self._enabled = True
        self._schedule()

    def flush(self) -> bool:
        """Bring the recovery file in line with the document now; False if that failed."""
        self._timer.stop()
        if not self._enabled or self._session is None:
            return False
        if not self._controller.is_dirty:
            self.discard()
            return True
        try:
            self._session.write(self._controller.document, self._controller.path)
        except (OSError, DocumentError) as error:
            # Not worth a dialog on every edit; the window shows it in the status bar.
            _log.warning("Autosave failed: %s", error)
            self.failed.emit(f"Autosave failed: {error}")
            return False
        return True

    def discard(self) -> None:
        """The work is saved or deliberately thrown away: no recovery is needed."""
        self._timer.stop()
        if self._session is None:
            return
        try:
            self._session.remove()
        except OSError as error:
            _log.warning("Could not remove the autosave file: %s", error)

    def close(self) -> None:
        """The window closed cleanly: its recovery file and lock go, nothing else."""
        self._timer.stop()
        self._enabled = False
        if self._session is not None:
            self._session.close()

    def _schedule(self, *_args: object) -> None:
        if self._enabled:
            self._timer.start()
