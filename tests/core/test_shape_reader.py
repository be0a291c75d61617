"""Reading parsed JSON into records: the quick reader and the explaining one agree, and
every misfit is named with its place."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.catalog import DestinationSpec
from app.core.model import (
    AudienceTarget,
    DestinationKind,
    IdSyncDocument,
    JourneyTarget,
    Setup,
    Strategy,
)
from app.core.shape_reader import _quick_reader, _record, build
from app.core.shapes import ShapeError, ShapeProblem, to_data
from tests.helpers.strategies import damaged_documents, documents, json_values


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


def _problems(data: object) -> list[ShapeProblem]:
    with pytest.raises(ShapeError) as caught:
        build(IdSyncDocument, data)
    return caught.value.problems


def _only(data: object) -> ShapeProblem:
    problems = _problems(data)
    assert len(problems) == 1, problems
    return problems[0]


# --- what fits ----------------------------------------------------------------------


def test_a_fitting_document_is_read_with_its_values_and_the_defaults() -> None:
    doc = build(IdSyncDocument, _clean())
    assert doc.target == JourneyTarget(space_id="spa_1", journey_id="jou_1")
    assert doc.destination is not None and doc.destination.kind is DestinationKind.DESTINATION
    assert doc.setup is Setup.CUSTOMIZED
    assert doc.custom_identifiers == ("phone",)
    assert [row.strategy for row in doc.identifiers] == [Strategy.ALL, Strategy.LAST]
    assert doc.identifiers[1].destination == ""
    assert doc.notes == ""


def test_a_read_record_equals_and_hashes_as_one_built_in_python() -> None:
    data = _clean()
    read = build(IdSyncDocument, data)
    made = IdSyncDocument(**{name: getattr(read, name) for name in IdSyncDocument.SHAPE})
    assert read == made
    assert hash(read) == hash(made)
    assert read.replace(name="Other") != read


def test_the_default_target_is_made_anew_for_each_document() -> None:
    data = _clean()
    del data["target"]
    first, second = build(IdSyncDocument, data), build(IdSyncDocument, copy.deepcopy(data))
    assert first.target == AudienceTarget()
    assert first.target is not second.target


def test_post_init_runs_for_records_read_quickly() -> None:
    # The catalog stores an entry under Segment's slug when it names no slug of its own.
    spec = build(DestinationSpec, {"segment_slug": "braze", "name": "Braze"})
    assert spec.slug == "braze"


@given(documents)
def test_every_document_reads_back_as_itself(doc: IdSyncDocument) -> None:
    assert build(IdSyncDocument, json.loads(json.dumps(to_data(doc)))) == doc


# --- both readers agree -----------------------------------------------------------------


def _explained(data: object) -> tuple[object, list[ShapeProblem]]:
    problems: list[ShapeProblem] = []
    return _record(IdSyncDocument, data, (), problems), problems


@given(damaged_documents())
def test_the_quick_reader_refuses_exactly_what_the_explaining_one_names(
    data: dict[str, Any],
) -> None:
    explained, problems = _explained(data)
    try:
        quick = _quick_reader(IdSyncDocument)(data)
    except Exception as exc:  # the quick reader's refusal carries no words
        assert type(exc).__name__ == "_Misfit"
        assert problems, "the quick reader refused what the explaining one accepts"
    else:
        assert not problems, f"the quick reader accepted {problems}"
        assert quick == explained


@given(json_values)
def test_any_json_value_is_read_or_refused_with_problems(data: object) -> None:
    try:
        build(IdSyncDocument, data)
    except ShapeError as exc:
        assert exc.problems
        assert str(exc)


# --- what does not fit, and where -----------------------------------------------------


def test_a_missing_required_field_is_named() -> None:
    data = _clean()
    del data["identifiers"][1]["segment"]
    problem = _only(data)
    assert (problem.type, problem.loc) == ("missing", ("identifiers", 1, "segment"))
    assert problem.message == "is required but missing"


def test_an_unknown_member_is_named_with_its_value() -> None:
    data = _clean()
    data["destination"]["colour"] = "red"
    problem = _only(data)
    assert (problem.type, problem.loc, problem.input) == (
        "unknown_field",
        ("destination", "colour"),
        "red",
    )


@pytest.mark.parametrize(
    ("path", "value", "kind", "message"),
    [
        (("name",), 1, "not_text", "should be text, not the number 1"),
        (("send_mobile_ids",), "yes", "not_flag", "should be true or false, not 'yes'"),
        (("send_mobile_ids",), 1, "not_flag", "should be true or false, not the number 1"),
        (("custom_identifiers",), "phone", "not_list", "should be a list, not 'phone'"),
        (("destination",), [], "not_object", "should be an object, not a list"),
        (("setup",), "custom", "not_choice", "'custom' is not one of default, customized"),
        (("setup",), ["default"], "not_choice", "a list is not one of default, customized"),
        (("identifiers", 0, "strategy"), None, "not_choice", "null is not one of first, last, all"),
        (("version",), 2.0, "not_choice", "the number 2.0 is not one of 2"),
        (("version",), True, "not_choice", "true is not one of 2"),
        (("format",), {"a": 1}, "not_choice", "an object is not one of idsync-config"),
    ],
)
def test_a_value_of_the_wrong_kind_is_named(
    path: tuple[str | int, ...], value: object, kind: str, message: str
) -> None:
    data = _clean()
    container: Any = data
    for step in path[:-1]:
        container = container[step]
    container[path[-1]] = value
    problem = _only(data)
    assert (problem.type, problem.loc, problem.message) == (kind, path, message)


def test_the_target_kind_tells_which_fields_it_takes() -> None:
    data = _clean()
    data["target"]["kind"] = "campaign"
    problem = _only(data)
    assert (problem.type, problem.loc) == ("tag_unknown", ("target", "kind"))
    assert problem.message == "'campaign' is not one of audience, journey"
    assert problem.choices == ("audience", "journey")

    del data["target"]["kind"]
    problem = _only(data)
    assert (problem.type, problem.loc) == ("tag_missing", ("target", "kind"))

    data["target"] = {"kind": "audience", "journey_id": "jou_1"}
    problem = _only(data)
    assert (problem.type, problem.loc) == ("unknown_field", ("target", "journey_id"))


def test_every_problem_is_listed_in_field_order() -> None:
    data = _clean()
    data["name"] = 3
    data["identifiers"][0]["strategy"] = "most"
    data["identifiers"][1]["segment"] = None
    data["extra"] = 1
    assert [problem.loc for problem in _problems(data)] == [
        ("name",),
        ("identifiers", 0, "strategy"),
        ("identifiers", 1, "segment"),
        ("extra",),
    ]


def test_a_list_that_must_have_entries_says_so() -> None:
    with pytest.raises(ShapeError) as caught:
        build(DestinationSpec, {"name": "Braze", "preset_keys": [{"key": 1}]})
    assert [(p.type, p.loc) for p in caught.value.problems] == [
        ("not_text", ("preset_keys", 0, "key"))
    ]
    from app.core.catalog import Catalog

    with pytest.raises(ShapeError) as caught:
        build(Catalog, {"identifiers": [], "destinations": []})
    assert [(p.type, p.loc) for p in caught.value.problems] == [
        ("too_short", ("identifiers",)),
        ("too_short", ("destinations",)),
    ]


def test_a_whole_number_is_not_a_flag_or_a_fraction() -> None:
    base = {"name": "Braze"}
    for value, fits in ((3, True), (None, True), (True, False), (3.5, False), ("3", False)):
        data = {**base, "constraints": {"max_extra_identifiers": value}}
        if fits:
            assert build(DestinationSpec, data).constraints.max_extra_identifiers == value
        else:
            with pytest.raises(ShapeError) as caught:
                build(DestinationSpec, data)
            problem = caught.value.problems[0]
            assert problem.type == "not_whole"
            assert problem.loc == ("constraints", "max_extra_identifiers")


def test_the_message_of_the_error_names_the_first_problem_and_its_place() -> None:
    data = _clean()
    data["identifiers"][1]["strategy"] = "some"
    with pytest.raises(ShapeError) as caught:
        build(IdSyncDocument, data)
    assert str(caught.value) == "identifiers.1.strategy: 'some' is not one of first, last, all"


@given(st.sampled_from(["format", "version", "setup", "target", "identifiers"]), json_values)
def test_a_damaged_member_is_read_or_named_as_the_place_of_every_problem(
    member: str, value: object
) -> None:
    data = _clean()
    data[member] = value
    try:
        doc = build(IdSyncDocument, data)
    except ShapeError as exc:
        assert exc.problems
        assert all(problem.loc[0] == member for problem in exc.problems)
    else:
        written = to_data(doc)[member]  # a target read from a dict gains its defaults
        assert written == value or (isinstance(value, dict) and value.items() <= written.items())
