"""Keeps a history entry after each save, export and push, without ever failing them.

The save, export or push has already happened when this runs: a history folder that
cannot be written costs a status-bar note, never the work itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.core.model import IdSyncDocument
from app.storage.history import HistoryEntry, HistoryEvent, HistoryStore, push_detail
from app.ui.push.push_flow import PushOutcome

_log = logging.getLogger(__name__)


def push_result(outcome: PushOutcome) -> str:
    """How a push ended, in a few words (the detail of its history entry)."""
    if outcome.verify_skipped:
        return "written, check skipped (cancelled)"
    if outcome.verify_error is not None:
        return "written, not verified"
    if outcome.matches is False:
        return "written, live configuration differs"
    if outcome.matches:
        return "written and verified"
    return "written"


class HistoryRecorder(QObject):
    """``message`` carries the status-bar note when an entry could not be kept."""

    message = Signal(str)
    recorded = Signal(object)  # HistoryEntry

    def __init__(
        self,
        parent: QObject | None = None,
        store_factory: Callable[[], HistoryStore] = HistoryStore,
    ) -> None:
        super().__init__(parent)
        # A factory, so the history folder is looked up when used (IDSYNC_HOME in tests).
        self._store_factory = store_factory

    def store(self) -> HistoryStore:
        return self._store_factory()

    def record(
        self,
        document: IdSyncDocument,
        event: HistoryEvent,
        source_path: Path | None,
        detail: str = "",
    ) -> HistoryEntry | None:
        try:
            entry = self.store().record(document, event, source_path=source_path, detail=detail)
        except (OSError, UnicodeEncodeError) as error:
            reason = (
                error.strerror or str(error) if isinstance(error, OSError) else "unsavable text"
            )
            _log.warning("Could not record a %s in the history: %s", event.value, reason)
            self.message.emit(
                f"{event.label}, but History could not keep this version ({reason}). "
                "Check that the app's data folder is writable."
            )
            return None
        self.recorded.emit(entry)
        return entry

    def record_push(
        self, outcome: PushOutcome, document: IdSyncDocument, source_path: Path | None
    ) -> HistoryEntry | None:
        plan = outcome.plan
        connection = (
            outcome.written.connection_id
            if outcome.written is not None and outcome.written.connection_id
            else plan.connection_id or plan.destination_id
        )
        detail = push_detail(
            space_id=plan.space_id,
            audience_id=plan.audience_id,
            connection_id=connection,
            result=push_result(outcome),
        )
        return self.record(document, HistoryEvent.PUSH, source_path, detail)
