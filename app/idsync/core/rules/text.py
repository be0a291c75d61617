"""Shape checks on names and ids, shared by the rules; each returns what is wrong, in words."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from idsync.core.wording import join_and

MAX_NAME_LENGTH: Final = 255
"""A house bound on identifier names and mapTo (IDS105, IDS106 warn past it): no source
documents a limit, and a longer name is almost surely pasted by mistake."""

_SEGMENT_IDENTIFIER: Final = re.compile(r"[a-z0-9_]+(?:\.[a-z0-9_]+)*")
_SEGMENT_CHARACTERS: Final = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._")
_INNER_SPACE: Final = re.compile(r"\s")


def _is_invisible(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cf")


def has_invisible(text: str) -> bool:
    """Control and format characters (tabs, newlines, zero-width spaces) that nobody sees."""
    # Control and format characters are never printable, so the C-speed test settles
    # almost every name; only a name with something unprintable is looked at per character.
    return not text.isprintable() and any(_is_invisible(ch) for ch in text)


def segment_identifier_problems(name: str) -> str:
    """Why ``name`` is not a valid Identity Resolution identifier type ('' when it is)."""
    if not name or (_SEGMENT_IDENTIFIER.fullmatch(name) and len(name) <= MAX_NAME_LENGTH):
        return ""
    problems: list[str] = []
    if len(name) > MAX_NAME_LENGTH:
        problems.append(f"is longer than {MAX_NAME_LENGTH} characters")
    if name != name.strip():
        problems.append("has spaces at the start or end")
    if any(ch.isspace() for ch in name.strip()):
        problems.append("contains spaces")
    if any(ch.isupper() for ch in name):
        problems.append("has uppercase letters")
    if has_invisible(name):
        problems.append("contains invisible control characters")
    odd = sorted(
        {
            ch
            for ch in name
            if ch not in _SEGMENT_CHARACTERS
            and not (ch.isspace() or ch.isupper() or _is_invisible(ch))
        }
    )
    if odd:
        problems.append("contains " + " ".join(repr(ch) for ch in odd))
    if not problems:
        problems.append("has a '.' at the start or end, or two in a row")
    return join_and(problems)


def suggest_segment_identifier(name: str) -> str:
    """A well-formed identifier type close to ``name`` ('' when none can be made)."""
    text = name.strip().lower()
    text = re.sub(r"[^a-z0-9_.]+", "_", text)
    text = re.sub(r"\.{2,}", ".", text).strip("._")
    text = re.sub(r"_*\._*", ".", text)
    text = text[:MAX_NAME_LENGTH].strip("._")
    return text if _SEGMENT_IDENTIFIER.fullmatch(text) else ""


def destination_field_problems(field: str) -> str:
    """Why ``field`` cannot be sent as a destination field name ('' when it can)."""
    if len(field) <= MAX_NAME_LENGTH and field.isprintable() and field == field.strip():
        return ""  # the usual case, settled by C-speed tests (printable: nothing invisible)
    problems: list[str] = []
    if field != field.strip():
        problems.append("has spaces at the start or end")
    if has_invisible(field):
        problems.append("contains invisible control characters")
    if len(field) > MAX_NAME_LENGTH:
        problems.append(f"is longer than {MAX_NAME_LENGTH} characters")
    return join_and(problems)


def id_problems(value: str, *, free_text: bool = False) -> str:
    """What looks copied wrong in a Segment id ('' when nothing does): edge spaces, inner
    spaces, invisible characters. A house check: the client and Segment's SDK encode
    path parts, and no source bounds an id's length or characters.

    ``free_text`` allows inner spaces (a journey step may be a name).
    """
    if value.isprintable() and value == value.strip() and (
        free_text or _INNER_SPACE.search(value) is None
    ):
        return ""  # the usual case, settled by C-speed tests (printable: nothing invisible)
    problems: list[str] = []
    if value != value.strip():
        problems.append("has spaces at the start or end")
    if not free_text and _INNER_SPACE.search(value.strip()):
        problems.append("contains spaces")
    if has_invisible(value):
        problems.append("contains invisible control characters")
    return join_and(problems)


def clip(text: str, limit: int = 40) -> str:
    """Quote-ready text for messages: long or invisible-laden names stay readable."""
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    if not has_invisible(shown):
        return shown
    return "".join(f"\\u{ord(ch):04x}" if _is_invisible(ch) else ch for ch in shown)
