"""Strategy preview: what an ID Sync document would send for one sample profile.

The sample is a Profile API ``external_ids`` response (docs/sources.md). For each
identifier row the preview shows the values each strategy picks, which destination field
they go to, and how many events the row causes; rows that send nothing say why.

How values are ordered, and so what ``first`` and ``last`` pick:

* A profile's values of one identifier type are ordered by ``created_at`` (compared as
  instants, so offsets are honoured, down to nanoseconds when the text has them).
* Values with the same ``created_at`` are ordered by the value itself (plain string
  order). The result therefore never depends on the order of the items in the response.
* A value listed more than once for the same type counts once, at its earliest
  ``created_at``: it was added then, and Segment sends one event per value.
* ``first`` is the earliest value, ``last`` the latest, ``all`` every value in that order.
  ``last`` by ``created_at`` is an approximation: Segment describes it as the most
  recently *updated* value, which the Profile API does not expose (docs/sources.md,
  "The Profile API").
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from enum import Enum
from typing import Final

from app.core.catalog import DEFAULT_SETUP_IDENTIFIERS, Catalog
from app.core.model import IdentifierRow, IdSyncDocument, Setup, Strategy
from app.core.wording import join_and

MOBILE_AD_ID_TYPES: Final[frozenset[str]] = frozenset({"ios.idfa", "android.idfa"})
"""Identifier types Segment sends only with Send Mobile IDs on (the shipped catalog's
``mobile_ad_id`` identifiers; pass the catalog's own set to :func:`preview` if it differs)."""


LAST_IS_APPROXIMATE: Final = (
    "Last added is estimated from created_at: Segment picks the most recently updated "
    "value, which the Profile API does not show."
)
AUDIENCE_EXIT_NOTE: Final = (
    "Event counts are for the profile entering the audience; Audience Exited ignores "
    "ID Sync and sends every identifier combination."
)

_UTC: Final = timezone.utc
_TIMESTAMP: Final = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[Tt ](?P<h>\d{2}):(?P<m>\d{2}):(?P<s>\d{2})"
    r"(?:[.,](?P<frac>\d+))?"
    r"(?P<tz>[Zz]|[+-]\d{2}:?\d{2})?"
)
_TIMESTAMP_EXAMPLE: Final = "2024-05-01T12:30:00Z"


class ProfileFormatError(ValueError):
    """The sample profile is not a Profile API ``external_ids`` response.

    ``index`` is the 0-based position of the offending item in the ``data`` list (None for
    a problem with the response as a whole); ``field`` names the item's key at fault.
    """

    def __init__(self, message: str, *, index: int | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.index = index
        self.field = field


@dataclass(frozen=True)
class ExternalId:
    """One identifier value on the profile (one item of the ``data`` list)."""

    type: str
    value: str
    created_at: datetime
    source_id: str = ""
    collection: str = ""
    encoding: str = ""
    first_message_id: str = ""
    created_at_extra_ns: int = 0
    """Nanoseconds beyond ``created_at``'s microseconds, when the text had them."""

    def __post_init__(self) -> None:
        if self.created_at.tzinfo is None or self.created_at.utcoffset() is None:
            raise ValueError("ExternalId.created_at must carry a time zone")
        if not 0 <= self.created_at_extra_ns < 1000:
            raise ValueError("ExternalId.created_at_extra_ns must be in 0..999")

    @property
    def order_key(self) -> tuple[datetime, int, str]:
        """Time added, then the value: the documented, input-order-free ordering."""
        return (self.created_at, self.created_at_extra_ns, self.value)

    @property
    def created_at_utc_text(self) -> str:
        return self.created_at.astimezone(_UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


@dataclass(frozen=True)
class ProfileIdentities:
    """The external ids of one sample profile, as read from the Profile API response."""

    items: tuple[ExternalId, ...]
    has_more: bool = False
    """The response's cursor says more items exist beyond this page."""

    def values_of(self, identifier_type: str) -> tuple[ExternalId, ...]:
        """The profile's distinct values of one type, earliest ``created_at`` first."""
        earliest: dict[str, ExternalId] = {}
        for item in self.items:
            if item.type != identifier_type:
                continue
            kept = earliest.get(item.value)
            if kept is None or item.order_key < kept.order_key:
                earliest[item.value] = item
        return tuple(sorted(earliest.values(), key=lambda item: item.order_key))

    def types(self) -> tuple[str, ...]:
        """Identifier types present on the profile, alphabetically."""
        return tuple(sorted({item.type for item in self.items}))


def parse_external_ids(data: object) -> ProfileIdentities:
    """Read a decoded Profile API ``external_ids`` response (or a bare list of its items).

    Keys the Profile API does not document are ignored. Raises
    :class:`ProfileFormatError` naming the item and field when the input does not have the
    documented shape.
    """
    has_more = False
    if isinstance(data, Mapping):
        if "data" not in data:
            raise ProfileFormatError(_missing_data_message(data))
        items = data["data"]
        where = "data"
        has_more = _cursor_has_more(data.get("cursor"))
    elif isinstance(data, list):
        items = data
        where = ""
    else:
        raise ProfileFormatError(
            f"A sample profile must be a JSON object with a 'data' list (the Profile API "
            f"external_ids response) or a list of external ids; got {_kind(data)}."
        )
    if not isinstance(items, list):
        raise ProfileFormatError(
            f"'data' must be a list of external ids; got {_kind(items)}.", field="data"
        )
    parsed = tuple(_parse_item(item, index, where) for index, item in enumerate(items))
    return ProfileIdentities(items=parsed, has_more=has_more)


def _missing_data_message(data: Mapping[object, object]) -> str:
    error = data.get("error")
    if isinstance(error, Mapping):
        code = error.get("code", "unknown")
        text = error.get("message", "")
        return (
            f"This is a Profile API error response ({code}: {text}), not a profile's "
            f"external ids. Check the space id, the identifier and the access token, then "
            f"fetch the profile again."
        )
    return (
        "The sample profile has no 'data' list. Use the body of GET "
        ".../profiles/{type}:{value}/external_ids as returned by the Profile API."
    )


def _cursor_has_more(cursor: object) -> bool:
    return isinstance(cursor, Mapping) and cursor.get("has_more") is True


def _parse_item(item: object, index: int, where: str) -> ExternalId:
    place = f"{where}[{index}]"
    if not isinstance(item, Mapping):
        raise ProfileFormatError(
            f"External id {place} must be an object with 'id', 'type' and 'created_at'; "
            f"got {_kind(item)}.",
            index=index,
        )
    identifier_type = _required_text(item, "type", index, place)
    # The value is kept exactly as stored; only type names and timestamps are trimmed.
    value = _required_text(item, "id", index, place, trim=False)
    created_text = _required_text(item, "created_at", index, place)
    try:
        created_at, extra_ns = parse_timestamp(created_text)
    except ValueError as exc:
        raise ProfileFormatError(
            f"External id {place}: 'created_at' is {created_text!r}, which is not an "
            f"ISO-8601 timestamp like {_TIMESTAMP_EXAMPLE} ({exc}). Correct it or remove "
            f"the item.",
            index=index,
            field="created_at",
        ) from None
    return ExternalId(
        type=identifier_type,
        value=value,
        created_at=created_at,
        created_at_extra_ns=extra_ns,
        source_id=_optional_text(item, "source_id", index, place),
        collection=_optional_text(item, "collection", index, place),
        encoding=_optional_text(item, "encoding", index, place),
        first_message_id=_optional_text(item, "first_message_id", index, place),
    )


def _required_text(
    item: Mapping[object, object], name: str, index: int, place: str, *, trim: bool = True
) -> str:
    if name not in item or item[name] is None:
        raise ProfileFormatError(
            f"External id {place} has no '{name}'. Every item needs 'id', 'type' and "
            f"'created_at'; add it or remove the item.",
            index=index,
            field=name,
        )
    raw = item[name]
    if not isinstance(raw, str):
        raise ProfileFormatError(
            f"External id {place}: '{name}' must be a string; got {_kind(raw)}.",
            index=index,
            field=name,
        )
    if not raw.strip():
        raise ProfileFormatError(
            f"External id {place}: '{name}' is empty. Fill it in or remove the item.",
            index=index,
            field=name,
        )
    return raw.strip() if trim else raw


def _optional_text(item: Mapping[object, object], name: str, index: int, place: str) -> str:
    raw = item.get(name)
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise ProfileFormatError(
            f"External id {place}: '{name}' must be a string or absent; got {_kind(raw)}.",
            index=index,
            field=name,
        )
    return raw


def parse_timestamp(text: str) -> tuple[datetime, int]:
    """An ISO-8601 date-time as an aware datetime plus the nanoseconds it cannot hold.

    Accepts ``Z`` or a ``±HH:MM`` / ``±HHMM`` offset and any number of fractional digits
    (digits past nanoseconds are dropped). A time without an offset is taken as UTC, as
    the Profile API writes UTC. Raises ValueError saying what is wrong.
    """
    match = _TIMESTAMP.fullmatch(text.strip())
    if match is None:
        raise ValueError("expected YYYY-MM-DDTHH:MM:SS with an optional fraction and offset")
    year, month, day = (int(part) for part in match["date"].split("-"))
    fraction = (match["frac"] or "")[:9].ljust(9, "0")
    nanoseconds = int(fraction)
    tz = _offset(match["tz"])
    try:
        moment = datetime(
            year,
            month,
            day,
            int(match["h"]),
            int(match["m"]),
            int(match["s"]),
            nanoseconds // 1000,
            tzinfo=tz,
        )
    except ValueError as exc:
        raise ValueError(str(exc)) from None
    return moment, nanoseconds % 1000


def _offset(text: str | None) -> timezone:
    if text is None or text in ("Z", "z"):
        return _UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        raise ValueError(f"the offset {text} is out of range")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def pick(values: Sequence[ExternalId], strategy: Strategy) -> tuple[ExternalId, ...]:
    """The values a strategy picks from values already in ``created_at`` order."""
    if not values:
        return ()
    if strategy is Strategy.FIRST:
        return (values[0],)
    if strategy is Strategy.LAST:
        return (values[-1],)
    return tuple(values)


class RowOutcome(str, Enum):
    """Whether a row sends anything for this profile, and if not, why."""

    SENT = "sent"
    NO_VALUE = "no-value"
    MOBILE_IDS_OFF = "mobile-ids-off"
    NO_IDENTIFIER = "no-identifier"


@dataclass(frozen=True)
class RowPreview:
    """What one identifier row does for the sample profile."""

    row: int | None
    """0-based row of the document; None for the rows Default Setup implies."""
    segment: str
    destination: str
    """The destination field (mapTo); empty when the row sets none."""
    strategy: Strategy
    values: tuple[ExternalId, ...]
    """Every value of ``segment`` on the profile, in ``created_at`` order."""
    outcome: RowOutcome
    reason: str = ""
    """Why nothing is sent, in words for the person; empty when the row sends."""

    @property
    def picked(self) -> tuple[ExternalId, ...]:
        """What the row's strategy picks (even when the row ends up sending nothing)."""
        return pick(self.values, self.strategy)

    def picks_for(self, strategy: Strategy) -> tuple[ExternalId, ...]:
        """What another strategy would pick on this row, for comparison."""
        return pick(self.values, strategy)

    @property
    def events(self) -> int:
        """One event per value sent: all sends each value, first/last at most one."""
        return len(self.picked) if self.outcome is RowOutcome.SENT else 0


@dataclass(frozen=True)
class StrategyPreview:
    setup: Setup
    rows: tuple[RowPreview, ...]
    unsent_types: tuple[str, ...]
    """Identifier types on the profile that no row sends."""
    notes: tuple[str, ...] = field(default=())

    @property
    def total_events(self) -> int:
        return sum(row.events for row in self.rows)

    def render_text(self) -> str:
        return _render(self)


def preview_in_catalog(
    doc: IdSyncDocument, identities: ProfileIdentities, catalog: Catalog
) -> StrategyPreview:
    """``preview`` with Default Setup and the mobile IDs as the catalog gives them."""
    spec = catalog.destination(doc.destination.slug) if doc.destination is not None else None
    if spec is None:
        return preview(doc, identities, mobile_ad_ids=catalog.mobile_ad_ids())
    return preview(
        doc,
        identities,
        default_strategy=spec.default_strategy,
        default_identifiers=spec.default_identifiers,
        mobile_ad_ids=catalog.mobile_ad_ids(),
    )


def preview(
    doc: IdSyncDocument,
    identities: ProfileIdentities,
    *,
    default_strategy: Strategy = Strategy.LAST,
    default_identifiers: tuple[str, ...] = DEFAULT_SETUP_IDENTIFIERS,
    mobile_ad_ids: Collection[str] = MOBILE_AD_ID_TYPES,
) -> StrategyPreview:
    """What ``doc`` would send for the profile in ``identities``.

    ``default_strategy`` and ``default_identifiers`` are what Segment's Default Setup
    sends to the destination (the catalog's ``DestinationSpec``); they matter only for
    Default Setup.
    ``mobile_ad_ids`` are the identifier types held back while Send Mobile IDs is off.
    """
    notes: list[str] = []
    if doc.setup is Setup.DEFAULT:
        rows = tuple(
            _row_preview(
                None,
                IdentifierRow(segment=segment, strategy=default_strategy),
                identities,
                doc.send_mobile_ids,
                mobile_ad_ids,
            )
            for segment in default_identifiers
        )
        notes.append(
            f"Default Setup: Segment sends {default_strategy.label.lower()} "
            f"{join_and(list(default_identifiers))} under the destination's own field names; "
            f"custom identifiers are not sent."
        )
        if doc.identifiers:
            notes.append(
                f"The document's {len(doc.identifiers)} identifier row(s) are ignored "
                f"until Customized Setup is chosen."
            )
    else:
        rows = tuple(
            _row_preview(index, row, identities, doc.send_mobile_ids, mobile_ad_ids)
            for index, row in enumerate(doc.identifiers)
        )
        if not rows:
            notes.append("Customized Setup has no identifier rows, so nothing is sent.")
    if any(row.strategy is Strategy.LAST and len(row.values) > 1 for row in rows):
        notes.append(LAST_IS_APPROXIMATE)
    tied = [
        row.segment
        for row in rows
        if row.outcome is RowOutcome.SENT and row.strategy is not Strategy.ALL and _has_tie(row)
    ]
    if tied:
        notes.append(
            f"Some values of {', '.join(sorted(set(tied)))} were added at the same instant; "
            f"they are ordered by the value itself, so first and last between them are a "
            f"tie-break, not a fact."
        )
    if identities.has_more:
        notes.append(
            "The sample is one page of the profile's external ids (cursor.has_more is "
            "true): fetch the rest for exact picks and counts."
        )
    if any(row.events for row in rows):
        notes.append(AUDIENCE_EXIT_NOTE)
    sent = {row.segment for row in rows if row.outcome is RowOutcome.SENT}
    unsent = tuple(t for t in identities.types() if t not in sent)
    return StrategyPreview(setup=doc.setup, rows=rows, unsent_types=unsent, notes=tuple(notes))


def _has_tie(row: RowPreview) -> bool:
    instants = [(value.created_at, value.created_at_extra_ns) for value in row.values]
    return len(set(instants)) < len(instants)


def _row_preview(
    index: int | None,
    row: IdentifierRow,
    identities: ProfileIdentities,
    send_mobile_ids: bool,
    mobile_ad_ids: Collection[str],
) -> RowPreview:
    segment = row.segment.strip()
    values = identities.values_of(segment) if segment else ()
    if not segment:
        outcome = RowOutcome.NO_IDENTIFIER
        reason = "this row has no Segment identifier: nothing is sent for this row"
    elif segment in mobile_ad_ids and not send_mobile_ids:
        outcome = RowOutcome.MOBILE_IDS_OFF
        held = f" ({_count(len(values), 'value')} held back)" if values else ""
        reason = (
            f"{segment} is a mobile advertising ID and Send Mobile IDs is off: nothing is "
            f"sent for this row{held}. Turn on Send Mobile IDs to send it."
        )
    elif not values:
        outcome = RowOutcome.NO_VALUE
        reason = f"this profile has no {segment}: nothing is sent for this row"
    else:
        outcome, reason = RowOutcome.SENT, ""
    return RowPreview(
        row=index,
        segment=segment,
        destination=row.destination.strip(),
        strategy=row.strategy,
        values=values,
        outcome=outcome,
        reason=reason,
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _render(result: StrategyPreview) -> str:
    lines = [
        f"Strategy preview ({result.setup.label}): "
        f"{_count(result.total_events, 'event')} for this profile"
    ]
    if not result.rows:
        lines.append("  (no identifier rows)")
    for number, row in enumerate(result.rows, start=1):
        label = f"{number}." if row.row is not None else "-"
        field_name = row.destination or "(destination's default field)"
        lines.append(
            f"{label} {row.segment or '(empty)'} -> {field_name} | {row.strategy.label} | "
            f"{_count(row.events, 'event')}"
        )
        if row.outcome is RowOutcome.SENT:
            for value in row.picked:
                lines.append(f"     sends {value.value}  (added {value.created_at_utc_text})")
        else:
            lines.append(f"     {row.reason}")
        if len(row.values) > 1:
            alternatives = ", ".join(f"{s.value}: {_summary(row.picks_for(s))}" for s in Strategy)
            lines.append(f"     would pick  {alternatives}")
    if result.unsent_types:
        lines.append("Not sent by any row: " + ", ".join(result.unsent_types))
    for note in result.notes:
        lines.append(f"Note: {note}")
    return "\n".join(lines)


def _summary(picked: tuple[ExternalId, ...]) -> str:
    if len(picked) == 1:
        return picked[0].value
    return f"{_count(len(picked), 'value')}"
