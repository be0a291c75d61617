"""Reading and writing the native document on disk.

Writes are atomic and byte-stable: the same document always gives the same bytes (UTF-8
JSON, indent 2, keys in model field order, a final newline), so files diff cleanly and a
read followed by a write changes nothing. Reads refuse anything that is not a document of
a version this app understands and say where and what to do, in one line.
"""

from __future__ import annotations

import errno
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from app.core.model import FORMAT_NAME, FORMAT_VERSION, IdSyncDocument
from app.storage.atomic import atomic_write_bytes, remove_stale_temp_files
from app.storage.bounded import (
    MAX_DOCUMENT_BYTES,
    Problem,
    ReadError,
    decode_utf8,
    parse_json,
    read_bytes,
)
from app.storage.migrations import Migration, MigrationError, migrate, oldest_readable_version

_FIX_JSON: Final = "fix the JSON and open it again."


def _document_error(
    path: str, reason: str, line: int | None, column: int | None, field: str | None
) -> DocumentError:
    return DocumentError(path, reason, line=line, column=column, field=field)
_TARGET_KINDS: Final = ("audience", "journey")


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


# --- reading ---------------------------------------------------------------------------


def read_document(
    path: Path | str, *, migrations: Mapping[int, Migration] | None = None
) -> IdSyncDocument:
    return parse_document(read_document_bytes(path), str(path), migrations=migrations)


def read_document_bytes(path: Path | str) -> bytes:
    """The bytes of the document file at ``path`` (bounded, never a FIFO or a device);
    DocumentError worded as every document read words it."""
    try:
        return read_bytes(path, MAX_DOCUMENT_BYTES)
    except ReadError as exc:
        raise _read_problem(str(path), exc) from None


def parse_document(
    data: bytes, source: str, *, migrations: Mapping[int, Migration] | None = None
) -> IdSyncDocument:
    """Parse the bytes of a document; ``source`` names it in error messages."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise _too_big(source, len(data))
    text = _decode(data, source)
    raw = _load_json(text, source)
    if not isinstance(raw, dict):
        raise DocumentError(
            source,
            f"holds {_describe_json(raw)}, not an ID Sync document (a JSON object with "
            f'"format": "{FORMAT_NAME}") — is this the right file?',
        )
    version = _check_header(raw, source)
    if version != FORMAT_VERSION:
        try:
            raw = migrate(raw, version, migrations)
        except MigrationError as exc:
            raise DocumentError(source, f"{exc} — it cannot be opened.") from exc
    elif "\\u" not in text:
        # The text itself is what would be validated (no migration, and no \u escape
        # that could hide an unpaired surrogate): skip writing it out again.
        return _validate_json(text.encode("utf-8"), source)
    return _validate(raw, source)


def _too_big(source: str, size: int | None) -> DocumentError:
    shown = f" ({size / 1024 / 1024:.1f} MB)" if size is not None else ""
    return DocumentError(
        source,
        f"is too big{shown}: ID Sync documents are small, this app opens files up to "
        f"{MAX_DOCUMENT_BYTES // 1024 // 1024} MB — is this the right file?",
    )


def _read_problem(source: str, exc: ReadError) -> DocumentError:
    if exc.problem is Problem.TOO_BIG:
        return _too_big(source, exc.size)
    if exc.os_error is not None:
        return DocumentError(source, _os_reason(exc.os_error, writing=False))
    if exc.is_folder:
        return DocumentError(source, "could not open: it is a folder, not a file.")
    if exc.problem is Problem.NOT_A_FILE:
        return DocumentError(
            source, f"could not open: it is {exc.kind}, not a document file — check the path."
        )
    return DocumentError(source, f"could not open: {exc.reason}.")


def _decode(data: bytes, source: str) -> str:
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


def _load_json(text: str, source: str) -> Any:
    try:
        return parse_json(text, strict=True)
    except ReadError as exc:
        raise _json_problem(source, exc) from None


def _json_problem(source: str, exc: ReadError) -> DocumentError:
    if exc.problem is Problem.EMPTY:
        return DocumentError(source, "is empty — it should hold an ID Sync document (JSON).")
    if exc.problem is Problem.TOO_DEEP:
        return DocumentError(source, f"is nested too deeply to be a document — {_FIX_JSON}")
    if exc.problem is Problem.NUMBER_TOO_LONG:
        return DocumentError(
            source, f"holds a number with too many digits to be a document — {_FIX_JSON}"
        )
    if exc.problem is Problem.OUT_OF_MEMORY:
        return DocumentError(source, "is too large to read into memory — is this the right file?")
    return DocumentError(
        source, f"{exc.detail or exc.reason} — {_FIX_JSON}", line=exc.line, column=exc.column
    )


def _check_header(raw: dict[str, Any], source: str) -> int:
    if "format" not in raw:
        hint = (
            " It looks like an API request body; open the document it was exported from."
            if "idSyncConfiguration" in raw
            else ""
        )
        raise DocumentError(
            source,
            f'is not an ID Sync document: "format": "{FORMAT_NAME}" is missing.{hint}',
        )
    if raw["format"] != FORMAT_NAME:
        raise DocumentError(
            source,
            f"{_describe_json(raw['format'])} is not {FORMAT_NAME!r} — is this the right file?",
            field="format",
        )
    version = raw.get("version")
    if version is None:
        raise DocumentError(
            source, f"is missing — add \"version\": {FORMAT_VERSION}.", field="version"
        )
    if isinstance(version, bool) or not isinstance(version, int):
        raise DocumentError(
            source,
            f"{_describe_json(version)} is not a version number — use \"version\": "
            f"{FORMAT_VERSION}.",
            field="version",
        )
    if version > FORMAT_VERSION:
        raise DocumentError(
            source,
            f"was written by a newer version (format {version}); this app reads up to "
            f"{FORMAT_VERSION} — update the app.",
        )
    if version < 0:
        raise DocumentError(
            source,
            f"{version} is not a document version (oldest readable: "
            f"{oldest_readable_version()}).",
            field="version",
        )
    return version


def _validate(raw: dict[str, Any], source: str) -> IdSyncDocument:
    try:
        # Through JSON in strict mode: "yes" is not a boolean and 1 is not text in a file.
        payload = json.dumps(raw, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise DocumentError(
            source,
            f"holds text with an unpaired UTF-16 surrogate escape (\\ud8xx) — {_FIX_JSON}",
        ) from None
    return _validate_json(payload, source)


def _validate_json(payload: bytes, source: str) -> IdSyncDocument:
    try:
        return IdSyncDocument.model_validate_json(payload, strict=True)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        first = errors[0]
        more = len(errors) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        field = _field_path(first["loc"])
        if first["type"] in ("union_tag_invalid", "union_tag_not_found"):
            field += ".kind"
        raise DocumentError(source, _explain(first) + suffix, field=field or None) from None


def _field_path(loc: tuple[int | str, ...]) -> str:
    parts = list(loc)
    # Discriminated unions put the tag into the location: target.audience.space_id.
    if len(parts) >= 2 and parts[0] == "target" and parts[1] in _TARGET_KINDS:
        del parts[1]
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _explain(error: ErrorDetails) -> str:
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind in ("enum", "literal_error"):
        choices = ", ".join(re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
        if not choices:
            choices = str(ctx.get("expected", ""))
        return f"{_describe_json(value)} is not one of {choices}"
    if kind == "union_tag_invalid":
        return f"{_describe_json(ctx.get('tag'))} is not one of {', '.join(_TARGET_KINDS)}"
    if kind == "union_tag_not_found":
        return f"is missing (one of {', '.join(_TARGET_KINDS)})"
    if kind == "missing":
        return "is required but missing"
    if kind == "json_invalid":
        return f"cannot be read as a document ({ctx.get('error', error['msg'])}) — {_FIX_JSON}"
    if kind == "extra_forbidden":
        return "is not a known field — remove it or check the spelling"
    if kind == "string_type":
        return f"should be text, not {_describe_json(value)}"
    if kind == "bool_type":
        return f"should be true or false, not {_describe_json(value)}"
    if kind in ("tuple_type", "list_type"):
        return f"should be a list, not {_describe_json(value)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"should be an object, not {_describe_json(value)}"
    return str(error["msg"])


def _describe_json(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return repr(shown)
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


# --- writing ---------------------------------------------------------------------------


def dump_document(doc: IdSyncDocument) -> bytes:
    """The canonical bytes of ``doc``: what :func:`write_document` puts on disk."""
    text = json.dumps(doc.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    return text.encode("utf-8")


def write_document(path: Path | str, doc: IdSyncDocument) -> None:
    """Write ``doc`` atomically: on any failure the previous file is left as it was."""
    source = str(path)
    try:
        data = dump_document(doc)
    except UnicodeEncodeError:
        raise DocumentError(
            source, "holds text that cannot be saved as UTF-8 (an unpaired surrogate)."
        ) from None
    write_export(path, data)


def write_export(path: Path | str, data: bytes) -> None:
    """Write exported bytes (an API body, a schema) atomically, with the same error text.

    Temp files an interrupted earlier save of the same file left behind are removed
    first; a new file gets the mode the umask gives, an overwritten one keeps its own.
    """
    target = Path(path)
    remove_stale_temp_files(target.parent, target_name=target.name)
    try:
        atomic_write_bytes(target, data)
    except OSError as exc:
        raise DocumentError(str(path), _os_reason(exc, writing=True)) from exc


# --- OS errors -------------------------------------------------------------------------


def _os_reason(exc: OSError, *, writing: bool) -> str:
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

