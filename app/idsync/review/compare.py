"""Comparisons for review: the diff as JSON, and a document's live counterpart.

Everything here rests on :func:`idsync.core.diff.diff_documents`, the one diff the text
output of ``idsync diff``, its JSON, and the window's Compare dialog all show.
Reading the live connection only reads: no request here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from idsync.core.api_mapping import ConnectionFormatError, rows_from_connection
from idsync.core.diff import DocumentDiff, RowChange
from idsync.core.model import AudienceTarget, IdentifierRow, IdSyncDocument, Setup


class LiveCompareError(Exception):
    """The live side cannot be read for this document; ``str()`` says why and what to do."""


@dataclass(frozen=True)
class LiveSide:
    """The live connection as a document (the file's, with the live rows and setup)."""

    document: IdSyncDocument
    connection_id: str
    label: str


def diff_json(difference: DocumentDiff, *, old: str, new: str) -> dict[str, Any]:
    """The machine-readable diff: rows counted from 1 like the text."""
    return {
        "old": old,
        "new": new,
        "same": difference.is_empty,
        "fields": [
            {"field": change.field, "old": change.old, "new": change.new}
            for change in difference.fields
        ],
        "rows": [_row_json(change) for change in difference.rows],
        "text": difference.render_text(),
    }


def _row_json(change: RowChange) -> dict[str, Any]:
    return {
        "kind": change.kind.value,
        "old_row": None if change.old_index is None else change.old_index + 1,
        "new_row": None if change.new_index is None else change.new_index + 1,
        "old": _row(change.old_row),
        "new": _row(change.new_row),
        "fields": [
            {"field": field.field, "old": field.old, "new": field.new} for field in change.fields
        ],
        "moved": change.moved,
    }


def _row(row: IdentifierRow | None) -> dict[str, str] | None:
    if row is None:
        return None
    return {"segment": row.segment, "destination": row.destination, "strategy": row.strategy.value}


def live_ids(doc: IdSyncDocument) -> tuple[str, str, str]:
    """(space, audience, destination instance) of the connection ``doc`` is written for."""
    if not isinstance(doc.target, AudienceTarget):
        raise LiveCompareError(
            "journey steps have no ID Sync API, so there is no live configuration to "
            "compare with; compare with another file or a history version instead"
        )
    space = doc.target.space_id.strip()
    audience = doc.target.audience_id.strip()
    instance = doc.destination.instance_id.strip() if doc.destination is not None else ""
    missing = [
        name
        for name, value in (("space id", space), ("audience id", audience),
                            ("destination instance id", instance))
        if not value
    ]
    if missing:
        raise LiveCompareError(
            f"the document has no {', '.join(missing)}, so its live connection cannot be "
            "found; fill them in (Target and Destination steps) and compare again"
        )
    return space, audience, instance


def live_document(
    doc: IdSyncDocument, connection: dict[str, object] | None
) -> IdSyncDocument:
    """``doc`` as it stands live: the connection's rows (Default Setup when it stores
    none). Fields the API does not report (name, notes, Send Mobile IDs) are the file's, so
    the comparison shows only what Segment holds differently."""
    if connection is None:
        raise LiveCompareError(
            "the destination is not connected to this audience in Segment: there is nothing "
            "live to compare with (a push would create the connection)"
        )
    try:
        rows = rows_from_connection(connection)
    except ConnectionFormatError as error:
        raise LiveCompareError(f"the live connection could not be read ({error})") from None
    setup = Setup.CUSTOMIZED if rows else Setup.DEFAULT
    # Default Setup keeps no rows live; the file's rows would show as removals that
    # Segment never had, so they are compared as they are stored: none.
    return doc.replace(identifiers=rows, setup=setup)


def read_live_side(client: Any, doc: IdSyncDocument) -> LiveSide:
    """Read (GET only) the live connection of ``doc`` through ``client``."""
    space, audience, instance = live_ids(doc)
    connection = client.find_connection(space, audience, instance)
    raw = connection.raw if connection is not None else None
    document = live_document(doc, dict(raw) if raw is not None else None)
    connection_id = str(raw.get("id", "")) if raw is not None else ""
    label = f"live: {space}/{audience} → {connection_id or instance}"
    return LiveSide(document, connection_id, label)
