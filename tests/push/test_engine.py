"""The push engine against the sandbox over real loopback sockets, including a sandbox
that applies a write and then loses the answer."""

from __future__ import annotations

import pytest

from idsync.core.model import (
    AudienceTarget,
    DestinationRef,
    IdentifierRow,
    IdSyncDocument,
    Strategy,
)
from idsync.push.engine import PushEngine
from idsync.push.history import PushHistory
from idsync.push.outcome import Status, Target, exit_code
from idsync.push.wording import outcome_text
from idsync.segment.errors import NotConnected
from idsync.segment.sandbox import LostAnswer, Sandbox
from idsync.segment.sandbox.state import EXAMPLE_SPACE
from idsync.storage.history import HistoryEvent, HistoryStore
from tests.helpers.clock import ManualClock
from tests.helpers.network import RecordingSleeper, closed_port
from tests.helpers.sandbox import ClientFactory

HIGH_VALUE = "aud_example_high_value"
CHURN = "aud_churn_risk"
FACEBOOK = "dst_example_facebook"
ROWS = (
    IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.ALL),
    IdentifierRow(segment="phone", destination="PHONE", strategy=Strategy.LAST),
)


def target(audience: str, rows: tuple[IdentifierRow, ...] = ROWS) -> Target:
    doc = IdSyncDocument(
        name="Facebook",
        target=AudienceTarget(space_id=EXAMPLE_SPACE, audience_id=audience),
        destination=DestinationRef(
            slug="personas-facebook-custom-audiences",
            name="Facebook Custom Audiences",
            instance_id=FACEBOOK,
        ),
        identifiers=rows,
    )
    return Target(audience, doc)


def stored(sandbox: Sandbox, audience: str) -> list[dict[str, str]] | None:
    connection = sandbox.state.find_connection(EXAMPLE_SPACE, audience, FACEBOOK)
    return None if connection is None else connection["idSyncConfiguration"]


def entries(rows: tuple[IdentifierRow, ...]) -> list[dict[str, str]]:
    return [
        {"externalId": r.segment, "strategy": r.strategy.value, "mapTo": r.destination}
        for r in rows
    ]


def pushes() -> list[str]:
    return [e.detail for e in HistoryStore().entries() if e.event is HistoryEvent.PUSH]


@pytest.mark.parametrize("mode", list(LostAnswer))
def test_an_applied_create_whose_answer_is_lost_is_read_back_and_applied(
    sandbox: Sandbox, make_client: ClientFactory, mode: LostAnswer
) -> None:
    sandbox.hang_seconds = 5.0
    sandbox.lose_answer_after_apply(mode, method="POST")
    engine = PushEngine(make_client(timeout=0.5), history=PushHistory())
    (outcome,) = engine.run([target(CHURN)], apply=True).outcomes

    assert outcome.status is Status.APPLIED
    assert outcome.answer_lost
    assert stored(sandbox, CHURN) == entries(ROWS)
    assert sandbox.count(method="POST") == 1, "never a second POST"
    assert "read back: it holds the rows sent, so the change is applied" in outcome_text(outcome)
    assert pushes() == [
        f"pushed to {EXAMPLE_SPACE}/{CHURN} ({outcome.connection_id}) at {sandbox.url}: "
        "applied (answer lost, confirmed by reading back)"
    ]


@pytest.mark.parametrize("mode", [LostAnswer.DROP, LostAnswer.STATUS_503, LostAnswer.GARBLED])
def test_an_applied_update_whose_answer_is_lost_is_applied(
    sandbox: Sandbox, make_client: ClientFactory, mode: LostAnswer
) -> None:
    sandbox.lose_answer_after_apply(mode, method="PATCH")
    engine = PushEngine(make_client(), history=PushHistory())
    (outcome,) = engine.run([target(HIGH_VALUE)], apply=True).outcomes
    assert outcome.status is Status.APPLIED and outcome.answer_lost
    assert outcome.connection_id == "ii_high_value_facebook"
    assert stored(sandbox, HIGH_VALUE) == entries(ROWS)
    assert sandbox.count(method="PATCH") == 1
    assert len(pushes()) == 1


def test_a_lost_answer_over_an_unchanged_connection_is_not_applied_yet_and_may_still_apply(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    before = stored(sandbox, HIGH_VALUE)
    sandbox.fail_next(1, status=503, method="PATCH")  # refused before it was applied
    engine = PushEngine(make_client(), history=PushHistory())
    (outcome,) = engine.run([target(HIGH_VALUE)], apply=True).outcomes

    assert outcome.status is Status.NOT_APPLIED and outcome.answer_lost
    assert stored(sandbox, HIGH_VALUE) == before
    assert sandbox.count(method="PATCH") == 1
    text = outcome_text(outcome)
    assert "Not applied yet as far as Segment shows; it may still apply" in text
    assert "never connected twice" in text
    assert "nothing is applied twice" not in text
    assert [p.rpartition(": ")[2] for p in pushes()] == [
        "not applied yet (answer lost; it may still apply)"
    ]

    (again,) = engine.run([target(HIGH_VALUE)], apply=True).outcomes
    assert again.status is Status.APPLIED and not again.answer_lost


def test_a_write_whose_read_right_before_cannot_connect_sends_nothing(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    before = stored(sandbox, HIGH_VALUE)
    read = PushEngine(make_client()).read_plan(target(HIGH_VALUE))
    # The same fresh plan, written through a client whose server refuses connections:
    # the read right before the write fails, so the write never leaves.
    unreachable = make_client(base_url=f"http://127.0.0.1:{closed_port()}")
    with pytest.raises(NotConnected, match="the request was not sent"):
        PushEngine(unreachable, history=PushHistory()).push(read)
    assert stored(sandbox, HIGH_VALUE) == before
    assert pushes() == []


def test_a_lost_answer_is_worded_once_by_the_engine(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    sandbox.fail_next(1, status=503, method="PATCH")
    (outcome,) = PushEngine(make_client()).run([target(HIGH_VALUE)], apply=True).outcomes
    text = outcome_text(outcome)
    # The client said what happened to the request; only the engine's verdict remains.
    assert "Not applied yet as far as Segment shows" in text
    assert "may or may not" not in text and "try again in a few minutes" not in text.lower()


def test_a_lost_answer_that_cannot_be_read_back_is_unknown_never_guessed(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    def progress(message: str) -> None:
        if message.startswith("Sending"):  # the reads after the write will fail
            sandbox.fail_next(10, status=500, method="GET")

    engine = PushEngine(make_client(), history=PushHistory(), progress=progress)
    read = engine.read_plan(target(CHURN))
    sandbox.lose_answer_after_apply(LostAnswer.DROP, method="POST")
    outcome = engine.push(read)

    assert outcome.status is Status.UNKNOWN
    assert sandbox.count(method="POST") == 1
    assert "not known whether the change was applied" in outcome_text(outcome)
    assert [p.rpartition(": ")[2] for p in pushes()] == [
        "unknown (answer lost, could not read back)"
    ]

    # A later read settles it in place: the connection holds the rows sent.
    sandbox.clear_faults()
    (again,) = PushEngine(make_client(), history=PushHistory()).run(
        [target(CHURN)], apply=True
    ).outcomes
    assert again.status is Status.UNCHANGED
    assert "is now settled in History: applied" in outcome_text(again)
    assert [p.rpartition(": ")[2] for p in pushes()] == [
        "applied (settled by a later read; it was unknown (answer lost, could not read back))"
    ]


def test_a_change_right_after_the_plan_stops_the_push_and_names_what_changed(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    engine = PushEngine(make_client(), history=PushHistory())
    read = engine.read_plan(target(HIGH_VALUE))
    # Someone else changes the connection at once: no age lets the write through.
    changed = [{"externalId": "email", "strategy": "first", "mapTo": "EMAIL"}]
    sandbox.state.set_id_sync(EXAMPLE_SPACE, HIGH_VALUE, FACEBOOK, changed)
    outcome = engine.push(read)

    assert outcome.status is Status.STALE
    assert sandbox.count(method="PATCH") == 0
    assert stored(sandbox, HIGH_VALUE) == changed
    # The fresh plan, over the live connection as it is now, is what to show.
    assert outcome.plan.live_rows == (
        IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.FIRST),
    )
    text = outcome_text(outcome)
    assert "Changed since the plan: row 2 removed: phone -> PHONE (all); " in text
    assert "row 1 strategy: last -> first." in text
    assert pushes() == []


def test_every_write_rests_on_a_read_right_before_it(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    clock = ManualClock()
    engine = PushEngine(make_client(), clock=clock)
    read = engine.read_plan(target(HIGH_VALUE))
    gets = sandbox.count(method="GET")
    outcome = engine.push(read)
    assert outcome.status is Status.APPLIED and outcome.matches is True
    # One read right before the write, one after it (the check): whatever the plan's age.
    assert sandbox.count(method="GET") == gets + 2
    methods = [r.method for r in sandbox.requests]
    assert methods[-3:] == ["GET", "PATCH", "GET"]


def test_the_read_before_the_write_waits_for_room_for_both(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    """With one slot left in the limiter's window, the wait comes before the read, so the
    read and the write leave back to back."""
    from idsync.segment.ratelimit import RateLimiter

    clock = ManualClock()
    # How many requests the sandbox had seen at each wait.
    waits: list[int] = []

    def sleep(seconds: float, cancel: object = None) -> None:
        waits.append(len(sandbox.requests))
        clock.advance(seconds)

    limiter = RateLimiter(3, 60.0, clock=clock, sleep=sleep)
    engine = PushEngine(make_client(limiter=limiter))
    read = engine.read_plan(target(HIGH_VALUE))  # one request
    clock.advance(1.0)
    limiter.acquire()
    limiter.release()  # a second request: one slot is left of three
    outcome = engine.push(read)
    assert outcome.status is Status.APPLIED
    # A wait before the read (after the plan's read) and one before the check after the
    # write: none between the read and the write.
    assert [r.method for r in sandbox.requests] == ["GET", "GET", "PATCH", "GET"]
    assert waits == [1, 3]


def test_a_429_on_the_write_waits_then_reads_again_before_writing(
    sandbox: Sandbox, make_client: ClientFactory, sleeper: RecordingSleeper
) -> None:
    engine = PushEngine(make_client())
    read = engine.read_plan(target(HIGH_VALUE))
    sandbox.fail_next(1, status=429, retry_after=2, method="PATCH")
    outcome = engine.push(read)
    assert outcome.status is Status.APPLIED
    assert 2 in sleeper.waits
    methods = [r.method for r in sandbox.requests]
    assert methods[-5:] == ["GET", "PATCH", "GET", "PATCH", "GET"]


def test_a_change_during_a_429_wait_stops_the_write(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    engine = PushEngine(make_client())
    read = engine.read_plan(target(HIGH_VALUE))
    changed = [{"externalId": "email", "strategy": "last", "mapTo": "EMAIL"}]
    sandbox.fail_next(1, status=429, retry_after=1, method="PATCH")
    sandbox.after_next(
        lambda state: state.set_id_sync(EXAMPLE_SPACE, HIGH_VALUE, FACEBOOK, changed),
        method="PATCH",
    )
    outcome = engine.push(read)
    assert outcome.status is Status.STALE
    assert sandbox.count(method="PATCH", status=200) == 0
    assert stored(sandbox, HIGH_VALUE) == changed


def test_segment_storing_other_rows_is_applied_differs_and_kept_so(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    other = [{"externalId": "email", "strategy": "all", "mapTo": "EMAIL"}]
    sandbox.store_other_rows(other, method="PATCH")
    run = PushEngine(make_client(), history=PushHistory()).run([target(HIGH_VALUE)], apply=True)
    (outcome,) = run.outcomes
    assert outcome.status is Status.APPLIED_DIFFERS
    assert exit_code(run) == 4
    assert "differs from what was pushed" in outcome_text(outcome)
    assert [p.rpartition(": ")[2] for p in pushes()] == ["applied, differs"]


def test_a_late_apply_after_a_504_is_found_not_repeated(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    # The create times out at the gateway; Segment applies it after the read-back.
    sandbox.apply_late(method="POST", status=504, after_requests=2)
    engine = PushEngine(make_client(), history=PushHistory())
    first = engine.run([target(CHURN)], apply=True)
    (outcome,) = first.outcomes
    assert outcome.status is Status.NOT_APPLIED and outcome.answer_lost
    assert "it may still apply" in outcome_text(outcome)
    assert exit_code(first) == 3
    assert stored(sandbox, CHURN) is None

    again = engine.run([target(CHURN)], apply=True)
    assert [o.status for o in again.outcomes] == [Status.UNCHANGED]
    assert exit_code(again) == 0
    assert sandbox.count(method="POST") == 1
    connections = sandbox.state.connections[(EXAMPLE_SPACE, CHURN)]
    assert [c["destinationId"] for c in connections] == [FACEBOOK]
    # The push that may still have applied is settled in place by that read.
    assert [p.rpartition(": ")[2] for p in pushes()] == [
        "applied (settled by a later read; it was not applied yet (answer lost; it may "
        "still apply))"
    ]


def test_a_re_run_after_a_late_apply_updates_the_connection_it_finds(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    sandbox.apply_late(method="POST", status=504, after_requests=2)
    engine = PushEngine(make_client(), history=PushHistory())
    engine.run([target(CHURN)], apply=True)
    other_rows = (IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.LAST),)
    (outcome,) = engine.run([target(CHURN, other_rows)], apply=True).outcomes
    assert outcome.status is Status.APPLIED
    assert outcome.plan.action.value == "update"
    assert sandbox.count(method="POST") == 1 and sandbox.count(method="PATCH") == 1
    assert len(sandbox.state.connections[(EXAMPLE_SPACE, CHURN)]) == 1


def test_many_targets_then_nothing_left(sandbox: Sandbox, make_client: ClientFactory) -> None:
    engine = PushEngine(make_client())
    targets = [target(a) for a in (HIGH_VALUE, CHURN, "aud_newsletter")]
    pending = engine.run(targets, apply=False)
    assert [o.status for o in pending.outcomes] == [Status.PENDING] * 3
    assert sandbox.count(method="PATCH") + sandbox.count(method="POST") == 0
    applied = engine.run(targets, apply=True)
    assert [o.status for o in applied.outcomes] == [Status.APPLIED] * 3
    again = engine.run(targets, apply=True)
    assert [o.status for o in again.outcomes] == [Status.UNCHANGED] * 3


def test_a_refused_token_stops_the_run(sandbox: Sandbox, make_client: ClientFactory) -> None:
    engine = PushEngine(make_client(token="sbx_wrong_token_123"))
    run = engine.run([target(HIGH_VALUE), target(CHURN)], apply=True)
    assert [o.status for o in run.outcomes] == [Status.FAILED, Status.SKIPPED]
    assert sandbox.count() == 1


def test_a_cancel_during_the_read_back_ends_the_run_as_cancelled(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    """The write's answer was lost and the person cancels while the engine reads back:
    that target's outcome is unknown (nothing read), and the run ends as cancelled (130),
    not as a failure (3)."""
    from idsync.push.outcome import exit_code
    from idsync.segment.cancel import CancelToken

    cancel = CancelToken()

    def progress(message: str) -> None:
        if "reading the connection back" in message:
            cancel.cancel()

    sandbox.lose_answer_after_apply(LostAnswer.STATUS_503, method="POST")
    engine = PushEngine(make_client(cancel=cancel), history=PushHistory(), progress=progress)
    run = engine.run([target(CHURN), target("aud_lapsed_buyers")], apply=True)

    assert run.cancelled
    assert run.outcomes[0].status is Status.UNKNOWN
    assert run.outcomes[1].status is Status.SKIPPED
    assert "cancelled" in (run.outcomes[1].error or "")
    assert exit_code(run) == 130
    assert sandbox.count(method="POST") == 1
