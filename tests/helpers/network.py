"""Small real network helpers shared by the tests: recorded waits, a closed port."""

from __future__ import annotations

import socket

from idsync.segment.cancel import CancelToken


class RecordingSleeper:
    """Stands in for the client's waits: records each one and returns at once, so a
    test can check *how long* the client chose to wait without spending that time."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float, cancel: CancelToken | None) -> None:
        if cancel is not None:
            cancel.raise_if_cancelled()
        self.waits.append(seconds)


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


