"""A sample profile: the external ids of a Profile API ``external_ids`` response, as
records (docs/sources.md, "The Profile API").

The response's items are read by a pydantic model of their JSON shape (``_Item``: keys
the Profile API does not document are ignored, a null is taken as absent) and become
``ExternalId`` records; a misfit becomes a ``ProfileFormatError`` naming the item and
its key in plain words. Reading the file is ``idsync.storage.profiles``'s job.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Annotated, Any, Final

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError
from typing_extensions import Self

from idsync.core.model import Record
from idsync.core.positions import describe

_UTC: Final = timezone.utc
_TIMESTAMP: Final = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[Tt ](?P<h>\d{2}):(?P<m>\d{2}):(?P<s>\d{2})"
    r"(?:[.,](?P<frac>\d+))?"
    r"(?P<tz>[Zz]|[+-]\d{2}:?\d{2})?"
)
_TIMESTAMP_EXAMPLE: Final = "2024-05-01T12:30:00Z"
_REQUIRED: Final = ("id", "type", "created_at")


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


class ExternalId(Record):
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

    @model_validator(mode="after")
    def _an_instant(self) -> Self:
        if self.created_at.tzinfo is None or self.created_at.utcoffset() is None:
            raise ValueError("ExternalId.created_at must carry a time zone")
        if not 0 <= self.created_at_extra_ns < 1000:
            raise ValueError("ExternalId.created_at_extra_ns must be in 0..999")
        return self

    @property
    def order_key(self) -> tuple[datetime, int, str]:
        """Time added, then the value: the documented, input-order-free ordering."""
        return (self.created_at, self.created_at_extra_ns, self.value)

    @property
    def created_at_utc_text(self) -> str:
        return self.created_at.astimezone(_UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


class ProfileIdentities(Record):
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


def _timestamp(value: object) -> object:
    """A ``created_at`` text as (instant, extra nanoseconds); anything else is left for
    the type check to refuse."""
    if not isinstance(value, str):
        return value
    if not value.strip():
        raise PydanticCustomError("empty_text", "is empty")
    try:
        return parse_timestamp(value)
    except ValueError as exc:
        raise PydanticCustomError(
            "not_a_timestamp", "{reason}", {"text": value, "reason": str(exc)}
        ) from None


class _Item(BaseModel):
    """One item of the response's ``data`` list, as the Profile API writes it."""

    model_config = ConfigDict(frozen=True, strict=True, extra="ignore")

    type: str
    id: str
    created_at: Annotated[tuple[datetime, int], BeforeValidator(_timestamp)]
    source_id: str = ""
    collection: str = ""
    encoding: str = ""
    first_message_id: str = ""

    @model_validator(mode="before")
    @classmethod
    def _null_is_absent(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            return {key: value for key, value in data.items() if value is not None}
        return data

    @field_validator("type", "id")
    @classmethod
    def _not_empty(cls, value: str) -> str:
        if not value.strip():
            raise PydanticCustomError("empty_text", "is empty")
        return value

    def record(self) -> ExternalId:
        created_at, extra_ns = self.created_at
        # The value is kept exactly as stored; only type names are trimmed.
        return ExternalId(
            **self.model_dump(exclude={"type", "id", "created_at"}),
            type=self.type.strip(),
            value=self.id,
            created_at=created_at,
            created_at_extra_ns=extra_ns,
        )


_ITEMS: Final = TypeAdapter(list[_Item])


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
            f"external_ids response) or a list of external ids; got {describe(data)}."
        )
    try:
        read = _ITEMS.validate_python(items)
    except ValidationError as exc:
        raise _format_error(exc.errors()[0], where) from None
    return ProfileIdentities(items=tuple(item.record() for item in read), has_more=has_more)


def _format_error(error: ErrorDetails, where: str) -> ProfileFormatError:
    """The first misfit of the ``data`` list, in words that say what to do."""
    loc = error["loc"]
    if not loc:
        return ProfileFormatError(
            f"'data' must be a list of external ids; got {describe(error['input'])}.", field="data"
        )
    index = int(loc[0])
    place = f"{where}[{index}]"
    if len(loc) == 1:
        return ProfileFormatError(
            f"External id {place} must be an object with 'id', 'type' and 'created_at'; "
            f"got {describe(error['input'])}.",
            index=index,
        )
    name = str(loc[1])
    kind = error["type"]
    if kind == "missing":
        message = (
            f"External id {place} has no '{name}'. Every item needs 'id', 'type' and "
            f"'created_at'; add it or remove the item."
        )
    elif kind == "empty_text":
        message = f"External id {place}: '{name}' is empty. Fill it in or remove the item."
    elif kind == "not_a_timestamp":
        context = error.get("ctx", {})
        message = (
            f"External id {place}: 'created_at' is {context.get('text')!r}, which is not an "
            f"ISO-8601 timestamp like {_TIMESTAMP_EXAMPLE} ({context.get('reason')}). "
            f"Correct it or remove the item."
        )
    elif name in _REQUIRED:
        message = f"External id {place}: '{name}' must be a string; got {describe(error['input'])}."
    else:
        message = (
            f"External id {place}: '{name}' must be a string or absent; "
            f"got {describe(error['input'])}."
        )
    return ProfileFormatError(message, index=index, field=name)


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
    hour, minute, second = (int(match[part]) for part in ("h", "m", "s"))
    nanoseconds = int((match["frac"] or "")[:9].ljust(9, "0"))
    tz = _offset(match["tz"])
    moment = datetime(year, month, day, hour, minute, second, nanoseconds // 1000, tzinfo=tz)
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
