"""The push engine: read the live connection, plan, write once, and know what happened.

Used by the window's worker and by ``idsync push``; no Qt. Rules it keeps:

* No write on a stale read. Right before each write the connection is read again, after
  any wait of the rate limiter (which must have room for that read and the write back to
  back) and after any 429 wait; if it changed since the plan the person saw, nothing is
  sent (STALE) and the fresh plan is returned with what changed. Whatever the plan's age.
  The re-read lists the audience's connections, so a connection that appeared since
  (a late apply of an earlier create) is updated, never connected a second time.
* One write per target (POST, or PATCH which replaces the whole array), never retried
  after it may have reached Segment: when its answer is lost (timeout, reset, 5xx,
  unparseable 200) the connection is read back before anything else, and the outcome is
  APPLIED when it holds the rows sent, NOT_APPLIED (not yet, as far as Segment shows: it
  may still apply) when it holds what it held before, APPLIED_DIFFERS when it holds
  something else, UNKNOWN when it cannot be read. A write that never left (the
  connection could not be made) lost no answer: NOT_APPLIED without a read-back.
* An answered write is read back too: the rows sent → APPLIED, other rows → APPLIED_DIFFERS.
* Every write that went out is kept in history with its outcome; a read that settles an
  earlier unknown push resolves that entry in place (``PushHistory``).
* Cancel (the client's CancelToken) is honoured before each request and during waits,
  never in the middle of a write.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Protocol

from idsync.core.api_mapping import ConnectionFormatError, rows_from_connection
from idsync.core.model import IdentifierRow
from idsync.core.plan import PlanAction, PushPlan, make_plan
from idsync.push.outcome import CHECK_CANCELLED, PushRun, ReadPlan, Status, Target, TargetOutcome
from idsync.push.wording import changes_since
from idsync.segment.client import SegmentClient, pick_connection
from idsync.segment.errors import (
    AuthError,
    Cancelled,
    NetworkError,
    NotConnected,
    RateLimited,
    RequestTimeout,
    SegmentError,
    ServerError,
    UnexpectedResponse,
)
from idsync.segment.models import Connection

# Failures after which Segment may have applied the write without the client hearing so.
_ANSWER_LOST = (RequestTimeout, NetworkError, ServerError, UnexpectedResponse)
# The read right before a write, and the write: they leave back to back.
_READ_AND_WRITE = 2

Progress = Callable[[str], None]
OutcomeCallback = Callable[[int, int, TargetOutcome], None]


class PushLog(Protocol):
    """Where pushes are kept (``idsync.push.history.PushHistory``); neither call raises."""

    def record(self, outcome: TargetOutcome) -> str | None:
        """Keep a push that sent a write; a note for the person when it could not."""

    def settle(self, read: ReadPlan) -> str | None:
        """Resolve earlier pushes of unknown outcome that ``read`` settles; what it said."""


class PushEngine:
    def __init__(
        self,
        client: SegmentClient,
        *,
        history: PushLog | None = None,
        progress: Progress | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self._history = history
        self._progress = progress
        self._clock = clock
        # Set when Segment refused the token on a write: every further write would fail.
        self._refused_token = False

    # -- one target ------------------------------------------------------------------

    def read_plan(self, target: Target) -> ReadPlan:
        """Read the live connection for ``target`` and plan it. Refusals that need no
        live state (error findings, journeys, no instance id) cost no request."""
        offline = make_plan(target.document, None, target.findings)
        if offline.action is PlanAction.REFUSED:
            return ReadPlan(target, offline, None)
        self._say(
            f"Reading the live connection of audience {offline.audience_id} in space "
            f"{offline.space_id}…"
        )
        read = self._read(target)
        if self._history is None:
            return read
        settled = self._history.settle(read)
        return read if settled is None else replace(read, settled=settled)

    def _read(self, target: Target) -> ReadPlan:
        read_at = self._clock()
        offline = make_plan(target.document, None, target.findings)
        live, others = self._live(offline)
        raw = live.raw if live else None
        plan = make_plan(target.document, raw, target.findings)
        return ReadPlan(
            target, plan, read_at, live=raw, base_url=self.client.base_url, others=others
        )

    def push(self, reviewed: ReadPlan) -> TargetOutcome:
        """Write ``reviewed`` if it still holds; see the module's rules. SegmentErrors
        from reading (before anything is sent) and Cancelled propagate."""
        plan = reviewed.plan
        if plan.action is PlanAction.REFUSED:
            return self._outcome(reviewed, Status.REFUSED)
        if plan.action is PlanAction.UNCHANGED:
            return self._outcome(reviewed, Status.UNCHANGED)
        rate_limit_hits = 0
        while True:
            self._check_cancel()
            # Room for the read and the write first, so no wait comes between them.
            self.client.limiter.wait_for_room(_READ_AND_WRITE, self.client.cancel)
            self._say("Checking that the live connection has not changed since the plan…")
            basis = self._read(reviewed.target)
            if not same_basis(plan, basis.plan):
                return self._outcome(
                    basis,
                    Status.STALE,
                    changed_since_plan=tuple(changes_since(plan, basis.plan)),
                )
            try:
                return self._kept(self._write(basis))
            except RateLimited as limited:
                # Segment did not take the write. Wait as it asks, then read again: the
                # write must rest on a read made after the wait.
                wait = limited.retry_after
                if wait is None:
                    wait = self.client.retry.backoff(rate_limit_hits)
                retry = self.client.retry
                if rate_limit_hits >= retry.rate_limit_retries or wait > retry.max_rate_limit_wait:
                    return self._outcome(basis, Status.NOT_APPLIED, error=str(limited))
                self._say(
                    f"Segment asked to wait {wait:.0f} s; the live connection is read again "
                    "after the wait, before the write…"
                )
                try:
                    self.client.pause(wait)
                except Cancelled as exc:
                    return self._outcome(basis, Status.CANCELLED, error=str(exc))
                rate_limit_hits += 1

    # -- many targets ----------------------------------------------------------------

    def run(
        self,
        targets: Sequence[Target],
        *,
        apply: bool,
        on_outcome: OutcomeCallback | None = None,
    ) -> PushRun:
        """Plan every target and, when ``apply``, write the ones that change.

        Per-target failures are reported and the run goes on; a refused token, an
        unreachable server or a cancel stops it and the remaining targets are SKIPPED.
        """
        run = PushRun()
        started = self._clock()
        requests_before = self.client.request_count
        stopped: str | None = None
        for index, target in enumerate(targets):
            if stopped is not None:
                offline = ReadPlan(target, make_plan(target.document, None, target.findings), None)
                outcome = self._outcome(offline, Status.SKIPPED, error=stopped)
            else:
                outcome, stops = self._one(target, apply=apply)
                if outcome.status is Status.CANCELLED or self._cancel_requested():
                    # A cancel can land during a read-back too, whose outcome stays what it
                    # is (unknown, say): the run still ends as cancelled.
                    run.cancelled = True
                    stopped = "Not attempted: the push was cancelled."
                elif stops:
                    # Every further target would fail the same way: stop, don't hammer.
                    stopped = (
                        f"Not attempted: the run stopped after an earlier error ({outcome.error})"
                    )
            run.outcomes.append(outcome)
            if on_outcome is not None:
                on_outcome(index, len(targets), outcome)
        run.requests = self.client.request_count - requests_before
        run.elapsed_seconds = self._clock() - started
        return run

    def _one(self, target: Target, *, apply: bool) -> tuple[TargetOutcome, bool]:
        """The target's outcome, and whether the run should stop after it."""
        read = ReadPlan(target, make_plan(target.document, None, target.findings), None)
        try:
            self._check_cancel()
            read = self.read_plan(target)
            if read.plan.writes and not apply:
                return self._outcome(read, Status.PENDING), False
            outcome = self.push(read)
        except Cancelled as exc:
            return self._outcome(read, Status.CANCELLED, error=str(exc)), False
        except SegmentError as exc:
            return self._outcome(read, Status.FAILED, error=str(exc)), _fatal(exc)
        # An unreachable server fails every further write alike, as it does every read.
        stops = outcome.status is Status.UNKNOWN or outcome.not_sent or self._refused_token
        return outcome, stops

    # -- the write -------------------------------------------------------------------

    def _write(self, read: ReadPlan) -> TargetOutcome:
        plan = read.plan
        self._check_cancel()
        self._say(f"Sending {plan.method} to Segment…")
        try:
            written_id = self._send(plan)
        except Cancelled as exc:
            # Raised before the request left (limiter, 429 wait): nothing was sent.
            return self._outcome(read, Status.CANCELLED, error=str(exc))
        except NotConnected as exc:
            # Checked before the lost answers (it is a NetworkError): no byte of the
            # request left, so Segment cannot hold it and there is nothing to read back.
            return self._outcome(read, Status.NOT_APPLIED, error=str(exc), not_sent=True)
        except _ANSWER_LOST as exc:
            return self._resolve(read, exc)
        except RateLimited:
            raise  # not taken: push() waits and reads again
        except SegmentError as exc:
            # Segment answered with a refusal (4xx, or 429 that did not clear): not applied.
            self._refused_token = isinstance(exc, AuthError)
            return self._outcome(read, Status.NOT_APPLIED, error=str(exc))
        return self._read_back(read, written_id)

    def _send(self, plan: PushPlan) -> str:
        assert plan.body is not None
        if plan.action is PlanAction.CREATE:
            result = self.client.add_destination_to_audience(
                plan.space_id, plan.audience_id, plan.body, wait_on_rate_limit=False
            )
        else:
            assert plan.connection_id is not None
            result = self.client.update_destination_for_audience(
                plan.space_id,
                plan.audience_id,
                plan.connection_id,
                plan.body,
                wait_on_rate_limit=False,
            )
        return result.connection_id

    def _resolve(self, read: ReadPlan, lost: SegmentError) -> TargetOutcome:
        """The write's answer was lost: read the connection back and decide from it."""
        self._say("Segment's answer was lost: reading the connection back to see what it holds…")
        try:
            live, others = self._live(read.plan)
            rows = _rows(live)
        except (SegmentError, ConnectionFormatError) as exc:
            return self._outcome(read, Status.UNKNOWN, error=f"{lost} {exc}", answer_lost=True)
        if live is not None and rows is not None and _holds(read.plan, rows):
            return self._applied(read, live.id, rows, answer_lost=True, others=others)
        if live is None or rows == read.plan.live_rows:
            # As before the write: not applied yet as far as Segment shows. It may still
            # apply; a later push re-reads and updates what it finds, never connects twice.
            return self._outcome(
                read, Status.NOT_APPLIED, error=str(lost), answer_lost=True, live_after=rows
            )
        # Neither what was there nor what was sent: Segment took something.
        return self._applied(read, live.id, rows, answer_lost=True, others=others)

    def _read_back(self, read: ReadPlan, written_id: str) -> TargetOutcome:
        self._say("Reading the connection back to check it…")
        connection_id = written_id or read.plan.connection_id
        try:
            live, others = self._live(read.plan)
            rows = _rows(live)
        except Cancelled:
            return self._applied(read, connection_id, None, check_skipped=CHECK_CANCELLED)
        except (SegmentError, ConnectionFormatError) as exc:
            return self._applied(read, connection_id, None, check_skipped=str(exc))
        if live is None:
            return self._applied(
                read, connection_id, None, check_skipped="the connection was not found"
            )
        return self._applied(read, live.id or connection_id, rows, others=others)

    def _applied(
        self,
        read: ReadPlan,
        connection_id: str | None,
        rows: tuple[IdentifierRow, ...] | None,
        *,
        answer_lost: bool = False,
        check_skipped: str | None = None,
        others: tuple[str, ...] = (),
    ) -> TargetOutcome:
        differs = rows is not None and not _holds(read.plan, rows)
        outcome = self._outcome(
            read,
            Status.APPLIED_DIFFERS if differs else Status.APPLIED,
            connection_id=connection_id,
            live_after=rows,
            answer_lost=answer_lost,
            check_skipped=check_skipped,
        )
        return replace(outcome, others_after=others) if others else outcome

    def _kept(self, outcome: TargetOutcome) -> TargetOutcome:
        """``outcome`` of a write, kept in history when a write went out."""
        if outcome.status is Status.CANCELLED:
            return outcome
        outcome = replace(outcome, sent=True)
        if self._history is None:
            return outcome
        note = self._history.record(outcome)
        return outcome if note is None else replace(outcome, history_note=note)

    # -- helpers ---------------------------------------------------------------------

    def _live(self, plan: PushPlan) -> tuple[Connection | None, tuple[str, ...]]:
        """The connection ``plan`` is about, and the ids of the audience's other
        connections to the same destination (none unless made outside this app)."""
        connections = self.client.list_connections(plan.space_id, plan.audience_id)
        live = pick_connection(connections, plan.destination_id, plan.connection_id)
        others = tuple(
            c.id
            for c in connections
            if c is not live and c.matches_destination(plan.destination_id)
        )
        return live, others

    def _outcome(
        self,
        read: ReadPlan,
        status: Status,
        *,
        error: str | None = None,
        connection_id: str | None = None,
        live_after: tuple[IdentifierRow, ...] | None = None,
        answer_lost: bool = False,
        check_skipped: str | None = None,
        history_note: str | None = None,
        not_sent: bool = False,
        changed_since_plan: tuple[str, ...] = (),
    ) -> TargetOutcome:
        return TargetOutcome(
            read=read,
            status=status,
            base_url=self.client.base_url,
            error=error,
            connection_id=connection_id or read.plan.connection_id,
            live_after=live_after,
            answer_lost=answer_lost,
            check_skipped=check_skipped,
            history_note=history_note,
            not_sent=not_sent,
            changed_since_plan=changed_since_plan,
        )

    def _cancel_requested(self) -> bool:
        return self.client.cancel is not None and self.client.cancel.cancelled

    def _check_cancel(self) -> None:
        if self.client.cancel is not None:
            self.client.cancel.raise_if_cancelled()

    def _say(self, message: str) -> None:
        if self._progress is not None:
            self._progress(message)


def same_basis(reviewed: PushPlan, fresh: PushPlan) -> bool:
    """Whether a freshly read plan would send exactly what the person reviewed, over the
    same live configuration."""
    return (
        fresh.action is reviewed.action
        and fresh.connection_id == reviewed.connection_id
        and fresh.live_rows == reviewed.live_rows
        and fresh.body == reviewed.body
    )


def _fatal(error: SegmentError) -> bool:
    """A refused token or an unreachable server fails every further target alike."""
    return isinstance(error, (AuthError, NetworkError))


def _rows(live: Connection | None) -> tuple[IdentifierRow, ...] | None:
    return rows_from_connection(live.raw) if live is not None else None


def _holds(plan: PushPlan, rows: tuple[IdentifierRow, ...]) -> bool:
    """Whether a connection read back holds what ``plan`` sent. A create with Default
    Setup sends no rows: the connection existing at all is the sign it was applied."""
    if plan.action is PlanAction.CREATE and not plan.new_rows:
        return True
    return rows == plan.new_rows
