"""The JSON-entry history of earlier versions, read once for the database to import.

Before the database, history kept one JSON file per entry, in a folder per document
identity under ``<data>/history``::

    <history>/<readable-key>-<hash>/20250101T120000.000000Z-save.json

each an envelope around the document (``format``, ``version``, ``recorded_at``,
``event``, ``key``, ``source_path``, ``detail``, ``sha256``, ``document``), with caches
beside them (dot-files, ignored here). :func:`read_legacy_store` yields every entry it
can read; a damaged one is moved aside and reported (:mod:`idsync.storage.damage`), one a
newer version of the app wrote is skipped. Once the database has committed what was
read, :func:`confirm_import` renames the folder ``history.imported``: kept, never read
again.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Final

from idsync.storage.bounded import MAX_STATE_BYTES, Problem, ReadError, read_json
from idsync.storage.damage import StateFile, set_aside

_log = logging.getLogger(__name__)

ENVELOPE_FORMAT: Final = "idsync-history"
ENVELOPE_VERSION: Final = 1
"""An entry as JSON: the earlier store's files, and what ``idsync history export`` writes."""
IMPORTED_SUFFIX: Final = ".imported"
_EVENTS: Final = frozenset({"save", "export", "push"})


@dataclass(frozen=True)
class ImportedEntry:
    key: str
    recorded_at: datetime
    """In UTC."""
    event: str
    source_path: str | None
    detail: str
    digest: str
    name: str
    document: bytes
    """The document as JSON text, read back (and migrated) like any kept document."""


def read_legacy_store(folder: Path) -> Iterator[ImportedEntry]:
    """Every usable entry under ``folder``, key folder by key folder, oldest first."""
    for key_folder in _plain_names(folder, folders=True):
        for name in _plain_names(folder / key_folder, folders=False):
            if name.endswith(".json"):
                entry = _read_entry(folder / key_folder / name)
                if entry is not None:
                    yield entry


def confirm_import(folder: Path) -> Path | None:
    """Rename the imported ``folder`` out of the way (``history.imported``, or
    ``history.imported-2``...); where it went, or None when it could not move (it is
    then imported again at the next start, adding nothing twice)."""
    for attempt in range(1, 100):
        suffix = IMPORTED_SUFFIX if attempt == 1 else f"{IMPORTED_SUFFIX}-{attempt}"
        target = folder.with_name(folder.name + suffix)
        if os.path.lexists(target):
            continue
        try:
            os.rename(folder, target)
        except FileNotFoundError:
            return None  # another process confirmed the same import
        except OSError as error:
            _log.warning("Could not rename the imported history %s: %s", folder, error)
            return None
        return target
    return None


def _plain_names(folder: Path, *, folders: bool) -> list[str]:
    # Sorted, so entries come oldest first (their names start with the time); dot-files
    # are the old caches and temp files. Key folders not through symlinks; anything in
    # one named *.json is read as an entry (a folder or FIFO there is set aside).
    try:
        with os.scandir(folder) as found:
            return sorted(
                item.name
                for item in found
                if not item.name.startswith(".")
                and (item.is_dir(follow_symlinks=False) or not folders)
            )
    except OSError as error:
        _log.warning("Could not list the earlier history folder %s: %s", folder, error)
        return []


class _BadEntry(Exception):
    pass


class _NewerEntry(Exception):
    pass


def _read_entry(path: Path) -> ImportedEntry | None:
    try:
        return _entry_from(read_json(path, MAX_STATE_BYTES))
    except ReadError as error:
        if error.problem is Problem.MISSING:
            return None
        if not error.is_damage:
            _log.warning("Skipping the earlier history entry %s: %s", path, error.reason)
            return None
        reason = error.reason
    except _NewerEntry as error:
        _log.warning("Skipping the earlier history entry %s: %s", path, error)
        return None
    except (_BadEntry, ValueError) as error:
        reason = str(error)
    set_aside(path, reason, StateFile.HISTORY)
    return None


def _entry_from(raw: Any) -> ImportedEntry:
    if not isinstance(raw, dict) or raw.get("format") != ENVELOPE_FORMAT:
        raise _BadEntry("not a history entry this app wrote")
    version = raw.get("version")
    if type(version) is not int or version < 1:
        raise _BadEntry(f"unknown history entry version {version!r}")
    if version > ENVELOPE_VERSION:
        raise _NewerEntry(f"written by a newer version of the app (version {version})")
    event = raw.get("event")
    if event not in _EVENTS:
        raise _BadEntry(f"unknown event {event!r}")
    key, detail, digest = raw.get("key"), raw.get("detail", ""), raw.get("sha256", "")
    if not isinstance(key, str) or not isinstance(detail, str) or not isinstance(digest, str):
        raise _BadEntry("key, detail or sha256 is not text")
    source = raw.get("source_path")
    if source is not None and not isinstance(source, str):
        raise _BadEntry("source_path is not text")
    document = raw.get("document")
    if not isinstance(document, dict):
        raise _BadEntry("it holds no document")
    name = document.get("name", "")
    try:
        data = (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        for text in (key, detail, digest, source or "", name if isinstance(name, str) else ""):
            text.encode("utf-8")
    except UnicodeEncodeError:
        raise _BadEntry("it holds text that cannot be saved (an unpaired surrogate)") from None
    return ImportedEntry(
        key=key,
        recorded_at=_recorded_at(raw.get("recorded_at")),
        event=str(event),
        source_path=source or None,
        detail=detail,
        digest=digest,
        name=name if isinstance(name, str) else "",
        document=data,
    )


def _recorded_at(recorded: object) -> datetime:
    if not isinstance(recorded, str):
        raise _BadEntry("recorded_at is missing")
    try:
        when = datetime.fromisoformat(recorded)
    except ValueError:
        raise _BadEntry(f"recorded_at {recorded[:40]!r} is not a time") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    try:
        when.astimezone()  # what every listing does; year 1 in a local zone overflows
        return when.astimezone(timezone.utc)
    except (OverflowError, ValueError, OSError):
        raise _BadEntry(f"recorded_at {recorded[:40]!r} is out of range") from None
