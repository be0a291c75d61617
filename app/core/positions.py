"""Where a document's rows and fields sit in its JSON text, so findings can name a line.

Pure: it takes the text (the caller reads the file). ``json`` gives positions only for
syntax errors, so the text is walked with ``raw_decode``: the top-level members, the
members of nested objects (``target.space_id``) and each element of ``identifiers``.
Lines are 1-based, as editors count them; anything the walk cannot place has no line.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from app.core.findings import Finding

_DECODER: Final = json.JSONDecoder()
_WHITESPACE: Final = " \t\n\r"
ROWS_FIELD: Final = "identifiers"


@dataclass(frozen=True)
class DocumentPositions:
    """1-based lines: ``fields`` by dotted name (``setup``, ``target.space_id``), and the
    first line of each identifier row by its 0-based index."""

    fields: Mapping[str, int] = field(default_factory=dict)
    rows: tuple[int, ...] = ()

    def row_line(self, row: int) -> int | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def field_line(self, name: str) -> int | None:
        """The line of ``name``, else of the nearest enclosing field that is in the file."""
        parts = name.split(".")
        while parts:
            line = self.fields.get(".".join(parts))
            if line is not None:
                return line
            parts.pop()
        return None

    def line_of(self, finding: Finding) -> int | None:
        """The row's line for a row finding, the field's line for a document-level one."""
        if finding.row is not None:
            return self.row_line(finding.row)
        if finding.field:
            return self.field_line(finding.field)
        return None

    def locate(self, findings: list[Finding]) -> list[Finding]:
        """The same findings, each carrying its line where it is known."""
        return [
            f if (line := self.line_of(f)) is None else f.model_copy(update={"line": line})
            for f in findings
        ]


def document_positions(text: str) -> DocumentPositions:
    """The positions in ``text``; empty when it is not a JSON object (nothing to place)."""
    try:
        return _walk(text)
    except (ValueError, IndexError, RecursionError):
        return DocumentPositions()


def _walk(text: str) -> DocumentPositions:
    fields: dict[str, int] = {}
    rows: list[int] = []
    start = _skip(text, 0)
    if start >= len(text) or text[start] != "{":
        return DocumentPositions()
    for key, key_pos, value_pos in _members(text, start):
        fields.setdefault(key, _line(text, key_pos))
        if value_pos < len(text) and text[value_pos] == "{":
            for inner, inner_pos, _ in _members(text, value_pos):
                fields.setdefault(f"{key}.{inner}", _line(text, inner_pos))
        elif key == ROWS_FIELD and value_pos < len(text) and text[value_pos] == "[":
            rows = [_line(text, pos) for pos in _elements(text, value_pos)]
    return DocumentPositions(fields, tuple(rows))


def _members(text: str, pos: int) -> list[tuple[str, int, int]]:
    """(key, offset of the key, offset of the value) of the object starting at ``pos``."""
    found: list[tuple[str, int, int]] = []
    pos = _skip(text, pos + 1)
    while pos < len(text) and text[pos] != "}":
        key_pos = pos
        key, pos = _DECODER.raw_decode(text, pos)
        pos = _skip(text, pos)  # at the colon
        value_pos = _skip(text, pos + 1)
        found.append((str(key), key_pos, value_pos))
        _, pos = _DECODER.raw_decode(text, value_pos)
        pos = _after_comma(text, pos)
    return found


def _elements(text: str, pos: int) -> list[int]:
    offsets: list[int] = []
    pos = _skip(text, pos + 1)
    while pos < len(text) and text[pos] != "]":
        offsets.append(pos)
        _, pos = _DECODER.raw_decode(text, pos)
        pos = _after_comma(text, pos)
    return offsets


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WHITESPACE:
        pos += 1
    return pos


def _after_comma(text: str, pos: int) -> int:
    pos = _skip(text, pos)
    if pos < len(text) and text[pos] == ",":
        pos = _skip(text, pos + 1)
    return pos


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1
