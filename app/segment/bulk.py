"""Push one or many documents: read the live connection, plan, then (optionally) write.

Every item is planned from freshly read live state, so running the same push again after
a failure or a cancel continues safely: items already applied now plan as unchanged.
Each item is at most one write (POST or PATCH, which replaces the whole array), so an item
is either fully applied or untouched; cancellation is honoured before each request and
during waits, never in the middle of one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum

from app.core.api_mapping import ConnectionFormatError, rows_from_connection
from app.core.findings import Finding
from app.core.model import IdSyncDocument
from app.core.plan import PlanAction, PushPlan, make_plan
from app.segment.client import SegmentClient
from app.segment.errors import AuthError, Cancelled, NetworkError, SegmentError
from app.segment.models import Connection, WriteResult


class ItemStatus(str, Enum):
    APPLIED = "applied"
    PLANNED = "planned"  # would write; not asked to (dry run, or no confirmation)
    UNCHANGED = "unchanged"
    REFUSED = "refused"
    FAILED = "failed"
    SKIPPED = "skipped"  # not attempted: the run was cancelled or had to stop

    @property
    def changed(self) -> bool:
        return self in (ItemStatus.APPLIED, ItemStatus.PLANNED)


@dataclass(frozen=True)
class PushItem:
    """One document to push; ``label`` names it in reports (a file, or file -> audience)."""

    label: str
    document: IdSyncDocument
    findings: tuple[Finding, ...] = ()
    source_path: str | None = None


@dataclass(frozen=True)
class ItemResult:
    item: PushItem
    status: ItemStatus
    plan: PushPlan | None = None
    error: str | None = None
    written: WriteResult | None = None
    # After a write: whether the array Segment answered with equals the one sent.
    verified: bool | None = None


@dataclass
class BulkReport:
    results: list[ItemResult] = field(default_factory=list)
    cancelled: bool = False
    stopped_because: str | None = None
    elapsed_seconds: float = 0.0
    requests: int = 0

    def count(self, status: ItemStatus) -> int:
        return sum(1 for r in self.results if r.status is status)


ResultCallback = Callable[[int, int, ItemResult], None]


def find_connection(connections: Sequence[Connection], instance_id: str) -> Connection | None:
    """The audience's connection to the destination instance ``instance_id``, if any."""
    for connection in connections:
        if connection.matches_destination(instance_id):
            return connection
    return None


def read_live(
    client: SegmentClient, space_id: str, audience_id: str, instance_id: str
) -> Connection | None:
    """The live connection of ``instance_id`` on the audience (None: not connected)."""
    return find_connection(client.list_connections(space_id, audience_id), instance_id)


def matches_live(client: SegmentClient, plan: PushPlan) -> bool:
    """Re-read the connection after a push: does it now hold exactly the planned rows?"""
    live = read_live(client, plan.space_id, plan.audience_id, plan.destination_id)
    if live is None:
        return False
    try:
        return rows_from_connection(live.raw) == plan.new_rows
    except ConnectionFormatError:
        return False


def plan_item(client: SegmentClient, item: PushItem) -> tuple[PushPlan, Connection | None]:
    """Read the live connection for ``item`` and plan it. Refusals that need no live
    state (errors in the findings, journeys, no instance id) cost no request."""
    offline = make_plan(item.document, None, item.findings)
    if offline.action is PlanAction.REFUSED:
        return offline, None
    live = read_live(client, offline.space_id, offline.audience_id, offline.destination_id)
    if live is None:
        return offline, None
    return make_plan(item.document, live.raw, item.findings), live


def apply_plan(client: SegmentClient, plan: PushPlan) -> WriteResult:
    """Send the plan's single write. Only for plans that write."""
    if plan.body is None or not plan.writes:
        raise ValueError(f"a {plan.action.value} plan sends nothing")
    if plan.action is PlanAction.CREATE:
        return client.add_destination_to_audience(plan.space_id, plan.audience_id, plan.body)
    assert plan.connection_id is not None
    return client.update_destination_for_audience(
        plan.space_id, plan.audience_id, plan.connection_id, plan.body
    )


def push_items(
    client: SegmentClient,
    items: Sequence[PushItem],
    *,
    apply: bool,
    on_result: ResultCallback | None = None,
) -> BulkReport:
    """Plan every item and, when ``apply`` is true, write the ones that change.

    Per-item failures (404, 422, 5xx, a timeout) are reported and the run goes on; a
    refused token, an unreachable server or a cancel stops it and the remaining items are
    reported as skipped. Cancel through ``client.cancel``.
    """
    report = BulkReport()
    started = time.monotonic()
    requests_before = client.request_count
    total = len(items)
    for index, item in enumerate(items):
        if report.stopped_because is not None:
            result = ItemResult(item, ItemStatus.SKIPPED, error=report.stopped_because)
        else:
            result = _push_one(client, item, apply=apply, report=report)
        report.results.append(result)
        if on_result is not None:
            on_result(index, total, result)
    report.elapsed_seconds = time.monotonic() - started
    report.requests = client.request_count - requests_before
    return report


def _push_one(
    client: SegmentClient, item: PushItem, *, apply: bool, report: BulkReport
) -> ItemResult:
    plan: PushPlan | None = None
    try:
        if client.cancel is not None:
            client.cancel.raise_if_cancelled()
        plan, _live = plan_item(client, item)
        if plan.action is PlanAction.REFUSED:
            return ItemResult(item, ItemStatus.REFUSED, plan=plan)
        if plan.action is PlanAction.UNCHANGED:
            return ItemResult(item, ItemStatus.UNCHANGED, plan=plan)
        if not apply:
            return ItemResult(item, ItemStatus.PLANNED, plan=plan)
        written = apply_plan(client, plan)
        return ItemResult(
            item, ItemStatus.APPLIED, plan=plan, written=written, verified=_verify(plan, written)
        )
    except Cancelled as exc:
        report.cancelled = True
        report.stopped_because = "Not attempted: the push was cancelled."
        return ItemResult(item, ItemStatus.SKIPPED, plan=plan, error=str(exc))
    except (AuthError, NetworkError) as exc:
        # Every further item would fail the same way; stop instead of hammering.
        report.stopped_because = f"Not attempted: the run stopped after an earlier error ({exc})"
        return ItemResult(item, ItemStatus.FAILED, plan=plan, error=str(exc))
    except SegmentError as exc:
        return ItemResult(item, ItemStatus.FAILED, plan=plan, error=str(exc))


def _verify(plan: PushPlan, written: WriteResult) -> bool | None:
    if not plan.new_rows or written.id_sync_configuration is None:
        return None
    try:
        return rows_from_connection(written.raw) == plan.new_rows
    except ConnectionFormatError:
        return False
