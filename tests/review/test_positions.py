"""Lines of rows and fields, found in the JSON text (app/idsync/core/positions.py)."""

from __future__ import annotations

import json

from idsync.core.findings import Area, Finding, Severity
from idsync.core.positions import document_positions

TEXT = """{
  "format": "idsync-config",
  "version": 2,
  "name": "x",
  "target": {"kind": "audience",
             "space_id": "spa_1",
    "audience_id": "aud_1"},
  "identifiers": [
    {"segment": "email", "destination": "EMAIL", "strategy": "last"},

    {
      "segment": "user_id",
      "destination": "EXTERNAL_ID",
      "strategy": "all"
    }
  ]
}
"""


def _finding(row: int | None = None, field: str | None = None) -> Finding:
    return Finding(
        code="IDS110", severity=Severity.ERROR, message="m", area=Area.IDENTIFIERS,
        row=row, field=field,
    )


def test_rows_and_fields_have_their_lines() -> None:
    json.loads(TEXT)  # the sample is real JSON
    positions = document_positions(TEXT)
    assert (positions.row_line(0), positions.row_line(1)) == (9, 11)
    lines = {name: (positions.field_place(name) or (None,))[0] for name in (
        "name", "target.space_id", "target.audience_id", "target.journey_id", "destination.slug"
    )}
    # A field not in the file falls back to the object that holds it.
    assert lines == {
        "name": 4, "target.space_id": 6, "target.audience_id": 7, "target.journey_id": 5,
        "destination.slug": None,
    }
    assert positions.row_place(0) == (9, 5) and positions.row_place(2) is None
    assert positions.field_place("name") == (4, 3)
    assert positions.field_place("target.audience_id") == (7, 5)
    assert positions.field_place("identifiers") == (8, 3), "the key, not its array"


def test_findings_get_the_row_line_or_the_field_line() -> None:
    positions = document_positions(TEXT)
    row, field, nothing, gone = positions.locate(
        [_finding(row=1, field="destination"), _finding(field="target.space_id"), _finding(),
         _finding(row=7)]
    )
    assert (row.line, field.line, nothing.line, gone.line) == (11, 6, None, None)
    # A row's column is where its object opens, a field's where its key is.
    assert (row.column, field.column, nothing.column, gone.column) == (5, 14, None, None)
    assert row.to_json()["column"] == 5
    assert row.to_json()["line"] == 11 and row.to_json()["row"] == 2
    assert "line" not in nothing.to_json()


def test_text_that_is_not_an_object_has_no_positions() -> None:
    for text in ("", "[1, 2]", "{\"a\": ", "null"):
        positions = document_positions(text)
        assert positions.row_place(0) is None
        assert positions.field_place("name") is None and positions.field_place("target") is None


def test_rows_whose_text_holds_brackets_quotes_or_nested_values_are_placed() -> None:
    # A row's strings may hold any character, and a row that is not flat (no document's
    # row is, but the text is only JSON here) is decoded: each row is still found where
    # its object opens.
    text = (
        '{"identifiers": [\n'
        '  {"segment": "a}b{", "destination": "x\\\\", "strategy": "last"},\n'
        '  {"segment": "[\\"q\\"]", "destination": "}", "strategy": "all"} ,\n'
        '  {"segment": "n", "extra": {"deep": [1, {"}": "{"}]}},\n'
        '  {"segment": "e\\u00e9\\"}", "destination": ""}\n'
        "]}"
    )
    rows = json.loads(text)["identifiers"]
    positions = document_positions(text)
    assert [positions.row_place(index) for index in range(len(rows))] == [
        (2, 3), (3, 3), (4, 3), (5, 3)
    ]
    assert positions.row_place(len(rows)) is None
