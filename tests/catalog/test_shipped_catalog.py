"""The catalog shipped in resources/catalog: valid against its schema and its types, and
carrying the facts the rules depend on."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from idsync.catalog import (
    DESTINATIONS_FILE,
    IDENTIFIERS_FILE,
    SCHEMA_FILE,
    load_catalog,
    shipped_catalog_dir,
)
from idsync.core import sources
from idsync.core.catalog import (
    Catalog,
    CustomIdentifierKind,
    DestinationConstraints,
    DestinationField,
    DestinationSpec,
    IdentifierSpec,
    ValueKind,
)
from idsync.core.model import DestinationKind, Strategy
from tests.helpers.jsonfiles import read_json

FACEBOOK_KEYS = (
    "EMAIL", "PHONE", "FN", "LN", "GEN", "DOBY", "DOBM", "DOBD", "CT", "ST", "ZIP", "COUNTRY",
    "MADID",
)  # fmt: skip
"""The 13 keys classic Facebook's page documents (Additional Traits Matching)."""
FACEBOOK_ACTIONS_KEYS = (
    "email", "phone", "first_name", "last_name", "gender", "city", "state", "postal_code",
    "country",
)  # fmt: skip
"""The event keys the Actions destination's Sync mapping reads (sync/fields.ts)."""

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
    bad_slug["destinations"][5]["segment_slug"] = "Not A Slug"
    assert _schema_errors(validator, bad_slug)

    facebook = next(
        d
        for d in data["destinations"]
        if d.get("segment_slug") == "personas-facebook-custom-audiences"
    )
    facebook["identifier_mode"] = "free"
    assert _schema_errors(validator, data)


def test_schema_rejects_an_unknown_value_kind(
    validator: jsonschema.Draft202012Validator,
) -> None:
    data = read_json(shipped_catalog_dir() / DESTINATIONS_FILE)
    data["destinations"][0]["preset_keys"][0]["kind"] = "shoe_size"
    assert _schema_errors(validator, data)
    identifiers = read_json(shipped_catalog_dir() / IDENTIFIERS_FILE)
    identifiers["custom_identifier_kinds"][0]["kind"] = "shoe_size"
    assert _schema_errors(validator, identifiers)


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
        ("destinationField", DestinationField),
        ("constraints", DestinationConstraints),
    ],
)
def test_schema_and_catalog_records_name_the_same_fields(definition: str, model: type[Any]) -> None:
    # Keeps the schema honest when someone adds a field to app/idsync/core/catalog.py.
    schema = read_json(shipped_catalog_dir() / SCHEMA_FILE)
    assert set(schema["$defs"][definition]["properties"]) == set(model.model_fields)


def test_schema_names_every_value_kind() -> None:
    schema = read_json(shipped_catalog_dir() / SCHEMA_FILE)
    assert set(schema["$defs"]["valueKind"]["enum"]) == {kind.value for kind in ValueKind}


def test_schema_and_catalog_records_name_the_same_custom_identifier_kind_fields() -> None:
    schema = read_json(shipped_catalog_dir() / SCHEMA_FILE)
    item = schema["$defs"]["identifiersFile"]["properties"]["custom_identifier_kinds"]["items"]
    assert set(item["properties"]) == set(CustomIdentifierKind.model_fields)


# ---------------------------------------------------------------------- identifiers


def test_all_identity_resolution_defaults_are_present(catalog: Catalog) -> None:
    assert set(DEFAULT_IDENTIFIERS) <= {spec.id for spec in catalog.identifiers}
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
    ids = [spec.id for spec in catalog.identifiers]
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


def test_catalog_has_at_least_45_destinations_with_unique_slugs(catalog: Catalog) -> None:
    slugs = [spec.slug for spec in catalog.destinations]
    assert len(slugs) >= 45
    assert len(slugs) == len(set(slugs))


def test_every_entry_but_functions_carries_segments_own_slug(catalog: Catalog) -> None:
    for spec in catalog.destinations:
        if spec.kind is DestinationKind.FUNCTION:
            assert spec.segment_slug is None, spec.slug
            continue
        assert spec.segment_slug, spec.slug
        # Documents store Segment's slug, so a live connection's metadata.slug finds it.
        assert spec.slug == spec.segment_slug
        assert catalog.destination_for_segment_slug(spec.segment_slug) is spec
    segment_slugs = [spec.segment_slug for spec in catalog.destinations if spec.segment_slug]
    assert len(segment_slugs) == len(set(segment_slugs))


def test_a_slug_segment_does_not_list_matches_no_entry(catalog: Catalog) -> None:
    assert catalog.destination_for_segment_slug("destination-function") is None
    assert catalog.destination_for_segment_slug("acme-unknown") is None
    assert catalog.destination("facebook-custom-audiences") is None


def test_facebook_is_two_entries_classic_and_actions(catalog: Catalog) -> None:
    classic = catalog.destination("personas-facebook-custom-audiences")
    actions = catalog.destination("actions-facebook-custom-audiences")
    assert classic is not None and actions is not None
    assert classic.name == "Facebook Custom Audiences"
    assert actions.name == "Facebook Custom Audiences (Actions)"
    assert classic.accepted_keys() == FACEBOOK_KEYS
    assert actions.accepted_keys() == FACEBOOK_ACTIONS_KEYS
    assert [f.key for f in actions.no_default_mapping] == ["mobileAdId"]
    for spec in (classic, actions):
        assert spec.notes, spec.slug
    assert classic.notes != actions.notes


@pytest.mark.parametrize(
    "slug", ["klaviyo", "salesforce", "onesignal", "webhooks", "salesforce-marketing-cloud"]
)
def test_deprecated_or_private_entries_are_gone(catalog: Catalog, slug: str) -> None:
    assert catalog.destination(slug) is None
    assert catalog.destination_for_segment_slug(slug) is None


@pytest.mark.parametrize(
    "slug",
    [
        "actions-google-enhanced-conversions", "actions-google-sheets", "actions-webhook",
        "actions-webhook-audiences", "actions-segment-profiles", "actions-klaviyo",
        "actions-iterable-lists", "actions-braze-cloud", "ms-bing-ads-audiences",
        "stackadapt-audiences", "actions-amazon-amc", "first-party-dv360", "actions-salesforce",
        "actions-salesforce-marketing-cloud",
    ],
)  # fmt: skip
def test_current_engage_destinations_are_listed(catalog: Catalog, slug: str) -> None:
    spec = catalog.destination_for_segment_slug(slug)
    assert spec is not None
    assert spec.kind is DestinationKind.DESTINATION


@pytest.mark.parametrize(
    "slug",
    [
        "actions-linkedin-audiences", "actions-snap-audiences", "actions-tiktok-audiences",
        "pinterest-audiences", "reddit-audiences", "braze", "actions-braze-cohorts", "iterable",
        "customer-io", "hubspot", "actions-salesforce-marketing-cloud", "actions-salesforce",
        "actions-marketo-static-lists", "actions-klaviyo", "intercom", "zendesk",
        "actions-webhook", "amplitude", "mixpanel", "actions-google-analytics-4", "airship",
        "onesignal-new", "actions-criteo-audiences", "actions-the-trade-desk-crm",
        "actions-liveramp-audiences", "responsys", "actions-sendgrid-audiences",
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
    assert preset == {
        "personas-facebook-custom-audiences",
        "actions-facebook-custom-audiences",
        "adwords-remarketing-lists",
    }


def test_key_lists_name_where_they_come_from(catalog: Catalog) -> None:
    # Classic Facebook's page documents its keys; an Actions entry's keys come from its
    # code at a commit; Google's dropdown values are not published.
    documented = {spec.slug for spec in catalog.destinations if spec.keys_documented}
    classic = catalog.destination("personas-facebook-custom-audiences")
    assert classic is not None and classic.keys_source == sources.FACEBOOK_TRAIT_KEYS
    assert "adwords-remarketing-lists" not in documented
    for slug in documented - {"personas-facebook-custom-audiences"}:
        spec = catalog.destination(slug)
        assert spec is not None
        assert spec.keys_source.startswith(
            "https://github.com/segmentio/action-destinations/"
        ), slug
        assert re.search(r"/(tree|blob)/[0-9a-f]{40}/", spec.keys_source), slug


def test_facebook_offers_its_customer_file_keys(catalog: Catalog) -> None:
    spec = catalog.destination("personas-facebook-custom-audiences")
    assert spec is not None
    assert spec.accepted_keys() == FACEBOOK_KEYS
    assert spec.supports_mobile_ids
    by_key = {preset.key: preset for preset in spec.preset_keys}
    assert by_key["EMAIL"].kind is ValueKind.EMAIL
    assert by_key["PHONE"].kind is ValueKind.PHONE
    assert by_key["MADID"].kind is ValueKind.MOBILE_AD_ID
    assert by_key["FN"].kind is ValueKind.FIRST_NAME
    assert by_key["ZIP"].kind is ValueKind.POSTAL_CODE
    assert "not hashed" in by_key["MADID"].description
    for key in set(FACEBOOK_KEYS) - {"MADID"}:
        assert "SHA-256" in by_key[key].description, key
        assert by_key[key].label, key
    assert all(preset.kind is not None for preset in spec.preset_keys)


def test_madid_is_not_said_to_be_lowercased(catalog: Catalog) -> None:
    # Segment sends the mobile advertising ID as it holds it; it does not change the case.
    for slug in ("personas-facebook-custom-audiences",):
        spec = catalog.destination(slug)
        assert spec is not None
        madid = spec.field("MADID")
        assert madid is not None
        text = madid.description.lower()
        assert "lowercased" not in text.replace("does not change the case", "")
        assert "does not change the case" in text


def test_google_offers_customer_match_keys_and_its_limits(catalog: Catalog) -> None:
    spec = catalog.destination("adwords-remarketing-lists")
    assert spec is not None
    assert spec.accepted_keys() == ("email", "phone", "mobile_advertising_id")
    assert not spec.keys_documented  # Segment does not publish the dropdown's values
    assert spec.supports_mobile_ids
    constraints = spec.constraints
    assert constraints.matcher_identifiers == ("email", "ios.idfa", "android.idfa")
    assert constraints.max_extra_identifiers == 1
    assert constraints.extra_identifier_field == "phone"
    assert constraints.source == sources.GOOGLE_REMARKETING_DOC
    notes = " ".join(constraints.notes).lower()
    assert "email or mobile device id" in notes
    assert "must map to phone" in notes
    assert "resync" in notes
    kinds = {preset.key: preset.kind for preset in spec.preset_keys}
    assert kinds == {
        "email": ValueKind.EMAIL,
        "phone": ValueKind.PHONE,
        "mobile_advertising_id": ValueKind.MOBILE_AD_ID,
    }


@pytest.mark.parametrize(
    "slug", ["personas-facebook-custom-audiences", "adwords-remarketing-lists"]
)
def test_default_setup_of_facebook_and_google_is_email_and_mobile_ids(
    catalog: Catalog, slug: str
) -> None:
    spec = catalog.destination(slug)
    assert spec is not None
    assert spec.default_identifiers == ("email", "ios.idfa", "android.idfa")


def test_other_destinations_default_to_email_and_user_id(catalog: Catalog) -> None:
    spec = catalog.destination("braze")
    assert spec is not None
    assert spec.default_identifiers == ("email", "user_id")


def test_every_default_and_matcher_identifier_is_a_known_identifier(catalog: Catalog) -> None:
    known = {spec.id for spec in catalog.identifiers}
    for spec in catalog.destinations:
        assert set(spec.default_identifiers) <= known, spec.slug
        assert set(spec.constraints.matcher_identifiers) <= known, spec.slug


def test_the_extra_identifier_field_is_one_of_the_destinations_fields(catalog: Catalog) -> None:
    for spec in catalog.destinations:
        if spec.constraints.extra_identifier_field:
            assert spec.field(spec.constraints.extra_identifier_field) is not None, spec.slug


def test_destinations_defaulting_to_advertising_ids_accept_them(catalog: Catalog) -> None:
    mobile_ids = catalog.mobile_ad_ids()
    for spec in catalog.destinations:
        takes_mobile = any(field.kind is ValueKind.MOBILE_AD_ID for field in spec.fields()) or bool(
            mobile_ids & set(spec.default_identifiers)
        )
        if takes_mobile:
            assert spec.supports_mobile_ids, spec.slug


def test_ad_audience_destinations_accept_mobile_ids_where_documented(catalog: Catalog) -> None:
    mobile = {spec.slug for spec in catalog.destinations if spec.supports_mobile_ids}
    assert {
        "personas-facebook-custom-audiences",
        "actions-facebook-custom-audiences",
        "adwords-remarketing-lists",
        "actions-snap-audiences",
        "actions-tiktok-audiences",
        "reddit-audiences",
        # Segment's SFMC docs list ios.idfa and android.idfa among the identifiers it takes.
        "actions-salesforce-marketing-cloud",
    } <= mobile
    # Messaging and CRM tools take no advertising IDs.
    assert not {"braze", "iterable", "hubspot", "zendesk", "intercom"} & mobile


def test_only_snap_ignores_the_send_mobile_ids_setting(catalog: Catalog) -> None:
    ignoring = {spec.slug for spec in catalog.destinations if not spec.send_mobile_ids_setting}
    assert ignoring == {"actions-snap-audiences"}


def test_snap_and_reddit_list_the_underscore_mobile_id_fields(catalog: Catalog) -> None:
    for slug in ("actions-snap-audiences", "reddit-audiences"):
        spec = catalog.destination(slug)
        assert spec is not None
        assert {"ios_idfa", "android_idfa"} <= {f.key for f in spec.known_fields}, slug


@pytest.mark.parametrize(
    ("slug", "fields"),
    [
        ("braze", {"external_id", "email", "braze_id"}),
        ("iterable", {"email", "userId"}),
        ("zendesk", {"email", "external_id"}),
        ("actions-tiktok-audiences", {"email", "phone"}),
        ("actions-sendgrid-audiences", {"email", "phone", "first_name", "last_name"}),
        ("actions-klaviyo", {"email", "phone", "firstName", "lastName"}),
        ("actions-facebook-custom-audiences", set()),
        ("first-party-dv360", {"email", "phone"}),
    ],
)
def test_known_fields_of_free_text_destinations(
    catalog: Catalog, slug: str, fields: set[str]
) -> None:
    spec = catalog.destination(slug)
    assert spec is not None
    assert fields <= {f.key for f in spec.known_fields}


def _kind_its_name_says(key: str) -> ValueKind | None:
    name = key.lower()
    if "email" in name:
        return ValueKind.EMAIL
    if "phone" in name:
        return ValueKind.PHONE
    if "idfa" in name or "madid" in name or "advertising" in name or "mobiledevice" in name:
        return ValueKind.MOBILE_AD_ID
    return None


def test_fields_named_like_an_email_phone_or_advertising_id_take_that_kind(
    catalog: Catalog,
) -> None:
    checked = 0
    for spec in catalog.destinations:
        for field in spec.fields():
            expected = _kind_its_name_says(field.key)
            if expected is not None:
                assert field.kind is expected, (spec.slug, field.key, field.kind)
                checked += 1
    assert checked >= 40


def test_every_field_key_appears_once_per_destination(catalog: Catalog) -> None:
    for spec in catalog.destinations:
        keys = [field.key for field in spec.fields()]
        assert len(keys) == len(set(keys)), spec.slug


def test_names_and_links_the_issue_corrected(catalog: Catalog) -> None:
    mixpanel = catalog.destination("mixpanel")
    assert mixpanel is not None and mixpanel.name == "Mixpanel (Legacy)"
    marketo = catalog.destination("actions-marketo-static-lists")
    assert marketo is not None
    assert marketo.docs_url.endswith("/catalog/actions-marketo-static-lists/")


def test_identifier_kinds(catalog: Catalog) -> None:
    assert catalog.identifier_kind("email") is ValueKind.EMAIL
    assert catalog.identifier_kind("user_id") is ValueKind.EXTERNAL_ID
    assert catalog.identifier_kind("anonymous_id") is ValueKind.EXTERNAL_ID
    assert catalog.identifier_kind("ios.idfa") is ValueKind.MOBILE_AD_ID
    assert catalog.identifier_kind("android.idfa") is ValueKind.MOBILE_AD_ID
    assert catalog.identifier_kind("ios.id") is ValueKind.DEVICE_ID
    # Every default identifier says what it holds.
    assert all(spec.kind is not None for spec in catalog.identifiers)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("phone", ValueKind.PHONE),
        ("phone_number", ValueKind.PHONE),
        ("work_phone", ValueKind.PHONE),
        ("work_email", ValueKind.EMAIL),
        ("crm_id", ValueKind.EXTERNAL_ID),
        ("salesforce_id", ValueKind.EXTERNAL_ID),
        ("first_name", ValueKind.FIRST_NAME),
        ("zip", ValueKind.POSTAL_CODE),
        ("loyalty_tier", None),
        ("plan", None),
    ],
)
def test_custom_identifier_kinds_by_name(
    catalog: Catalog, name: str, kind: ValueKind | None
) -> None:
    assert catalog.identifier(name) is None
    assert catalog.identifier_kind(name) is kind


def test_destination_function_entry_is_a_function(catalog: Catalog) -> None:
    spec = catalog.destination("destination-function")
    assert spec is not None
    assert spec.kind is DestinationKind.FUNCTION
    assert spec.identifier_mode == "free"


def test_default_strategies(catalog: Catalog) -> None:
    google = catalog.destination("adwords-remarketing-lists")
    assert google is not None
    # Segment's Google docs: without ID Sync the most recently added value is sent.
    assert google.default_strategy is Strategy.LAST
    for spec in catalog.destinations:
        assert spec.default_strategy in (Strategy.LAST, Strategy.ALL), spec.slug
        if spec.category == "Advertising" and spec.slug != "adwords-remarketing-lists":
            assert spec.default_strategy is Strategy.ALL, spec.slug


def test_every_destination_links_to_its_source_and_has_a_category(catalog: Catalog) -> None:
    for spec in catalog.destinations:
        assert spec.docs_url.startswith(
            ("https://segment.com/docs/", "https://github.com/segmentio/")
        ), spec.slug
        assert spec.category, spec.slug
        assert spec.name, spec.slug
    # Only an entry Segment's docs have no page for links to its code.
    webhook_audiences = catalog.destination("actions-webhook-audiences")
    assert webhook_audiences is not None
    assert webhook_audiences.docs_url.startswith(
        "https://github.com/segmentio/action-destinations/"
    )


def test_shipped_folder_is_found_from_the_package(catalog: Catalog) -> None:
    folder = shipped_catalog_dir()
    assert isinstance(folder, Path)
    assert (folder / IDENTIFIERS_FILE).is_file()
    assert (folder / DESTINATIONS_FILE).is_file()
    assert load_catalog() is catalog  # cached: the second call reads nothing


def test_custom_identifier_kinds_are_remembered_within_a_bound(catalog: Catalog) -> None:
    from idsync.core.catalog import _CUSTOM_KINDS_REMEMBERED

    fresh = catalog.replace()  # its own memory of names, empty
    for number in range(_CUSTOM_KINDS_REMEMBERED + 10):
        assert fresh.identifier_kind(f"name_{number}_phone") is ValueKind.PHONE
        assert fresh.identifier_kind(f"tier_{number}") is None
    assert len(fresh._custom_kinds_seen) <= _CUSTOM_KINDS_REMEMBERED
    assert fresh.identifier_kind("work_email") is ValueKind.EMAIL
