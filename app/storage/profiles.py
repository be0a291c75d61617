"""Reading a sample profile: a Profile API ``external_ids`` response saved as JSON.

Shared by the Review step's strategy preview and ``idsync preview``, so both accept the
same files and explain a bad one in the same words.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

from app.core.preview import ProfileFormatError, ProfileIdentities, parse_external_ids

MAX_PROFILE_BYTES: Final = 5 * 1024 * 1024
"""One profile's external ids are a few kilobytes; anything this large is the wrong file."""


class ProfileLoadError(Exception):
    """A sample profile file could not be used.

    ``message`` is a whole sentence naming the file and saying what to do (for a window);
    ``reason`` is the same without the file's name, for a caller that starts its line
    with the path itself (the command line).
    """

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason if reason is not None else message


def _unusable(name: str, reason: str) -> ProfileLoadError:
    return ProfileLoadError(f"Cannot use {name}: {reason}", reason)


def read_profile(path: Path) -> ProfileIdentities:
    """Read a Profile API ``external_ids`` response from ``path``.

    Raises :class:`ProfileLoadError` with a message naming the file and, for a bad item,
    its index in the ``data`` list.
    """
    name = path.name
    try:
        if path.stat().st_size > MAX_PROFILE_BYTES:
            raise _unusable(
                name,
                "it is larger than 5 MB. Save a single profile's external_ids response "
                "and use that.",
            )
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        detail = exc.strerror or str(exc)
        raise ProfileLoadError(
            f"Cannot read {name}: {detail}.", f"cannot read the profile: {detail}"
        ) from None
    except UnicodeDecodeError:
        raise _unusable(
            name, "it is not UTF-8 text. Save the Profile API response as UTF-8 JSON."
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _unusable(
            name,
            f"it is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}). "
            f"Fix it or use another file.",
        ) from None
    except RecursionError:
        raise _unusable(
            name, "it is nested too deeply to be a Profile API response. Use another file."
        ) from None
    try:
        return parse_external_ids(data)
    except ProfileFormatError as exc:
        if exc.index is None or f"[{exc.index}]" in exc.message:
            raise _unusable(name, exc.message) from None
        where = f"item {exc.index} of 'data'"
        raise ProfileLoadError(
            f"Cannot use {name} ({where}): {exc.message}", f"{where}: {exc.message}"
        ) from None
