"""Where a document's rows and fields sit in its JSON text, so findings can name a line.

Pure: it takes the text (the caller reads the file). ``json`` gives positions only for
syntax errors, so the text is walked with ``raw_decode``: the top-level members, the
members of nested objects (``target.space_id``) and each element of ``identifiers``.
Lines are 1-based, as editors count them; anything the walk cannot place has no line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Final

from app.core.findings import Finding

_DECODER: Final = json.JSONDecoder()
_SPACES: Final = re.compile(r"[ \t\n\r]*")
ROWS_FIELD: Final = "identifiers"


class DocumentPositions:
    """1-based lines: ``fields`` by dotted name (``setup``, ``target.space_id``), and the
    first line of each identifier row by its 0-based index.

    The text is walked on the first question only: a check of thousands of files asks
    for lines only for the files that have findings to place.
    """

    def __init__(self, text: str = "") -> None:
        self._text = text
        self._walked: tuple[Mapping[str, int], tuple[int, ...]] | None = None

    def _walk_once(self) -> tuple[Mapping[str, int], tuple[int, ...]]:
        if self._walked is None:
            self._walked = _positions(self._text) if self._text else ({}, ())
        return self._walked

    @property
    def fields(self) -> Mapping[str, int]:
        return self._walk_once()[0]

    @property
    def rows(self) -> tuple[int, ...]:
        return self._walk_once()[1]

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
        if not any(f.row is not None or f.field for f in findings):
            return findings  # nothing to place: the text is not walked
        return [
            f if (line := self.line_of(f)) is None else f.with_line(line)
            for f in findings
        ]


def document_positions(text: str) -> DocumentPositions:
    """The positions in ``text``; empty when it is not a JSON object (nothing to place)."""
    return DocumentPositions(text)


def _positions(text: str) -> tuple[Mapping[str, int], tuple[int, ...]]:
    try:
        return _walk(text)
    except (ValueError, IndexError, RecursionError):
        return {}, ()


def _walk(text: str) -> tuple[Mapping[str, int], tuple[int, ...]]:
    fields: dict[str, int] = {}
    rows: list[int] = []
    start = _skip(text, 0)
    if start >= len(text) or text[start] != "{":
        return {}, ()
    for key, key_pos, value_pos in _members(text, start):
        fields.setdefault(key, _line(text, key_pos))
        if value_pos < len(text) and text[value_pos] == "{":
            for inner, inner_pos, _ in _members(text, value_pos):
                fields.setdefault(f"{key}.{inner}", _line(text, inner_pos))
        elif key == ROWS_FIELD and value_pos < len(text) and text[value_pos] == "[":
            rows = [_line(text, pos) for pos in _elements(text, value_pos)]
    return fields, tuple(rows)


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
    match = _SPACES.match(text, pos)
    return match.end() if match is not None else pos


def _after_comma(text: str, pos: int) -> int:
    pos = _skip(text, pos)
    if pos < len(text) and text[pos] == ",":
        pos = _skip(text, pos + 1)
    return pos


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1
