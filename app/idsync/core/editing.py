"""Pure edits of a document: each returns a new document, the old one is untouched.

The editor's undo stack stores (before, after) documents, so every edit the UI offers
is one of these functions plus a description.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from idsync.core.catalog import Catalog
from idsync.core.findings import FindingFix
from idsync.core.mapping import default_rows, destination_spec, retarget
from idsync.core.model import (
    AudienceTarget,
    DestinationKind,
    DestinationRef,
    IdentifierRow,
    IdSyncDocument,
    JourneyTarget,
    Setup,
    Strategy,
)

RowField = Literal["segment", "destination", "strategy"]


def new_document() -> IdSyncDocument:
    """A new configuration as Segment starts one: Default Setup, so it starts valid; the
    first switch to Customized Setup seeds the destination's default rows
    (``choose_setup``)."""
    return IdSyncDocument(setup=Setup.DEFAULT)


def add_row(doc: IdSyncDocument, row: IdentifierRow, at: int | None = None) -> IdSyncDocument:
    rows = list(doc.identifiers)
    rows.insert(len(rows) if at is None else max(0, min(at, len(rows))), row)
    return doc.with_rows(rows)


def remove_row(doc: IdSyncDocument, index: int) -> IdSyncDocument:
    rows = list(doc.identifiers)
    _check_index(rows, index)
    del rows[index]
    return doc.with_rows(rows)


def move_row(doc: IdSyncDocument, index: int, to: int) -> IdSyncDocument:
    rows = list(doc.identifiers)
    _check_index(rows, index)
    _check_index(rows, to)
    rows.insert(to, rows.pop(index))
    return doc.with_rows(rows)


def set_row_field(
    doc: IdSyncDocument, index: int, field: RowField, value: str | Strategy
) -> IdSyncDocument:
    rows = list(doc.identifiers)
    _check_index(rows, index)
    if field == "strategy":
        value = Strategy(value)
    elif not isinstance(value, str):
        raise TypeError(f"{field} takes text, got {type(value).__name__}")
    rows[index] = rows[index].replace(**{field: value})
    return doc.with_rows(rows)


def apply_fix(doc: IdSyncDocument, fix: FindingFix) -> IdSyncDocument:
    """Apply a finding's one-click fix: exactly the value it names, in its cell. A fix for
    a row that no longer exists changes nothing."""
    if not 0 <= fix.row < len(doc.identifiers) or fix.field not in ("segment", "destination"):
        return doc
    field: RowField = "segment" if fix.field == "segment" else "destination"
    return set_row_field(doc, fix.row, field, fix.value)


def change_identifier(
    doc: IdSyncDocument, index: int, segment: str, catalog: Catalog
) -> IdSyncDocument:
    """Set a row's Segment identifier; a destination field that no longer fits gives way
    to the one that does, or to empty (``idsync.core.mapping.retarget``)."""
    rows = list(doc.identifiers)
    _check_index(rows, index)
    row = rows[index]
    destination = retarget(
        destination_spec(doc, catalog), catalog, row.segment, segment, row.destination
    )
    rows[index] = row.replace(segment=segment, destination=destination)
    return doc.with_rows(rows)


def choose_setup(doc: IdSyncDocument, setup: Setup, catalog: Catalog) -> IdSyncDocument:
    """Switch between Default and Customized Setup. Customized Setup with no rows starts
    from what Default Setup sends to this destination, so it starts valid."""
    changed = doc.replace(setup=setup)
    if setup is Setup.CUSTOMIZED and not doc.identifiers:
        spec = destination_spec(doc, catalog)
        rows = default_rows(spec, catalog)
        if not doc.send_mobile_ids and (spec is None or spec.send_mobile_ids_setting):
            # Mobile IDs would only wait for Send Mobile IDs; leave them to the person.
            held_back = catalog.mobile_ad_ids()
            rows = tuple(row for row in rows if row.segment not in held_back)
        changed = changed.with_rows(rows)
    return changed


def _check_index(rows: list[IdentifierRow], index: int) -> None:
    if not 0 <= index < len(rows):
        raise IndexError(f"row {index} does not exist (the table has {len(rows)} rows)")


def set_audience_ids(
    doc: IdSyncDocument, *, space_id: str | None = None, audience_id: str | None = None
) -> IdSyncDocument:
    """Point the document at another space and/or audience (a journey keeps its journey
    and step; only its space changes). None leaves an id as it is."""
    update: dict[str, str] = {}
    if space_id is not None:
        update["space_id"] = space_id.strip()
    if audience_id is not None and isinstance(doc.target, AudienceTarget):
        update["audience_id"] = audience_id.strip()
    if not update:
        return doc
    return doc.replace(target=doc.target.replace(**update))


# -- the Target and Destination steps, and the Event settings' switches ------------------

TargetKind = Literal["audience", "journey"]


def set_target_field(doc: IdSyncDocument, field: str, value: str) -> IdSyncDocument:
    """One field of the target (``space_id``, ``audience_id``, ``journey_id``, ``step``;
    a ``target.`` prefix, as findings name fields, is allowed) as typed: kept as is, the
    rules flag stray spaces."""
    field = field.removeprefix("target.")
    if field == "kind" or field not in type(doc.target).model_fields:
        raise ValueError(f"a {doc.target.kind} target has no {field}")
    return doc.replace(target=doc.target.replace(**{field: value}))


def choose_target_kind(doc: IdSyncDocument, kind: TargetKind) -> IdSyncDocument:
    """Target an audience or a journey step; the space stays, the other ids are cleared
    because they name things of the other kind."""
    if doc.target.kind == kind:
        return doc
    target = AudienceTarget if kind == "audience" else JourneyTarget
    return doc.replace(target=target(space_id=doc.target.space_id))


def set_name(doc: IdSyncDocument, name: str) -> IdSyncDocument:
    return doc.replace(name=name)


def set_notes(doc: IdSyncDocument, notes: str) -> IdSyncDocument:
    return doc.replace(notes=notes)


def choose_destination(
    doc: IdSyncDocument,
    slug: str,
    *,
    name: str = "",
    kind: DestinationKind = DestinationKind.DESTINATION,
    instance_id: str = "",
) -> IdSyncDocument:
    """Another catalog destination. Its instance id is given or left empty: an instance
    id names one destination in the space, so it never carries over from another."""
    ref = DestinationRef(slug=slug, name=name, kind=kind, instance_id=instance_id)
    return doc.replace(destination=ref)


def set_instance_id(doc: IdSyncDocument, instance_id: str) -> IdSyncDocument:
    """The workspace destination's id, as typed; a document without a destination has
    nowhere to keep one and is returned as it is."""
    if doc.destination is None:
        return doc
    ref = doc.destination.replace(instance_id=instance_id)
    return doc.replace(destination=ref)


def set_send_mobile_ids(doc: IdSyncDocument, on: bool) -> IdSyncDocument:
    return doc if doc.send_mobile_ids == on else doc.replace(send_mobile_ids=on)


def set_custom_identifiers(doc: IdSyncDocument, names: Iterable[str]) -> IdSyncDocument:
    """The space's custom identifier types, in the order given."""
    wanted = tuple(names)
    if wanted == doc.custom_identifiers:
        return doc
    return doc.replace(custom_identifiers=wanted)
