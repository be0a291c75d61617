"""Crash recovery: the unsaved document, written aside a few seconds after each edit.

One file, ``autosave.json`` in the state folder, holding the document and the path it
came from. It is removed when the work is saved or the window closes cleanly, so finding
it at start means the last session ended without that: the editor offers to restore it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from app.core.model import IdSyncDocument
from app.storage.atomic import atomic_write_text
from app.storage.documents import DocumentError, dump_document, parse_document
from app.storage.paths import state_dir

AUTOSAVE_FILE_NAME = "autosave.json"
AUTOSAVE_FORMAT = "idsync-autosave"


class AutosaveError(Exception):
    """The recovery file exists but cannot be used; the message says why."""


@dataclass(frozen=True)
class Recovery:
    document: IdSyncDocument
    original_path: Path | None
    """The file the work was opened from or last saved to; None for a new document."""
    saved_at: datetime | None


def autosave_path() -> Path:
    return state_dir() / AUTOSAVE_FILE_NAME


def write_autosave(document: IdSyncDocument, original_path: Path | None) -> Path:
    """Write the recovery file atomically; an OSError propagates to the caller."""
    payload = {
        "format": AUTOSAVE_FORMAT,
        "original_path": str(original_path) if original_path is not None else None,
        "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "document": json.loads(dump_document(document).decode("utf-8")),
    }
    path = autosave_path()
    atomic_write_text(path, json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    return path


def read_autosave() -> Recovery | None:
    """The recovery found at start, None when there is none.

    Raises AutosaveError when the file is there but damaged, so the caller can say so
    and set it aside rather than silently losing it.
    """
    path = autosave_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise AutosaveError(f"The recovery file {path} cannot be read: {error}") from error
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as error:
        raise AutosaveError(
            f"The recovery file {path} is damaged (line {error.lineno}, column {error.colno})."
        ) from error
    if not isinstance(payload, dict) or payload.get("format") != AUTOSAVE_FORMAT:
        raise AutosaveError(f"The recovery file {path} is not one this app wrote.")
    try:
        document = parse_document(
            json.dumps(payload.get("document")).encode("utf-8"), str(path)
        )
    except DocumentError as error:
        raise AutosaveError(
            f"The recovery file {path} holds no usable document: {error}"
        ) from error
    original = payload.get("original_path")
    return Recovery(
        document=document,
        original_path=Path(original) if isinstance(original, str) and original else None,
        saved_at=_parse_time(payload.get("saved_at")),
    )


def remove_autosave() -> None:
    autosave_path().unlink(missing_ok=True)


def set_aside_autosave() -> Path | None:
    """Rename a damaged recovery file so it no longer prompts but is not destroyed."""
    path = autosave_path()
    if not path.exists():
        return None
    aside = path.with_name(path.name + ".damaged")
    path.replace(aside)
    return aside


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
