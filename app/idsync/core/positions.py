"""Where things sit in a JSON text: PATH:LINE:COL for findings and for reading errors.

Pure: it takes the text (the caller reads the file). ``json`` gives positions only for
syntax errors, and pydantic names a misfit by its ``loc`` (``identifiers[2].strategy``),
so the text is walked with ``raw_decode`` to turn a path back into an offset. One walk
serves both readers of JSON the app has: documents (and the findings placed on their
rows and fields) and catalog files. Lines and columns are 1-based, as editors count
them; anything the walk cannot place has no line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, Final

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from idsync.core.findings import Finding

_DECODER: Final = json.JSONDecoder()
_SPACES: Final = re.compile(r"[ \t\n\r]*")
_AFTER_VALUE: Final = re.compile(r"[ \t\n\r]*(?:,[ \t\n\r]*)?")
_FLAT_OBJECT: Final = re.compile(  # strings unrolled: no backtracking, even on a miss
    r'\{[^"{}\[\]]*(?:"[^"\\]*(?:\\.[^"\\]*)*"[^"{}\[\]]*)*\}[ \t\n\r]*(?:,[ \t\n\r]*)?'
)
ROWS_FIELD: Final = "identifiers"

JsonPath = Sequence[str | int]


# --- reading errors: pydantic's loc to a place and plain words -------------------------


@dataclass(frozen=True)
class Misfit:
    """One way a file's JSON does not fit its record, placed in the text.

    ``path`` is the JSON path of the value (the union tag steps of pydantic's ``loc``
    left out), ``line``/``column`` where it is (for a missing member: the object that
    lacks it), ``message`` the plain words for the person.
    """

    path: tuple[str | int, ...]
    line: int
    column: int
    message: str

    @property
    def field(self) -> str:
        """``identifiers[2].strategy``; empty at the top level."""
        return field_name(self.path)


def misfits(error: ValidationError, text: str, data: object) -> list[Misfit]:
    """Every misfit pydantic found in ``text`` (parsed: ``data``), in its order."""
    found = []
    for detail in error.errors(include_url=False):
        path = json_path(detail["loc"], data)
        if detail["type"] in ("union_tag_invalid", "union_tag_not_found"):
            path = (*path, _discriminator(detail))
        line, column = line_and_column(text, offset_of(text, path))
        found.append(Misfit(path, line, column, explain(detail)))
    return found


def json_path(loc: Sequence[str | int], data: object) -> tuple[str | int, ...]:
    """pydantic's ``loc`` as a path in the JSON value ``data``.

    A member of a tagged union has the tag in its ``loc`` (``target.journey.step``); the
    JSON has no such member, so a step that names no member of the object it is in, and
    is not the last, is left out.
    """
    path: list[str | int] = []
    node: Any = data
    for index, step in enumerate(loc):
        last = index == len(loc) - 1
        if isinstance(node, dict) and isinstance(step, str) and step not in node and not last:
            continue
        path.append(step)
        if isinstance(node, dict):
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            node = None
    return tuple(path)


def field_name(path: JsonPath) -> str:
    """``identifiers[2].strategy`` for a JSON path."""
    name = ""
    for part in path:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += f".{part}" if name else part
    return name


def explain(detail: ErrorDetails) -> str:
    """pydantic's error in plain words that say what to do, one wording per type."""
    kind = detail["type"]
    value = detail["input"]
    context = detail.get("ctx") or {}
    if kind == "missing":
        return "is required but missing — add it"
    if kind == "extra_forbidden":
        return "is not a known field — remove it or check the spelling"
    if kind == "string_type":
        return f"{describe(value)} is not text — write it in double quotes"
    if kind == "bool_type":
        return f"{describe(value)} is not true or false — write true or false"
    if kind == "int_type":
        return f"{describe(value)} is not a whole number — write one without a fraction"
    if kind in ("enum", "literal_error"):
        choices = ", ".join(_expected(str(context.get("expected", ""))))
        return f"{describe(value)} is not one of {choices} — use one of them"
    if kind == "union_tag_invalid":
        choices = ", ".join(_expected(str(context.get("expected_tags", ""))))
        return f"{describe(context.get('tag'))} is not one of {choices} — use one of them"
    if kind == "union_tag_not_found":
        return f"is missing — add {_discriminator(detail)!r} to say which kind this is"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"{describe(value)} is not an object — write it as {{...}}"
    if kind in ("tuple_type", "list_type"):
        return f"{describe(value)} is not a list — write it as [...]"
    if kind.startswith("datetime"):
        return f"{describe(value)} is not a date and time — write one as 2025-01-31T12:00:00Z"
    if kind == "value_error":
        return str(context.get("error", detail["msg"]))
    if kind == "too_short":
        return "is empty — it needs at least one entry"
    return str(detail["msg"])


def _expected(text: str) -> list[str]:
    """The values pydantic lists as ``'first', 'last' or 'all'`` (or ``2``)."""
    return [quoted or bare for quoted, bare in re.findall(r"'([^']*)'|(-?\d+)", text)]


def _discriminator(detail: ErrorDetails) -> str:
    return str((detail.get("ctx") or {}).get("discriminator", "kind")).strip("'")


def describe(value: object) -> str:
    """How a message names a JSON value: 'the number 1', 'a list', "'yes'"."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


# --- offsets and lines -----------------------------------------------------------------


def offset_of(text: str, path: JsonPath) -> int:
    """Offset of the value at ``path`` in ``text`` (which must be valid JSON).

    When the path leaves the document (a missing field, say) the offset of the deepest
    value that does exist is returned, which is where the fix belongs.
    """
    pos = _skip(text, 0)
    with suppress(ValueError, IndexError, RecursionError):
        for step in path:
            opener = text[pos : pos + 1]
            child: int | None = None
            if opener == "{" and isinstance(step, str):
                child = next((at for key, _, at in _members(text, pos) if key == step), None)
            elif opener == "[" and isinstance(step, int):
                elements = _elements(text, pos)
                child = elements[step] if 0 <= step < len(elements) else None
            if child is None:
                break
            pos = child
    return pos


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset``, as editors count them."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


# --- findings: the lines of a document's rows and fields -------------------------------


Place = tuple[int, int]
"""A 1-based (line, column)."""


class DocumentPositions:
    """Where a document's rows and fields are, as 1-based lines and columns: a row where
    its object opens (``{``), a field where its key is (``"name"``).

    Only what a question needs is walked, when it is first asked: the top-level members,
    then one nested object or the rows. A check of thousands of files asks for places
    only for the findings it has to place.
    """

    def __init__(self, text: str = "") -> None:
        self._text = text
        self._top: dict[str, tuple[int, int]] | None = None
        self._nested: dict[str, dict[str, int]] = {}
        self._rows: tuple[Place, ...] | None = None

    def _members(self) -> dict[str, tuple[int, int]]:
        """Top-level key -> (offset of the key, offset of its value)."""
        if self._top is None:
            self._top = {}
            start = _skip(self._text, 0)
            if start < len(self._text) and self._text[start] == "{":
                with suppress(ValueError, IndexError, RecursionError):
                    for key, key_pos, value_pos in _members(self._text, start):
                        self._top.setdefault(key, (key_pos, value_pos))
        return self._top

    def _inner(self, key: str) -> dict[str, int]:
        """The keys of the object that is top-level ``key``'s value -> their offsets."""
        if key not in self._nested:
            inner: dict[str, int] = {}
            where = self._members().get(key)
            if where is not None and self._text[where[1] : where[1] + 1] == "{":
                with suppress(ValueError, IndexError, RecursionError):
                    for name, name_pos, _ in _members(self._text, where[1]):
                        inner.setdefault(name, name_pos)
            self._nested[key] = inner
        return self._nested[key]

    def _row_places(self) -> tuple[Place, ...]:
        if self._rows is None:
            self._rows = ()
            array = _only_key(self._text, ROWS_FIELD)
            where = (0, array.end()) if array is not None else self._members().get(ROWS_FIELD)
            if where is not None and self._text[where[1] : where[1] + 1] == "[":
                with suppress(ValueError, IndexError, RecursionError):
                    self._rows = _places(self._text, _elements(self._text, where[1]))
        return self._rows

    def row_place(self, row: int) -> Place | None:
        rows = self._row_places()
        return rows[row] if 0 <= row < len(rows) else None

    def row_line(self, row: int) -> int | None:
        place = self.row_place(row)
        return None if place is None else place[0]

    def field_place(self, name: str) -> Place | None:
        """Where ``name``'s key is, else the key of the nearest enclosing field that is in
        the file."""
        offset = self._field_offset(name)
        return None if offset is None else line_and_column(self._text, offset)

    def _field_offset(self, name: str) -> int | None:
        last = name.rpartition(".")[2]
        if last in _UNAMBIGUOUS_KEYS and (found := _only_key(self._text, last)) is not None:
            return found.start()
        top, _, inner = name.partition(".")
        if inner:
            offset = self._inner(top).get(inner.split(".")[0])
            if offset is not None:
                return offset
        where = self._members().get(top)
        return where[0] if where is not None else None

    def place_of(self, finding: Finding) -> Place | None:
        """The row's place for a row finding, the field's for a document-level one."""
        if finding.row is not None:
            return self.row_place(finding.row)
        if finding.field:
            return self.field_place(finding.field)
        return None

    def locate(self, findings: list[Finding]) -> list[Finding]:
        """The same findings, each carrying its line and column where they are known."""
        if not any(f.row is not None or f.field for f in findings):
            return findings  # nothing to place: the text is not walked
        return [
            f if (place := self.place_of(f)) is None else f.with_line(*place)
            for f in findings
        ]


_UNAMBIGUOUS_KEYS: Final = frozenset(
    {
        "format", "version", "notes", "target", "setup", "send_mobile_ids",
        "custom_identifiers", "identifiers", "space_id", "audience_id", "journey_id",
        "step", "slug", "instance_id",
    }
)
"""Keys the document format has in one place only. A document that has been read has no
other keys (its models refuse them), and a JSON string cannot hold an unescaped quote,
so one match of ``"key":`` in its text is that field, found without walking it."""

_KEY_PATTERNS: dict[str, re.Pattern[str]] = {}


def _only_key(text: str, key: str) -> re.Match[str] | None:
    """``"key":`` and the space after it, when the text has exactly one (else None): it
    starts at the key's quote and ends at its value."""
    pattern = _KEY_PATTERNS.get(key)
    if pattern is None:
        pattern = _KEY_PATTERNS[key] = re.compile(rf'"{re.escape(key)}"[ \t\n\r]*:[ \t\n\r]*')
    matches = pattern.finditer(text)
    first = next(matches, None)
    if first is None or next(matches, None) is not None:
        return None
    return first


def document_positions(text: str) -> DocumentPositions:
    """The positions in ``text``; empty when it is not a JSON object (nothing to place)."""
    return DocumentPositions(text)


# --- the walk --------------------------------------------------------------------------


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
        # A row is an object without nested values: one match skips it (and the comma),
        # where decoding would build it only to throw it away.
        flat = _FLAT_OBJECT.match(text, pos)
        if flat is not None:
            pos = flat.end()
            continue
        _, pos = _DECODER.raw_decode(text, pos)
        pos = _after_comma(text, pos)
    return offsets


def _skip(text: str, pos: int) -> int:
    match = _SPACES.match(text, pos)
    return match.end() if match is not None else pos


def _after_comma(text: str, pos: int) -> int:
    # One match, not three steps: the rows of every document with a row finding are
    # walked element by element.
    match = _AFTER_VALUE.match(text, pos)
    return match.end() if match is not None else pos


def _places(text: str, offsets: list[int]) -> tuple[Place, ...]:
    """:func:`line_and_column` of each of ``offsets`` (ascending), counting each stretch
    of lines once."""
    places: list[Place] = []
    line, start = 1, 0
    for offset in offsets:
        line += text.count("\n", start, offset)
        start = offset
        places.append((line, offset - text.rfind("\n", 0, offset)))
    return tuple(places)
