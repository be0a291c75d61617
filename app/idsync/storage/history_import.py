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
from typing import Annotated, Any, Final, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from idsync.core.positions import explain, field_name
from idsync.storage.bounded import MAX_STATE_BYTES, Problem, ReadError, read_json
from idsync.storage.damage import StateFile, set_aside

_log = logging.getLogger(__name__)

ENVELOPE_FORMAT: Final = "idsync-history"
ENVELOPE_VERSION: Final = 1
"""An entry as JSON: the earlier store's files, and what ``idsync history export`` writes."""
IMPORTED_SUFFIX: Final = ".imported"


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


class _NewerEntry(Exception):
    pass


def _in_utc(when: datetime) -> datetime:
    when = when if when.tzinfo is not None else when.replace(tzinfo=timezone.utc)
    try:
        when.astimezone()  # what every listing does; year 1 in a local zone overflows
        return when.astimezone(timezone.utc)
    except (OverflowError, OSError):
        raise ValueError("is out of range") from None


def _savable(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(_UNSAVABLE) from None
    return text


_UNSAVABLE: Final = "holds text that cannot be saved (an unpaired surrogate)"


Text = Annotated[str, AfterValidator(_savable)]


class _EntryFile(BaseModel):
    """One entry file of the earlier store, as that store wrote it."""

    model_config = ConfigDict(strict=True)

    format: Literal["idsync-history"]
    version: Annotated[int, Field(ge=1, le=ENVELOPE_VERSION)]
    recorded_at: Annotated[datetime, Field(strict=False), AfterValidator(_in_utc)]
    event: Literal["save", "export", "push"]
    key: Text
    source_path: Text | None = None
    detail: Text = ""
    sha256: Text = ""
    document: dict[str, Any]

    def imported(self) -> ImportedEntry:
        name = self.document.get("name", "")
        name = name if isinstance(name, str) else ""
        text = json.dumps(self.document, indent=2, ensure_ascii=False) + "\n"
        return ImportedEntry(
            key=self.key,
            recorded_at=self.recorded_at,
            event=self.event,
            source_path=self.source_path or None,
            detail=self.detail,
            digest=self.sha256,
            name=_savable(name),
            document=text.encode("utf-8"),
        )


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
    except ValueError as error:
        reason = str(error)
    set_aside(path, reason, StateFile.HISTORY)
    return None


def _entry_from(raw: Any) -> ImportedEntry:
    version = raw.get("version") if isinstance(raw, dict) else None
    if type(version) is int and version > ENVELOPE_VERSION:
        raise _NewerEntry(f"written by a newer version of the app (version {version})")
    try:
        return _EntryFile.model_validate(raw).imported()
    except ValidationError as error:
        detail = error.errors(include_url=False)[0]
        raise ValueError(f"{field_name(detail['loc']) or 'it'} {explain(detail)}") from None
    except ValueError:  # the document's own text (UnicodeEncodeError is a ValueError)
        raise ValueError(f"it {_UNSAVABLE}") from None
