"""Keeps a history entry after each save and export, without ever failing them (pushes
are kept by the push engine, ``idsync.push.history``, in the window as in the CLI).

The save or export has already happened when this runs: a history folder that
cannot be written costs a status-bar note, never the work itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from idsync.core.model import IdSyncDocument
from idsync.storage.exports import ExportKind, record_export

if TYPE_CHECKING:
    from idsync.storage.history import HistoryEntry, HistoryEvent, HistoryStore

_log = logging.getLogger(__name__)


class HistoryRecorder(QObject):
    """``message`` carries the status-bar note when an entry could not be kept."""

    message = Signal(str)
    recorded = Signal(object)  # HistoryEntry

    def __init__(
        self,
        parent: QObject | None = None,
        store_factory: Callable[[], HistoryStore] | None = None,
    ) -> None:
        super().__init__(parent)
        # A factory, so the history folder is looked up when used (IDSYNC_HOME in tests).
        self._store_factory = store_factory or _default_store

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
            self._not_kept(event, error)
            return None
        self.recorded.emit(entry)
        return entry

    def _not_kept(self, event: HistoryEvent, error: OSError | UnicodeEncodeError) -> None:
        # Seam "first use": the history store (sqlite3) loads at the first save or export.
        from idsync.storage.history import history_failure_reason, not_kept_message

        reason = history_failure_reason(error)
        _log.warning("Could not record a %s in the history: %s", event.value, reason)
        self.message.emit(not_kept_message(event, error))

    def record_export(
        self,
        document: IdSyncDocument,
        kind: ExportKind,
        source_path: Path | None,
        written_to: Path,
    ) -> HistoryEntry | None:
        """Keep an export (the same way the CLI does)."""
        # Seam "first use": the history store (sqlite3) loads at the first save or export.
        from idsync.storage.history import HistoryEvent

        try:
            entry = record_export(
                self.store(), document, kind, source_path=source_path, written_to=written_to
            )
        except (OSError, UnicodeEncodeError) as error:
            self._not_kept(HistoryEvent.EXPORT, error)
            return None
        self.recorded.emit(entry)
        return entry


def _default_store() -> HistoryStore:
    # Seam "first use": the history store (sqlite3) loads at the first save or export.
    from idsync.storage.history import HistoryStore

    return HistoryStore()
