"""The migration hook: older versions are upgraded, in order, before validation."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.core.model import IdentifierRow, IdSyncDocument, Strategy
from app.storage import migrations
from app.storage.documents import DocumentError, parse_document
from app.storage.migrations import MIGRATIONS, MigrationError, migrate, oldest_readable_version


def _draft_v0_to_v1(data: dict[str, Any]) -> dict[str, Any]:
    """A plausible early draft: rows under "ids", strategies in capitals."""
    data["identifiers"] = [
        {**row, "strategy": row["strategy"].lower()} for row in data.pop("ids")
    ]
    return data


V0_DRAFT = {
    "format": "idsync-config",
    "version": 0,
    "name": "draft",
    "ids": [{"segment": "email", "destination": "EMAIL", "strategy": "LAST"}],
}


def _bytes(data: dict[str, Any]) -> bytes:
    return json.dumps(data).encode("utf-8")


def test_first_format_has_nothing_to_migrate() -> None:
    assert oldest_readable_version() == 1
    with pytest.raises(DocumentError) as caught:
        parse_document(_bytes(V0_DRAFT), "old.json")
    assert str(caught.value) == (
        "old.json: version 0 is older than this app can read (oldest: 1) — it cannot be opened."
    )


def test_injected_migration_upgrades_an_old_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(MIGRATIONS, 0, _draft_v0_to_v1)
    assert oldest_readable_version() == 0
    doc = parse_document(_bytes(V0_DRAFT), "old.json")
    assert doc == IdSyncDocument(
        name="draft",
        identifiers=(IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.LAST),),
    )


def test_migrations_can_be_passed_explicitly() -> None:
    doc = parse_document(_bytes(V0_DRAFT), "old.json", migrations={0: _draft_v0_to_v1})
    assert doc.identifiers[0].strategy is Strategy.LAST


def test_steps_run_in_order_and_set_the_version(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(migrations, "FORMAT_VERSION", 3)
    seen: list[int] = []

    def step(version: int) -> migrations.Migration:
        def upgrade(data: dict[str, Any]) -> dict[str, Any]:
            seen.append(data["version"])
            data["trail"] = [*data.get("trail", []), version]
            return data

        return upgrade

    original = {"version": 1, "trail": []}
    result = migrate(original, 1, {2: step(2), 1: step(1)})
    assert result == {"version": 3, "trail": [1, 2]}
    assert seen == [1, 2]
    assert original == {"version": 1, "trail": []}, "the caller's object is not changed"


def test_a_gap_in_the_chain_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(migrations, "FORMAT_VERSION", 3)
    with pytest.raises(MigrationError, match="version 1 is older than this app can read"):
        migrate({"version": 0}, 0, {0: lambda data: data})


def test_a_migration_that_fails_on_odd_data_gives_a_document_error() -> None:
    broken = {"format": "idsync-config", "version": 0, "name": "no rows key"}
    with pytest.raises(DocumentError) as caught:
        parse_document(_bytes(broken), "old.json", migrations={0: _draft_v0_to_v1})
    assert "could not upgrade it from version 0 to 1" in str(caught.value)
    assert "'ids'" in str(caught.value)


def test_migrated_data_is_still_validated() -> None:
    def leaves_bad_strategy(data: dict[str, Any]) -> dict[str, Any]:
        data["identifiers"] = data.pop("ids")
        return data

    with pytest.raises(DocumentError) as caught:
        parse_document(_bytes(V0_DRAFT), "old.json", migrations={0: leaves_bad_strategy})
    assert caught.value.field == "identifiers[0].strategy"
    assert "'LAST' is not one of first, last, all" in str(caught.value)


def test_a_migration_must_return_an_object() -> None:
    def returns_a_list(data: dict[str, Any]) -> Any:
        return ["not", "an", "object"]

    with pytest.raises(MigrationError, match="did not produce a JSON object"):
        migrate({"version": 0}, 0, {0: returns_a_list})
