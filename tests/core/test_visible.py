"""The one sanitiser for text output: hidden characters shown as escapes, JSON kept."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from idsync.core.visible import escape_char, visible, visible_lines


def test_printable_text_is_returned_as_it_is() -> None:
    text = "email -> EMAIL (last) ü 中 🙂"
    assert visible(text) is text


def test_terminal_controls_bidi_and_zero_width_characters_are_escaped() -> None:
    shown = visible("a\x1b]0;title\x07b\u202ec\u200bd\x9b2J\ttab")
    assert shown == "a\\u001b]0;title\\u0007b\\u202ec\\u200bd\\u009b2J\\ttab"
    assert shown.isprintable()


def test_a_character_beyond_the_bmp_is_a_surrogate_pair_escape() -> None:
    assert escape_char("\U000e0041") == "\\udb40\\udc41"
    assert json.loads(f'"{escape_char(chr(0xE0041))}"') == "\U000e0041"


def test_line_breaks_the_program_wrote_stay_those_in_values_do_not() -> None:
    assert visible("one\ntwo") == "one\\ntwo"
    assert visible_lines("one\x1b\ntwo") == "one\\u001b\ntwo"


@given(st.text())
def test_sanitised_json_is_the_same_json_value_and_printable_per_line(value: str) -> None:
    text = json.dumps({"name": value, "rows": [value]}, indent=2, ensure_ascii=False)
    shown = visible_lines(text)
    assert json.loads(shown) == json.loads(text)
    assert all(line.isprintable() for line in shown.split("\n"))
