"""Find where a value sits in a JSON text, so catalog errors can name a line and column.

``json`` reports positions only for syntax errors; validation errors arrive as a path
(``destinations[3].slug``). Walking the text with ``raw_decode`` turns that path back
into an offset without a third-party parser.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

_DECODER = json.JSONDecoder()
_WHITESPACE = " \t\n\r"


def _skip_whitespace(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WHITESPACE:
        pos += 1
    return pos


def _skip_comma(text: str, pos: int) -> int:
    pos = _skip_whitespace(text, pos)
    if pos < len(text) and text[pos] == ",":
        pos = _skip_whitespace(text, pos + 1)
    return pos


def _member_offset(text: str, pos: int, wanted: str) -> int | None:
    pos = _skip_whitespace(text, pos + 1)
    while pos < len(text) and text[pos] != "}":
        key, pos = _DECODER.raw_decode(text, pos)
        pos = _skip_whitespace(text, pos)  # now at the colon
        value_start = _skip_whitespace(text, pos + 1)
        if key == wanted:
            return value_start
        _, pos = _DECODER.raw_decode(text, value_start)
        pos = _skip_comma(text, pos)
    return None


def _element_offset(text: str, pos: int, wanted: int) -> int | None:
    pos = _skip_whitespace(text, pos + 1)
    index = 0
    while pos < len(text) and text[pos] != "]":
        if index == wanted:
            return pos
        _, pos = _DECODER.raw_decode(text, pos)
        pos = _skip_comma(text, pos)
        index += 1
    return None


def offset_of(text: str, path: Sequence[str | int]) -> int:
    """Offset of the value at ``path`` in ``text`` (which must be valid JSON).

    When the path leaves the document (a missing field, say) the offset of the deepest
    value that does exist is returned, which is where the fix belongs.
    """
    pos = _skip_whitespace(text, 0)
    for step in path:
        if pos >= len(text):
            break
        opener = text[pos]
        child: int | None = None
        if opener == "{" and isinstance(step, str):
            child = _member_offset(text, pos, step)
        elif opener == "[" and isinstance(step, int):
            child = _element_offset(text, pos, step)
        if child is None:
            break
        pos = child
    return pos

