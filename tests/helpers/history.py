"""Documents and a clock for the local-history tests: entry times are known in advance."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from app.core.model import (
    AudienceTarget,
    DestinationRef,
    IdentifierRow,
    IdSyncDocument,
    Strategy,
)

START = datetime(2025, 3, 1, 9, 30, tzinfo=timezone.utc)


def ticking_clock(step: timedelta = timedelta(minutes=1)) -> Callable[[], datetime]:
    """A clock that moves one step per reading, so entry times are known."""
    times = iter(START + step * n for n in range(10_000))
    return lambda: next(times)


def connected(audience: str = "aud_1", strategy: Strategy = Strategy.LAST) -> IdSyncDocument:
    return IdSyncDocument(
        name="Iterable sync",
        target=AudienceTarget(space_id="spa_1", audience_id=audience),
        destination=DestinationRef(slug="iterable", name="Iterable", instance_id="dst_1"),
        identifiers=(IdentifierRow(segment="email", destination="email", strategy=strategy),),
    )


def draft(name: str = "Draft") -> IdSyncDocument:
    """No ids yet: grouped by its file."""
    return IdSyncDocument(
        name=name,
        identifiers=(IdentifierRow(segment="user_id", destination="", strategy=Strategy.FIRST),),
    )
