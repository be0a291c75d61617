"""The push plan: what a push would do to the live connection, decided before any write.

Pure: it takes the live connection as read from the API (or None when the destination is
not connected to the audience yet), the local document and the document's findings, and
says create / update / unchanged / refused, with the row-level diff, the exact body to
send and the API's limits that apply. The caller does the I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Final

from idsync.core.api_mapping import (
    NEW_DATA_ONLY,
    NO_RESYNC,
    ApiLimitation,
    ConnectionFormatError,
    CreateBody,
    NotPushable,
    UpdateBody,
    api_limitations,
    create_body,
    rows_from_connection,
    update_body,
)
from idsync.core.diff import RowChange, diff_rows
from idsync.core.findings import Finding
from idsync.core.model import AudienceTarget, DestinationKind, IdentifierRow, IdSyncDocument, Setup


class PlanAction(str, Enum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_ACTION_LABELS: Final = {
    PlanAction.CREATE: "Connect the destination to the audience",
    PlanAction.UPDATE: "Update the live connection",
    PlanAction.UNCHANGED: "No change: the live connection already matches",
    PlanAction.REFUSED: "Cannot push",
}


@dataclass(frozen=True)
class PushPlan:
    action: PlanAction
    space_id: str
    audience_id: str
    destination_id: str
    connection_id: str | None
    reasons: tuple[str, ...]
    live_rows: tuple[IdentifierRow, ...] | None
    new_rows: tuple[IdentifierRow, ...]
    changes: tuple[RowChange, ...]
    body: CreateBody | UpdateBody | None
    # What the API cannot do that matters to this push (idsync.core.api_mapping).
    notes: tuple[ApiLimitation, ...]

    @property
    def writes(self) -> bool:
        return self.action in (PlanAction.CREATE, PlanAction.UPDATE)

    @property
    def method(self) -> str | None:
        """The HTTP method the push would use, or None when nothing is sent."""
        return {PlanAction.CREATE: "POST", PlanAction.UPDATE: "PATCH"}.get(self.action)

    @property
    def summary(self) -> str:
        where = f"audience {self.audience_id or '(none)'} in space {self.space_id or '(none)'}"
        if self.action is PlanAction.REFUSED:
            first = self.reasons[0] if self.reasons else "the document cannot be pushed"
            return f"{self.action.label} to {where}: {first}"
        return f"{self.action.label} ({where})"


def make_plan(
    doc: IdSyncDocument,
    live: Mapping[str, object] | None,
    findings: Sequence[Finding] = (),
) -> PushPlan:
    """Plan pushing ``doc`` given the live connection of its destination (None: not
    connected) and the document's findings (any error refuses the push)."""
    space_id, audience_id = _audience_ids(doc)
    destination_id = doc.destination.instance_id.strip() if doc.destination else ""
    connection_id = _text(live, "id") if live is not None else None
    notes = _notes(doc)

    def plan(
        action: PlanAction,
        *,
        reasons: Sequence[str] = (),
        live_rows: tuple[IdentifierRow, ...] | None = None,
        new_rows: tuple[IdentifierRow, ...] = (),
        body: CreateBody | UpdateBody | None = None,
    ) -> PushPlan:
        changes = diff_rows(live_rows or (), new_rows) if action is not PlanAction.REFUSED else ()
        shown = notes if action is not PlanAction.UNCHANGED else _without_timing(notes)
        return PushPlan(
            action=action,
            space_id=space_id,
            audience_id=audience_id,
            destination_id=destination_id,
            connection_id=connection_id or None,
            reasons=tuple(reasons),
            live_rows=live_rows,
            new_rows=new_rows,
            changes=changes,
            body=body,
            notes=shown,
        )

    errors = [f for f in findings if f.is_error]
    if errors:
        return plan(PlanAction.REFUSED, reasons=[_finding_reason(f) for f in errors])
    if isinstance(doc.target, AudienceTarget) and not (space_id and audience_id):
        return plan(
            PlanAction.REFUSED,
            reasons=["The space id and the audience id are both needed: enter them first."],
        )

    if live is None:
        try:
            body: CreateBody | UpdateBody = create_body(doc)
        except NotPushable as exc:
            return plan(PlanAction.REFUSED, reasons=[exc.message])
        rows = doc.identifiers if doc.setup is Setup.CUSTOMIZED else ()
        return plan(PlanAction.CREATE, new_rows=rows, body=body)

    try:
        live_rows = rows_from_connection(live)
    except ConnectionFormatError as exc:
        return plan(
            PlanAction.REFUSED,
            reasons=[
                f"The live connection could not be read ({exc}); nothing will be sent. "
                "Check it in the Segment app."
            ],
        )
    # The document holds the workspace destination's id; the connection's own id is an
    # integration id (ii_…) and never stands in for it.
    if destination_id and destination_id != _text(live, "destinationId"):
        return plan(
            PlanAction.REFUSED,
            reasons=[
                f"The live connection {connection_id} belongs to another destination "
                f"({_text(live, 'destinationId') or 'unknown'}), not {destination_id}."
            ],
            live_rows=live_rows,
        )
    live_slug = _text(_mapping(live.get("metadata")), "slug")
    doc_slug = doc.destination.slug if doc.destination is not None else ""
    if (
        live_slug
        and doc_slug
        and live_slug != doc_slug
        and doc.destination is not None
        and doc.destination.kind is DestinationKind.DESTINATION
    ):
        # metadata.slug is Segment's slug, which the catalog and the document also use:
        # rows written for one destination are not pushed to another.
        return plan(
            PlanAction.REFUSED,
            reasons=[
                f"The live connection {connection_id} is to {live_slug}, but this document "
                f"is written for {doc_slug}. Choose the destination again, or pick the right "
                f"connection when connected."
            ],
            live_rows=live_rows,
        )
    if doc.setup is Setup.DEFAULT and not live_rows:
        # Nothing customized is stored, so Segment's default already applies.
        return plan(PlanAction.UNCHANGED, live_rows=live_rows)
    try:
        body = update_body(doc)
    except NotPushable as exc:
        return plan(PlanAction.REFUSED, reasons=[exc.message], live_rows=live_rows)
    if live_rows == doc.identifiers:
        return plan(PlanAction.UNCHANGED, live_rows=live_rows, new_rows=doc.identifiers, body=body)
    return plan(PlanAction.UPDATE, live_rows=live_rows, new_rows=doc.identifiers, body=body)


def _audience_ids(doc: IdSyncDocument) -> tuple[str, str]:
    if isinstance(doc.target, AudienceTarget):
        return doc.target.space_id.strip(), doc.target.audience_id.strip()
    return doc.target.space_id.strip(), ""


def _notes(doc: IdSyncDocument) -> tuple[ApiLimitation, ...]:
    return (NEW_DATA_ONLY, NO_RESYNC, *api_limitations(doc))


def _without_timing(notes: tuple[ApiLimitation, ...]) -> tuple[ApiLimitation, ...]:
    # Timing and resync only matter when something is written.
    return tuple(n for n in notes if n not in (NEW_DATA_ONLY, NO_RESYNC))


def _finding_reason(finding: Finding) -> str:
    where = f" (row {finding.row + 1})" if finding.row is not None else ""
    return f"{finding.code}{where}: {finding.message}"


def _mapping(value: object) -> Mapping[str, object] | None:
    return value if isinstance(value, Mapping) else None


def _text(data: Mapping[str, object] | None, key: str) -> str:
    value = data.get(key) if data is not None else None
    return value if isinstance(value, str) else ""
