"""The push engine against the sandbox over real loopback sockets, including a sandbox
that applies a write and then loses the answer."""

from __future__ import annotations

import pytest

from app.core.model import (
    AudienceTarget,
    DestinationRef,
    IdentifierRow,
    IdSyncDocument,
    Strategy,
)
from app.push.engine import MAX_READ_AGE_SECONDS, PushEngine
from app.push.history import recorder
from app.push.outcome import Status, Target
from app.push.wording import outcome_text
from app.segment.sandbox import LostAnswer, Sandbox
from app.segment.sandbox_state import EXAMPLE_SPACE
from app.storage.history import HistoryEvent, HistoryStore
from tests.helpers.clock import ManualClock
from tests.helpers.network import closed_port
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
    engine = PushEngine(make_client(timeout=0.5), record=recorder())
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
    engine = PushEngine(make_client(), record=recorder())
    (outcome,) = engine.run([target(HIGH_VALUE)], apply=True).outcomes
    assert outcome.status is Status.APPLIED and outcome.answer_lost
    assert outcome.connection_id == "ii_high_value_facebook"
    assert stored(sandbox, HIGH_VALUE) == entries(ROWS)
    assert sandbox.count(method="PATCH") == 1
    assert len(pushes()) == 1


def test_a_write_that_was_not_applied_is_said_to_be_safe_to_re_run(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    before = stored(sandbox, HIGH_VALUE)
    sandbox.fail_next(1, status=503, method="PATCH")  # refused before it was applied
    engine = PushEngine(make_client(), record=recorder())
    (outcome,) = engine.run([target(HIGH_VALUE)], apply=True).outcomes

    assert outcome.status is Status.NOT_APPLIED and outcome.answer_lost
    assert stored(sandbox, HIGH_VALUE) == before
    assert sandbox.count(method="PATCH") == 1
    text = outcome_text(outcome)
    assert "does not hold the rows sent, so the change was not applied" in text
    assert "Running the push again is safe" in text
    assert pushes() == []

    (again,) = engine.run([target(HIGH_VALUE)], apply=True).outcomes
    assert again.status is Status.APPLIED and not again.answer_lost


def test_a_write_that_could_not_connect_was_not_sent_and_needs_no_read_back(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    before = stored(sandbox, HIGH_VALUE)
    read = PushEngine(make_client()).read_plan(target(HIGH_VALUE))
    # The same fresh plan, written through a client whose server refuses connections.
    unreachable = make_client(base_url=f"http://127.0.0.1:{closed_port()}")
    outcome = PushEngine(unreachable, record=recorder()).push(read)

    assert outcome.status is Status.NOT_APPLIED
    assert outcome.not_sent and not outcome.answer_lost
    assert unreachable.request_count == 1, "the refused write only: nothing to read back"
    assert stored(sandbox, HIGH_VALUE) == before
    text = outcome_text(outcome)
    assert "never reached Segment, so the change was not applied" in text
    assert "the request was not sent" in text
    assert "may or may not" not in text
    assert pushes() == []


def test_a_lost_answer_is_worded_once_by_the_engine(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    sandbox.fail_next(1, status=503, method="PATCH")
    (outcome,) = PushEngine(make_client()).run([target(HIGH_VALUE)], apply=True).outcomes
    text = outcome_text(outcome)
    # The client said what happened to the request; only the engine's verdict remains.
    assert "not applied" in text
    assert "may or may not" not in text and "try again in a few minutes" not in text.lower()


def test_a_lost_answer_that_cannot_be_read_back_is_unknown_never_guessed(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    engine = PushEngine(make_client(), record=recorder())
    read = engine.read_plan(target(CHURN))
    sandbox.lose_answer_after_apply(LostAnswer.DROP, method="POST")
    sandbox.fail_next(10, status=500, method="GET")
    outcome = engine.push(read)

    assert outcome.status is Status.UNKNOWN
    assert sandbox.count(method="POST") == 1
    assert "not known whether the change was applied" in outcome_text(outcome)
    assert pushes() == []


def test_a_plan_older_than_ten_seconds_is_read_again_and_a_change_stops_the_push(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    clock = ManualClock()
    engine = PushEngine(make_client(), clock=clock)
    read = engine.read_plan(target(HIGH_VALUE))
    changed = [{"externalId": "email", "strategy": "first", "mapTo": "EMAIL"}]
    with sandbox.state.lock:
        for connection in sandbox.state.connections[(EXAMPLE_SPACE, HIGH_VALUE)]:
            if connection["destinationId"] == FACEBOOK:
                connection["idSyncConfiguration"] = changed
    clock.advance(MAX_READ_AGE_SECONDS + 0.5)
    outcome = engine.push(read)

    assert outcome.status is Status.STALE
    assert sandbox.count(method="PATCH") == 0
    assert stored(sandbox, HIGH_VALUE) == changed
    # The fresh plan, over the live connection as it is now, is what to show.
    assert outcome.plan.live_rows == (
        IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.FIRST),
    )


def test_an_old_plan_over_an_unchanged_connection_is_read_again_then_written(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    clock = ManualClock()
    engine = PushEngine(make_client(), clock=clock)
    read = engine.read_plan(target(HIGH_VALUE))
    clock.advance(MAX_READ_AGE_SECONDS + 0.5)
    gets = sandbox.count(method="GET")
    outcome = engine.push(read)
    assert outcome.status is Status.APPLIED and outcome.matches is True
    # One read before the write (the plan was too old), one after it (the check).
    assert sandbox.count(method="GET") == gets + 2


def test_a_fresh_plan_is_written_without_another_read(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    clock = ManualClock()
    engine = PushEngine(make_client(), clock=clock)
    read = engine.read_plan(target(HIGH_VALUE))
    clock.advance(MAX_READ_AGE_SECONDS)
    gets = sandbox.count(method="GET")
    assert engine.push(read).status is Status.APPLIED
    assert sandbox.count(method="GET") == gets + 1  # the check after the write only


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
    from app.push.outcome import exit_code
    from app.segment.cancel import CancelToken

    cancel = CancelToken()

    def progress(message: str) -> None:
        if "reading the connection back" in message:
            cancel.cancel()

    sandbox.lose_answer_after_apply(LostAnswer.STATUS_503, method="POST")
    engine = PushEngine(make_client(cancel=cancel), record=recorder(), progress=progress)
    run = engine.run([target(CHURN), target("aud_lapsed_buyers")], apply=True)

    assert run.cancelled
    assert run.outcomes[0].status is Status.UNKNOWN
    assert run.outcomes[1].status is Status.SKIPPED
    assert "cancelled" in (run.outcomes[1].error or "")
    assert exit_code(run) == 130
    assert sandbox.count(method="POST") == 1
