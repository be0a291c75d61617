"""Text from a document made safe to show: every character a terminal, a browser or a
reader would act on or not see is shown as a visible escape.

One sanitiser for everything the app prints (``check``, ``diff``, ``preview``,
``history``, ``catalog``), the HTML report's markers included. A character is hidden
when Python does not count it printable: control characters (ESC, BEL, CSI), format
characters (bidi overrides, zero-width spaces), separators other than the space,
surrogates and unassigned code points.

Each is written as a JSON string escape (``\\t``, ``\\u001b``, ``\\u202e``, a surrogate
pair beyond the BMP): the same escape in text and in JSON output, so sanitising JSON that
``json.dumps`` wrote leaves the same JSON value (its own escapes cover the ASCII controls,
and what is left can only be inside strings).
"""

from __future__ import annotations

from typing import Final

_SHORT: Final = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def escape_char(ch: str) -> str:
    """``\\u001b``, ``\\u202e``, ``\\ud83d\\ude00``: the character as JSON escapes it."""
    short = _SHORT.get(ch)
    if short is not None:
        return short
    code = ord(ch)
    if code < 0x10000:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


def visible(text: str) -> str:
    """``text`` with each hidden character (line breaks too) shown as its escape."""
    if text.isprintable():  # the usual case, settled at C speed
        return text
    return "".join(escape_char(ch) if not ch.isprintable() else ch for ch in text)


def visible_lines(text: str) -> str:
    """Lines the program put together itself (or JSON it wrote): their line breaks stay,
    everything else hidden in them is shown as its escape."""
    if text.isprintable() or text.replace("\n", " ").isprintable():  # both at C speed
        return text
    return "\n".join(visible(line) for line in text.split("\n"))
