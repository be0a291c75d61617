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
from app.storage.history import (
    HistoryEntry,
    HistoryEvent,
    HistoryStore,
    history_failure_reason,
    push_detail,
    push_outcome,
    pushed_connection,
)
from app.ui.push.push_flow import PushOutcome

_log = logging.getLogger(__name__)


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
            reason = history_failure_reason(error)
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
        written = outcome.written.connection_id if outcome.written is not None else None
        detail = push_detail(
            space_id=plan.space_id,
            audience_id=plan.audience_id,
            connection_id=pushed_connection(plan, written),
            result=push_outcome(
                verified=outcome.matches,
                unverified=outcome.verify_error is not None,
                skipped=outcome.verify_skipped,
            ),
        )
        return self.record(document, HistoryEvent.PUSH, source_path, detail)
