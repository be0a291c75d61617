"""Reading and writing the native document on disk.

Writes are atomic and byte-stable: the same document always gives the same bytes (UTF-8
JSON, indent 2, keys in model field order, a final newline), so files diff cleanly and a
read followed by a write changes nothing. Reads refuse anything that is not a document of
a version this app understands and say where and what to do, in one line.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from pydantic import ValidationError

from idsync.core.model import FORMAT_NAME, FORMAT_VERSION, IdSyncDocument
from idsync.core.positions import DocumentPositions, describe, line_and_column, misfits
from idsync.storage.atomic import atomic_write_bytes, remove_stale_temp_files
from idsync.storage.bounded import MAX_DOCUMENT_BYTES, lone_surrogate_at
from idsync.storage.document_text import (
    FIX_JSON,
    decode_text,
    load_json,
    os_reason,
    too_big,
)

# Their home is document_text (no model there); document readers import them from here.
from idsync.storage.document_text import DocumentError as DocumentError
from idsync.storage.document_text import read_document_bytes as read_document_bytes
from idsync.storage.migrations import Migration, MigrationError, migrate, oldest_readable_version

# --- reading ---------------------------------------------------------------------------


def read_document(
    path: Path | str, *, migrations: Mapping[int, Migration] | None = None
) -> IdSyncDocument:
    return parse_document(read_document_bytes(path), str(path), migrations=migrations)


def parse_document(
    data: bytes, source: str, *, migrations: Mapping[int, Migration] | None = None
) -> IdSyncDocument:
    """Parse the bytes of a document; ``source`` names it in error messages.

    The bounded strict parse comes first: it refuses what pydantic would take (a key
    written twice, NaN, nesting too deep, a lone surrogate escape, ``2.0`` as the
    version) and lets the header be worded before the model is asked.
    """
    if len(data) > MAX_DOCUMENT_BYTES:
        raise too_big(source, len(data))
    text = decode_text(data, source)
    raw = load_json(text, source)
    if not isinstance(raw, dict):
        raise DocumentError(
            source,
            f"holds {describe(raw)}, not an ID Sync document (a JSON object with "
            f'"format": "{FORMAT_NAME}") — is this the right file?',
        )
    _refuse_lone_surrogates(text, raw, source)
    version = _check_header(raw, source, DocumentPositions(text))
    migrated = version != FORMAT_VERSION
    if migrated:
        try:
            raw = migrate(raw, version, migrations)
        except MigrationError as exc:
            raise DocumentError(source, f"{exc} — it cannot be opened.") from exc
        text = _as_json(raw, source)
        raw = json.loads(text)
    return _build(text, raw, source, in_file=not migrated)


def _check_header(raw: dict[str, Any], source: str, positions: DocumentPositions) -> int:
    """The document's format version; DocumentError (at the member's line and column)
    when the header is not one this app reads."""

    def at(name: str) -> dict[str, Any]:
        place = positions.field_place(name)
        if place is None:
            return {"field": name}
        return {"field": name, "line": place[0], "column": place[1]}

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
            f"{describe(raw['format'])} is not {FORMAT_NAME!r} — is this the right file?",
            **at("format"),
        )
    version = raw.get("version")
    if "version" not in raw:
        raise DocumentError(
            source, f"is missing — add \"version\": {FORMAT_VERSION}.", **at("version")
        )
    if isinstance(version, bool) or not isinstance(version, int):
        raise DocumentError(
            source,
            f"{describe(version)} is not a version number — use \"version\": "
            f"{FORMAT_VERSION}.",
            **at("version"),
        )
    if version > FORMAT_VERSION:
        where = at("version")
        raise DocumentError(
            source,
            f"was written by a newer version (format {version}); this app reads up to "
            f"{FORMAT_VERSION} — update the app.",
            line=where.get("line"),
            column=where.get("column"),
        )
    if version < 0:
        raise DocumentError(
            source,
            f"{version} is not a document version (oldest readable: "
            f"{oldest_readable_version()}).",
            **at("version"),
        )
    return version


_LONE_SURROGATE: Final = (
    f"holds text with an unpaired UTF-16 surrogate escape (\\ud8xx) — {FIX_JSON}"
)


def _refuse_lone_surrogates(text: str, raw: object, source: str) -> None:
    offset = lone_surrogate_at(text, raw)
    if offset is not None:
        line, column = line_and_column(text, offset)
        raise DocumentError(source, _LONE_SURROGATE, line=line, column=column)


def _as_json(migrated: dict[str, Any], source: str) -> str:
    """A migration's result as the JSON text it stands for: a migration may write tuples
    or enum members, which the model reads as the JSON a file would hold."""
    text = json.dumps(migrated, indent=2, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise DocumentError(source, _LONE_SURROGATE) from None
    return text


def _build(text: str, raw: dict[str, Any], source: str, *, in_file: bool) -> IdSyncDocument:
    """The document ``text`` holds; a misfit is placed by line and column when ``text``
    is the file's own (a migrated document's text is not: its misfits name the field)."""
    try:
        return IdSyncDocument.model_validate_json(text)
    except ValidationError as exc:
        found = misfits(exc, text, raw)
        first, more = found[0], len(found) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise DocumentError(
            source,
            first.message + suffix,
            line=first.line if in_file else None,
            column=first.column if in_file else None,
            field=first.field or None,
        ) from None


# --- writing ---------------------------------------------------------------------------


def dump_document(doc: IdSyncDocument) -> bytes:
    """The canonical bytes of ``doc``: what :func:`write_document` puts on disk."""
    text = json.dumps(doc.to_json_data(), indent=2, ensure_ascii=False) + "\n"
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
    if _is_stream(target):
        _write_in_place(target, data)
        return
    remove_stale_temp_files(target.parent, target_name=target.name)
    try:
        atomic_write_bytes(target, data)
    except OSError as exc:
        raise DocumentError(str(path), os_reason(exc, writing=True)) from exc


def _is_stream(path: Path) -> bool:
    """A pipe, a terminal or a device (``-o /dev/stdout``): replacing it with a new file,
    as an atomic write does, would remove it (for root, even ``/dev/null``)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _write_in_place(path: Path, data: bytes) -> None:
    """Write into the stream itself, as a shell's ``>`` would. A reader that went away
    raises BrokenPipeError (the command ends quietly); any other failure DocumentError."""
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_BINARY", 0))
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise DocumentError(str(path), f"could not write: {exc.strerror or exc}.") from exc
