"""The recovery offer at start: this window's own recovery file begins, and the work
autosaved by windows that are gone (never by one still open) is offered back, one
document per window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from idsync.storage.autosave import OrphanedRecovery, RecoverySession, claim_orphans
from idsync.ui.autosaver import Autosaver
from idsync.ui.controller import DocumentController

_log = logging.getLogger(__name__)


class RecoveryOffer:
    """``offer()`` once the window is filled; ``autosave_off_reason`` then says why
    autosave could not start (None while it works)."""

    def __init__(
        self,
        parent: QWidget,
        controller: DocumentController,
        autosaver: Autosaver,
        show_message: Callable[[str], None],
    ) -> None:
        self._parent = parent
        self._controller = controller
        self._autosaver = autosaver
        self._show_message = show_message
        self.autosave_off_reason: str | None = None

    def offer(self) -> bool:
        """Start the recovery file, then offer orphaned work; True when work was restored."""
        try:
            session = RecoverySession.begin()
        except OSError as error:
            # The state folder itself cannot be made or used (a file in its place, no
            # permission): work without autosave rather than not at all.
            self._turn_autosave_off(error)
            return False
        try:
            orphans = claim_orphans()
        except OSError as error:
            _log.warning("Could not look for unsaved work of earlier sessions: %s", error)
            orphans = []
        restored = False
        for orphan in orphans:
            if restored:
                orphan.release()  # one document per window: offered again next time
            else:
                restored = self._offer(orphan, session)
        self._autosaver.enable(session)
        return restored

    def _offer(self, orphan: OrphanedRecovery, session: RecoverySession) -> bool:
        # Seam "first use": the message boxes load when there is work to offer back.
        from idsync.ui import dialogs

        recovery = orphan.recovery
        if not dialogs.ask_restore(self._parent, recovery):
            _discard(orphan)
            self._show_message("Discarded the unsaved work from the last session")
            return False
        self._controller.load(recovery.document, recovery.original_path)
        self._controller.mark_unsaved()
        try:
            # The work is this window's now: into its own recovery file at once.
            session.write(recovery.document, recovery.original_path)
        except OSError as error:
            _log.warning("Could not keep the restored work aside: %s", error)
            orphan.release()  # then the old file stays the copy on disk
        else:
            _discard(orphan)
        self._show_message("Restored unsaved work — save it to keep it")
        return True

    def _turn_autosave_off(self, error: OSError) -> None:
        folder = error.filename or "the folder for recovery files"
        self.autosave_off_reason = (
            f"Autosave is off: {folder} cannot be used ({error.strerror or error}). "
            "Save your work yourself until it is fixed."
        )
        _log.warning("Autosave is off: %s", error)
        self._show_message(self.autosave_off_reason)


def _discard(orphan: OrphanedRecovery) -> None:
    try:
        orphan.discard()
    except OSError as error:
        _log.warning("Could not remove the recovery file %s: %s", orphan.path, error)
        orphan.release()
