"""The self-test's clock counts from the process start and only goes forward."""

from __future__ import annotations

import sys

from app import clock


def test_time_since_start_is_positive_and_grows() -> None:
    first = clock.seconds_since_start()
    assert first > 0
    assert clock.seconds_since_start() >= first
    expected = "process-start" if sys.platform.startswith("linux") else "first-import"
    assert expected == clock.CLOCK
