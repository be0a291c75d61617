"""The faults a test (or a curious person) can switch on in the sandbox: queued error
statuses, 429s with each kind of hint, a request-rate limit, slow answers, answers lost
after a write was applied, writes applied late, other rows stored than were sent, and
changes someone else makes in Segment meanwhile.

``FaultSwitches`` holds them under one lock; the server asks it, request by request,
what to do (the ``_``-methods), so the switches and their effects stay in one place.
"""

from __future__ import annotations

import copy
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from idsync.segment.sandbox.failure import (
    ApiFailure,
    JsonObject,
    RateLimitHint,
    too_many_requests,
)
from idsync.segment.sandbox.state import SandboxState


class LostAnswer(str, Enum):
    """How the sandbox loses its answer to a write it has applied, as a real network or
    a struggling API can: the client cannot tell from the answer whether it was applied."""

    DROP = "drop"  # close the connection without answering (a reset)
    STATUS_503 = "503"  # answer 503 with the error envelope
    HANG = "hang"  # say nothing until the client has given up, then close
    GARBLED = "garbled"  # answer 200 with a body that is not JSON


@dataclass(frozen=True)
class HeldWrite:
    """A write as it came, kept to be applied later."""

    method: str
    path: str
    body: bytes
    authorization: str
    content_type: str


@dataclass
class _QueuedFault:
    status: int
    remaining: int
    retry_after: float | None
    method: str | None
    hint: RateLimitHint = RateLimitHint.RETRY_AFTER
    # The (message, field) errors of the answer's envelope; a generic one when empty.
    errors: tuple[tuple[str, str | None], ...] = ()


@dataclass
class _AfterApply:
    mode: LostAnswer
    method: str | None
    remaining: int


@dataclass
class _LateWrite:
    """A write answered with an error before it was applied, applied later on."""

    method: str | None
    status: int
    after_requests: int
    held: HeldWrite | None = None
    # Requests still to arrive before the held write is applied.
    countdown: int = 0


@dataclass
class _OtherRows:
    """Store these entries instead of the ones a write sends (and answer 200)."""

    entries: list[JsonObject]
    method: str | None


@dataclass
class _AfterRequest:
    """Run ``action`` on the state right after the next ``remaining`` requests (of
    ``method``) were answered: someone else changing Segment meanwhile."""

    method: str | None
    remaining: int
    action: Callable[[SandboxState], None]


@dataclass
class _Faults:
    queued: deque[_QueuedFault] = field(default_factory=deque)
    after_apply: deque[_AfterApply] = field(default_factory=deque)
    late: deque[_LateWrite] = field(default_factory=deque)
    other_rows: deque[_OtherRows] = field(default_factory=deque)
    after_request: deque[_AfterRequest] = field(default_factory=deque)
    slow_seconds: float = 0.0
    slow_remaining: int | None = None
    rate_limit: tuple[int, float] | None = None
    accepted_at: deque[float] = field(default_factory=deque)


@dataclass(frozen=True)
class Admission:
    """What the faults make of a request before it is routed: wait ``delay`` seconds,
    then answer ``refusal`` instead of routing it, when there is one."""

    delay: float
    refusal: ApiFailure | None


class FaultSwitches:
    """The sandbox's switchable faults (the ``Sandbox`` is one)."""

    def __init__(self) -> None:
        self._faults = _Faults()
        self._fault_lock = threading.Lock()

    # -- switches ------------------------------------------------------------------

    def fail_next(
        self,
        count: int = 1,
        *,
        status: int = 500,
        retry_after: float | None = None,
        method: str | None = None,
        hint: RateLimitHint = RateLimitHint.RETRY_AFTER,
        errors: list[tuple[str, str | None]] | None = None,
    ) -> None:
        """Answer the next ``count`` requests (of ``method``, if given) with ``status``.

        A 429 says when to come back as ``hint`` chooses (``retry_after`` seconds).
        ``errors`` are the (message, field) pairs the envelope lists, in order.
        """
        fault = _QueuedFault(status, count, retry_after, method, hint, tuple(errors or ()))
        with self._fault_lock:
            self._faults.queued.append(fault)

    def lose_answer_after_apply(
        self, mode: LostAnswer, *, method: str | None = None, count: int = 1
    ) -> None:
        """Apply the next ``count`` successful requests (of ``method``, if given), then
        lose the answer as ``mode`` says."""
        with self._fault_lock:
            self._faults.after_apply.append(_AfterApply(mode, method, count))

    def apply_late(
        self, *, method: str | None = None, status: int = 504, after_requests: int = 1
    ) -> None:
        """Answer the next write (of ``method``) with ``status`` without applying it, then
        apply it just before the ``after_requests``-th request that follows is handled:
        Segment's gateway gave up on a write its backend carries out later."""
        with self._fault_lock:
            self._faults.late.append(_LateWrite(method, status, max(1, after_requests)))

    def store_other_rows(self, entries: list[JsonObject], *, method: str | None = None) -> None:
        """Make the next write (of ``method``) store ``entries`` as its
        idSyncConfiguration instead of what it sent, and answer 200 as usual."""
        with self._fault_lock:
            self._faults.other_rows.append(_OtherRows(copy.deepcopy(entries), method))

    def after_next(
        self, action: Callable[[SandboxState], None], *, method: str | None = None, count: int = 1
    ) -> None:
        """Run ``action`` on the state once the next ``count`` requests (of ``method``)
        have been answered, as a change someone else makes in Segment meanwhile."""
        with self._fault_lock:
            self._faults.after_request.append(_AfterRequest(method, count, action))

    def slow(self, seconds: float, count: int | None = None) -> None:
        """Delay the next ``count`` answers (every answer when None) by ``seconds``."""
        with self._fault_lock:
            self._faults.slow_seconds = seconds
            self._faults.slow_remaining = count

    def set_rate_limit(self, max_requests: int | None, period: float = 60.0) -> None:
        """Answer 429 once more than ``max_requests`` arrive within ``period`` seconds."""
        with self._fault_lock:
            self._faults.rate_limit = None if max_requests is None else (max_requests, period)
            self._faults.accepted_at.clear()

    def clear_faults(self) -> None:
        with self._fault_lock:
            self._faults = _Faults()

    # -- what the server asks, request by request -----------------------------------

    def _admit(self, method: str, arrived: float) -> Admission:
        """The delay and refusal (a rate limit, a queued fault) for a request that
        arrived at ``arrived`` (monotonic seconds)."""
        with self._fault_lock:
            faults = self._faults
            rate_limited = self._over_rate_limit(arrived)
            delay = 0.0
            if faults.slow_seconds > 0 and faults.slow_remaining != 0:
                delay = faults.slow_seconds
                if faults.slow_remaining is not None:
                    faults.slow_remaining -= 1
            queued = None
            if rate_limited is None:
                for fault in faults.queued:
                    if fault.method is None or fault.method == method:
                        fault.remaining -= 1
                        queued = fault
                        break
                while faults.queued and faults.queued[0].remaining <= 0:
                    faults.queued.popleft()
        if rate_limited is not None:
            return Admission(delay, rate_limited)
        return Admission(delay, None if queued is None else _queued_failure(queued))

    def _over_rate_limit(self, arrived: float) -> ApiFailure | None:
        limit = self._faults.rate_limit
        if limit is None:
            return None
        max_requests, period = limit
        window = self._faults.accepted_at
        # A request counts while it arrived less than ``period`` seconds ago.
        while window and window[0] <= arrived - period:
            window.popleft()
        if len(window) >= max_requests:
            return too_many_requests(window[0] + period - arrived, consumed=len(window))
        window.append(arrived)
        return None

    def _hold_late_write(self, write: HeldWrite) -> None:
        """Keep an authorised write a late fault is waiting for, and answer it with the
        fault's status (raised) instead of applying it now."""
        if write.method not in ("POST", "PATCH"):
            return
        with self._fault_lock:
            for late in self._faults.late:
                if late.held is None and late.method in (None, write.method):
                    late.held = write
                    late.countdown = late.after_requests
                    break
            else:
                return
        raise ApiFailure(
            late.status, "Gateway timeout: the request took too long.", type_="internal"
        )

    def _due_late_writes(self) -> list[HeldWrite]:
        """The held writes to apply before this request, counting it."""
        due: list[HeldWrite] = []
        with self._fault_lock:
            for late in list(self._faults.late):
                if late.held is None:
                    continue
                late.countdown -= 1
                if late.countdown <= 0:
                    due.append(late.held)
                    self._faults.late.remove(late)
        return due

    def _due_changes(self, method: str) -> list[Callable[[SandboxState], None]]:
        """The changes by someone else due now that a request of ``method`` was answered."""
        actions: list[Callable[[SandboxState], None]] = []
        with self._fault_lock:
            for pending in list(self._faults.after_request):
                if pending.method in (None, method):
                    pending.remaining -= 1
                    if pending.remaining <= 0:
                        actions.append(pending.action)
                        self._faults.after_request.remove(pending)
        return actions

    def _other_rows(self, method: str) -> list[JsonObject] | None:
        """The entries a write of ``method`` stores instead of its own, if a fault says so."""
        with self._fault_lock:
            for other in self._faults.other_rows:
                if other.method in (None, method):
                    self._faults.other_rows.remove(other)
                    return copy.deepcopy(other.entries)
            return None

    def _lost_answer(self, method: str) -> LostAnswer | None:
        with self._fault_lock:
            for fault in self._faults.after_apply:
                if fault.remaining > 0 and fault.method in (None, method):
                    fault.remaining -= 1
                    return fault.mode
            return None


def _queued_failure(queued: _QueuedFault) -> ApiFailure:
    if queued.status == 429:
        wait = queued.retry_after if queued.retry_after is not None else 1.0
        return too_many_requests(wait, hint=queued.hint)
    kind = "internal" if queued.status >= 500 else "RequestError"
    if queued.errors:
        (message, field_name), *more = queued.errors
        return ApiFailure(queued.status, message, type_=kind, field=field_name, more=tuple(more))
    return ApiFailure(queued.status, f"Simulated failure (HTTP {queued.status}).", type_=kind)
