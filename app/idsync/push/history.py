"""Keeps every push in the local history, for the window and the CLI alike.

Segment keeps no ID Sync history, so every write the app sent reaches the history with
how it ended: applied, applied but differing, not applied (or not yet: it may still
apply), unknown. A push of unknown outcome (or one that may still apply) is resolved in
place by the first later read of the same connection that settles it.

The push has already happened when this runs: nothing here may fail it, so *any* error
(an unwritable folder, a damaged or absurdly deep entry that breaks reading the folder)
becomes a note for the person instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from idsync.core.plan import PlanAction, make_plan
from idsync.push.outcome import ReadPlan, TargetOutcome
from idsync.push.wording import (
    RESULT_APPLIED,
    RESULT_MAY_STILL_APPLY,
    RESULT_NOT_APPLIED,
    RESULT_UNKNOWN,
    history_result,
)
from idsync.storage.history import (
    HistoryEntry,
    HistoryEvent,
    HistoryStore,
    history_failure_reason,
    history_key,
    not_kept_message,
    push_detail,
)

_log = logging.getLogger(__name__)

# The results a later read may still settle.
_OPEN_RESULTS = (RESULT_UNKNOWN, RESULT_MAY_STILL_APPLY)


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


def settle_pushes(
    read: ReadPlan, store_factory: Callable[[], HistoryStore] = HistoryStore
) -> str | None:
    """Resolve in place the open pushes (unknown, or not applied yet) of ``read``'s
    connection at its base URL that ``read`` settles; what to tell the person, if any.

    Only a push of this app's base URL is compared, and only against the live connection
    just read: it holds what that push sent → applied; an unknown push whose rows are not
    there → not applied. A push that may still apply stays open until it shows."""
    if read.plan.action is PlanAction.REFUSED:
        return None
    base_url = read.base_url
    try:
        store = store_factory()
        key = history_key(read.target.document, read.target.source_path)
        said: list[str] = []
        for entry in store.entries(key):
            if entry.event is not HistoryEvent.PUSH:
                continue
            where, _, result = entry.detail.rpartition(": ")
            if result not in _OPEN_RESULTS or not where.endswith(f" at {base_url}"):
                continue
            pushed = store.load(entry)
            holds = make_plan(pushed, read.live).action is PlanAction.UNCHANGED
            if holds:
                settled = f"{RESULT_APPLIED} (settled by a later read; it was {result})"
            elif result == RESULT_UNKNOWN:
                settled = f"{RESULT_NOT_APPLIED} (settled by a later read; it was {result})"
            else:
                continue
            store.amend(entry, f"{where}: {settled}")
            when = entry.recorded_at.astimezone().strftime("%Y-%m-%d %H:%M")
            said.append(
                f"The push of {when}, whose outcome was open, is now settled in "
                f"History: {settled.split(' (')[0]}."
            )
    except Exception as error:  # a read never fails because of history
        _log.warning("Could not settle earlier pushes: %s", history_failure_reason(error))
        return None
    return " ".join(said) or None


class PushHistory:
    """The engine's history (``PushLog``): keeps pushes, settles open ones."""

    def __init__(self, store_factory: Callable[[], HistoryStore] = HistoryStore) -> None:
        self._store_factory = store_factory

    def record(self, outcome: TargetOutcome) -> str | None:
        return record_push(outcome, self._store_factory).note

    def settle(self, read: ReadPlan) -> str | None:
        return settle_pushes(read, self._store_factory)
