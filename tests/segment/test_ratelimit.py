"""The client-side limiter, driven by a fake clock (no real waiting)."""

from __future__ import annotations

import pytest

from idsync.segment.cancel import CancelToken
from idsync.segment.errors import Cancelled
from idsync.segment.ratelimit import RateLimiter, minimum_duration


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float, cancel: CancelToken | None) -> None:
        if cancel is not None:
            cancel.raise_if_cancelled()
        self.slept.append(seconds)
        self.now += seconds


def _limiter(clock: FakeClock, max_requests: int = 3, period: float = 10.0) -> RateLimiter:
    return RateLimiter(max_requests, period, clock=clock, sleep=clock.sleep)


def test_requests_within_the_limit_do_not_wait() -> None:
    clock = FakeClock()
    limiter = _limiter(clock)
    for _ in range(3):
        with limiter.slot():
            clock.now += 0.5
    assert clock.slept == []


def test_the_next_request_waits_until_the_oldest_leaves_the_window() -> None:
    clock = FakeClock()
    limiter = _limiter(clock)
    for _ in range(3):
        with limiter.slot():
            clock.now += 1.0  # each request takes a second; stamps at 1001, 1002, 1003
    with limiter.slot():
        pass
    # The first request finished at 1001, so the fourth may start at 1011.
    assert clock.slept == [pytest.approx(8.0)]
    assert limiter.waits == 1


def test_a_window_never_holds_more_than_the_limit() -> None:
    clock = FakeClock()
    limiter = _limiter(clock, max_requests=5, period=2.0)
    finished: list[float] = []
    for _ in range(23):
        with limiter.slot():
            clock.now += 0.01
        finished.append(clock.now)
    for stamp in finished:
        in_window = [t for t in finished if stamp - 2.0 < t <= stamp]
        assert len(in_window) <= 5


def test_the_total_wait_matches_the_minimum_the_limit_allows() -> None:
    clock = FakeClock()
    limiter = _limiter(clock, max_requests=10, period=2.0)
    start = clock.now
    for _ in range(60):
        with limiter.slot():
            pass
    assert clock.now - start == pytest.approx(minimum_duration(60, 10, 2.0))


def test_requests_in_flight_count_against_the_limit() -> None:
    clock = FakeClock()
    cancel = CancelToken()
    waits: list[float] = []

    def cancel_on_wait(seconds: float, token: CancelToken | None) -> None:
        waits.append(seconds)
        cancel.cancel()
        assert token is not None
        token.raise_if_cancelled()

    limiter = RateLimiter(1, 10.0, clock=clock, sleep=cancel_on_wait)
    limiter.acquire()  # in flight, not finished: no stamp yet
    with pytest.raises(Cancelled):
        limiter.acquire(cancel)
    assert len(waits) == 1


def test_cancel_before_acquire_raises() -> None:
    clock = FakeClock()
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        _limiter(clock).acquire(cancel)


def test_real_wait_wakes_on_cancel() -> None:
    # Real interruptible sleep: a cancelled token ends a 60 s wait at once.
    limiter = RateLimiter(1, 60.0)
    with limiter.slot():
        pass
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        limiter.acquire(cancel)


@pytest.mark.parametrize(
    ("count", "expected"), [(0, 0.0), (1, 0.0), (10, 0.0), (11, 2.0), (60, 10.0), (61, 12.0)]
)
def test_minimum_duration(count: int, expected: float) -> None:
    assert minimum_duration(count, 10, 2.0) == expected


def test_invalid_limits_are_refused() -> None:
    with pytest.raises(ValueError):
        RateLimiter(0, 1.0)
    with pytest.raises(ValueError):
        RateLimiter(1, 0.0)


def test_the_defaults_keep_bulk_runs_under_segments_documented_limits() -> None:
    from idsync.segment.client import RetryPolicy
    from idsync.segment.ratelimit import RateLimiter

    limiter = RateLimiter()
    assert (limiter.max_requests, limiter.period) == (50, 60.0)
    policy = RetryPolicy()
    assert policy.max_rate_limit_wait <= 60.0
    assert policy.rate_limit_retries >= 1
