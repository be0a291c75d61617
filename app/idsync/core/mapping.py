"""Which destination field fits an identifier, and which identifier a new row should be.

The catalog tells what kind of value each identifier holds and each destination field
takes; this module turns that into the editor's defaults and the mapping rule's fixes.
A default is the field that fits, or empty; never a field of another kind.
"""

from __future__ import annotations

from collections.abc import Iterable

from idsync.core.catalog import Catalog, DestinationField, DestinationSpec, ValueKind
from idsync.core.model import IdentifierRow, IdSyncDocument, Strategy

FALLBACK_IDENTIFIERS: tuple[str, ...] = ("email", "user_id")
"""What a new row proposes when the destination says nothing more useful."""


def destination_spec(doc: IdSyncDocument, catalog: Catalog) -> DestinationSpec | None:
    return catalog.destination(doc.destination.slug) if doc.destination is not None else None


def field_kind(spec: DestinationSpec | None, key: str) -> ValueKind | None:
    if spec is None or not key:
        return None
    field = spec.field(key)
    return field.kind if field is not None else None


def fits(spec: DestinationSpec | None, catalog: Catalog, segment: str, key: str) -> bool | None:
    """True or False when both kinds are known; None when either is not."""
    identifier = catalog.identifier_kind(segment)
    field = field_kind(spec, key)
    if identifier is None or field is None:
        return None
    return field.takes(identifier)


_PLATFORMS = ("ios.", "android.")


def platform_twins(first: str, second: str) -> bool:
    """One identifier on the two mobile platforms (ios.idfa and android.idfa): a device
    is one or the other, so both may share a destination field (Facebook's MADID)."""
    return any(
        first.startswith(a) and second.startswith(b) and first[len(a) :] == second[len(b) :]
        for a in _PLATFORMS
        for b in _PLATFORMS
        if a != b
    )


def shares_field(segment: str, other: str) -> bool:
    """Whether rows sending ``segment`` and ``other`` may use one destination field."""
    return segment == other or platform_twins(segment, other)


def fitting_field(
    spec: DestinationSpec | None,
    catalog: Catalog,
    segment: str,
    beside: Iterable[IdentifierRow] = (),
) -> DestinationField | None:
    """The destination field for ``segment``: one of its kind that none of the rows
    ``beside`` it sends another identifier under (two identifiers under one field is
    IDS314: never proposed)."""
    kind = catalog.identifier_kind(segment)
    if spec is None or kind is None:
        return None
    taken = {row.destination for row in beside if not shares_field(segment, row.segment)}
    free = [f for f in spec.fitting_fields[kind] if f.key not in taken]
    # Among fields of one kind, the one named like the identifier (ios_idfa for ios.idfa).
    named_alike = segment.replace(".", "_")
    return next((f for f in free if f.key == named_alike), None) or next(iter(free), None)


def retarget(
    spec: DestinationSpec | None, catalog: Catalog, old: str, new: str, current: str
) -> str:
    """The destination field after a row's identifier changes from ``old`` to ``new``.

    A field that fits ``new`` stays, and so does a name the catalog does not know (the
    person typed it). A field of another kind, or one that was there for ``old``, gives
    way to the field that fits ``new``, or to empty.
    """
    verdict = fits(spec, catalog, new, current) if current else False
    if verdict is True:
        return current
    if verdict is None and fits(spec, catalog, old, current) is not True:
        return current
    field = fitting_field(spec, catalog, new)
    return field.key if field is not None else ""


def suggested_identifiers(doc: IdSyncDocument, catalog: Catalog) -> tuple[str, ...]:
    """Identifiers in the order a new row should propose them for this destination.

    The destination's Default Setup identifiers first (what it matches on), then the
    space's declared custom identifiers with a field of their kind, then identifiers
    with a field of their kind in the destination's own order, then email and user_id.
    Mobile advertising IDs only where the destination takes them, and last while Send
    Mobile IDs is off.
    """
    spec = destination_spec(doc, catalog)
    order: list[str] = []

    def offer(segment: str) -> None:
        if segment and segment not in order:
            order.append(segment)

    takes_mobile = spec is None or spec.supports_mobile_ids
    mobile = catalog.mobile_ad_ids()
    if spec is not None:
        for segment in spec.default_identifiers:
            offer(segment)
        for custom in doc.custom_identifiers:
            if fitting_field(spec, catalog, custom) is not None:
                offer(custom)
        for field in spec.fields():
            for identifier in catalog.identifiers:
                if (
                    not identifier.legacy
                    and identifier.kind is not None
                    and field.kind is identifier.kind
                ):
                    offer(identifier.id)
    for segment in FALLBACK_IDENTIFIERS:
        offer(segment)
    if not takes_mobile:
        return tuple(s for s in order if s not in mobile)
    if not doc.send_mobile_ids and (spec is None or spec.send_mobile_ids_setting):
        # They would wait for Send Mobile IDs: propose what is sent as it stands first.
        return tuple(sorted(order, key=lambda s: s in mobile))
    return tuple(order)


def next_identifier(doc: IdSyncDocument, catalog: Catalog) -> str:
    """The most useful identifier no row uses yet ('' when every suggestion is used)."""
    used = {row.segment for row in doc.identifiers}
    return next((s for s in suggested_identifiers(doc, catalog) if s not in used), "")


def new_row(doc: IdSyncDocument, catalog: Catalog) -> IdentifierRow:
    """The row "+ Add Identifier" adds: the most useful unused identifier, under the
    field that fits it (or empty), sending the last added value."""
    spec = destination_spec(doc, catalog)
    segment = next_identifier(doc, catalog)
    field = fitting_field(spec, catalog, segment, doc.identifiers) if segment else None
    return IdentifierRow(
        segment=segment, destination=field.key if field is not None else "", strategy=Strategy.LAST
    )


def default_rows(spec: DestinationSpec | None, catalog: Catalog) -> tuple[IdentifierRow, ...]:
    """The rows Default Setup stands for: switching to Customized starts from them."""
    identifiers = spec.default_identifiers if spec is not None else FALLBACK_IDENTIFIERS
    strategy = spec.default_strategy if spec is not None else Strategy.LAST
    limit = spec.constraints.max_extra_identifiers if spec is not None else None
    if spec is not None and limit is not None and spec.constraints.matcher_identifiers:
        # With a limit beside the matcher, the matchers are alternatives (Google's list
        # matches on email OR a mobile ID): start from the first, within the limit.
        matchers = set(spec.constraints.matcher_identifiers)
        first = [s for s in identifiers if s in matchers][:1]
        others = [s for s in identifiers if s not in matchers][:limit]
        identifiers = (*first, *others)
    rows: list[IdentifierRow] = []
    for segment in identifiers:
        field = fitting_field(spec, catalog, segment, rows)
        if field is None and spec is not None and spec.identifier_mode == "preset":
            # A dropdown with no key for it (Facebook (Actions) reads no mobile ID by
            # default): the row would start out wrong, so it is left out.
            continue
        rows.append(
            IdentifierRow(
                segment=segment,
                destination=field.key if field is not None else "",
                strategy=strategy,
            )
        )
    return tuple(rows)
