"""The catalog shipped in resources/catalog: valid against its schema and its types, and
carrying the facts the rules depend on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from app.catalog import (
    DESTINATIONS_FILE,
    IDENTIFIERS_FILE,
    SCHEMA_FILE,
    load_catalog,
    shipped_catalog_dir,
)
from app.core.catalog import (
    Catalog,
    DestinationConstraints,
    DestinationSpec,
    IdentifierSpec,
    PresetKey,
)
from app.core.model import DestinationKind, Strategy
from tests.catalog.jsonfiles import read_json

FACEBOOK_KEYS = (
    "EXTERN_ID", "EMAIL", "PHONE", "FN", "LN", "FI", "GEN",
    "DOBY", "DOBM", "DOBD", "CT", "ST", "ZIP", "COUNTRY", "MADID",
)  # fmt: skip

DEFAULT_IDENTIFIERS = (
    "user_id", "anonymous_id", "group_id", "email", "ios.id", "android.id",
    "ios.idfa", "android.idfa", "ios.push_token", "android.push_token", "ga_client_id",
)  # fmt: skip


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = read_json(shipped_catalog_dir() / SCHEMA_FILE)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _schema_errors(validator: jsonschema.Draft202012Validator, data: Any) -> list[str]:
    return [error.message for error in validator.iter_errors(data)]


# ---------------------------------------------------------------------- schema


@pytest.mark.parametrize("name", [IDENTIFIERS_FILE, DESTINATIONS_FILE])
def test_shipped_file_matches_the_json_schema(
    validator: jsonschema.Draft202012Validator, name: str
) -> None:
    assert _schema_errors(validator, read_json(shipped_catalog_dir() / name)) == []


def test_schema_rejects_an_unknown_destination_property(
    validator: jsonschema.Draft202012Validator,
) -> None:
    data = read_json(shipped_catalog_dir() / DESTINATIONS_FILE)
    data["destinations"][3]["colour"] = "blue"
    assert _schema_errors(validator, data)


def test_schema_rejects_a_bad_slug_and_a_free_destination_with_presets(
    validator: jsonschema.Draft202012Validator,
) -> None:
    data = read_json(shipped_catalog_dir() / DESTINATIONS_FILE)
    bad_slug = read_json(shipped_catalog_dir() / DESTINATIONS_FILE)
    bad_slug["destinations"][5]["slug"] = "Not A Slug"
    assert _schema_errors(validator, bad_slug)

    facebook = next(d for d in data["destinations"] if d["slug"] == "facebook-custom-audiences")
    facebook["identifier_mode"] = "free"
    assert _schema_errors(validator, data)


def test_schema_rejects_a_preset_destination_without_keys(
    validator: jsonschema.Draft202012Validator,
) -> None:
    data = read_json(shipped_catalog_dir() / DESTINATIONS_FILE)
    data["destinations"][0]["preset_keys"] = []
    assert _schema_errors(validator, data)


@pytest.mark.parametrize(
    ("definition", "model"),
    [
        ("identifier", IdentifierSpec),
        ("destination", DestinationSpec),
        ("presetKey", PresetKey),
        ("constraints", DestinationConstraints),
    ],
)
def test_schema_and_pydantic_types_name_the_same_fields(definition: str, model: type[Any]) -> None:
    # Keeps the schema honest when someone adds a field to app/core/catalog.py.
    schema = read_json(shipped_catalog_dir() / SCHEMA_FILE)
    assert set(schema["$defs"][definition]["properties"]) == set(model.model_fields)


# ---------------------------------------------------------------------- identifiers


def test_all_identity_resolution_defaults_are_present(catalog: Catalog) -> None:
    assert set(DEFAULT_IDENTIFIERS) <= set(catalog.identifier_ids())
    for identifier_id in DEFAULT_IDENTIFIERS:
        spec = catalog.identifier(identifier_id)
        assert spec is not None
        assert not spec.legacy, identifier_id


def test_legacy_identifiers_are_flagged(catalog: Catalog) -> None:
    legacy = {spec.id for spec in catalog.identifiers if spec.legacy}
    assert legacy == {"braze_id", "cross_domain_id"}


def test_only_advertising_ids_are_mobile_ad_ids(catalog: Catalog) -> None:
    mobile = {spec.id for spec in catalog.identifiers if spec.mobile_ad_id}
    assert mobile == {"ios.idfa", "android.idfa"}


def test_identifier_ids_are_unique_and_described_in_one_line(catalog: Catalog) -> None:
    ids = catalog.identifier_ids()
    assert len(ids) == len(set(ids))
    for spec in catalog.identifiers:
        assert spec.description.strip(), spec.id
        assert "\n" not in spec.description, spec.id


def test_advertising_id_descriptions_name_the_context_field(catalog: Catalog) -> None:
    for identifier_id in ("ios.idfa", "android.idfa"):
        spec = catalog.identifier(identifier_id)
        assert spec is not None
        assert "context.device.advertisingId" in spec.description


# ---------------------------------------------------------------------- destinations


def test_catalog_has_at_least_25_destinations_with_unique_slugs(catalog: Catalog) -> None:
    slugs = [spec.slug for spec in catalog.destinations]
    assert len(slugs) >= 25
    assert len(slugs) == len(set(slugs))


@pytest.mark.parametrize(
    "slug",
    [
        "linkedin-audiences", "snap-audiences", "tiktok-audiences", "pinterest-audiences",
        "reddit-audiences", "braze", "braze-cohorts", "iterable", "customer-io", "hubspot",
        "salesforce-marketing-cloud", "salesforce", "marketo-static-lists", "klaviyo",
        "intercom", "zendesk", "webhooks", "amplitude", "mixpanel", "google-analytics-4",
        "airship", "onesignal", "criteo-audiences", "the-trade-desk-crm",
        "liveramp-audiences", "responsys", "sendgrid-audiences",
    ],
)  # fmt: skip
def test_expected_destination_is_listed_as_free_text(catalog: Catalog, slug: str) -> None:
    spec = catalog.destination(slug)
    assert spec is not None
    assert spec.identifier_mode == "free"
    assert spec.preset_keys == ()
    assert spec.kind is DestinationKind.DESTINATION


def test_only_facebook_and_google_use_preset_keys(catalog: Catalog) -> None:
    preset = {spec.slug for spec in catalog.destinations if spec.identifier_mode == "preset"}
    assert preset == {"facebook-custom-audiences", "google-ads-remarketing-lists"}


def test_facebook_offers_its_customer_file_keys(catalog: Catalog) -> None:
    spec = catalog.destination("facebook-custom-audiences")
    assert spec is not None
    assert spec.accepted_keys() == FACEBOOK_KEYS
    assert spec.supports_mobile_ids
    by_key = {preset.key: preset for preset in spec.preset_keys}
    assert by_key["EMAIL"].suggested_segment == ("email",)
    assert by_key["MADID"].suggested_segment == ("ios.idfa", "android.idfa")
    assert "not hashed" in by_key["EXTERN_ID"].description
    assert "not hashed" in by_key["MADID"].description
    for key in set(FACEBOOK_KEYS) - {"EXTERN_ID", "MADID"}:
        assert "SHA-256" in by_key[key].description, key
        assert by_key[key].label, key


def test_google_offers_customer_match_keys_and_its_limits(catalog: Catalog) -> None:
    spec = catalog.destination("google-ads-remarketing-lists")
    assert spec is not None
    assert set(spec.accepted_keys()) == {"email", "phone", "mobile_id", "crm_id"}
    assert spec.supports_mobile_ids
    assert spec.constraints.required_identifiers == ("email",)
    assert spec.constraints.max_extra_identifiers == 1
    notes = " ".join(spec.constraints.notes).lower()
    assert "one identifier beside email" in notes
    assert "resync" in notes
    for preset in spec.preset_keys:
        assert "does not publish" in preset.description, preset.key
    by_key = {preset.key: preset for preset in spec.preset_keys}
    assert by_key["email"].suggested_segment == ("email",)
    assert by_key["mobile_id"].suggested_segment == ("ios.idfa", "android.idfa")


def test_every_suggested_and_required_identifier_is_a_known_identifier(
    catalog: Catalog,
) -> None:
    known = set(catalog.identifier_ids())
    for spec in catalog.destinations:
        for preset in spec.preset_keys:
            assert set(preset.suggested_segment) <= known, (spec.slug, preset.key)
        assert set(spec.constraints.required_identifiers) <= known, spec.slug


def test_presets_suggesting_advertising_ids_belong_to_mobile_id_destinations(
    catalog: Catalog,
) -> None:
    mobile_ids = {spec.id for spec in catalog.identifiers if spec.mobile_ad_id}
    for spec in catalog.destinations:
        suggests_mobile = any(
            mobile_ids & set(preset.suggested_segment) for preset in spec.preset_keys
        )
        if suggests_mobile:
            assert spec.supports_mobile_ids, spec.slug


def test_ad_audience_destinations_accept_mobile_ids_where_documented(catalog: Catalog) -> None:
    mobile = {spec.slug for spec in catalog.destinations if spec.supports_mobile_ids}
    assert {
        "facebook-custom-audiences",
        "google-ads-remarketing-lists",
        "snap-audiences",
        "tiktok-audiences",
        "reddit-audiences",
    } <= mobile
    # Messaging and CRM tools take no advertising IDs.
    assert not {"braze", "iterable", "hubspot", "zendesk", "intercom"} & mobile


def test_snap_and_reddit_list_the_underscore_mobile_id_fields(catalog: Catalog) -> None:
    for slug in ("snap-audiences", "reddit-audiences"):
        spec = catalog.destination(slug)
        assert spec is not None
        assert {"ios_idfa", "android_idfa"} <= set(spec.known_fields), slug


@pytest.mark.parametrize(
    ("slug", "fields"),
    [
        ("braze", {"external_id", "email", "braze_id"}),
        ("iterable", {"email", "userId"}),
        ("zendesk", {"email", "external_id"}),
    ],
)
def test_known_fields_of_free_text_destinations(
    catalog: Catalog, slug: str, fields: set[str]
) -> None:
    spec = catalog.destination(slug)
    assert spec is not None
    assert fields <= set(spec.known_fields)


def test_destination_function_entry_is_a_function(catalog: Catalog) -> None:
    spec = catalog.destination("destination-function")
    assert spec is not None
    assert spec.kind is DestinationKind.FUNCTION
    assert spec.identifier_mode == "free"


def test_default_strategies(catalog: Catalog) -> None:
    google = catalog.destination("google-ads-remarketing-lists")
    assert google is not None
    # Segment's Google docs: without ID Sync the most recently added value is sent.
    assert google.default_strategy is Strategy.LAST
    for spec in catalog.destinations:
        assert spec.default_strategy in (Strategy.LAST, Strategy.ALL), spec.slug
        if spec.category == "Advertising" and spec.slug != "google-ads-remarketing-lists":
            assert spec.default_strategy is Strategy.ALL, spec.slug


def test_every_destination_links_to_segment_docs_and_has_a_category(catalog: Catalog) -> None:
    for spec in catalog.destinations:
        assert spec.docs_url.startswith("https://segment.com/docs/"), spec.slug
        assert spec.category, spec.slug
        assert spec.name, spec.slug


def test_shipped_folder_is_found_from_the_package(catalog: Catalog) -> None:
    folder = shipped_catalog_dir()
    assert isinstance(folder, Path)
    assert (folder / IDENTIFIERS_FILE).is_file()
    assert (folder / DESTINATIONS_FILE).is_file()
    assert load_catalog() is catalog  # cached: the second call reads nothing
