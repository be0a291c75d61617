"""Upgrades of older document versions, applied to the raw JSON object before validation.

``MIGRATIONS[n]`` turns a version-``n`` object into a version-``n + 1`` object, so every
file ever written keeps opening. A migration receives a copy and may change it freely;
the runner sets ``version``.

Version 2 stores Segment's own destination slugs (a live connection's ``metadata.slug``)
instead of the app's, replaces deprecated destinations with their current ones, and
uses Segment's Customer Match name for Google's mobile ID key.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any, Final

from idsync.core.model import FORMAT_VERSION

JsonObject = dict[str, Any]
Migration = Callable[[JsonObject], JsonObject]

V1_SLUGS: Final[dict[str, str]] = {
    "facebook-custom-audiences": "personas-facebook-custom-audiences",
    "google-ads-remarketing-lists": "adwords-remarketing-lists",
    "google-display-video-360": "actions-display-video-360",
    "linkedin-audiences": "actions-linkedin-audiences",
    "snap-audiences": "actions-snap-audiences",
    "tiktok-audiences": "actions-tiktok-audiences",
    "yahoo-audiences": "actions-yahoo-audiences",
    "criteo-audiences": "actions-criteo-audiences",
    "the-trade-desk-crm": "actions-the-trade-desk-crm",
    "liveramp-audiences": "actions-liveramp-audiences",
    "braze-cohorts": "actions-braze-cohorts",
    "klaviyo": "actions-klaviyo",
    "sendgrid-audiences": "actions-sendgrid-audiences",
    "salesforce-marketing-cloud": "actions-salesforce-marketing-cloud",
    "marketo-static-lists": "actions-marketo-static-lists",
    "salesforce": "actions-salesforce",
    "onesignal": "onesignal-new",
    "google-analytics-4": "actions-google-analytics-4",
    "webhooks": "actions-webhook",
}
"""Version-1 slugs (the app's own) and the Segment slugs of the entries that replace them;
slugs Segment shares with version 1 (braze, iterable, …) are not listed."""

V1_GOOGLE_KEYS: Final[dict[str, str]] = {"mobile_id": "mobile_advertising_id"}


def _v1_to_v2(data: JsonObject) -> JsonObject:
    destination = data.get("destination")
    if isinstance(destination, dict) and isinstance(destination.get("slug"), str):
        old = destination["slug"]
        destination["slug"] = V1_SLUGS.get(old, old)
        if old == "google-ads-remarketing-lists" and isinstance(data.get("identifiers"), list):
            for row in data["identifiers"]:
                if isinstance(row, dict) and isinstance(row.get("destination"), str):
                    row["destination"] = V1_GOOGLE_KEYS.get(row["destination"], row["destination"])
    return data


MIGRATIONS: Final[dict[int, Migration]] = {1: _v1_to_v2}


class MigrationError(Exception):
    """The object cannot be brought to the current version; the message says why."""


def oldest_readable_version(registry: Mapping[int, Migration] | None = None) -> int:
    """The lowest version from which an unbroken chain of migrations reaches the current one."""
    steps = MIGRATIONS if registry is None else registry
    version = FORMAT_VERSION
    while version - 1 in steps:
        version -= 1
    return version


def migrate(
    data: JsonObject, from_version: int, registry: Mapping[int, Migration] | None = None
) -> JsonObject:
    """Apply the migrations from ``from_version`` up to the current version, in order."""
    steps = MIGRATIONS if registry is None else registry
    if from_version > FORMAT_VERSION:
        raise MigrationError(
            f"version {from_version} is newer than this app's {FORMAT_VERSION}"
        )
    current = copy.deepcopy(data)
    for version in range(from_version, FORMAT_VERSION):
        step = steps.get(version)
        if step is None:
            raise MigrationError(
                f"version {version} is older than this app can read (oldest: "
                f"{oldest_readable_version(steps)})"
            )
        try:
            upgraded = step(current)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            raise MigrationError(
                f"could not upgrade it from version {version} to {version + 1}: {exc}"
            ) from exc
        if not isinstance(upgraded, dict):
            raise MigrationError(
                f"the upgrade from version {version} did not produce a JSON object"
            )
        upgraded["version"] = version + 1
        current = upgraded
    return current
