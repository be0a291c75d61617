"""idsync.editor.choices: what each identifier-table cell offers."""

from __future__ import annotations

from idsync.editor.choices import (
    ChoiceGroup,
    destination_identifier_choices,
    preset_key_label,
    segment_identifier_choices,
    strategy_choices,
)
from tests.helpers.identifier_table import FACEBOOK, ITERABLE, small_catalog, with_google


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


def test_unpublished_preset_list_offers_its_keys_and_free_text() -> None:
    spec = with_google(small_catalog()).destination("google")
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
