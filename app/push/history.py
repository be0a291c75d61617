"""Keeps every applied push in the local history, for the window and the CLI alike.

Segment keeps no ID Sync history, so the version that reached Segment must reach the
history too. The push has already happened when this runs: nothing here may fail it, so
*any* error (an unwritable folder, a damaged or absurdly deep entry that breaks reading
the folder) becomes a note for the person instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from app.push.outcome import TargetOutcome
from app.push.wording import history_result
from app.storage.history import (
    HistoryEntry,
    HistoryEvent,
    HistoryStore,
    history_failure_reason,
    not_kept_message,
    push_detail,
)

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recorded:
    entry: HistoryEntry | None
    note: str | None


def record_push(
    outcome: TargetOutcome, store_factory: Callable[[], HistoryStore] = HistoryStore
) -> Recorded:
    plan = outcome.plan
    detail = push_detail(
        base_url=outcome.base_url,
        space_id=plan.space_id,
        audience_id=plan.audience_id,
        connection_id=outcome.connection_id or plan.destination_id,
        result=history_result(outcome),
    )
    try:
        entry = store_factory().record(
            outcome.target.document,
            HistoryEvent.PUSH,
            source_path=outcome.target.source_path,
            detail=detail,
        )
    except Exception as error:  # the push stands, whatever history does
        _log.warning("Could not record a push in the history: %s", history_failure_reason(error))
        return Recorded(None, not_kept_message(HistoryEvent.PUSH, error))
    return Recorded(entry, None)


def recorder(store_factory: Callable[[], HistoryStore] = HistoryStore) -> Callable[
    [TargetOutcome], str | None
]:
    """The engine's ``record`` hook: keep the push, return the note when it could not."""

    def record(outcome: TargetOutcome) -> str | None:
        return record_push(outcome, store_factory).note

    return record
