"""Mapping between the document and the Segment Public API bodies (derived, never edited).

The API surface (docs/sources.md, "The Public API"):

* Add Destination to Audience (POST) takes ``destination{id, type}``, an optional
  ``idSyncConfiguration`` array and optional ``connectionSettings``.
* Update Destination for Audience (PATCH) *replaces* the stored array, so the update body
  always carries the complete list; an empty array is a no-op there.
* A connection read back (``SimpleDestination`` or the ``data`` of a create/update
  response) carries ``idSyncConfiguration: [{externalId, strategy, mapTo?}]``.

What is deliberately not sent, and why, is listed by :func:`api_limitations` so the editor
and the CLI can show it next to the body.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal, TypedDict

from typing_extensions import NotRequired

from idsync.core.model import IdentifierRow, IdSyncDocument, JourneyTarget, Setup, Strategy
from idsync.core.positions import describe


class DestinationPayload(TypedDict):
    id: str
    type: Literal["destination", "warehouse"]


class IdSyncEntry(TypedDict):
    externalId: str
    strategy: Literal["first", "last", "all"]
    mapTo: NotRequired[str]


class CreateBody(TypedDict):
    destination: DestinationPayload
    idSyncConfiguration: NotRequired[list[IdSyncEntry]]


class UpdateBody(TypedDict):
    idSyncConfiguration: list[IdSyncEntry]


NotPushableReason = Literal[
    "journey", "no-destination", "no-instance-id", "default-setup", "no-rows"
]


class NotPushable(Exception):
    """The document cannot be expressed as this API request; ``str()`` says why and what to do."""

    def __init__(self, reason: NotPushableReason, message: str) -> None:
        super().__init__(message)
        self.reason: NotPushableReason = reason
        self.message = message


class ConnectionFormatError(ValueError):
    """A connection payload read from the API does not have the documented shape."""


@dataclass(frozen=True)
class ApiLimitation:
    """What the API cannot do that the person may expect it to; the one source of these
    words for the plan, the push result, the review page and the IDS901-904 findings.
    ``code`` is stable for the UI."""

    code: str
    message: str


NEW_DATA_ONLY: Final = ApiLimitation(
    "new-data-only",
    "ID Sync applies to new data only, about five minutes after the change is saved in "
    "Segment. Wait about five minutes before checking events in the destination.",
)
NO_RESYNC: Final = ApiLimitation(
    "no-resync",
    "Existing members are not resynced: only events sent after the change carry the new "
    "identifiers. If existing members need them, ask Segment support about a resync.",
)
SEND_MOBILE_IDS_NOT_SENT: Final = ApiLimitation(
    "send-mobile-ids-not-sent",
    "Send Mobile IDs is not part of the request: Segment has not published the "
    "connectionSettings key for it. Turn it on in Segment under the audience's "
    "destination connection settings.",
)
JOURNEY_HAS_NO_API: Final = ApiLimitation(
    "journey-no-api",
    "Journey steps have no ID Sync field in the Public API: export this configuration "
    "(File > Export, or idsync export) and set it on the journey step in the Segment app.",
)
DEFAULT_SETUP_UPDATE: Final = ApiLimitation(
    "default-setup-update",
    "An existing connection cannot be switched back to Default Setup through the API "
    "(an empty list leaves it unchanged); do that in the Segment app.",
)

_STRATEGY_VALUES: Final = ", ".join(s.value for s in Strategy)


def create_body(doc: IdSyncDocument) -> CreateBody:
    """The body of Add Destination to Audience for this document.

    Default Setup omits ``idSyncConfiguration`` so Segment's own default applies.
    ``connectionSettings`` is never sent: the key for Send Mobile IDs is unconfirmed
    (docs/sources.md, "Where the sources are silent"), and a guessed key could change
    other settings, since the API replaces that object wholesale. See
    :func:`api_limitations`.
    """
    instance_id = _check_connectable(doc)
    body: CreateBody = {"destination": {"id": instance_id, "type": "destination"}}
    if doc.setup is Setup.CUSTOMIZED:
        body["idSyncConfiguration"] = _entries(doc)
    return body


def update_body(doc: IdSyncDocument) -> UpdateBody:
    """The body of Update Destination for Audience: always the complete array.

    Raises :class:`NotPushable` for Default Setup (an empty array is a no-op, so the API
    cannot return a connection to the default), for journeys and without an instance id.
    """
    _check_connectable(doc)
    if doc.setup is Setup.DEFAULT:
        raise NotPushable(
            "default-setup",
            "Default Setup cannot be pushed as an update: the API keeps the current "
            "identifiers when sent an empty list. Choose Customized Setup, or switch the "
            "connection back to Default Setup in the Segment app.",
        )
    return {"idSyncConfiguration": _entries(doc)}


def rows_from_connection(data: Mapping[str, object]) -> tuple[IdentifierRow, ...]:
    """The identifier rows stored on a connection (``SimpleDestination`` or response ``data``).

    A missing or null ``idSyncConfiguration`` gives no rows (Segment's default applies).
    ``mapTo`` may be missing or null. Strategies are read case-insensitively because the
    API's own casing rules are unconfirmed; anything else raises ConnectionFormatError.
    """
    raw = data.get("idSyncConfiguration")
    if raw is None:
        return ()
    if not isinstance(raw, Sequence) or isinstance(raw, (str, bytes)):
        raise ConnectionFormatError(
            f"idSyncConfiguration should be a list, got {_json_type(raw)}"
        )
    return tuple(_row_from_entry(index, entry) for index, entry in enumerate(raw))


def api_limitations(doc: IdSyncDocument) -> tuple[ApiLimitation, ...]:
    """What the API bodies for ``doc`` leave out or cannot do, for display beside them."""
    notes: list[ApiLimitation] = []
    if isinstance(doc.target, JourneyTarget):
        notes.append(JOURNEY_HAS_NO_API)
    if doc.send_mobile_ids:
        notes.append(SEND_MOBILE_IDS_NOT_SENT)
    if doc.setup is Setup.DEFAULT:
        notes.append(DEFAULT_SETUP_UPDATE)
    return tuple(notes)


def _check_connectable(doc: IdSyncDocument) -> str:
    if isinstance(doc.target, JourneyTarget):
        raise NotPushable("journey", JOURNEY_HAS_NO_API.message)
    if doc.destination is None:
        raise NotPushable(
            "no-destination", "No destination is chosen: pick one before exporting a request."
        )
    instance_id = doc.destination.instance_id.strip()
    if not instance_id:
        raise NotPushable(
            "no-instance-id",
            "The destination instance id is empty: enter the id of the destination in "
            "the space (List Destinations) to build a request.",
        )
    if doc.setup is Setup.CUSTOMIZED and not doc.identifiers:
        raise NotPushable(
            "no-rows",
            "Customized Setup has no identifier rows: add at least one, or choose "
            "Default Setup.",
        )
    return instance_id


def _entries(doc: IdSyncDocument) -> list[IdSyncEntry]:
    entries: list[IdSyncEntry] = []
    for row in doc.identifiers:
        entry: IdSyncEntry = {"externalId": row.segment, "strategy": row.strategy.value}
        if row.destination:
            entry["mapTo"] = row.destination
        entries.append(entry)
    return entries


def _row_from_entry(index: int, entry: object) -> IdentifierRow:
    where = f"idSyncConfiguration[{index}]"
    if not isinstance(entry, Mapping):
        raise ConnectionFormatError(f"{where} should be an object, got {_json_type(entry)}")
    external_id = entry.get("externalId")
    if not isinstance(external_id, str):
        raise ConnectionFormatError(
            f"{where}.externalId should be text, got {_json_type(external_id)}"
        )
    strategy_raw = entry.get("strategy")
    if not isinstance(strategy_raw, str):
        raise ConnectionFormatError(
            f"{where}.strategy should be one of {_STRATEGY_VALUES}, got {_json_type(strategy_raw)}"
        )
    try:
        strategy = Strategy(strategy_raw.strip().lower())
    except ValueError:
        raise ConnectionFormatError(
            f"{where}.strategy {strategy_raw!r} is not one of {_STRATEGY_VALUES}"
        ) from None
    map_to = entry.get("mapTo")
    if map_to is not None and not isinstance(map_to, str):
        raise ConnectionFormatError(f"{where}.mapTo should be text, got {_json_type(map_to)}")
    return IdentifierRow(segment=external_id, destination=map_to or "", strategy=strategy)


def _json_type(value: object) -> str:
    # Text is said to be text here: the value stands where the API wanted something else.
    return f"the text {describe(value)}" if isinstance(value, str) else describe(value)
