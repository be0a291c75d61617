"""Reading a sample profile: a Profile API ``external_ids`` response saved as JSON.

Shared by the Review step's strategy preview and ``idsync preview``, so both accept the
same files and explain a bad one in the same words.
"""

from __future__ import annotations

from pathlib import Path

from idsync.core.profile import ProfileFormatError, ProfileIdentities, parse_external_ids
from idsync.storage.bounded import (
    MAX_PROFILE_BYTES,
    Problem,
    ReadError,
    megabytes,
    read_json,
)

__all__ = ["MAX_PROFILE_BYTES", "ProfileLoadError", "read_profile"]


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
        data = read_json(path, MAX_PROFILE_BYTES)
    except ReadError as exc:
        raise _read_problem(name, exc) from None
    try:
        return parse_external_ids(data)
    except ProfileFormatError as exc:
        if exc.index is None or f"[{exc.index}]" in exc.message:
            raise _unusable(name, exc.message) from None
        where = f"item {exc.index} of 'data'"
        raise ProfileLoadError(
            f"Cannot use {name} ({where}): {exc.message}", f"{where}: {exc.message}"
        ) from None


def _read_problem(name: str, exc: ReadError) -> ProfileLoadError:
    problem = exc.problem
    if problem is Problem.TOO_BIG:
        return _unusable(
            name,
            f"it is larger than {megabytes(MAX_PROFILE_BYTES)}. Save a single profile's "
            "external_ids response and use that.",
        )
    if problem in (Problem.MISSING, Problem.CANNOT_OPEN, Problem.NOT_A_FILE):
        detail = (
            exc.os_error.strerror
            if exc.os_error is not None and exc.os_error.strerror
            else exc.reason
        )
        return ProfileLoadError(
            f"Cannot read {name}: {detail}.", f"cannot read the profile: {detail}"
        )
    if problem is Problem.NOT_UTF8:
        return _unusable(
            name, "it is not UTF-8 text. Save the Profile API response as UTF-8 JSON."
        )
    if problem is Problem.NOT_JSON and exc.line is not None:
        return _unusable(
            name,
            f"it is not valid JSON (line {exc.line}, column {exc.column}: {exc.detail}). "
            "Fix it or use another file.",
        )
    if problem is Problem.TOO_DEEP:
        return _unusable(
            name, "it is nested too deeply to be a Profile API response. Use another file."
        )
    if problem is Problem.NUMBER_TOO_LONG:
        return _unusable(
            name,
            "it holds a number with too many digits to be a Profile API response. "
            "Use another file.",
        )
    return _unusable(name, f"{exc.reason}. Use another file.")
