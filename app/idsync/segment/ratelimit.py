"""Client-side request limiter that keeps bulk runs under Segment's rate limit.

A sliding log: at most ``max_requests`` requests finish within any ``period`` seconds.
A slot is stamped when its request *finishes*, not when it starts. The server counts a
request when it arrives, which is after the client sent it and before the client has the
answer, so stamping at the end means the client's window always starts no earlier than
the server's: a run paced by this limiter never trips the server's limit of the same
size, whatever the network latency.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from idsync.segment.cancel import CancelToken, Sleeper, interruptible_sleep

DEFAULT_MAX_REQUESTS = 50
DEFAULT_PERIOD_SECONDS = 60.0

# When every slot is taken by requests still in flight there is no stamp to wait for;
# poll at this interval until one of them finishes.
_IN_FLIGHT_POLL_SECONDS = 0.05


class RateLimiter:
    def __init__(
        self,
        max_requests: int = DEFAULT_MAX_REQUESTS,
        period: float = DEFAULT_PERIOD_SECONDS,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleeper = interruptible_sleep,
    ) -> None:
        if max_requests < 1:
            raise ValueError("max_requests must be at least 1")
        if period <= 0:
            raise ValueError("period must be positive")
        self.max_requests = max_requests
        self.period = float(period)
        self._clock = clock
        self._sleep = sleep
        self._finished: deque[float] = deque()
        self._in_flight = 0
        self._lock = threading.Lock()
        self.waited_seconds = 0.0
        self.waits = 0

    def acquire(self, cancel: CancelToken | None = None) -> None:
        """Block until a request may start (raises Cancelled if cancelled meanwhile)."""
        while True:
            if cancel is not None:
                cancel.raise_if_cancelled()
            with self._lock:
                now = self._clock()
                self._forget_before(now - self.period)
                if len(self._finished) + self._in_flight < self.max_requests:
                    self._in_flight += 1
                    return
                if self._finished:
                    delay = self._finished[0] + self.period - now
                else:
                    delay = _IN_FLIGHT_POLL_SECONDS
            self.waits += 1
            self.waited_seconds += max(0.0, delay)
            self._sleep(max(0.0, delay), cancel)

    def wait_for_room(self, count: int, cancel: CancelToken | None = None) -> None:
        """Block until ``count`` requests could start one after another without waiting
        (raises Cancelled if cancelled meanwhile). Nothing is taken: the caller's own
        requests take their slots as they go, so a read and the write that rests on it
        leave back to back, with no wait of the limiter between them."""
        wanted = max(1, min(count, self.max_requests))
        while True:
            if cancel is not None:
                cancel.raise_if_cancelled()
            with self._lock:
                now = self._clock()
                self._forget_before(now - self.period)
                used = len(self._finished) + self._in_flight
                if used + wanted <= self.max_requests:
                    return
                # The stamp whose expiry leaves room for ``wanted``.
                expiring = used + wanted - self.max_requests
                if len(self._finished) >= expiring:
                    delay = self._finished[expiring - 1] + self.period - now
                else:
                    delay = _IN_FLIGHT_POLL_SECONDS
            self.waits += 1
            self.waited_seconds += max(0.0, delay)
            self._sleep(max(0.0, delay), cancel)

    def release(self) -> None:
        """Stamp the end of a request started with ``acquire``."""
        with self._lock:
            self._in_flight = max(0, self._in_flight - 1)
            self._finished.append(self._clock())

    @contextmanager
    def slot(self, cancel: CancelToken | None = None) -> Iterator[None]:
        self.acquire(cancel)
        try:
            yield
        finally:
            self.release()

    def _forget_before(self, horizon: float) -> None:
        while self._finished and self._finished[0] <= horizon:
            self._finished.popleft()


def minimum_duration(request_count: int, max_requests: int, period: float) -> float:
    """The least time ``request_count`` requests can take under the limit (latency aside):
    the first window's worth go at once, every further window's worth one period later."""
    if request_count <= 0:
        return 0.0
    return (math.ceil(request_count / max_requests) - 1) * period
