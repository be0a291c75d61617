"""Upgrades of older document versions, applied to the raw JSON object before validation.

``MIGRATIONS[n]`` turns a version-``n`` object into a version-``n + 1`` object. The
registry is empty because version 1 is the first published format; when version 2 comes,
``MIGRATIONS[1]`` is added here and every version-1 file on disk keeps opening.
A migration receives a copy and may change it freely; the runner sets ``version``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any, Final

from app.core.model import FORMAT_VERSION

JsonObject = dict[str, Any]
Migration = Callable[[JsonObject], JsonObject]

MIGRATIONS: Final[dict[int, Migration]] = {}


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
