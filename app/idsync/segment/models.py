"""Typed results of the Public API calls the app makes.

Each keeps the ``raw`` JSON object too: the core's mapping reads connections from it, and
fields Segment adds later are not lost on the way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

JsonObject = dict[str, Any]


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def _object(value: Any) -> JsonObject:
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class Space:
    id: str
    slug: str
    name: str
    raw: JsonObject = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Space:
        return cls(_text(data, "id"), _text(data, "slug"), _text(data, "name"), dict(data))


@dataclass(frozen=True)
class Audience:
    id: str
    key: str
    name: str
    audience_type: str
    space_id: str
    raw: JsonObject = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any], space_id: str = "") -> Audience:
        return cls(
            id=_text(data, "id"),
            key=_text(data, "key"),
            name=_text(data, "name"),
            audience_type=_text(data, "audienceType") or "USERS",
            space_id=_text(data, "spaceId") or space_id,
            raw=dict(data),
        )


@dataclass(frozen=True)
class Connection:
    """A destination connected to an audience (the API's SimpleDestination).

    ``id`` is the connection's own integration id (``ii_…``), which Update and Remove
    take in the path; ``destination_id`` the workspace destination's id (List
    Destinations), which Add takes as ``destination.id`` and a document's
    ``destination.instance_id`` holds. The two are never interchangeable.
    """

    id: str
    destination_id: str
    name: str
    slug: str
    enabled: bool
    id_sync_configuration: tuple[JsonObject, ...] | None
    connection_settings: JsonObject | None
    raw: JsonObject = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Connection:
        metadata = _object(data.get("metadata"))
        entries = data.get("idSyncConfiguration")
        settings = data.get("connectionSettings")
        return cls(
            id=_text(data, "id"),
            destination_id=_text(data, "destinationId"),
            name=_text(data, "name") or _text(metadata, "name"),
            slug=_text(metadata, "slug"),
            enabled=bool(data.get("enabled", False)),
            id_sync_configuration=(
                tuple(e for e in entries if isinstance(e, dict))
                if isinstance(entries, list)
                else None
            ),
            connection_settings=settings if isinstance(settings, dict) else None,
            raw=dict(data),
        )

    def matches_destination(self, destination_id: str) -> bool:
        """Whether this connects the workspace destination ``destination_id``."""
        return bool(destination_id) and destination_id == self.destination_id


@dataclass(frozen=True)
class WriteResult:
    """What Add or Update answered: the connection id and the stored configuration."""

    connection_id: str
    id_sync_configuration: tuple[JsonObject, ...] | None
    connection_settings: JsonObject | None
    raw: JsonObject = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> WriteResult:
        # Add answers with connection{id}, Update with destination{id}.
        holder = _object(data.get("connection")) or _object(data.get("destination"))
        entries = data.get("idSyncConfiguration")
        settings = data.get("connectionSettings")
        return cls(
            connection_id=_text(holder, "id"),
            id_sync_configuration=(
                tuple(e for e in entries if isinstance(e, dict))
                if isinstance(entries, list)
                else None
            ),
            connection_settings=settings if isinstance(settings, dict) else None,
            raw=dict(data),
        )
