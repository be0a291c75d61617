"""Documents and a clock for the local-history tests (entry times are known in advance),
and entries of the JSON-entry store earlier versions kept."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from idsync.core.model import (
    AudienceTarget,
    DestinationRef,
    IdentifierRow,
    IdSyncDocument,
    Strategy,
)
from idsync.storage.documents import dump_document

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


def write_legacy_entry(
    folder: Path,
    doc: IdSyncDocument,
    *,
    key: str,
    when: datetime,
    event: str = "save",
    source_path: str | None = None,
    detail: str = "",
) -> Path:
    """An entry file as versions before the database kept them (one JSON file per entry
    in a folder per identity); returns its path."""
    data = dump_document(doc)
    envelope = {
        "format": "idsync-history",
        "version": 1,
        "recorded_at": when.isoformat(timespec="microseconds"),
        "event": event,
        "key": key,
        "source_path": source_path,
        "detail": detail,
        "sha256": hashlib.sha256(data).hexdigest(),
        "document": json.loads(data),
    }
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{when.strftime('%Y%m%dT%H%M%S.%fZ')}-{event}.json"
    path.write_text(json.dumps(envelope, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
