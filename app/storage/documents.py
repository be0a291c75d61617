"""Reading and writing the native document on disk.

Writes are atomic and byte-stable: the same document always gives the same bytes (UTF-8
JSON, indent 2, keys in model field order, a final newline), so files diff cleanly and a
read followed by a write changes nothing. Reads refuse anything that is not a document of
a version this app understands and say where and what to do, in one line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from app.core.model import FORMAT_NAME, FORMAT_VERSION, IdSyncDocument
from app.storage.atomic import atomic_write_bytes, remove_stale_temp_files
from app.storage.bounded import MAX_DOCUMENT_BYTES
from app.storage.document_text import (
    FIX_JSON,
    decode_text,
    load_json,
    os_reason,
    too_big,
)

# Their home is document_text (no pydantic there); document readers import them from here.
from app.storage.document_text import DocumentError as DocumentError
from app.storage.document_text import read_document_bytes as read_document_bytes
from app.storage.migrations import Migration, MigrationError, migrate, oldest_readable_version

_TARGET_KINDS: Final = ("audience", "journey")


# --- reading ---------------------------------------------------------------------------


def read_document(
    path: Path | str, *, migrations: Mapping[int, Migration] | None = None
) -> IdSyncDocument:
    return parse_document(read_document_bytes(path), str(path), migrations=migrations)


def parse_document(
    data: bytes, source: str, *, migrations: Mapping[int, Migration] | None = None
) -> IdSyncDocument:
    """Parse the bytes of a document; ``source`` names it in error messages."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise too_big(source, len(data))
    text = decode_text(data, source)
    plain = _plain_current_document(text)
    if plain is not None:
        return plain
    raw = load_json(text, source)
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


def _plain_current_document(text: str) -> IdSyncDocument | None:
    """The document in ``text`` when it is plainly one of the current version, validated
    in one pass; None when anything is unusual, and the steps below then read it (and
    word what is wrong).

    A check of thousands of files reads nearly all of them this way, without first
    parsing each into Python objects only to look at its header. The result is the one
    those steps give: they too validate the same text, once they have found it is JSON
    with no repeated key and the header of this version. The conditions here stand for
    those findings: pydantic's parser accepts no JSON that Python's refuses (NaN and
    Infinity fit no field of the document); the model's literals hold the format and
    version, which must be written out (not the defaults) and the version as the integer
    2 (the literal also accepts 2.0); and the count of colons rules out a repeated key.
    """
    if "\\u" in text or _VERSION_TWO.search(text) is None:
        return None  # escapes may hide an unpaired surrogate: the steps below check
    try:
        document = IdSyncDocument.model_validate_json(text.encode("utf-8"), strict=True)
    except ValueError:
        return None
    if not {"format", "version"} <= document.model_fields_set:
        return None
    # Each member of an object has one colon outside strings, and the document keeps one
    # member per key: a repeated key leaves more colons in the text than the document
    # has members and colons in its strings. (So would a nested object not counted
    # here: such a text takes the steps below, never a wrong answer.)
    colons = text.count(":")
    members = _member_count(document)
    if colons != members and colons != members + _colons_in_values(document):
        return None
    return document


_VERSION_TWO: Final = re.compile(rf'"version"[ \t\n\r]*:[ \t\n\r]*{FORMAT_VERSION}[,}} \t\n\r]')
"""The version written as the integer: a JSON string cannot hold an unescaped quote, so
this matches only the member itself."""


def _member_count(document: IdSyncDocument) -> int:
    """How many members the objects of the text that gave ``document`` had, less any
    repeated key."""
    count = len(document.model_fields_set)
    if "target" in document.model_fields_set:
        count += len(document.target.model_fields_set)
    if document.destination is not None:
        count += len(document.destination.model_fields_set)
    for row in document.identifiers:
        count += len(row.model_fields_set)
    return count


def _colons_in_values(model: BaseModel) -> int:
    """The colons in the text values ``model`` was given (and its nested models')."""
    count = 0
    for name in model.model_fields_set:
        value = getattr(model, name)
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, str):
                count += item.count(":")
            elif isinstance(item, BaseModel):
                count += _colons_in_values(item)
    return count


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
            f"holds text with an unpaired UTF-16 surrogate escape (\\ud8xx) — {FIX_JSON}",
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
        return f"cannot be read as a document ({ctx.get('error', error['msg'])}) — {FIX_JSON}"
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
        raise DocumentError(str(path), os_reason(exc, writing=True)) from exc
