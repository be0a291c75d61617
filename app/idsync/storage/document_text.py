"""Reading a document file as far as its JSON, and the one error every document read and
write raises.

Without the model and its reader, so the window can check the file it was asked to open
before it loads them (``idsync --self-test FILE``), with the same words as a full read.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any, Final

from idsync.storage.bounded import (
    MAX_DOCUMENT_BYTES,
    Problem,
    ReadError,
    decode_utf8,
    parse_json,
    read_bytes,
)

FIX_JSON: Final = "fix the JSON and open it again."


def _document_error(
    path: str, reason: str, line: int | None, column: int | None, field: str | None
) -> DocumentError:
    return DocumentError(path, reason, line=line, column=column, field=field)


class DocumentError(Exception):
    """A document could not be read or written. ``str()`` is one line for the person.

    ``path`` is the file as named in the message; ``line`` and ``column`` (1-based) point
    into the file for JSON syntax errors; ``field`` is the dotted path of the offending
    value (``identifiers[2].strategy``) for content errors; ``reason`` is the message
    without the location.
    """

    def __init__(
        self,
        path: str,
        reason: str,
        *,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
    ) -> None:
        self.path = path
        self.reason = reason
        self.line = line
        self.column = column
        self.field = field
        super().__init__(self._render())

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # Checks of large folders run in worker processes and send their errors back.
        return _document_error, (self.path, self.reason, self.line, self.column, self.field)

    def _render(self) -> str:
        if self.line is not None:
            where = f"{self.path}:{self.line}:{self.column or 1}"
        else:
            where = self.path
        if self.field:
            return f"{where}: {self.field}: {self.reason}"
        return f"{where}: {self.reason}"


def read_document_json(path: Path | str) -> Any:
    """The JSON value in the file at ``path``: bounded read, UTF-8, strict JSON."""
    source = str(path)
    return load_json(decode_text(read_document_bytes(path), source), source)


def read_document_bytes(path: Path | str) -> bytes:
    """The bytes of the document file at ``path`` (bounded, never a FIFO or a device);
    DocumentError worded as every document read words it."""
    try:
        return read_bytes(path, MAX_DOCUMENT_BYTES)
    except ReadError as exc:
        raise _read_problem(str(path), exc) from None


def too_big(source: str, size: int | None) -> DocumentError:
    shown = f" ({size / 1024 / 1024:.1f} MB)" if size is not None else ""
    return DocumentError(
        source,
        f"is too big{shown}: ID Sync documents are small, this app opens files up to "
        f"{MAX_DOCUMENT_BYTES // 1024 // 1024} MB — is this the right file?",
    )


def _read_problem(source: str, exc: ReadError) -> DocumentError:
    if exc.problem is Problem.TOO_BIG:
        return too_big(source, exc.size)
    if exc.os_error is not None:
        return DocumentError(source, os_reason(exc.os_error, writing=False))
    if exc.is_folder:
        return DocumentError(source, "could not open: it is a folder, not a file.")
    if exc.problem is Problem.NOT_A_FILE:
        return DocumentError(
            source, f"could not open: it is {exc.kind}, not a document file — check the path."
        )
    return DocumentError(source, f"could not open: {exc.reason}.")


def decode_text(data: bytes, source: str) -> str:
    try:
        return decode_utf8(data)
    except ReadError as exc:
        raise DocumentError(
            source,
            f"is not UTF-8 text (byte 0x{exc.byte or 0:02x}) — save it as UTF-8 and "
            "open it again.",
            line=exc.line,
            column=exc.column,
        ) from None


def load_json(text: str, source: str) -> Any:
    try:
        return parse_json(text, strict=True)
    except ReadError as exc:
        raise _json_problem(source, exc) from None


def _json_problem(source: str, exc: ReadError) -> DocumentError:
    if exc.problem is Problem.EMPTY:
        return DocumentError(source, "is empty — it should hold an ID Sync document (JSON).")
    if exc.problem is Problem.TOO_DEEP:
        return DocumentError(source, f"is nested too deeply to be a document — {FIX_JSON}")
    if exc.problem is Problem.NUMBER_TOO_LONG:
        return DocumentError(
            source, f"holds a number with too many digits to be a document — {FIX_JSON}"
        )
    if exc.problem is Problem.OUT_OF_MEMORY:
        return DocumentError(source, "is too large to read into memory — is this the right file?")
    return DocumentError(
        source, f"{exc.detail or exc.reason} — {FIX_JSON}", line=exc.line, column=exc.column
    )


# --- OS errors -------------------------------------------------------------------------


def os_reason(exc: OSError, *, writing: bool) -> str:
    verb = "save" if writing else "open"
    code = exc.errno
    if code == errno.ENOSPC:
        return (
            "could not save: the disk is full — free some space and save again; "
            "the previous file is unchanged."
        )
    if code in (errno.EACCES, errno.EPERM):
        if writing:
            return (
                "could not save: permission denied — choose a folder you can write to; "
                "the previous file is unchanged."
            )
        return "could not open: permission denied — check the file's permissions."
    if code == errno.EROFS:
        return "could not save: the folder is on a read-only disk — save somewhere else."
    if code == errno.ENOENT:
        if writing:
            return "could not save: the folder does not exist — choose an existing folder."
        return "could not open: no such file — check the path."
    if code == errno.EISDIR:
        return f"could not {verb}: it is a folder, not a file."
    if code == errno.ENAMETOOLONG:
        return f"could not {verb}: the file name is too long."
    detail = exc.strerror or str(exc)
    return f"could not {verb}: {detail}."
