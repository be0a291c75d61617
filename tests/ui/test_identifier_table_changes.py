"""Which Qt signal a change of rows maps to, and the offers each cell makes."""

from __future__ import annotations

import pytest

from app.core.model import DestinationRef, IdentifierRow, IdSyncDocument, Strategy
from app.ui.identifiers.choices import (
    ChoiceGroup,
    default_new_row,
    destination_identifier_choices,
    segment_identifier_choices,
    strategy_choices,
)
from app.ui.identifiers.row_changes import (
    CellsChanged,
    Replaced,
    RowInserted,
    RowMoved,
    RowRemoved,
    Unchanged,
    classify_row_change,
    moved_index,
)
from tests.ui.test_identifier_table_fixtures import (
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
        ((A, B), (A, B.model_copy(update={"strategy": Strategy.LAST})), CellsChanged(((1, 2),))),
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
    assert "not accepted by Facebook Custom Audiences" in offered.choices[0].label


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


def test_new_row_for_preset_destination_takes_first_unused_key_and_its_identifier() -> None:
    catalog = small_catalog()
    doc = facebook_document()
    assert default_new_row(doc, catalog) == IdentifierRow(
        segment="user_id", destination="EXTERN_ID", strategy=Strategy.LAST
    )
    # PHONE has no usual identifier, but the space declares a custom "phone".
    doc = facebook_document(D, A)
    assert default_new_row(doc, catalog) == IdentifierRow(
        segment="phone", destination="PHONE", strategy=Strategy.LAST
    )
    # Without it the Segment identifier is left for the person to choose.
    doc = doc.model_copy(update={"custom_identifiers": ()})
    assert default_new_row(doc, catalog) == IdentifierRow(
        segment="", destination="PHONE", strategy=Strategy.LAST
    )
    # MADID's usual identifiers: the first one not used yet.
    doc = facebook_document(A, B, IdentifierRow(segment="ios.idfa", destination="EXTERN_ID"))
    assert default_new_row(doc, catalog) == IdentifierRow(
        segment="android.idfa", destination="MADID", strategy=Strategy.LAST
    )


def test_new_row_prefers_a_key_for_an_identifier_the_destination_requires() -> None:
    from app.core.catalog import Catalog, DestinationConstraints, DestinationSpec, PresetKey

    base = small_catalog()
    google = DestinationSpec(
        slug="google",
        name="Google Ads Remarketing Lists",
        identifier_mode="preset",
        preset_keys=(
            PresetKey(key="crm_id", label="CRM ID", suggested_segment=("user_id",)),
            PresetKey(key="email", label="Email", suggested_segment=("email",)),
        ),
        constraints=DestinationConstraints(required_identifiers=("email",)),
    )
    catalog = Catalog(identifiers=base.identifiers, destinations=(google,))
    doc = IdSyncDocument(destination=DestinationRef(slug="google"))
    assert default_new_row(doc, catalog).destination == "email"
    doc = doc.with_rows([IdentifierRow(segment="email", destination="email")])
    assert default_new_row(doc, catalog).destination == "crm_id"


def test_new_row_for_free_destination_is_email_then_the_next_unused() -> None:
    catalog = small_catalog()
    doc = IdSyncDocument(destination=DestinationRef(slug=ITERABLE))
    assert default_new_row(doc, catalog) == IdentifierRow(segment="email", strategy=Strategy.LAST)
    doc = doc.with_rows([IdentifierRow(segment="email")])
    assert default_new_row(doc, catalog).segment == "user_id"
