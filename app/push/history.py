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
from app.storage.history import HistoryEntry, HistoryEvent, HistoryStore, push_detail

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
        reason = _reason(error)
        _log.warning("Could not record a push in the history: %s", reason)
        return Recorded(
            None,
            f"Pushed, but History could not keep this version ({reason}). Check that the "
            "app's data folder is writable.",
        )
    return Recorded(entry, None)


def recorder(store_factory: Callable[[], HistoryStore] = HistoryStore) -> Callable[
    [TargetOutcome], str | None
]:
    """The engine's ``record`` hook: keep the push, return the note when it could not."""

    def record(outcome: TargetOutcome) -> str | None:
        return record_push(outcome, store_factory).note

    return record


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    if isinstance(error, UnicodeEncodeError):
        return "text that cannot be saved"
    if isinstance(error, RecursionError):
        return "a damaged history entry"
    return type(error).__name__
