"""Which Qt signal a change of rows maps to, and the offers each cell makes."""

from __future__ import annotations

import pytest

from app.core.catalog import (
    Catalog,
    DestinationConstraints,
    DestinationField,
    DestinationSpec,
    ValueKind,
)
from app.core.choices import (
    ChoiceGroup,
    destination_identifier_choices,
    preset_key_label,
    segment_identifier_choices,
    strategy_choices,
)
from app.core.mapping import new_row
from app.core.model import DestinationRef, IdentifierRow, IdSyncDocument, Strategy
from app.core.row_changes import (
    CellsChanged,
    Replaced,
    RowInserted,
    RowMoved,
    RowRemoved,
    Unchanged,
    classify_row_change,
    moved_index,
)
from tests.helpers.identifier_table import (
    FACEBOOK,
    ITERABLE,
    facebook_document,
    small_catalog,
)

A = IdentifierRow(segment="email", destination="EMAIL")
B = IdentifierRow(segment="phone", destination="PHONE", strategy=Strategy.ALL)
C = IdentifierRow(segment="ios.idfa", destination="MADID", strategy=Strategy.ALL)
D = IdentifierRow(segment="user_id", destination="EXTERN_ID")


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ((A, B), (A, B), Unchanged()),
        ((A, B), (A, B, C), RowInserted(2)),
        ((A, B), (C, A, B), RowInserted(0)),
        ((A, B), (A, C, B), RowInserted(1)),
        ((A, B, C), (A, C), RowRemoved(1)),
        ((A, B, C), (B, C), RowRemoved(0)),
        ((A, B, C), (B, A, C), RowMoved(0, 1)),
        ((A, B, C), (A, C, B), RowMoved(1, 2)),
        ((A, B, C), (C, A, B), RowMoved(2, 0)),
        ((A, B, C, D), (B, C, A, D), RowMoved(0, 2)),
        ((A, B), (A, B.replace(strategy=Strategy.LAST)), CellsChanged(((1, 2),))),
        ((A, B), (D, B), CellsChanged(((0, 0), (0, 1)))),
        (
            (A, B, C),
            (B, C, D),
            CellsChanged(((0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (2, 0), (2, 1), (2, 2))),
        ),
        ((A,), (A, B, C), Replaced()),
        ((A, B), (C, D, A), Replaced()),
        ((A, B, C), (D,), Replaced()),
        ((), (A,), RowInserted(0)),
        ((A,), (), RowRemoved(0)),
    ],
)
def test_row_changes_are_classified_narrowly(before, after, expected) -> None:
    assert classify_row_change(before, after) == expected


def test_duplicate_rows_still_give_a_single_move() -> None:
    change = classify_row_change((A, A, B), (A, B, A))
    assert isinstance(change, RowMoved)
    rows = [A, A, B]
    rows.insert(change.destination, rows.pop(change.source))
    assert rows == [A, B, A]


def test_moved_index_follows_every_row() -> None:
    move = RowMoved(0, 2)
    assert [moved_index(i, move, 4) for i in range(4)] == [2, 0, 1, 3]
    move_up = RowMoved(3, 1)
    assert [moved_index(i, move_up, 4) for i in range(4)] == [0, 2, 3, 1]


def test_segment_choices_put_defaults_then_custom_then_remembered_then_legacy() -> None:
    choices = segment_identifier_choices(
        small_catalog(), ("phone", "email"), ("loyalty_id", "phone", " ")
    )
    values = [c.value for c in choices]
    assert values == [
        "user_id",
        "email",
        "anonymous_id",
        "ios.idfa",
        "android.idfa",
        "phone",
        "loyalty_id",
        "braze_id",
    ]
    groups = {c.value: c.group for c in choices}
    assert groups["phone"] is ChoiceGroup.CUSTOM
    assert groups["loyalty_id"] is ChoiceGroup.REMEMBERED
    assert groups["braze_id"] is ChoiceGroup.LEGACY


def test_preset_destination_offers_only_its_keys_with_labels() -> None:
    spec = small_catalog().destination(FACEBOOK)
    offered = destination_identifier_choices(spec, "EMAIL")
    assert not offered.editable
    assert [(c.value, c.label) for c in offered.choices] == [
        ("EXTERN_ID", "External ID (EXTERN_ID)"),
        ("EMAIL", "EMAIL"),
        ("PHONE", "PHONE"),
        ("MADID", "Mobile advertising ID (MADID)"),
    ]


def test_preset_destination_keeps_a_foreign_value_visible_and_marked() -> None:
    spec = small_catalog().destination(FACEBOOK)
    offered = destination_identifier_choices(spec, "email")
    assert offered.choices[0].value == "email"
    assert "not a documented Facebook Custom Audiences key" in offered.choices[0].label


def test_free_destination_suggests_known_fields_and_stays_editable() -> None:
    offered = destination_identifier_choices(small_catalog().destination(ITERABLE), "custom")
    assert offered.editable
    assert [c.value for c in offered.choices] == ["email", "userId"]
    assert destination_identifier_choices(None).editable


def test_strategy_choices_use_the_labels() -> None:
    assert [(c.value, c.label) for c in strategy_choices()] == [
        ("first", "First added"),
        ("last", "Last added"),
        ("all", "All"),
    ]


def _google(catalog: Catalog) -> Catalog:
    """The small catalog plus a Google-like entry whose key list Segment does not publish."""
    google = DestinationSpec(
        slug="google",
        name="Google Ads Remarketing Lists",
        identifier_mode="preset",
        preset_keys=(
            DestinationField(key="email", label="Email", kind=ValueKind.EMAIL),
            DestinationField(key="phone", label="Phone", kind=ValueKind.PHONE),
            DestinationField(
                key="mobile_advertising_id", label="Mobile ID", kind=ValueKind.MOBILE_AD_ID
            ),
        ),
        supports_mobile_ids=True,
        default_identifiers=("email", "ios.idfa", "android.idfa"),
        constraints=DestinationConstraints(
            matcher_identifiers=("email", "ios.idfa", "android.idfa"),
            max_extra_identifiers=1,
            extra_identifier_field="phone",
        ),
    )
    return catalog.replace(destinations=(*catalog.destinations, google))


def test_unpublished_preset_list_offers_its_keys_and_free_text() -> None:
    spec = _google(small_catalog()).destination("google")
    offered = destination_identifier_choices(spec, "crm_id")
    # Segment does not publish the dropdown's values: the list is a suggestion only, and a
    # value outside it is not marked as refused.
    assert offered.editable
    assert [c.value for c in offered.choices] == ["email", "phone", "mobile_advertising_id"]
    assert all(c.group is ChoiceGroup.PRESET for c in offered.choices)


def test_known_fields_say_what_kind_of_value_they_take() -> None:
    offered = destination_identifier_choices(small_catalog().destination(ITERABLE))
    descriptions = {c.value: c.description for c in offered.choices}
    assert "an email address" in descriptions["email"]
    assert "an ID of your own" in descriptions["userId"]


def test_preset_key_labels_in_the_table() -> None:
    spec = small_catalog().destination(FACEBOOK)
    assert preset_key_label(spec, "MADID") == "Mobile advertising ID (MADID)"
    assert preset_key_label(spec, "EMAIL") == "EMAIL"
    assert preset_key_label(spec, "custom") == "custom"
    assert preset_key_label(small_catalog().destination(ITERABLE), "email") == "email"
    assert preset_key_label(None, "EMAIL") == "EMAIL"


# --- "+ Add Identifier" (app.core.mapping.new_row) -----------------------------------------


def test_new_row_for_facebook_starts_with_email_under_email() -> None:
    catalog = small_catalog()
    assert new_row(facebook_document(), catalog) == IdentifierRow(
        segment="email", destination="EMAIL", strategy=Strategy.LAST
    )


def test_new_row_proposes_the_declared_phone_under_phone() -> None:
    catalog = small_catalog()
    doc = facebook_document(A)
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
    doc = facebook_document(A, B, D, C, send_mobile_ids=True)
    row = new_row(doc, catalog)
    assert row.segment == "android.idfa"
    assert row.destination == "MADID"


def test_new_row_proposes_mobile_ids_only_when_they_would_be_sent() -> None:
    catalog = small_catalog()
    on = facebook_document(A, B, send_mobile_ids=True)
    assert new_row(on, catalog) == IdentifierRow(
        segment="ios.idfa", destination="MADID", strategy=Strategy.LAST
    )
    off = facebook_document(A, B)
    assert new_row(off, catalog).segment == "user_id"


def test_new_row_for_google_starts_with_its_matcher_and_maps_phone_to_phone() -> None:
    catalog = _google(small_catalog())
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
