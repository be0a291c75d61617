"""The migration hook: older versions are upgraded, in order, before validation; and the
real version 1 → 2 migration (Segment's slugs, Segment's name for Google's mobile ID)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from idsync.catalog import load_catalog
from idsync.core.model import FORMAT_VERSION, IdentifierRow, IdSyncDocument, Strategy
from idsync.core.rules import validate
from idsync.storage import migrations
from idsync.storage.documents import DocumentError, dump_document, parse_document
from idsync.storage.migrations import (
    MIGRATIONS,
    V1_GOOGLE_KEYS,
    V1_SLUGS,
    MigrationError,
    migrate,
    oldest_readable_version,
)


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
    # The explicit chain replaces the registry, so it needs every step up to today's version.
    doc = parse_document(
        _bytes(V0_DRAFT), "old.json", migrations={**MIGRATIONS, 0: _draft_v0_to_v1}
    )
    assert doc.identifiers[0].strategy is Strategy.LAST
    assert doc.version == FORMAT_VERSION


def test_an_explicit_chain_with_a_gap_cannot_open_the_file() -> None:
    with pytest.raises(DocumentError) as caught:
        parse_document(_bytes(V0_DRAFT), "old.json", migrations={0: _draft_v0_to_v1})
    assert "version 1 is older than this app can read" in str(caught.value)


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
        parse_document(
            _bytes(V0_DRAFT), "old.json", migrations={**MIGRATIONS, 0: leaves_bad_strategy}
        )
    assert caught.value.field == "identifiers[0].strategy"
    assert "'LAST' is not one of first, last, all" in str(caught.value)


def test_a_migration_must_return_an_object() -> None:
    def returns_a_list(data: dict[str, Any]) -> Any:
        return ["not", "an", "object"]

    with pytest.raises(MigrationError, match="did not produce a JSON object"):
        migrate({"version": 0}, 0, {0: returns_a_list})


# --- version 1 → 2: Segment's slugs and Google's mobile ID key ------------------------


def _v1(slug: str | None, *rows: tuple[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": "idsync-config",
        "version": 1,
        "name": "old",
        "identifiers": [
            {"segment": segment, "destination": destination, "strategy": "last"}
            for segment, destination in rows
        ],
    }
    if slug is not None:
        data["destination"] = {"slug": slug, "name": slug, "instance_id": "ii_1"}
    return data


# Every slug the version-1 catalog shipped.
V1_CATALOG_SLUGS = (
    "facebook-custom-audiences", "google-ads-remarketing-lists", "google-display-video-360",
    "linkedin-audiences", "snap-audiences", "snapchat-audiences", "tiktok-audiences",
    "pinterest-audiences", "reddit-audiences", "yahoo-audiences", "criteo-audiences",
    "the-trade-desk-crm", "liveramp-audiences", "braze", "braze-cohorts", "iterable",
    "customer-io", "klaviyo", "mailchimp", "sendgrid-audiences", "responsys",
    "salesforce-marketing-cloud", "marketo-static-lists", "hubspot", "salesforce", "intercom",
    "zendesk", "airship", "onesignal", "amplitude", "mixpanel", "google-analytics-4",
    "webhooks", "destination-function",
)  # fmt: skip


def test_version_2_is_current_and_version_1_is_still_read() -> None:
    assert FORMAT_VERSION == 2
    assert 1 in MIGRATIONS
    assert oldest_readable_version() == 1


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("facebook-custom-audiences", "personas-facebook-custom-audiences"),
        ("google-ads-remarketing-lists", "adwords-remarketing-lists"),
        ("klaviyo", "actions-klaviyo"),
        ("salesforce", "actions-salesforce"),
        ("onesignal", "onesignal-new"),
        ("webhooks", "actions-webhook"),
        ("salesforce-marketing-cloud", "actions-salesforce-marketing-cloud"),
        ("tiktok-audiences", "actions-tiktok-audiences"),
    ],
)
def test_an_old_slug_is_mapped_to_segments(old: str, new: str) -> None:
    doc = parse_document(_bytes(_v1(old, ("email", "email"))), "old.json")
    assert doc.destination is not None
    assert doc.destination.slug == new
    assert doc.version == 2
    assert doc.identifiers == (
        IdentifierRow(segment="email", destination="email", strategy=Strategy.LAST),
    )


@pytest.mark.parametrize("slug", ["braze", "iterable", "destination-function", "acme-unknown"])
def test_a_slug_segment_shares_or_the_app_does_not_know_is_kept(slug: str) -> None:
    doc = parse_document(_bytes(_v1(slug, ("email", "email"))), "old.json")
    assert doc.destination is not None and doc.destination.slug == slug


def test_every_version_1_slug_opens_on_a_catalog_entry() -> None:
    catalog = load_catalog()
    for old in V1_CATALOG_SLUGS:
        doc = parse_document(_bytes(_v1(old)), "old.json")
        assert doc.destination is not None
        assert catalog.destination(doc.destination.slug) is not None, old
    assert set(V1_SLUGS) <= set(V1_CATALOG_SLUGS)


def test_googles_mobile_id_key_becomes_segments_name() -> None:
    assert V1_GOOGLE_KEYS == {"mobile_id": "mobile_advertising_id"}
    data = _v1(
        "google-ads-remarketing-lists",
        ("ios.idfa", "mobile_id"),
        ("phone", "phone"),
        ("user_id", "crm_id"),
    )
    doc = parse_document(_bytes(data), "old.json")
    assert doc.destination is not None and doc.destination.slug == "adwords-remarketing-lists"
    assert [(row.segment, row.destination) for row in doc.identifiers] == [
        ("ios.idfa", "mobile_advertising_id"),
        ("phone", "phone"),
        ("user_id", "crm_id"),  # no source supports crm_id; the check warns (IDS310)
    ]


def test_the_google_key_is_mapped_only_on_google() -> None:
    doc = parse_document(
        _bytes(_v1("destination-function", ("ios.idfa", "mobile_id"))), "old.json"
    )
    assert doc.identifiers[0].destination == "mobile_id"


def test_a_document_without_a_destination_migrates() -> None:
    doc = parse_document(_bytes(_v1(None, ("email", "EMAIL"))), "old.json")
    assert doc.destination is None
    assert doc.version == 2


def test_the_migration_leaves_odd_shapes_to_validation() -> None:
    odd = _v1("google-ads-remarketing-lists")
    odd["identifiers"] = [["ios.idfa", "mobile_id"], {"segment": "email", "destination": 3}]
    with pytest.raises(DocumentError) as caught:
        parse_document(_bytes(odd), "old.json")
    assert caught.value.field is not None and caught.value.field.startswith("identifiers[0]")


def test_the_migration_does_not_change_the_callers_object() -> None:
    data = _v1("google-ads-remarketing-lists", ("ios.idfa", "mobile_id"))
    before = json.loads(json.dumps(data))
    result = migrate(data, 1, MIGRATIONS)
    assert data == before
    assert result["version"] == 2
    assert result["destination"]["slug"] == "adwords-remarketing-lists"
    assert result["identifiers"][0]["destination"] == "mobile_advertising_id"


def test_a_migrated_old_google_example_is_still_a_valid_config() -> None:
    # The version-1 Google example, as shipped: email, plus phone mapped to phone.
    data = _v1("google-ads-remarketing-lists", ("email", "email"), ("phone", "phone"))
    data["custom_identifiers"] = ["phone"]
    data["target"] = {"kind": "audience", "space_id": "spa_1", "audience_id": "aud_1"}
    doc = parse_document(_bytes(data), "old.json")
    findings = validate(doc, load_catalog())
    assert [f.code for f in findings if f.severity.value != "info"] == []
    again = parse_document(dump_document(doc), "new.json")
    assert again == doc and b'"version": 2' in dump_document(doc)


def test_a_migration_may_write_python_values_that_stand_for_json() -> None:
    # Tuples and enum members are what a migration written against the model would use.
    def writes_python_values(data: dict[str, Any]) -> dict[str, Any]:
        data = _draft_v0_to_v1(data)
        data["custom_identifiers"] = ("phone",)
        data["identifiers"][0]["strategy"] = Strategy.ALL
        return data

    doc = parse_document(
        _bytes(V0_DRAFT), "old.json", migrations={**MIGRATIONS, 0: writes_python_values}
    )
    assert doc.custom_identifiers == ("phone",)
    assert doc.identifiers[0].strategy is Strategy.ALL


def test_a_migration_that_writes_unsavable_text_is_refused() -> None:
    def writes_a_lone_surrogate(data: dict[str, Any]) -> dict[str, Any]:
        data = _draft_v0_to_v1(data)
        data["name"] = "x\ud800"
        return data

    with pytest.raises(DocumentError) as caught:
        parse_document(
            _bytes(V0_DRAFT), "old.json", migrations={**MIGRATIONS, 0: writes_a_lone_surrogate}
        )
    assert "unpaired UTF-16 surrogate" in str(caught.value)
