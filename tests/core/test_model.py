"""The records as pydantic models: strict reading of JSON, one field list written back in
order, frozen copies, and the document's JSON Schema."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from idsync.catalog.loader import _DestinationsFile, _IdentifiersFile
from idsync.core.catalog import (
    Catalog,
    CustomIdentifierKind,
    DestinationConstraints,
    DestinationField,
    DestinationSpec,
    IdentifierSpec,
)
from idsync.core.model import (
    AudienceTarget,
    DestinationKind,
    DestinationRef,
    IdentifierRow,
    IdSyncDocument,
    JourneyTarget,
    Record,
    Setup,
    Strategy,
)
from tests.helpers.strategies import damaged_documents, documents, json_values

RECORDS: list[type[Record]] = [
    IdentifierRow,
    AudienceTarget,
    JourneyTarget,
    DestinationRef,
    IdSyncDocument,
    IdentifierSpec,
    CustomIdentifierKind,
    DestinationField,
    DestinationConstraints,
    DestinationSpec,
    Catalog,
    _IdentifiersFile,
    _DestinationsFile,
]


def _clean() -> dict[str, Any]:
    return {
        "format": "idsync-config",
        "version": 2,
        "name": "Buyers",
        "target": {"kind": "journey", "space_id": "spa_1", "journey_id": "jou_1"},
        "destination": {"slug": "braze", "kind": "destination"},
        "setup": "customized",
        "send_mobile_ids": True,
        "custom_identifiers": ["phone"],
        "identifiers": [
            {"segment": "email", "destination": "email", "strategy": "all"},
            {"segment": "phone"},
        ],
    }


def _read(data: object, record: type[BaseModel] = IdSyncDocument) -> Any:
    return record.model_validate_json(json.dumps(data))


def _errors(data: object, record: type[BaseModel] = IdSyncDocument) -> list[tuple[str, tuple]]:
    with pytest.raises(ValidationError) as caught:
        _read(data, record)
    return [(error["type"], error["loc"]) for error in caught.value.errors()]


# --- the records ------------------------------------------------------------------------


@pytest.mark.parametrize("record", RECORDS, ids=lambda record: record.__name__)
def test_records_are_frozen_strict_and_refuse_unknown_members(record: type[Record]) -> None:
    config = record.model_config
    assert (config.get("frozen"), config.get("strict"), config.get("extra")) == (
        True,
        True,
        "forbid",
    )


def test_replace_returns_a_changed_copy_and_the_original_is_frozen() -> None:
    row = IdentifierRow(segment="email")
    changed = row.replace(strategy=Strategy.FIRST)
    assert (row.strategy, changed.strategy) == (Strategy.LAST, Strategy.FIRST)
    with pytest.raises(ValidationError):
        row.segment = "phone"  # type: ignore[misc]


def test_replace_checks_its_changes_and_takes_a_list_as_its_tuple() -> None:
    doc = IdSyncDocument()
    changed = doc.replace(identifiers=[IdentifierRow(segment="email")])
    assert changed.identifiers == (IdentifierRow(segment="email"),)
    assert hash(changed) == hash(changed.replace())
    with pytest.raises(ValidationError):
        doc.replace(setup="sometimes")
    with pytest.raises(ValidationError):
        doc.replace(colour="red")


def test_the_catalog_stores_an_entry_under_segments_slug_when_it_names_none() -> None:
    spec = _read({"segment_slug": "braze", "name": "Braze"}, DestinationSpec)
    assert spec.slug == "braze"
    assert DestinationSpec(segment_slug="braze", name="Braze") == spec
    assert spec.replace(name="Braze 2").slug == "braze"


def test_a_catalog_copy_builds_its_own_lookups() -> None:
    spec = DestinationSpec(segment_slug="braze", name="Braze")
    catalog = Catalog(identifiers=(), destinations=(spec,))
    assert catalog.destination("braze") is spec
    other = DestinationSpec(segment_slug="iterable", name="Iterable")
    copied = catalog.replace(destinations=(other,))
    assert copied.destination("braze") is None
    assert copied.destination("iterable") is other
    assert copied == Catalog(identifiers=(), destinations=(other,)), "lookups are not fields"


# --- writing ----------------------------------------------------------------------------


def test_json_data_is_written_in_field_order() -> None:
    doc = IdSyncDocument(
        name="n",
        target=JourneyTarget(space_id="s", journey_id="j", step="Welcome"),
        identifiers=(IdentifierRow(segment="email", strategy=Strategy.ALL),),
    )
    data = doc.to_json_data()
    assert list(data) == list(IdSyncDocument.model_fields)
    assert data["identifiers"] == [{"segment": "email", "destination": "", "strategy": "all"}]
    assert data["target"]["kind"] == "journey"
    assert data["destination"] is None
    assert json.loads(json.dumps(data)) == data


@given(documents)
def test_every_document_reads_back_as_itself(doc: IdSyncDocument) -> None:
    assert _read(doc.to_json_data()) == doc


# --- reading ----------------------------------------------------------------------------


def test_a_fitting_document_is_read_with_its_values_and_the_defaults() -> None:
    doc = _read(_clean())
    assert doc.target == JourneyTarget(space_id="spa_1", journey_id="jou_1")
    assert doc.destination is not None and doc.destination.kind is DestinationKind.DESTINATION
    assert doc.setup is Setup.CUSTOMIZED
    assert doc.custom_identifiers == ("phone",)
    assert [row.strategy for row in doc.identifiers] == [Strategy.ALL, Strategy.LAST]
    assert doc.identifiers[1].destination == ""
    assert doc.notes == ""


def test_the_default_target_is_made_anew_for_each_document() -> None:
    data = _clean()
    del data["target"]
    first, second = _read(data), _read(copy.deepcopy(data))
    assert first.target == AudienceTarget()
    assert first.target is not second.target


@pytest.mark.parametrize(
    ("path", "value", "kind"),
    [
        (("name",), 1, "string_type"),
        (("send_mobile_ids",), "yes", "bool_type"),
        (("send_mobile_ids",), 1, "bool_type"),
        (("custom_identifiers",), "phone", "tuple_type"),
        (("destination",), [], "model_type"),
        (("setup",), "custom", "enum"),
        (("setup",), ["default"], "enum"),
        (("identifiers", 0, "strategy"), None, "enum"),
        (("version",), True, "literal_error"),
        (("format",), {"a": 1}, "literal_error"),
    ],
)
def test_a_value_of_the_wrong_json_kind_is_refused_where_it_is(
    path: tuple[str | int, ...], value: object, kind: str
) -> None:
    data = _clean()
    container: Any = data
    for step in path[:-1]:
        container = container[step]
    container[path[-1]] = value
    assert _errors(data) == [(kind, path)]


def test_missing_and_unknown_members_are_named() -> None:
    data = _clean()
    del data["identifiers"][1]["segment"]
    data["destination"]["colour"] = "red"
    assert _errors(data) == [
        ("extra_forbidden", ("destination", "colour")),
        ("missing", ("identifiers", 1, "segment")),
    ]


def test_the_target_kind_tells_which_fields_it_takes() -> None:
    data = _clean()
    data["target"]["kind"] = "campaign"
    assert _errors(data) == [("union_tag_invalid", ("target",))]
    del data["target"]["kind"]
    assert _errors(data) == [("union_tag_not_found", ("target",))]
    data["target"] = {"kind": "audience", "journey_id": "jou_1"}
    assert _errors(data) == [("extra_forbidden", ("target", "audience", "journey_id"))]


def test_a_list_the_file_must_fill_says_so() -> None:
    assert _errors({"identifiers": [], "custom_identifier_kinds": []}, _IdentifiersFile) == [
        ("too_short", ("identifiers",))
    ]
    assert _errors({"destinations": []}, _DestinationsFile) == [("too_short", ("destinations",))]
    assert _errors({"$schema": 3, "destinations": [{"name": "x"}]}, _DestinationsFile) == [
        ("string_type", ("$schema",))
    ]


def test_a_whole_number_is_not_a_flag_or_a_fraction() -> None:
    for value, fits in ((3, True), (None, True), (True, False), (3.5, False), ("3", False)):
        data = {"name": "Braze", "constraints": {"max_extra_identifiers": value}}
        if fits:
            assert _read(data, DestinationSpec).constraints.max_extra_identifiers == value
        else:
            assert _errors(data, DestinationSpec) == [
                ("int_type", ("constraints", "max_extra_identifiers"))
            ]


@given(damaged_documents())
def test_a_damaged_document_is_read_or_refused_with_a_place(data: dict[str, Any]) -> None:
    try:
        _read(data)
    except ValidationError as exc:
        assert exc.errors()


@given(st.sampled_from(["format", "version", "setup", "target", "identifiers"]), json_values)
def test_a_damaged_member_is_read_or_refused_at_that_member(
    member: str, value: object
) -> None:
    data = _clean()
    data[member] = value
    try:
        doc = _read(data)
    except ValidationError as exc:
        assert all(error["loc"][0] == member for error in exc.errors())
    else:
        written = doc.to_json_data()[member]  # a target read from a dict gains its defaults
        assert written == value or (isinstance(value, dict) and value.items() <= written.items())
