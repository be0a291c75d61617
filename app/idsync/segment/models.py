"""Typed results of the Public API calls the app makes, read by lax pydantic models.

Lax: a member of an unexpected type is taken as absent (empty text, no list), so a
change in what Segment sends costs only that member. Each record keeps the ``raw`` JSON
object too: the core's mapping reads connections from it, and fields Segment adds later
are not lost on the way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic.alias_generators import to_camel
from typing_extensions import Self

JsonObject = dict[str, Any]


def _or(default: Any) -> WrapValidator:
    def absent_when_unusable(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        try:
            return handler(value)
        except ValidationError:
            return default

    return WrapValidator(absent_when_unusable)


def _objects_only(value: Any) -> Any:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else value


Text = Annotated[str, _or("")]
Flag = Annotated[bool, _or(False)]
Entries = Annotated[tuple[JsonObject, ...] | None, BeforeValidator(_objects_only), _or(None)]
ObjectOrAbsent = Annotated[JsonObject | None, _or(None)]


def _object(value: Any) -> JsonObject:
    return value if isinstance(value, dict) else {}


class ApiRecord(BaseModel):
    """One object of an answer; its members by their API names (``audienceType``)."""

    model_config = ConfigDict(frozen=True, alias_generator=to_camel, populate_by_name=True)

    raw: JsonObject = Field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        return cls.model_validate({**cls._members(data), "raw": dict(data)})

    @classmethod
    def _members(cls, data: Mapping[str, Any]) -> Mapping[str, Any]:
        """The members as the model reads them (a subclass moves nested ones up)."""
        return data


class Space(ApiRecord):
    id: Text = ""
    slug: Text = ""
    name: Text = ""


class Audience(ApiRecord):
    id: Text = ""
    key: Text = ""
    name: Text = ""
    audience_type: Annotated[Text, AfterValidator(lambda kind: kind or "USERS")] = "USERS"
    space_id: Text = ""

    @classmethod
    def listed(cls, data: Mapping[str, Any], space_id: str) -> Audience:
        """An audience as List Audiences of ``space_id`` gives it (it may not say its space)."""
        audience = cls.from_json(data)
        return audience if audience.space_id else audience.model_copy(update={"space_id": space_id})


class Connection(ApiRecord):
    """A destination connected to an audience (the API's SimpleDestination).

    ``id`` is the connection's own integration id (``ii_…``), which Update and Remove
    take in the path; ``destination_id`` the workspace destination's id (List
    Destinations), which Add takes as ``destination.id`` and a document's
    ``destination.instance_id`` holds. The two are never interchangeable.
    """

    id: Text = ""
    destination_id: Text = ""
    name: Text = ""
    slug: Text = ""
    enabled: Flag = False
    id_sync_configuration: Entries = None
    connection_settings: ObjectOrAbsent = None

    @classmethod
    def _members(cls, data: Mapping[str, Any]) -> Mapping[str, Any]:
        # The name is at the top or in the metadata; the slug only in the metadata.
        metadata = _object(data.get("metadata"))
        name = data.get("name")
        return {
            **data,
            "name": name if isinstance(name, str) and name else metadata.get("name"),
            "slug": metadata.get("slug"),
        }

    def matches_destination(self, destination_id: str) -> bool:
        """Whether this connects the workspace destination ``destination_id``."""
        return bool(destination_id) and destination_id == self.destination_id


class WriteResult(ApiRecord):
    """What Add or Update answered: the connection id and the stored configuration."""

    connection_id: Text = ""
    id_sync_configuration: Entries = None
    connection_settings: ObjectOrAbsent = None

    @classmethod
    def _members(cls, data: Mapping[str, Any]) -> Mapping[str, Any]:
        # Add answers with connection{id}, Update with destination{id}.
        holder = _object(data.get("connection")) or _object(data.get("destination"))
        return {**data, "connectionId": holder.get("id")}
