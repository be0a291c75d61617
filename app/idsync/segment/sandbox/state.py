"""What the sandbox holds: the seeded spaces, audiences, destinations and connections,
guarded by one lock, and the rules Segment applies to what a write stores.

Kept apart from the HTTP server so tests can seed and inspect state directly.
"""

from __future__ import annotations

import copy
import re
import secrets
import threading
from datetime import datetime, timezone
from typing import Any

from idsync.segment.sandbox.failure import ApiFailure, JsonObject

# Segment's limits on an idSyncConfiguration: at most five entries, at most three of
# them with the strategy "all". The app's rules (IDS101, IDS102) call the same limits
# Segment's; tests/segment/sandbox/test_state.py holds the two to the same verdicts.
MAX_ID_SYNC_ENTRIES = 5
MAX_ALL_ENTRIES = 3
STRATEGIES = ("first", "last", "all")


# -- sample data ---------------------------------------------------------------------

# (slug, display name, workspace destination id in the example space). The example
# space and its ids match resources/examples, so the shipped examples push to the sandbox
# as they are. Two kinds of id, as in Segment (model/simpleDestination.ts): the workspace
# destination's id (List Destinations; what a document's instance_id holds and a create
# sends as destination.id) and the connection's own integration id (``ii_…``), which
# Update and Remove take in the path. Real destination ids are opaque; these are readable.
_DESTINATIONS = (
    ("personas-facebook-custom-audiences", "Facebook Custom Audiences", "dst_example_facebook"),
    ("adwords-remarketing-lists", "Google Ads Remarketing Lists", "dst_example_google_ads"),
    ("iterable", "Iterable", "dst_example_iterable"),
    ("braze", "Braze", "dst_example_braze"),
    ("actions-webhook", "Webhooks (Actions)", "dst_example_webhooks"),
    ("destination-function", "Lead Scoring Function", "dst_example_function"),
)
EXAMPLE_SPACE = "spa_example_marketing"
MOBILE_SPACE = "spa_demo_mobile"
# Who created the sample audiences (the SDK requires createdBy and updatedBy).
SAMPLE_USER = "usr_sandbox"


def now_stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _entry(external_id: str, strategy: str, map_to: str = "") -> JsonObject:
    entry: JsonObject = {"externalId": external_id, "strategy": strategy}
    if map_to:
        entry["mapTo"] = map_to
    return entry


class SandboxState:
    """Spaces, audiences, destination instances and connections, guarded by one lock."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.spaces: list[JsonObject] = []
        self.audiences: dict[str, list[JsonObject]] = {}
        self.destinations: dict[str, list[JsonObject]] = {}
        self.connections: dict[tuple[str, str], list[JsonObject]] = {}
        self._serial = 0

    @classmethod
    def seeded(cls) -> SandboxState:
        state = cls()
        state.add_space(EXAMPLE_SPACE, "example-marketing", "Example marketing")
        state.add_space(MOBILE_SPACE, "demo-mobile", "Demo mobile apps")
        for slug, title, instance_id in _DESTINATIONS:
            state.add_destination(EXAMPLE_SPACE, instance_id, slug, title)
            state.add_destination(
                MOBILE_SPACE, instance_id.replace("dst_example_", "dst_mobile_"), slug, title
            )
        for audience_id, title, kind in (
            ("aud_example_high_value", "High value customers", "USERS"),
            ("aud_cart_abandoners", "Cart abandoners (7 days)", "USERS"),
            ("aud_newsletter", "Newsletter subscribers", "USERS"),
            ("aud_churn_risk", "Churn risk", "USERS"),
            ("aud_lapsed_buyers", "Lapsed buyers", "USERS"),
            ("aud_target_accounts", "Target accounts", "ACCOUNTS"),
        ):
            state.add_audience(EXAMPLE_SPACE, title, audience_id=audience_id, audience_type=kind)
        for audience_id, title in (
            ("aud_app_power_users", "App power users"),
            ("aud_app_dormant", "Dormant app users"),
            ("aud_app_trial", "Trial users"),
        ):
            state.add_audience(MOBILE_SPACE, title, audience_id=audience_id)
        state.connect(
            EXAMPLE_SPACE,
            "aud_example_high_value",
            "dst_example_facebook",
            [_entry("email", "last", "EMAIL"), _entry("phone", "all", "PHONE")],
            connection_id="ii_high_value_facebook",
        )
        state.connect(
            EXAMPLE_SPACE,
            "aud_example_high_value",
            "dst_example_iterable",
            [_entry("email", "last", "email"), _entry("user_id", "last", "userId")],
            connection_id="ii_high_value_iterable",
        )
        state.connect(
            EXAMPLE_SPACE,
            "aud_cart_abandoners",
            "dst_example_google_ads",
            [_entry("email", "last", "email")],
            connection_id="ii_cart_google",
        )
        state.connect(
            EXAMPLE_SPACE,
            "aud_newsletter",
            "dst_example_braze",
            None,
            connection_id="ii_newsletter_braze",
        )
        state.connect(
            MOBILE_SPACE,
            "aud_app_power_users",
            "dst_mobile_facebook",
            [_entry("ios.idfa", "all", "MADID"), _entry("email", "last", "EMAIL")],
            connection_id="ii_power_users_facebook",
            settings={"sendMobileIds": True},
        )
        return state

    # -- building ----------------------------------------------------------------------

    def add_space(self, space_id: str, slug: str, name: str) -> None:
        with self.lock:
            self.spaces.append({"id": space_id, "slug": slug, "name": name})
            self.audiences.setdefault(space_id, [])
            self.destinations.setdefault(space_id, [])

    def add_destination(self, space_id: str, destination_id: str, slug: str, name: str) -> None:
        with self.lock:
            self.destinations[space_id].append(
                {
                    "id": destination_id,
                    "name": name,
                    "enabled": True,
                    "sourceId": f"src_{space_id}",
                    "settings": {},
                    "metadata": {"id": f"meta_{slug}", "name": name, "slug": slug},
                }
            )

    def add_audience(
        self,
        space_id: str,
        name: str,
        *,
        audience_id: str | None = None,
        audience_type: str = "USERS",
    ) -> str:
        with self.lock:
            self._serial += 1
            new_id = audience_id or f"aud_{self._serial:04d}_{secrets.token_hex(3)}"
            key = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
            stamp = now_stamp()
            # Every field model/audienceSummaryWithAudienceTypeAndLookback.ts requires.
            self.audiences[space_id].append(
                {
                    "id": new_id,
                    "spaceId": space_id,
                    "key": key,
                    "name": name,
                    "description": "",
                    "audienceType": audience_type,
                    "enabled": True,
                    "status": "Live",
                    "computeCadence": {"type": "BATCH"},
                    "definition": {"query": "event('Order Completed').count() >= 1"},
                    "createdBy": SAMPLE_USER,
                    "updatedBy": SAMPLE_USER,
                    "createdAt": stamp,
                    "updatedAt": stamp,
                }
            )
            return new_id

    def connect(
        self,
        space_id: str,
        audience_id: str,
        destination_id: str,
        id_sync: list[JsonObject] | None,
        *,
        connection_id: str | None = None,
        settings: JsonObject | None = None,
    ) -> JsonObject:
        with self.lock:
            instance = self.require_destination(space_id, destination_id)
            self._serial += 1
            stamp = now_stamp()
            connection: JsonObject = {
                "id": connection_id or f"ii_{secrets.token_hex(8)}",
                "name": instance["name"],
                "sourceId": instance["sourceId"],
                "enabled": True,
                "createdAt": stamp,
                "updatedAt": stamp,
                "settings": {},
                "destinationId": destination_id,
                "metadata": copy.deepcopy(instance["metadata"]),
                "idSyncConfiguration": (
                    copy.deepcopy(id_sync) if id_sync else _default_id_sync(instance)
                ),
                "connectionSettings": copy.deepcopy(settings) if settings else {},
            }
            self.connections.setdefault((space_id, audience_id), []).append(connection)
            return connection

    def set_id_sync(
        self, space_id: str, audience_id: str, destination_id: str, entries: list[JsonObject]
    ) -> None:
        """Replace the ID Sync list of the audience's connection to ``destination_id``, as
        someone editing it in Segment's own app would."""
        with self.lock:
            for connection in self.connections.get((space_id, audience_id), []):
                if connection["destinationId"] == destination_id:
                    connection["idSyncConfiguration"] = copy.deepcopy(entries)
                    connection["updatedAt"] = now_stamp()
                    return
            raise KeyError(f"{audience_id} has no connection to {destination_id}")

    # -- reading (for tests and the handler) -------------------------------------------

    def find_connection(
        self, space_id: str, audience_id: str, destination_id: str
    ) -> JsonObject | None:
        """The audience's connection to that workspace destination, as a copy."""
        with self.lock:
            for connection in self.connections.get((space_id, audience_id), []):
                if connection["destinationId"] == destination_id:
                    return copy.deepcopy(connection)
            return None

    def connection(self, space_id: str, audience_id: str, connection_id: str) -> JsonObject | None:
        """The connection with that (``ii_…``) id, as a copy."""
        with self.lock:
            for connection in self.connections.get((space_id, audience_id), []):
                if connection["id"] == connection_id:
                    return copy.deepcopy(connection)
            return None

    def require_space(self, space_id: str) -> JsonObject:
        for space in self.spaces:
            if space["id"] == space_id:
                return space
        raise ApiFailure(404, f"Space {space_id} was not found.", type_="not-found")

    def require_audience(self, space_id: str, audience_id: str) -> JsonObject:
        self.require_space(space_id)
        for audience in self.audiences[space_id]:
            if audience["id"] == audience_id:
                return audience
        raise ApiFailure(
            404, f"Audience {audience_id} was not found in space {space_id}.", type_="not-found"
        )

    def require_destination(self, space_id: str, destination_id: str) -> JsonObject:
        self.require_space(space_id)
        for instance in self.destinations[space_id]:
            if instance["id"] == destination_id:
                return instance
        raise ApiFailure(
            404,
            f"Destination {destination_id} was not found in space {space_id}; add it to "
            "the space first.",
            type_="not-found",
        )


def _default_id_sync(instance: JsonObject) -> list[JsonObject]:
    # What Segment applies when no configuration is given: email and user_id, with all
    # values for ad platforms and the last value elsewhere.
    slug = instance["metadata"]["slug"]
    strategy = (
        "all"
        if slug in ("personas-facebook-custom-audiences", "adwords-remarketing-lists")
        else "last"
    )
    return [_entry("email", strategy), _entry("user_id", strategy)]


def checked_id_sync(value: Any, *, required: bool) -> list[JsonObject]:
    """The entries of an idSyncConfiguration, or 422 listing every problem of it."""
    if value is None:
        if required:
            raise ApiFailure(422, "idSyncConfiguration is required.", field="idSyncConfiguration")
        return []
    if not isinstance(value, list):
        raise ApiFailure(422, "idSyncConfiguration must be an array.", field="idSyncConfiguration")
    problems: list[tuple[str, str | None]] = []
    if len(value) > MAX_ID_SYNC_ENTRIES:
        problems.append(
            (
                f"idSyncConfiguration accepts at most {MAX_ID_SYNC_ENTRIES} entries; "
                f"got {len(value)}.",
                "idSyncConfiguration",
            )
        )
    using_all = sum(1 for item in value if isinstance(item, dict) and item.get("strategy") == "all")
    if using_all > MAX_ALL_ENTRIES:
        problems.append(
            (
                f"idSyncConfiguration accepts at most {MAX_ALL_ENTRIES} entries with the "
                f"strategy all; got {using_all}.",
                "idSyncConfiguration",
            )
        )
    checked: list[JsonObject] = []
    for index, item in enumerate(value):
        entry = _checked_entry(item, f"idSyncConfiguration[{index}]", problems)
        if entry is not None:
            checked.append(entry)
    if problems:
        (message, field), *more = problems
        raise ApiFailure(422, message, field=field, more=tuple(more))
    return checked


def _checked_entry(
    item: Any, where: str, problems: list[tuple[str, str | None]]
) -> JsonObject | None:
    if not isinstance(item, dict):
        problems.append((f"{where} must be an object.", where))
        return None
    found = len(problems)
    external_id = item.get("externalId")
    if not isinstance(external_id, str) or not external_id.strip():
        problems.append((f"{where}.externalId is required.", f"{where}.externalId"))
    strategy = item.get("strategy")
    if strategy not in STRATEGIES:
        problems.append(
            (
                f"{where}.strategy must be one of first, last, all; got {strategy!r}.",
                f"{where}.strategy",
            )
        )
    map_to = item.get("mapTo")
    if map_to is not None and not isinstance(map_to, str):
        problems.append((f"{where}.mapTo must be a string.", f"{where}.mapTo"))
    for key in item:
        if key not in ("externalId", "strategy", "mapTo"):
            problems.append((f"{where}.{key} is not a known field.", f"{where}.{key}"))
    if len(problems) > found or not isinstance(external_id, str) or strategy not in STRATEGIES:
        return None
    return _entry(external_id, str(strategy), map_to or "")


def checked_settings(value: Any) -> JsonObject:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ApiFailure(
            422, "connectionSettings must be an object or null.", field="connectionSettings"
        )
    return copy.deepcopy(value)


def no_other_keys(body: JsonObject, known: tuple[str, ...]) -> None:
    for key in body:
        if key not in known:
            raise ApiFailure(422, f"{key} is not a known field.", field=key)
