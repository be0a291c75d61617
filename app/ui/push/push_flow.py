"""The push dialog's two network jobs, written against the client (no Qt): read the live
connection and plan; then check the plan still holds, write once, and read back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.core.api_mapping import ConnectionFormatError, rows_from_connection
from app.core.diff import RowChange, diff_rows
from app.core.findings import Finding
from app.core.model import IdentifierRow, IdSyncDocument
from app.core.plan import PlanAction, PushPlan
from app.segment.bulk import PushItem, apply_plan, find_connection, plan_item
from app.segment.client import SegmentClient
from app.segment.errors import Cancelled, SegmentError
from app.segment.models import WriteResult

Report = Callable[[str], None]


def request_line(plan: PushPlan) -> str:
    """``PATCH /spaces/…/destination-connections/…``: the request the plan would send."""
    base = f"/spaces/{plan.space_id}/audiences/{plan.audience_id}/destination-connections"
    if plan.action is PlanAction.CREATE:
        return f"POST {base}"
    if plan.action is PlanAction.UPDATE:
        return f"PATCH {base}/{plan.connection_id}"
    return ""


def read_plan(
    client: SegmentClient, document: IdSyncDocument, findings: Sequence[Finding]
) -> PushPlan:
    plan, _live = plan_item(client, PushItem("document", document, tuple(findings)))
    return plan


def same_basis(reviewed: PushPlan, fresh: PushPlan) -> bool:
    """Whether a freshly read plan would send exactly what the person reviewed."""
    return (
        fresh.action is reviewed.action
        and fresh.connection_id == reviewed.connection_id
        and fresh.live_rows == reviewed.live_rows
        and fresh.body == reviewed.body
    )


@dataclass(frozen=True)
class PushOutcome:
    plan: PushPlan
    written: WriteResult | None = None
    # The live connection changed after the person reviewed the plan; nothing was sent and
    # ``plan`` is the fresh one to review.
    stale: bool = False
    live_after: tuple[IdentifierRow, ...] | None = None
    verify_error: str | None = None
    # Cancel arrived after the write: Segment has the change, the read-back was skipped.
    verify_skipped: bool = False

    @property
    def matches(self) -> bool | None:
        """Whether the re-read connection holds the pushed rows (None: not comparable)."""
        if self.live_after is None or not self.plan.new_rows:
            return None
        return self.live_after == self.plan.new_rows

    @property
    def differences(self) -> tuple[RowChange, ...]:
        if self.live_after is None:
            return ()
        return diff_rows(self.plan.new_rows, self.live_after)


def push(
    client: SegmentClient,
    reviewed: PushPlan,
    document: IdSyncDocument,
    findings: Sequence[Finding],
    report: Report,
) -> PushOutcome:
    """Write ``reviewed`` if the live connection is still what it was planned against.

    One write at most (POST or PATCH, which replaces the whole list), so the connection
    is either the old or the new configuration, never a mix. Cancel is honoured up to the
    write and during the read-back; a write in flight is let finish.
    """
    report("Checking that the live connection has not changed since the plan…")
    fresh = read_plan(client, document, findings)
    if not same_basis(reviewed, fresh):
        return PushOutcome(fresh, stale=True)
    method = reviewed.method or "request"
    report(f"Sending {method} to Segment…")
    written = apply_plan(client, reviewed)
    try:
        report("Reading the connection back to check it…")
        connections = client.list_connections(reviewed.space_id, reviewed.audience_id)
    except Cancelled:
        return PushOutcome(reviewed, written, verify_skipped=True)
    except SegmentError as exc:
        return PushOutcome(reviewed, written, verify_error=str(exc))
    live = find_connection(connections, written.connection_id or reviewed.destination_id)
    if live is None:
        return PushOutcome(
            reviewed,
            written,
            verify_error="The connection was not found when read back. Open Push again in a "
            "minute to check the live configuration.",
        )
    try:
        rows = rows_from_connection(live.raw)
    except ConnectionFormatError as exc:
        return PushOutcome(
            reviewed,
            written,
            verify_error=f"The connection read back is not in the documented shape ({exc}).",
        )
    return PushOutcome(reviewed, written, live_after=rows)
