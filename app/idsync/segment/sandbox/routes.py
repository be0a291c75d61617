"""The sandbox's endpoints: which handler a request's method and path reach, and what
each handler reads from or writes to the state, paging as the Public API pages.

Only what the app uses, as the Public API documents it: ``{"data": ...}`` answers,
cursor pagination, 422 for an invalid body (with ``field``), PATCH replacing the whole
ID Sync array (an empty array changes nothing).
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from idsync.segment.sandbox.failure import ApiFailure, JsonObject
from idsync.segment.sandbox.state import (
    SandboxState,
    checked_id_sync,
    checked_settings,
    no_other_keys,
    now_stamp,
)

DEFAULT_PAGE_SIZE = 200

Query = dict[str, list[str]]
OtherRows = Callable[[str], list[JsonObject] | None]

_CONNECTIONS = r"^/spaces/([^/]+)/audiences/([^/]+)/destination-connections"
_ROUTES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("GET", re.compile(r"^/spaces$"), "list_spaces"),
    ("GET", re.compile(r"^/destinations$"), "list_destinations"),
    ("GET", re.compile(r"^/spaces/([^/]+)/audiences$"), "list_audiences"),
    ("GET", re.compile(_CONNECTIONS + "$"), "list_connections"),
    ("POST", re.compile(_CONNECTIONS + "$"), "add_connection"),
    ("PATCH", re.compile(_CONNECTIONS + r"/([^/]+)$"), "update_connection"),
    ("DELETE", re.compile(_CONNECTIONS + r"/([^/]+)$"), "remove_connection"),
    (
        "GET",
        re.compile(r"^/spaces/([^/]+)/audienceType/([^/]+)/supported-destinations$"),
        "supported_destinations",
    ),
)


class Routes:
    """Requests to handlers over one ``SandboxState``.

    ``other_rows(method)`` gives the entries a write stores instead of its own when a
    fault says so (``FaultSwitches``), else None.
    """

    def __init__(self, state: SandboxState, other_rows: OtherRows) -> None:
        self.state = state
        self.page_size = DEFAULT_PAGE_SIZE
        self._other_rows = other_rows

    def dispatch(
        self, method: str, path: str, query: Query, body: bytes, *, content_type: str
    ) -> JsonObject:
        """The ``{"data": ...}`` answer, or ApiFailure (404, 405 with Allow, 4xx)."""
        allowed = []
        for route_method, pattern, name in _ROUTES:
            match = pattern.match(path)
            if not match:
                continue
            allowed.append(route_method)
            if route_method != method:
                continue
            args = [unquote(part) for part in match.groups()]
            payload: JsonObject | None = None
            if method in ("POST", "PATCH"):
                payload = json_body(body, content_type)
            handler: Callable[..., JsonObject] = getattr(self, f"_{name}")
            with self.state.lock:
                data = handler(*args, query=query, body=payload)
            return {"data": data}
        if allowed:
            raise ApiFailure(
                405,
                f"{method} is not supported on {path}.",
                type_="method-not-allowed",
                headers={"Allow": ", ".join(allowed)},
            )
        raise ApiFailure(404, f"No endpoint at {path}.", type_="not-found")

    # -- handlers ------------------------------------------------------------------

    def _list_spaces(self, *, query: Query, body: None) -> JsonObject:
        page, pagination = self._page(self.state.spaces, query, 1000)
        return {"spaces": copy.deepcopy(page), "pagination": pagination}

    def _list_destinations(self, *, query: Query, body: None) -> JsonObject:
        # DestinationsApi.listDestinations: every destination of the workspace, which in
        # the sandbox means those of every space's source.
        instances = [d for space in self.state.spaces for d in self.state.destinations[space["id"]]]
        page, pagination = self._page(instances, query, 200)
        return {
            "destinations": [_destination_v1(d) for d in page],
            "pagination": pagination,
        }

    def _list_audiences(self, space_id: str, *, query: Query, body: None) -> JsonObject:
        self.state.require_space(space_id)
        audiences = self.state.audiences[space_id]
        needle = _param(query, "search", "query")
        if needle:
            kind = (_param(query, "search", "type") or "NAME").upper()
            if kind not in ("NAME", "KEY", "DEFINITION"):
                raise ApiFailure(422, f"Unknown search type {kind}.", field="search.type")
            attr = "key" if kind == "KEY" else "name"
            audiences = [a for a in audiences if needle.lower() in str(a.get(attr, "")).lower()]
        page, pagination = self._page(audiences, query, 200)
        return {"audiences": copy.deepcopy(page), "pagination": pagination}

    def _list_connections(
        self, space_id: str, audience_id: str, *, query: Query, body: None
    ) -> JsonObject:
        self.state.require_audience(space_id, audience_id)
        connections = self.state.connections.get((space_id, audience_id), [])
        page, pagination = self._page(connections, query, 1000)
        return {"connections": copy.deepcopy(page), "pagination": pagination}

    def _supported_destinations(
        self, space_id: str, audience_type: str, *, query: Query, body: None
    ) -> JsonObject:
        self.state.require_space(space_id)
        if audience_type not in ("USERS", "ACCOUNTS", "LINKED"):
            raise ApiFailure(422, f"Unknown audience type {audience_type}.", field="audienceType")
        slug = _param(query, "slug")
        # model/listSupportedDestinationsFromAudienceAlphaOutput.ts: an object keyed by
        # the destination's id, not an array.
        found = {
            d["id"]: {
                "id": d["id"],
                "name": d["name"],
                "slug": d["metadata"]["slug"],
                "metadata": copy.deepcopy(d["metadata"]),
                "actions": [],
            }
            for d in self.state.destinations[space_id]
            if not slug or d["metadata"]["slug"] == slug
        }
        return {"destinations": found}

    def _add_connection(
        self, space_id: str, audience_id: str, *, query: Query, body: JsonObject
    ) -> JsonObject:
        self.state.require_audience(space_id, audience_id)
        destination = body.get("destination")
        if not isinstance(destination, dict):
            raise ApiFailure(422, "destination is required.", field="destination")
        destination_id = destination.get("id")
        if not isinstance(destination_id, str) or not destination_id:
            raise ApiFailure(422, "destination.id is required.", field="destination.id")
        if destination.get("type") not in ("destination", "warehouse"):
            raise ApiFailure(
                422, "destination.type must be destination or warehouse.", field="destination.type"
            )
        id_sync = checked_id_sync(body.get("idSyncConfiguration"), required=False)
        settings = checked_settings(body.get("connectionSettings"))
        no_other_keys(body, ("destination", "idSyncConfiguration", "connectionSettings"))
        self.state.require_destination(space_id, destination_id)
        if self.state.find_connection(space_id, audience_id, destination_id) is not None:
            raise ApiFailure(
                409,
                f"Destination {destination_id} is already connected to audience {audience_id}.",
                type_="conflict",
            )
        id_sync = self._other_rows("POST") or id_sync
        connection = self.state.connect(
            space_id, audience_id, destination_id, id_sync or None, settings=settings
        )
        data: JsonObject = {
            "connection": {"id": connection["id"]},
            "idSyncConfiguration": copy.deepcopy(connection["idSyncConfiguration"]),
        }
        if connection["connectionSettings"]:
            data["connectionSettings"] = copy.deepcopy(connection["connectionSettings"])
        return data

    def _update_connection(
        self,
        space_id: str,
        audience_id: str,
        connection_id: str,
        *,
        query: Query,
        body: JsonObject,
    ) -> JsonObject:
        self.state.require_audience(space_id, audience_id)
        connection = self._connection(space_id, audience_id, connection_id)
        if "idSyncConfiguration" not in body and "connectionSettings" not in body:
            # model/updateDestinationForAudienceAlphaInput.ts: both fields are optional,
            # and an update that names neither has nothing to do.
            raise ApiFailure(
                400,
                "At least one of idSyncConfiguration or connectionSettings must be provided.",
                type_="BadRequest",
            )
        no_other_keys(body, ("idSyncConfiguration", "connectionSettings"))
        id_sync = checked_id_sync(body.get("idSyncConfiguration"), required=False)
        settings = checked_settings(body.get("connectionSettings"))
        id_sync = self._other_rows("PATCH") or id_sync
        # Documented: the array replaces the stored list; an empty one (or none) changes
        # nothing. Likewise an empty connectionSettings object.
        if id_sync:
            connection["idSyncConfiguration"] = id_sync
        if settings:
            connection["connectionSettings"] = settings
        if id_sync or settings:
            connection["updatedAt"] = now_stamp()
        return {
            "destination": {"id": connection["id"]},
            "idSyncConfiguration": copy.deepcopy(connection["idSyncConfiguration"]),
            "connectionSettings": copy.deepcopy(connection["connectionSettings"]),
        }

    def _remove_connection(
        self,
        space_id: str,
        audience_id: str,
        connection_id: str,
        *,
        query: Query,
        body: None,
    ) -> JsonObject:
        self.state.require_audience(space_id, audience_id)
        connection = self._connection(space_id, audience_id, connection_id)
        self.state.connections[(space_id, audience_id)].remove(connection)
        return {"status": "SUCCESS"}

    # -- shared --------------------------------------------------------------------

    def _connection(self, space_id: str, audience_id: str, connection_id: str) -> JsonObject:
        for connection in self.state.connections.get((space_id, audience_id), []):
            if connection["id"] == connection_id:
                return connection
        raise ApiFailure(
            404,
            f"Destination connection {connection_id} was not found on audience {audience_id}.",
            type_="not-found",
        )

    def _page(
        self, items: list[JsonObject], query: Query, max_count: int
    ) -> tuple[list[JsonObject], JsonObject]:
        count_text = _param(query, "pagination", "count")
        cursor = _param(query, "pagination", "cursor")
        count = self.page_size if count_text is None else _int_or_none(count_text)
        if count is None or not 1 <= count <= max_count:
            raise ApiFailure(
                422,
                f"pagination.count must be a whole number from 1 to {max_count}.",
                field="pagination.count",
            )
        start = 0 if not cursor else _offset_from_cursor(cursor)
        page = items[start : start + count]
        end = start + len(page)
        pagination: JsonObject = {
            "current": _cursor(start),
            "totalEntries": len(items),
            "next": _cursor(end) if end < len(items) else None,
        }
        if start > 0:
            pagination["previous"] = _cursor(max(0, start - count))
        return page, pagination


def json_body(body: bytes, content_type: str) -> JsonObject:
    """A write's body as a JSON object, or 415 / 400."""
    media = content_type.split(";")[0].strip().lower()
    if media not in ("application/vnd.segment.v1alpha+json", "application/json"):
        raise ApiFailure(
            415,
            "Send the body as application/vnd.segment.v1alpha+json.",
            type_="UnsupportedMediaType",
        )
    try:
        payload: Any = json.loads(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ApiFailure(400, "The body is not valid JSON.", type_="BadRequest") from None
    if not isinstance(payload, dict):
        raise ApiFailure(400, "The body must be a JSON object.", type_="BadRequest")
    return payload


def _destination_v1(instance: JsonObject) -> JsonObject:
    """A workspace destination as model/destinationV1.ts has it, with the metadata
    fields model/destinationMetadataV1.ts requires (the sandbox knows only a few)."""
    meta = instance["metadata"]
    return {
        "id": instance["id"],
        "name": instance["name"],
        "enabled": instance["enabled"],
        "sourceId": instance["sourceId"],
        "settings": copy.deepcopy(instance["settings"]),
        "metadata": {
            "id": meta["id"],
            "name": meta["name"],
            "slug": meta["slug"],
            "description": "",
            "logos": {"default": ""},
            "options": [],
            "status": "PUBLIC",
            "previousNames": [],
            "categories": [],
            "website": "",
            "components": [],
            "supportedFeatures": {},
            "supportedMethods": {},
            "supportedPlatforms": {},
            "actions": [],
            "presets": [],
        },
    }


def _param(query: Query, name: str, key: str | None = None) -> str | None:
    # Both documented spellings: pagination.count and pagination[count].
    names = [name] if key is None else [f"{name}.{key}", f"{name}[{key}]"]
    for candidate in names:
        values = query.get(candidate)
        if values:
            return values[0]
    return None


def _int_or_none(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def _offset_from_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, number = raw.partition(":")
        if prefix == "offset" and number.isdigit():
            return int(number)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise ApiFailure(
        422, "pagination.cursor is not a cursor this API gave out.", field="pagination.cursor"
    )
