"""Bulk push against the sandbox: plans from live state, writes, failures, cancel, pacing."""

from __future__ import annotations

import threading

import pytest

from app.core.model import (
    AudienceTarget,
    DestinationRef,
    IdentifierRow,
    IdSyncDocument,
    JourneyTarget,
    Strategy,
)
from app.segment.bulk import (
    BulkReport,
    ItemResult,
    ItemStatus,
    PushItem,
    apply_plan,
    matches_live,
    plan_item,
    push_items,
)
from app.segment.cancel import CancelToken, interruptible_sleep
from app.segment.ratelimit import RateLimiter, minimum_duration
from app.segment.sandbox import Sandbox
from tests.secrets_support import TokenRegistry
from tests.segment.conftest import ClientFactory

SPACE = "spa_example_marketing"
FACEBOOK = "ii_example_facebook"
NEW_ROWS = (
    IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.LAST),
    IdentifierRow(segment="phone", destination="PHONE", strategy=Strategy.ALL),
    IdentifierRow(segment="user_id", destination="EXTERN_ID", strategy=Strategy.LAST),
)
NEW_ENTRIES = [
    {"externalId": r.segment, "strategy": r.strategy.value, "mapTo": r.destination}
    for r in NEW_ROWS
]


def _doc(
    audience: str,
    instance: str = FACEBOOK,
    rows: tuple[IdentifierRow, ...] = NEW_ROWS,
    slug: str = "personas-facebook-custom-audiences",
) -> IdSyncDocument:
    return IdSyncDocument(
        target=AudienceTarget(space_id=SPACE, audience_id=audience),
        destination=DestinationRef(slug=slug, instance_id=instance),
        identifiers=rows,
    )


def _item(
    audience: str,
    instance: str = FACEBOOK,
    rows: tuple[IdentifierRow, ...] = NEW_ROWS,
    slug: str = "personas-facebook-custom-audiences",
) -> PushItem:
    return PushItem(f"-> {audience}", _doc(audience, instance, rows, slug))


def _stored(
    sandbox: Sandbox, audience: str, instance: str = FACEBOOK
) -> list[dict[str, str]] | None:
    connection = sandbox.state.find_connection(SPACE, audience, instance)
    return None if connection is None else connection["idSyncConfiguration"]


def _new_audiences(sandbox: Sandbox, count: int) -> list[str]:
    return [sandbox.state.add_audience(SPACE, f"Bulk {i}") for i in range(count)]


def _statuses(report: BulkReport) -> list[ItemStatus]:
    return [r.status for r in report.results]


def test_plan_then_apply_then_nothing_left(sandbox: Sandbox, make_client: ClientFactory) -> None:
    iterable_rows = (
        IdentifierRow(segment="email", destination="email", strategy=Strategy.LAST),
        IdentifierRow(segment="user_id", destination="userId", strategy=Strategy.LAST),
    )
    journey = IdSyncDocument(
        target=JourneyTarget(space_id=SPACE, journey_id="jou_1", step="Email"),
        destination=DestinationRef(slug="braze", instance_id="ii_example_braze"),
        identifiers=NEW_ROWS,
    )
    items = [
        _item("aud_example_high_value"),  # connected: update
        _item("aud_cart_abandoners"),  # not connected to Facebook: create
        _item(
            "aud_example_high_value",
            instance="ii_example_iterable",
            rows=iterable_rows,
            slug="iterable",
        ),
        PushItem("journey", journey),
    ]
    client = make_client()

    planned = push_items(client, items, apply=False)
    assert _statuses(planned) == [
        ItemStatus.PLANNED,
        ItemStatus.PLANNED,
        ItemStatus.UNCHANGED,
        ItemStatus.REFUSED,
    ]
    assert sandbox.count(method="PATCH") == sandbox.count(method="POST") == 0
    assert planned.requests == 3  # one read per audience item, none for the journey

    applied = push_items(client, items, apply=True)
    assert _statuses(applied) == [
        ItemStatus.APPLIED,
        ItemStatus.APPLIED,
        ItemStatus.UNCHANGED,
        ItemStatus.REFUSED,
    ]
    assert [r.verified for r in applied.results[:2]] == [True, True]
    assert _stored(sandbox, "aud_example_high_value") == NEW_ENTRIES
    assert _stored(sandbox, "aud_cart_abandoners") == NEW_ENTRIES

    again = push_items(client, items, apply=True)
    assert _statuses(again) == [ItemStatus.UNCHANGED] * 3 + [ItemStatus.REFUSED]


def test_a_document_for_another_destination_than_the_live_connection_is_refused(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    # The live connection's metadata.slug (Segment's slug) is Iterable's: Facebook rows are
    # not pushed to it.
    item = _item("aud_example_high_value", instance="ii_example_iterable")
    report = push_items(make_client(), [item], apply=True)
    assert _statuses(report) == [ItemStatus.REFUSED]
    assert sandbox.count(method="PATCH") == sandbox.count(method="POST") == 0


def test_rerun_after_a_failure_continues_safely(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    audiences = _new_audiences(sandbox, 3)
    items = [_item(a) for a in audiences]
    client = make_client()
    sandbox.fail_next(1, status=500, method="POST")

    first = push_items(client, items, apply=True)
    assert _statuses(first) == [ItemStatus.FAILED, ItemStatus.APPLIED, ItemStatus.APPLIED]
    assert "HTTP 500" in (first.results[0].error or "")
    assert _stored(sandbox, audiences[0]) is None

    second = push_items(client, items, apply=True)
    assert _statuses(second) == [ItemStatus.APPLIED, ItemStatus.UNCHANGED, ItemStatus.UNCHANGED]
    assert all(_stored(sandbox, a) == NEW_ENTRIES for a in audiences)
    assert sandbox.count(method="POST", status=200) == 3


def test_refused_token_stops_the_run(
    sandbox: Sandbox, make_client: ClientFactory, secrets_used: TokenRegistry
) -> None:
    client = make_client(token=secrets_used.add("sbx_not_the_right_one"))
    report = push_items(client, [_item(a) for a in _new_audiences(sandbox, 3)], apply=True)
    assert _statuses(report) == [ItemStatus.FAILED, ItemStatus.SKIPPED, ItemStatus.SKIPPED]
    assert sandbox.count() == 1
    assert not report.cancelled


def test_cancel_between_items_leaves_the_rest_untouched(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    audiences = _new_audiences(sandbox, 5)
    cancel = CancelToken()

    def cancel_after_second(index: int, total: int, result: ItemResult) -> None:
        if index == 1:
            cancel.cancel()

    report = push_items(
        make_client(cancel=cancel),
        [_item(a) for a in audiences],
        apply=True,
        on_result=cancel_after_second,
    )
    assert report.cancelled
    assert _statuses(report) == [ItemStatus.APPLIED] * 2 + [ItemStatus.SKIPPED] * 3
    assert [_stored(sandbox, a) for a in audiences] == [NEW_ENTRIES] * 2 + [None] * 3


def test_cancel_while_waiting_for_the_limiter(sandbox: Sandbox, make_client: ClientFactory) -> None:
    audiences = _new_audiences(sandbox, 4)
    cancel = CancelToken()
    # Three requests per 30 s: the second item's write has to wait, and is cancelled there.
    client = make_client(cancel=cancel, limiter=RateLimiter(3, 30.0))
    timer = threading.Timer(0.3, cancel.cancel)
    timer.start()
    try:
        report = push_items(client, [_item(a) for a in audiences], apply=True)
    finally:
        timer.cancel()
    assert report.cancelled
    # Each item is either fully applied or untouched, and the report says which.
    for audience, result in zip(audiences, report.results, strict=True):
        stored = _stored(sandbox, audience)
        if result.status is ItemStatus.APPLIED:
            assert stored == NEW_ENTRIES
        else:
            assert result.status is ItemStatus.SKIPPED
            assert stored is None
    assert report.count(ItemStatus.SKIPPED) >= 1
    assert sandbox.count(method="POST") == report.count(ItemStatus.APPLIED)


@pytest.mark.slow
def test_thirty_configs_stay_under_the_rate_limit(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    audiences = _new_audiences(sandbox, 30)
    # The sandbox enforces a scaled-down limit; the client paces itself to the same one.
    sandbox.set_rate_limit(10, 2.0)
    limiter = RateLimiter(10, 2.0)
    client = make_client(limiter=limiter, sleep=interruptible_sleep)

    report = push_items(client, [_item(a) for a in audiences], apply=True)

    assert report.count(ItemStatus.APPLIED) == 30
    assert sandbox.count(status=429) == 0
    # Exactly one read and one write per item: no retries were needed.
    assert report.requests == sandbox.count() == 60
    assert limiter.waits > 0  # the limiter, not luck, kept the run under the limit
    assert all(_stored(sandbox, a) == NEW_ENTRIES for a in audiences)
    # Recorded for the log only; benchmarks/bulk_push.py compares it with the minimum.
    print(
        f"30 configs: {report.elapsed_seconds:.2f} s, "
        f"minimum {minimum_duration(report.requests, 10, 2.0):.1f} s"
    )


def test_single_push_then_read_back_matches(sandbox: Sandbox, make_client: ClientFactory) -> None:
    client = make_client()
    plan, live = plan_item(client, _item("aud_example_high_value"))
    assert live is not None and live.id == "con_high_value_facebook"
    assert plan.connection_id == live.id
    assert not matches_live(client, plan)
    apply_plan(client, plan)
    assert matches_live(client, plan)
