"""Cancellation shared by the UI thread (which cancels) and a worker (which checks)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from idsync.segment.errors import Cancelled

# Waits the client and limiter make: (seconds, cancel token or None). Injectable so unit
# tests can advance a fake clock instead of sleeping.
Sleeper = Callable[[float, "CancelToken | None"], None]


class CancelToken:
    """Set once by ``cancel()``; checked between requests and woken during waits."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled("Cancelled. Nothing further was sent to Segment.")

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; return True early if cancelled meanwhile."""
        return self._event.wait(max(0.0, seconds))


def interruptible_sleep(seconds: float, cancel: CancelToken | None) -> None:
    """Sleep, waking at once on cancel (then raise Cancelled)."""
    if cancel is None:
        if seconds > 0:
            time.sleep(seconds)
        return
    cancel.raise_if_cancelled()
    if cancel.wait(seconds):
        cancel.raise_if_cancelled()
