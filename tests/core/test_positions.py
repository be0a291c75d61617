"""offset_of maps a validation path back to the text, for any JSON layout."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from app.core.positions import line_and_column, offset_of

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
