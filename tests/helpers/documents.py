"""Sample documents shared by the CLI, review and UI tests, and how to write them."""

from __future__ import annotations

from pathlib import Path

from idsync.core.catalog import Catalog
from idsync.core.model import (
    AudienceTarget,
    DestinationRef,
    IdentifierRow,
    IdSyncDocument,
    JourneyTarget,
    Strategy,
)
from idsync.storage.documents import write_document

CLEAN = IdSyncDocument(
    name="Facebook email",
    target=AudienceTarget(space_id="spa_1", audience_id="aud_1"),
    destination=DestinationRef(
        slug="personas-facebook-custom-audiences",
        name="Facebook Custom Audiences",
        instance_id="dst_1",
    ),
    identifiers=(IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.LAST),),
)
# A row without a Segment identifier: an error (IDS104, the API requires externalId) on
# row 2, with no one-click fix.
ROW_ERROR = CLEAN.with_rows(
    [
        *CLEAN.identifiers,
        IdentifierRow(segment="", destination="PHONE", strategy=Strategy.ALL),
    ]
)
# ios.idfa without Send Mobile IDs: a warning (IDS109) on row 2, never an error.
MOBILE_WITHOUT_TOGGLE = CLEAN.with_rows(
    [
        *CLEAN.identifiers,
        IdentifierRow(segment="ios.idfa", destination="MADID", strategy=Strategy.ALL),
    ]
)
JOURNEY = CLEAN.replace(target=JourneyTarget(space_id="spa_1", journey_id="jou_1", step="Welcome"))
BROKEN_JSON = b'{\n  "format": "idsync-config",\n  "version": 1,\n  "name": "x"\n  "notes": ""\n}\n'


def write(path: Path, doc: IdSyncDocument) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_document(path, doc)
    return path


def row_line(path: Path, row: int) -> int:
    """The 1-based line where identifier row ``row`` (1-based) opens in a document written
    by :func:`write` (indent 2: each row opens with ``    {`` under ``"identifiers"``)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, text in enumerate(lines) if text.startswith('  "identifiers"'))
    openings = [i + 1 for i, text in enumerate(lines) if i > start and text == "    {"]
    return openings[row - 1]


def facebook_document(**changes: object) -> IdSyncDocument:
    doc = IdSyncDocument(
        name="VIP buyers to Facebook",
        target=AudienceTarget(space_id="spa_9f2KxQe7", audience_id="aud_2bLq8TtW"),
        destination=DestinationRef(
            slug="personas-facebook-custom-audiences",
            name="Facebook Custom Audiences",
            instance_id="64f1c2a9e3b8d70012ab34cd",
        ),
        custom_identifiers=("phone",),
        identifiers=(
            IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.LAST),
            IdentifierRow(segment="phone", destination="PHONE", strategy=Strategy.FIRST),
        ),
    )
    return doc.replace(**changes)


def catalog_document(
    catalog: Catalog, slug: str, *rows: tuple[str, str], **changes: object
) -> IdSyncDocument:
    """A complete audience document for the catalog entry ``slug``, with ``rows`` as
    (Segment identifier, destination field) pairs sending the last value."""
    spec = catalog.destination(slug)
    assert spec is not None, slug
    return IdSyncDocument(
        target=AudienceTarget(space_id="spa_1", audience_id="aud_1"),
        destination=DestinationRef(slug=slug, name=spec.name, kind=spec.kind, instance_id="ii_1"),
        identifiers=tuple(
            IdentifierRow(segment=s, destination=d, strategy=Strategy.LAST) for s, d in rows
        ),
    ).replace(**changes)
