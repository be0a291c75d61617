"""The position module: offset_of maps a JSON path back to the text for any layout, and
pydantic's errors become misfits placed by line and column, in plain words."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from idsync.core.model import IdSyncDocument
from idsync.core.positions import Misfit, describe, explain, line_and_column, misfits, offset_of

_DECODER = json.JSONDecoder()

_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
_json_values = st.recursive(
    _scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)


def _paths(value: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


def _value_at(value: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


@given(value=_json_values, indent=st.sampled_from([None, 0, 2]), data=st.data())
def test_offset_points_at_the_value_for_every_path(
    value: Any, indent: int | None, data: st.DataObject
) -> None:
    text = json.dumps(value, indent=indent)
    path = data.draw(st.sampled_from(_paths(value)))
    decoded, _ = _DECODER.raw_decode(text, offset_of(text, path))
    assert decoded == _value_at(value, path)


def test_missing_member_stops_at_its_parent() -> None:
    text = '{\n  "items": [\n    {"id": "a"},\n    {"id": "b"}\n  ]\n}'
    offset = offset_of(text, ["items", 1, "name"])
    assert text[offset] == "{"
    assert line_and_column(text, offset) == (4, 5)


def test_line_and_column_are_one_based() -> None:
    assert line_and_column("abc", 0) == (1, 1)
    assert line_and_column("ab\ncd", 4) == (2, 2)


# --- reading errors ------------------------------------------------------------------------


def _misfits(text: str) -> list[Misfit]:
    with pytest.raises(ValidationError) as caught:
        IdSyncDocument.model_validate_json(text)
    return misfits(caught.value, text, json.loads(text))


def test_a_misfit_inside_a_tagged_target_is_placed_without_the_tag_step() -> None:
    text = '{\n  "target": {\n    "kind": "journey",\n    "step": 3\n  }\n}'
    [found] = _misfits(text)
    assert found.path == ("target", "step")
    assert (found.field, found.line, found.column) == ("target.step", 4, 13)
    assert found.message == "the number 3 is not text — write it in double quotes"


def test_an_unknown_tag_is_placed_at_the_tag() -> None:
    text = '{"target": {"kind": "store"}}'
    [found] = _misfits(text)
    assert (found.field, found.column) == ("target.kind", text.index('"store"') + 1)
    assert found.message == "'store' is not one of audience, journey — use one of them"


def test_a_missing_member_is_placed_at_the_object_that_lacks_it() -> None:
    text = '{"identifiers": [\n  {"segment": "email"},\n  {"destination": "EMAIL"}\n]}'
    [found] = _misfits(text)
    assert (found.field, found.line, found.column) == ("identifiers[1].segment", 3, 3)
    assert found.message == "is required but missing — add it"


@pytest.mark.parametrize(
    ("member", "message"),
    [
        ('"setup": "sometimes"', "'sometimes' is not one of default, customized — use one of them"),
        ('"send_mobile_ids": 1', "the number 1 is not true or false — write true or false"),
        ('"identifiers": {}', "an object is not a list — write it as [...]"),
        ('"destination": "braze"', "'braze' is not an object — write it as {...}"),
        ('"colour": "red"', "is not a known field — remove it or check the spelling"),
        ('"target": {}', "is missing — add 'kind' to say which kind this is"),
    ],
)
def test_each_error_type_has_plain_words(member: str, message: str) -> None:
    [found] = _misfits("{" + member + "}")
    assert found.message == message


def test_a_whole_number_misfit_says_so() -> None:
    detail: Any = {"type": "int_type", "input": 2.5, "loc": ("n",), "msg": "", "ctx": None}
    assert explain(detail) == "the number 2.5 is not a whole number — write one without a fraction"


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
