"""The records' declared shapes: one field list, written back in order."""

from __future__ import annotations

import dataclasses
import json

import pytest

from app.catalog.loader import _DestinationsFile, _IdentifiersFile
from app.core.catalog import (
    Catalog,
    CustomIdentifierKind,
    DestinationConstraints,
    DestinationField,
    DestinationSpec,
    IdentifierSpec,
)
from app.core.model import (
    AudienceTarget,
    DestinationRef,
    IdentifierRow,
    IdSyncDocument,
    JourneyTarget,
    Strategy,
)
from app.core.shapes import Record, describe, required_fields, to_data

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


@pytest.mark.parametrize("record", RECORDS, ids=lambda record: record.__name__)
def test_the_shape_names_every_field_in_field_order(record: type[Record]) -> None:
    # The order is the order of the members on disk: files diff cleanly.
    assert list(record.SHAPE) == [field.name for field in dataclasses.fields(record)]


@pytest.mark.parametrize("record", RECORDS, ids=lambda record: record.__name__)
def test_records_are_frozen(record: type[Record]) -> None:
    params = record.__dataclass_params__  # type: ignore[attr-defined]
    assert params.frozen


def test_required_fields_are_those_without_a_default() -> None:
    assert required_fields(IdentifierRow) == {"segment"}
    assert required_fields(IdSyncDocument) == frozenset()
    assert required_fields(IdentifierSpec) == {"id", "name", "description"}


def test_to_data_writes_json_values_in_field_order() -> None:
    doc = IdSyncDocument(
        name="n",
        target=JourneyTarget(space_id="s", journey_id="j", step="Welcome"),
        identifiers=(IdentifierRow(segment="email", strategy=Strategy.ALL),),
    )
    data = to_data(doc)
    assert list(data) == list(IdSyncDocument.SHAPE)
    assert data["identifiers"] == [{"segment": "email", "destination": "", "strategy": "all"}]
    assert data["target"]["kind"] == "journey"
    assert data["destination"] is None
    assert json.loads(json.dumps(data)) == data


def test_to_data_can_keep_enums_and_tuples() -> None:
    doc = IdSyncDocument(identifiers=(IdentifierRow(segment="email"),), custom_identifiers=("a",))
    data = to_data(doc, json=False)
    assert data["custom_identifiers"] == ("a",)
    assert data["identifiers"][0]["strategy"] is Strategy.LAST


def test_replace_returns_a_changed_copy() -> None:
    row = IdentifierRow(segment="email")
    changed = row.replace(strategy=Strategy.FIRST)
    assert (row.strategy, changed.strategy) == (Strategy.LAST, Strategy.FIRST)
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.segment = "phone"  # type: ignore[misc]


def test_a_document_given_lists_keeps_tuples() -> None:
    doc = IdSyncDocument(
        identifiers=[IdentifierRow(segment="email")],  # type: ignore[arg-type]
        custom_identifiers=["phone"],  # type: ignore[arg-type]
    )
    assert doc.identifiers == (IdentifierRow(segment="email"),)
    assert doc.custom_identifiers == ("phone",)
    assert hash(doc) == hash(doc.replace())


def test_a_catalog_copy_builds_its_own_lookups() -> None:
    spec = DestinationSpec(segment_slug="braze", name="Braze")
    catalog = Catalog(identifiers=(), destinations=(spec,))
    assert catalog.destination("braze") is spec
    other = DestinationSpec(segment_slug="iterable", name="Iterable")
    copied = catalog.replace(destinations=(other,))
    assert copied.destination("braze") is None
    assert copied.destination("iterable") is other
    assert DestinationRef(slug="x").kind.value == "destination"


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (None, "null"),
        (True, "true"),
        (False, "false"),
        (2, "the number 2"),
        (2.5, "the number 2.5"),
        ("yes", "'yes'"),
        ("x" * 50, repr("x" * 37 + "...")),
        ([1], "a list"),
        ({}, "an object"),
    ],
)
def test_describe_names_a_json_value(value: object, words: str) -> None:
    assert describe(value) == words
