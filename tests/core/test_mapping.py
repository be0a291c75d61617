"""idsync.core.mapping: which destination field fits an identifier, and what "+ Add Identifier"
proposes. A default is the field that fits, or empty; never a field of another kind."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from idsync.catalog import load_catalog
from idsync.core.catalog import (
    Catalog,
    CustomIdentifierKind,
    DestinationField,
    DestinationSpec,
    IdentifierSpec,
    ValueKind,
)
from idsync.core.editing import add_row
from idsync.core.mapping import (
    default_rows,
    fits,
    fitting_field,
    new_row,
    next_identifier,
    retarget,
    suggested_identifiers,
)
from idsync.core.model import DestinationRef, IdentifierRow, IdSyncDocument, Strategy
from idsync.core.rules import validate
from tests.helpers.identifier_table import (
    ITERABLE,
    facebook_document,
    small_catalog,
    with_google,
)

FACEBOOK_ACTIONS = "actions-facebook-custom-audiences"
FACEBOOK = "personas-facebook-custom-audiences"
GOOGLE = "adwords-remarketing-lists"
KLAVIYO = "actions-klaviyo"
MOBILE = ("ios.idfa", "android.idfa")

SHIPPED = load_catalog()


def spec_of(slug: str, catalog: Catalog = SHIPPED) -> DestinationSpec:
    spec = catalog.destination(slug)
    assert spec is not None, slug
    return spec


def doc_for(slug: str | None, *rows: tuple[str, str], **changes: object) -> IdSyncDocument:
    return IdSyncDocument(
        destination=DestinationRef(slug=slug) if slug is not None else None,
        identifiers=tuple(
            IdentifierRow(segment=s, destination=d, strategy=Strategy.LAST) for s, d in rows
        ),
    ).replace(**changes)


def added(doc: IdSyncDocument, times: int, catalog: Catalog = SHIPPED) -> list[tuple[str, str]]:
    """What pressing "+ Add Identifier" ``times`` times adds, row by row."""
    seen: list[tuple[str, str]] = []
    for _ in range(times):
        row = new_row(doc, catalog)
        assert row.strategy is Strategy.LAST
        seen.append((row.segment, row.destination))
        doc = add_row(doc, row)
    return seen


# --- value kinds -------------------------------------------------------------------------


def test_a_field_takes_its_own_kind_and_an_external_id_field_takes_a_device_id() -> None:
    assert ValueKind.EMAIL.takes(ValueKind.EMAIL)
    assert not ValueKind.EMAIL.takes(ValueKind.EXTERNAL_ID)
    assert ValueKind.EXTERNAL_ID.takes(ValueKind.DEVICE_ID)
    assert not ValueKind.DEVICE_ID.takes(ValueKind.EXTERNAL_ID)
    assert not ValueKind.EXTERNAL_ID.takes(ValueKind.EMAIL)
    assert not ValueKind.MOBILE_AD_ID.takes(ValueKind.DEVICE_ID)
    for kind in ValueKind:
        assert kind.label.startswith(("a ", "an ")), kind


def test_custom_identifier_kinds_match_names_and_suffixes() -> None:
    exact = CustomIdentifierKind(name="phone", kind=ValueKind.PHONE)
    suffix = CustomIdentifierKind(name="*_phone", kind=ValueKind.PHONE)
    assert exact.matches("phone") and not exact.matches("work_phone")
    assert suffix.matches("work_phone") and not suffix.matches("phone")


def test_a_default_identifiers_kind_wins_over_a_custom_name_rule() -> None:
    # user_id ends in _id, but it is a default identifier with its own kind.
    catalog = Catalog(
        identifiers=(IdentifierSpec(id="user_id", name="User", description="userId"),),
        destinations=(),
        custom_identifier_kinds=(CustomIdentifierKind(name="*_id", kind=ValueKind.EXTERNAL_ID),),
    )
    assert catalog.identifier_kind("user_id") is None
    assert catalog.identifier_kind("crm_id") is ValueKind.EXTERNAL_ID
    assert catalog.identifier_kind("plan") is None


def test_field_display_names_the_label_and_the_key() -> None:
    assert DestinationField(key="FN", label="First name").display == "First name (FN)"
    assert DestinationField(key="EMAIL", label="Email").display == "EMAIL"
    assert DestinationField(key="email").display == "email"


# --- fits and fitting_field --------------------------------------------------------------


@pytest.mark.parametrize(
    ("segment", "key", "expected"),
    [
        ("email", "EMAIL", True),
        ("email", "PHONE", False),
        ("email", "FN", False),
        ("android.idfa", "ZIP", False),
        ("android.idfa", "MADID", True),
        ("user_id", "EMAIL", False),
        ("user_id", "EXTERN_ID", None),  # not one of classic Facebook's documented keys
        ("phone", "PHONE", True),
        ("loyalty_tier", "FN", None),  # unknown identifier kind
        ("email", "Email_c", None),  # unknown field
        ("email", "", None),
    ],
)
def test_fits_on_facebook(segment: str, key: str, expected: bool | None) -> None:
    assert fits(spec_of(FACEBOOK), SHIPPED, segment, key) is expected


def test_fits_without_a_destination_knows_nothing() -> None:
    assert fits(None, SHIPPED, "email", "EMAIL") is None


@pytest.mark.parametrize(
    ("slug", "segment", "key"),
    [
        (FACEBOOK, "email", "EMAIL"),
        (FACEBOOK, "ios.idfa", "MADID"),
        (FACEBOOK, "android.idfa", "MADID"),
        (FACEBOOK, "phone", "PHONE"),
        (FACEBOOK, "first_name", "FN"),
        (FACEBOOK_ACTIONS, "email", "email"),
        (FACEBOOK_ACTIONS, "phone", "phone"),
        (FACEBOOK_ACTIONS, "first_name", "first_name"),
        (GOOGLE, "email", "email"),
        (GOOGLE, "ios.idfa", "mobile_advertising_id"),
        (GOOGLE, "phone", "phone"),
        (KLAVIYO, "phone", "phone"),
        ("braze", "user_id", "external_id"),
        ("actions-snap-audiences", "ios.idfa", "ios_idfa"),
        ("actions-snap-audiences", "android.idfa", "android_idfa"),
    ],
)
def test_fitting_field(slug: str, segment: str, key: str) -> None:
    field = fitting_field(spec_of(slug), SHIPPED, segment)
    assert field is not None and field.key == key


@pytest.mark.parametrize(
    ("slug", "segment"),
    [
        (GOOGLE, "user_id"),  # Google's list takes no id of your own
        (FACEBOOK, "loyalty_tier"),  # unknown kind
        (KLAVIYO, "ios.idfa"),  # Klaviyo takes no advertising ID
        ("destination-function", "email"),  # no known fields at all
    ],
)
def test_no_fitting_field(slug: str, segment: str) -> None:
    assert fitting_field(spec_of(slug), SHIPPED, segment) is None


def test_fitting_field_never_proposes_a_field_another_identifier_uses() -> None:
    braze = spec_of("braze")
    first = fitting_field(braze, SHIPPED, "user_id")
    assert first is not None and first.key == "external_id"
    # Every field of the kind used by other identifiers: none fits (IDS314 otherwise).
    every = [
        IdentifierRow(segment=f"other_{n}", destination=f.key)
        for n, f in enumerate(braze.fields_of_kind(ValueKind.EXTERNAL_ID))
    ]
    assert fitting_field(braze, SHIPPED, "user_id", every) is None
    # The same identifier, or its twin on the other platform, may share its field.
    facebook = spec_of(FACEBOOK)
    ios = [IdentifierRow(segment="ios.idfa", destination="MADID")]
    twin = fitting_field(facebook, SHIPPED, "android.idfa", ios)
    assert twin is not None and twin.key == "MADID"


def test_a_field_of_exactly_the_kind_beats_one_that_merely_takes_it() -> None:
    spec = DestinationSpec(
        slug="x",
        name="X",
        known_fields=(
            DestinationField(key="external_id", kind=ValueKind.EXTERNAL_ID),
            DestinationField(key="device", kind=ValueKind.DEVICE_ID),
        ),
    )
    field = fitting_field(spec, SHIPPED, "ios.id")
    assert field is not None and field.key == "device"


# --- retarget ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "current", "new", "expected"),
    [
        ("phone", "PHONE", "email", "EMAIL"),
        ("email", "EMAIL", "android.idfa", "MADID"),
        ("ios.idfa", "MADID", "android.idfa", "MADID"),  # still fits: kept
        ("email", "EMAIL", "phone", "PHONE"),
        ("email", "EMAIL", "loyalty_tier", ""),  # the field was there for email
        ("email", "FN", "android.idfa", "MADID"),
        ("email", "Email_c", "user_id", "Email_c"),  # typed by the person: kept
        ("loyalty_tier", "FN", "email", "EMAIL"),  # FN does not fit email
        ("", "", "email", "EMAIL"),
        ("", "", "loyalty_tier", ""),
    ],
)
def test_retarget_on_facebook(old: str, current: str, new: str, expected: str) -> None:
    assert retarget(spec_of(FACEBOOK), SHIPPED, old, new, current) == expected


def test_retarget_never_leaves_a_field_of_another_kind() -> None:
    spec = spec_of(FACEBOOK)
    identifiers = ["email", "user_id", "ios.idfa", "phone", "crm_id", "first_name", "zip"]
    # (classic Facebook documents no key for an id of your own: user_id retargets to "")
    for old in identifiers:
        for field in spec.fields():
            for new in identifiers:
                after = retarget(spec, SHIPPED, old, new, field.key)
                assert fits(spec, SHIPPED, new, after) is not False, (old, field.key, new)


def test_retarget_without_a_destination_keeps_the_field() -> None:
    assert retarget(None, SHIPPED, "email", "user_id", "EMAIL") == "EMAIL"


# --- what "+ Add Identifier" adds ---------------------------------------------------------


def test_new_row_on_an_empty_facebook_document_is_email_to_email() -> None:
    row = new_row(doc_for(FACEBOOK), SHIPPED)
    assert row == IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.LAST)


def test_facebook_proposes_mobile_ids_next_once_send_mobile_ids_is_on() -> None:
    assert added(doc_for(FACEBOOK, send_mobile_ids=True), 4) == [
        ("email", "EMAIL"),
        ("ios.idfa", "MADID"),
        ("android.idfa", "MADID"),
        ("user_id", ""),
    ]


def test_facebook_proposes_mobile_ids_last_while_send_mobile_ids_is_off() -> None:
    sequence = added(doc_for(FACEBOOK), 2)
    assert sequence == [("email", "EMAIL"), ("user_id", "")]
    assert not {s for s, _ in sequence} & set(MOBILE)
    order = suggested_identifiers(doc_for(FACEBOOK), SHIPPED)
    assert set(order[-2:]) == set(MOBILE)


def test_a_declared_phone_is_proposed_under_phone() -> None:
    sequence = added(doc_for(FACEBOOK, custom_identifiers=("phone",)), 2)
    assert sequence == [("email", "EMAIL"), ("phone", "PHONE")]
    klaviyo = added(doc_for(KLAVIYO, custom_identifiers=("phone",)), 3)
    assert ("phone", "phone") in klaviyo
    actions = added(doc_for(FACEBOOK_ACTIONS, custom_identifiers=("phone",)), 2)
    assert actions == [("email", "email"), ("phone", "phone")]


def test_a_declared_identifier_without_a_fitting_field_is_not_proposed_early() -> None:
    order = suggested_identifiers(doc_for(FACEBOOK, custom_identifiers=("loyalty_tier",)), SHIPPED)
    assert "loyalty_tier" not in order


def test_google_starts_with_email_to_email() -> None:
    assert new_row(doc_for(GOOGLE), SHIPPED) == IdentifierRow(
        segment="email", destination="email", strategy=Strategy.LAST
    )
    # Google's list takes no id of your own: a user_id row starts with an empty field.
    sequence = dict(added(doc_for(GOOGLE, send_mobile_ids=True), 4))
    assert sequence.get("user_id", "") == ""
    assert sequence["ios.idfa"] == "mobile_advertising_id"


def test_a_free_destination_with_known_fields_starts_with_email_to_email() -> None:
    assert added(doc_for(KLAVIYO), 2) == [("email", "email"), ("user_id", "")]
    assert added(doc_for("braze"), 2) == [("email", "email"), ("user_id", "external_id")]


def test_a_destination_without_known_fields_leaves_the_field_empty() -> None:
    for slug in ("destination-function", "acme-unknown", None):
        assert added(doc_for(slug), 3) == [("email", ""), ("user_id", ""), ("", "")]


def test_next_identifier_skips_used_ones() -> None:
    doc = doc_for(FACEBOOK, ("email", "EMAIL"), ("user_id", ""))
    assert next_identifier(doc, SHIPPED) not in {"email", "user_id"}


def test_destinations_without_mobile_id_support_are_never_offered_mobile_ids() -> None:
    for slug in (KLAVIYO, "braze", "actions-iterable-lists"):
        order = suggested_identifiers(doc_for(slug, send_mobile_ids=True), SHIPPED)
        assert not set(order) & set(MOBILE), slug


def test_snap_offers_mobile_ids_as_it_ignores_send_mobile_ids() -> None:
    off = suggested_identifiers(doc_for("actions-snap-audiences"), SHIPPED)
    on = suggested_identifiers(doc_for("actions-snap-audiences", send_mobile_ids=True), SHIPPED)
    # Segment's docs say to send them through ID Sync whatever the setting says, so the
    # setting does not push them back.
    assert set(MOBILE) <= set(off)
    assert off == on


@settings(max_examples=60, deadline=None)
@given(
    slug=st.sampled_from([spec.slug for spec in SHIPPED.destinations] + ["acme-unknown"]),
    mobile=st.booleans(),
    customs=st.lists(
        st.sampled_from(["phone", "crm_id", "loyalty_tier", "work_email", "first_name"]),
        unique=True,
        max_size=3,
    ),
    presses=st.integers(min_value=1, max_value=5),
)
def test_add_identifier_never_picks_a_field_of_another_kind(
    slug: str, mobile: bool, customs: list[str], presses: int
) -> None:
    doc = doc_for(slug, send_mobile_ids=mobile, custom_identifiers=tuple(customs))
    spec = SHIPPED.destination(slug)
    for segment, field in added(doc, presses):
        assert fits(spec, SHIPPED, segment, field) is not False, (slug, segment, field)
    for _ in range(presses):
        doc = add_row(doc, new_row(doc, SHIPPED))
    assert "IDS312" not in {f.code for f in validate(doc, SHIPPED)}


def test_braze_does_not_propose_its_own_braze_id_field_for_another_id() -> None:
    # braze_id is the id Braze generates; an anonymous_id sent under it matches nobody.
    for segment, field in added(doc_for("braze"), 5):
        if field == "braze_id":
            assert segment == "braze_id", segment


# --- Default Setup's rows ----------------------------------------------------------------


def test_default_rows_are_what_default_setup_sends() -> None:
    assert default_rows(spec_of(FACEBOOK), SHIPPED) == (
        IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.ALL),
        IdentifierRow(segment="ios.idfa", destination="MADID", strategy=Strategy.ALL),
        IdentifierRow(segment="android.idfa", destination="MADID", strategy=Strategy.ALL),
    )
    assert default_rows(spec_of("braze"), SHIPPED) == (
        IdentifierRow(segment="email", destination="email", strategy=Strategy.ALL),
        IdentifierRow(segment="user_id", destination="external_id", strategy=Strategy.ALL),
    )
    assert default_rows(None, SHIPPED) == (
        IdentifierRow(segment="email", destination="", strategy=Strategy.LAST),
        IdentifierRow(segment="user_id", destination="", strategy=Strategy.LAST),
    )


# --- "+ Add Identifier" (new_row) on the small hand-built catalog ------------------------

_EMAIL = IdentifierRow(segment="email", destination="EMAIL")
_PHONE = IdentifierRow(segment="phone", destination="PHONE", strategy=Strategy.ALL)
_IDFA = IdentifierRow(segment="ios.idfa", destination="MADID", strategy=Strategy.ALL)
_USER_ID = IdentifierRow(segment="user_id", destination="EXTERN_ID")


def test_new_row_for_facebook_starts_with_email_under_email() -> None:
    catalog = small_catalog()
    assert new_row(facebook_document(), catalog) == IdentifierRow(
        segment="email", destination="EMAIL", strategy=Strategy.LAST
    )


def test_new_row_proposes_the_declared_phone_under_phone() -> None:
    catalog = small_catalog()
    doc = facebook_document(_EMAIL)
    assert new_row(doc, catalog) == IdentifierRow(
        segment="phone", destination="PHONE", strategy=Strategy.LAST
    )
    # Without it: the next useful identifier, under the key that fits it.
    doc = doc.replace(custom_identifiers=())
    assert new_row(doc, catalog) == IdentifierRow(
        segment="user_id", destination="EXTERN_ID", strategy=Strategy.LAST
    )


def test_new_row_never_fills_a_key_of_another_kind() -> None:
    # The case: with email, phone, user_id and a mobile ID used, the next row
    # must not be prefilled with a key for some other kind of value (FN, ZIP, ...).
    catalog = small_catalog()
    doc = facebook_document(_EMAIL, _PHONE, _USER_ID, _IDFA, send_mobile_ids=True)
    row = new_row(doc, catalog)
    assert row.segment == "android.idfa"
    assert row.destination == "MADID"


def test_new_row_proposes_mobile_ids_only_when_they_would_be_sent() -> None:
    catalog = small_catalog()
    on = facebook_document(_EMAIL, _PHONE, send_mobile_ids=True)
    assert new_row(on, catalog) == IdentifierRow(
        segment="ios.idfa", destination="MADID", strategy=Strategy.LAST
    )
    off = facebook_document(_EMAIL, _PHONE)
    assert new_row(off, catalog).segment == "user_id"


def test_new_row_for_google_starts_with_its_matcher_and_maps_phone_to_phone() -> None:
    catalog = with_google(small_catalog())
    doc = IdSyncDocument(destination=DestinationRef(slug="google"), custom_identifiers=("phone",))
    assert new_row(doc, catalog) == IdentifierRow(
        segment="email", destination="email", strategy=Strategy.LAST
    )
    doc = doc.with_rows([IdentifierRow(segment="email", destination="email")])
    assert new_row(doc, catalog) == IdentifierRow(
        segment="phone", destination="phone", strategy=Strategy.LAST
    )


def test_new_row_for_free_destination_is_email_then_the_next_unused() -> None:
    catalog = small_catalog()
    doc = IdSyncDocument(destination=DestinationRef(slug=ITERABLE))
    assert new_row(doc, catalog) == IdentifierRow(
        segment="email", destination="email", strategy=Strategy.LAST
    )
    doc = doc.with_rows([IdentifierRow(segment="email", destination="email")])
    assert new_row(doc, catalog) == IdentifierRow(
        segment="user_id", destination="userId", strategy=Strategy.LAST
    )


def test_new_row_without_a_known_destination_leaves_the_field_empty() -> None:
    catalog = small_catalog()
    for doc in (IdSyncDocument(), IdSyncDocument(destination=DestinationRef(slug="nope"))):
        assert new_row(doc, catalog) == IdentifierRow(segment="email", strategy=Strategy.LAST)
        doc = doc.with_rows([IdentifierRow(segment="email")])
        assert new_row(doc, catalog) == IdentifierRow(segment="user_id", strategy=Strategy.LAST)
