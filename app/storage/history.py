"""Local history of every save, export and push: Segment keeps none of its own.

On disk: one folder per document identity under the history folder, one JSON file per
entry, named by the UTC time it was recorded::

    <history>/<readable-key>-<hash>/20250101T120000.000000Z-save.json

Each file is an envelope around the canonical document::

    {"format": "idsync-history", "version": 1, "recorded_at": "<UTC ISO>",
     "event": "save" | "export" | "push", "key": "...", "source_path": "..." | null,
     "detail": "...", "sha256": "<of the canonical document bytes>", "document": {...}}

One file per entry (not a document plus a sidecar) so one atomic write makes an entry
whole or absent, never half. The document is read back through the normal document
reader, so old entries are migrated like old files.

The identity ("key") lines up everything about one connection: a document with its
target and destination instance ids is keyed by them, so saves of the file and pushes to
Segment appear together; otherwise by the file it was saved to.

What is stored is the document and a one-line detail, nothing else: the API token is
never part of a document, and push details are built from ids and the result only
(:func:`push_detail`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import Enum
from pathlib import Path
from typing import Any, Final

from app.core.model import AudienceTarget, IdSyncDocument
from app.storage.atomic import atomic_write_text
from app.storage.bounded import MAX_STATE_BYTES, Problem, ReadError, read_json
from app.storage.damage import StateFile, set_aside
from app.storage.documents import DocumentError, dump_document, parse_document
from app.storage.paths import ensure_private_folder, history_dir

_log = logging.getLogger(__name__)

HISTORY_FORMAT: Final = "idsync-history"
HISTORY_VERSION: Final = 1
MAX_ENTRIES_PER_KEY: Final = 200
MAX_TOTAL_BYTES: Final = 32 * 1024 * 1024
MAX_DETAIL_CHARS: Final = 300
UNTITLED_KEY: Final = "untitled"
_ENTRY_SUFFIX: Final = ".json"
_STAMP_FORMAT: Final = "%Y%m%dT%H%M%S.%fZ"


class HistoryEvent(str, Enum):
    SAVE = "save"
    EXPORT = "export"
    PUSH = "push"

    @property
    def label(self) -> str:
        return {
            HistoryEvent.SAVE: "Saved",
            HistoryEvent.EXPORT: "Exported",
            HistoryEvent.PUSH: "Pushed",
        }[self]


class HistoryError(Exception):
    """An entry could not be read back; ``str()`` is one line for the person."""


@dataclass(frozen=True)
class HistoryEntry:
    path: Path
    key: str
    event: HistoryEvent
    recorded_at: datetime
    source_path: Path | None
    detail: str
    digest: str
    name: str
    """The document's name at the time, for listings."""

    @property
    def where(self) -> str:
        return key_label(self.key)


# --- identity -------------------------------------------------------------------------


def history_key(doc: IdSyncDocument, source_path: Path | str | None) -> str:
    """The identity entries are grouped by: the connection's ids, else the file."""
    target = doc.target
    instance = doc.destination.instance_id.strip() if doc.destination else ""
    raw_ids: tuple[str, ...]
    if isinstance(target, AudienceTarget):
        raw_ids = (target.space_id, target.audience_id)
    else:
        raw_ids = (target.space_id, target.journey_id, target.step)
    ids = tuple(part.strip() for part in raw_ids)
    if instance and all(ids):
        return f"{target.kind}:{'/'.join(ids)}/{instance}"
    if source_path is not None:
        return f"file:{_normal_path(source_path)}"
    return UNTITLED_KEY


def key_label(key: str) -> str:
    """``spa_1/aud_1 → dst_1``, a file path, or ``Untitled``, for people."""
    kind, _, rest = key.partition(":")
    if kind == "file":
        return rest
    if kind in ("audience", "journey") and "/" in rest:
        ids, _, instance = rest.rpartition("/")
        return f"{ids} → {instance}"
    return "Untitled" if key == UNTITLED_KEY else key


def push_detail(
    *, base_url: str, space_id: str, audience_id: str, connection_id: str, result: str
) -> str:
    """The detail of a push entry: where it went and how it ended, nothing else.

    Built from the base URL, the plan's ids and a result phrase only, so nothing from the
    connection (a token, a header, a response body) can reach the history files. The base
    URL is part of it so identical pushes to two workspaces stay two entries.
    """
    where = f"{space_id or '?'}/{audience_id or '?'}"
    connection = f" ({connection_id})" if connection_id else ""
    at = f" at {base_url}" if base_url else ""
    text = f"pushed to {where}{connection}{at}"
    return f"{text}: {result}" if result else text


def history_failure_reason(error: OSError | UnicodeEncodeError) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return "text that cannot be saved"


def _normal_path(path: Path | str) -> str:
    # One file reached through two spellings must be one identity.
    return os.path.normcase(os.path.abspath(str(path)))


def _clean_detail(text: str) -> str:
    one_line = " ".join(text.split())
    if len(one_line) > MAX_DETAIL_CHARS:
        return one_line[: MAX_DETAIL_CHARS - 1] + "…"
    return one_line


def _folder_name(key: str) -> str:
    readable = re.sub(r"[^a-z0-9]+", "-", key.casefold()).strip("-")[-40:].strip("-")
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
    return f"{readable or 'doc'}-{digest}"


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


# --- the store ------------------------------------------------------------------------


class HistoryStore:
    """Records and lists history entries under ``root`` (the app's history folder).

    ``clock`` gives the recording time (UTC); tests pass a fixed one.
    """

    def __init__(
        self,
        root: Path | None = None,
        *,
        max_per_key: int = MAX_ENTRIES_PER_KEY,
        max_total_bytes: int = MAX_TOTAL_BYTES,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        # Resolved now, not at import: IDSYNC_HOME may be set after this module loads.
        self.root = Path(root) if root is not None else history_dir()
        self.max_per_key = max_per_key
        self.max_total_bytes = max_total_bytes
        self._clock = clock

    # -- writing -------------------------------------------------------------------------

    def record(
        self,
        doc: IdSyncDocument,
        event: HistoryEvent | str,
        *,
        source_path: Path | str | None,
        detail: str = "",
    ) -> HistoryEntry:
        """Keep a copy of ``doc``; returns the entry (the newest one if it was a repeat).

        A repeat is the same document, event, file and detail as the newest entry of the
        same identity: saving twice without a change keeps one entry, while the same push
        to another workspace (another detail) is an entry of its own. OSError propagates.
        """
        kind = HistoryEvent(event)
        data = dump_document(doc)
        digest = hashlib.sha256(data).hexdigest()
        source = Path(_normal_path(source_path)) if source_path is not None else None
        key = history_key(doc, source_path)
        folder = ensure_private_folder(self.root / _folder_name(key))
        existing = self._read_folder(folder, key)
        if existing:
            newest = existing[0]
            if (
                newest.event is kind
                and newest.digest == digest
                and newest.source_path == source
                and newest.detail == _clean_detail(detail)
            ):
                return newest
        when = self._clock().astimezone(timezone.utc)
        if existing and when <= existing[0].recorded_at:
            # A clock that stepped back (or a coarse one) must not reorder entries.
            when = existing[0].recorded_at + timedelta(microseconds=1)
        clean_detail = _clean_detail(detail)
        envelope = {
            "format": HISTORY_FORMAT,
            "version": HISTORY_VERSION,
            "recorded_at": when.isoformat(timespec="microseconds"),
            "event": kind.value,
            "key": key,
            "source_path": str(source) if source is not None else None,
            "detail": clean_detail,
            "sha256": digest,
            "document": json.loads(data.decode("utf-8")),
        }
        path = folder / f"{when.strftime(_STAMP_FORMAT)}-{kind.value}{_ENTRY_SUFFIX}"
        atomic_write_text(
            path, json.dumps(envelope, indent=2, ensure_ascii=False) + "\n", private=True
        )
        entry = HistoryEntry(
            path=path,
            key=key,
            event=kind,
            recorded_at=when,
            source_path=source,
            detail=clean_detail,
            digest=digest,
            name=doc.name,
        )
        self._keep_newest(existing, self.max_per_key - 1)
        self._cap_total(keep=path)
        return entry

    def _keep_newest(self, older: list[HistoryEntry], count: int) -> None:
        for entry in older[max(0, count):]:
            self._remove(entry.path)

    def _cap_total(self, keep: Path) -> None:
        """Drop the oldest entries of any document while the folder is over the cap."""
        files: list[tuple[str, Path, int]] = []
        for path in self._entry_files():
            try:
                files.append((path.name, path, path.stat().st_size))
            except OSError:
                continue
        total = sum(size for _name, _path, size in files)
        # File names start with the recording time, so name order is age order.
        for _name, path, size in sorted(files):
            if total <= self.max_total_bytes:
                break
            if path == keep:
                continue
            self._remove(path)
            total -= size

    @staticmethod
    def _remove(path: Path) -> None:
        try:
            path.unlink(missing_ok=True)
        except OSError as error:
            _log.warning("Could not remove old history entry %s: %s", path, error)
            return
        with contextlib.suppress(OSError):  # not empty: the usual case
            path.parent.rmdir()

    # -- reading -------------------------------------------------------------------------

    def entries(self, key: str | None = None) -> list[HistoryEntry]:
        """Entries newest first: of one identity, or of every document with ``None``."""
        if key is not None:
            return self._read_folder(self.root / _folder_name(key), key)
        found = [entry for path in self._entry_files() if (entry := _read_entry(path))]
        return _newest_first(found)

    def entries_for(
        self, doc: IdSyncDocument, source_path: Path | str | None
    ) -> list[HistoryEntry]:
        """Entries of this document: its identity, or saved from/to the same file.

        A document that gained its ids after being saved keeps its earlier file entries.
        """
        key = history_key(doc, source_path)
        if source_path is None:
            return self.entries(key)
        source = Path(_normal_path(source_path))
        return [
            entry for entry in self.entries() if entry.key == key or entry.source_path == source
        ]

    def load(self, entry: HistoryEntry) -> IdSyncDocument:
        """The document kept in ``entry``; HistoryError says why it cannot be read."""
        try:
            raw = read_json(entry.path, MAX_STATE_BYTES)
        except ReadError as error:
            if error.problem is Problem.MISSING:
                raise HistoryError(
                    f"The history entry {entry.path.name} is gone (removed as older "
                    "entries are)."
                ) from None
            raise HistoryError(
                f"The history entry {entry.path} cannot be read: {error.reason}"
            ) from None
        document = raw.get("document") if isinstance(raw, dict) else None
        if not isinstance(document, dict):
            raise HistoryError(f"The history entry {entry.path} holds no document.")
        try:
            return parse_document(
                json.dumps(document, ensure_ascii=False).encode("utf-8"), str(entry.path)
            )
        except (DocumentError, UnicodeEncodeError) as error:
            raise HistoryError(
                f"The history entry {entry.path} holds no usable document: {error}"
            ) from error

    def _read_folder(self, folder: Path, key: str) -> list[HistoryEntry]:
        try:
            paths = [path for path in folder.iterdir() if _is_entry_file(path)]
        except FileNotFoundError:
            return []
        except OSError as error:
            _log.warning("Could not list history folder %s: %s", folder, error)
            return []
        found = [entry for path in paths if (entry := _read_entry(path)) and entry.key == key]
        return _newest_first(found)

    def _entry_files(self) -> list[Path]:
        files: list[Path] = []
        try:
            folders = [path for path in self.root.iterdir() if path.is_dir()]
        except OSError as error:
            if not isinstance(error, FileNotFoundError):
                _log.warning("Could not list the history folder %s: %s", self.root, error)
            return files
        for folder in folders:
            try:
                files.extend(path for path in folder.iterdir() if _is_entry_file(path))
            except OSError as error:
                _log.warning("Could not list history folder %s: %s", folder, error)
        return files


def _is_entry_file(path: Path) -> bool:
    # Dot-files are the atomic writer's temporary files.
    return path.name.endswith(_ENTRY_SUFFIX) and not path.name.startswith(".")


def _newest_first(entries: list[HistoryEntry]) -> list[HistoryEntry]:
    return sorted(entries, key=lambda entry: (entry.recorded_at, entry.path.name), reverse=True)


def _read_entry(path: Path) -> HistoryEntry | None:
    """The entry's metadata, or None when the file is not a usable one.

    A damaged entry is moved aside and reported (:mod:`app.storage.damage`), so it is
    skipped once and costs nothing at the next listing; one written by a newer version
    of the app is only skipped.
    """
    try:
        return _entry_from(path, read_json(path, MAX_STATE_BYTES))
    except ReadError as error:
        if error.problem is Problem.MISSING:
            return None  # removed while listing (another window dropped old entries)
        reason = error.reason
    except _NewerEntry as error:
        _log.warning("Skipping history entry %s: %s", path, error)
        return None
    except (_BadEntry, ValueError) as error:
        reason = str(error)
    set_aside(path, reason, StateFile.HISTORY)
    return None


class _BadEntry(Exception):
    pass


class _NewerEntry(Exception):
    pass


def _entry_from(path: Path, raw: Any) -> HistoryEntry:
    if not isinstance(raw, dict) or raw.get("format") != HISTORY_FORMAT:
        raise _BadEntry("not a history entry this app wrote")
    version = raw.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > HISTORY_VERSION:
        raise _NewerEntry(f"written by a newer version of the app (version {version})")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _BadEntry(f"unknown history entry version {version!r}")
    try:
        event = HistoryEvent(raw.get("event"))
    except ValueError:
        raise _BadEntry(f"unknown event {raw.get('event')!r}") from None
    key, detail, digest = raw.get("key"), raw.get("detail", ""), raw.get("sha256", "")
    if not isinstance(key, str) or not isinstance(detail, str) or not isinstance(digest, str):
        raise _BadEntry("key, detail or sha256 is not text")
    recorded = raw.get("recorded_at")
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
    except (OverflowError, ValueError, OSError):
        raise _BadEntry(f"recorded_at {recorded[:40]!r} is out of range") from None
    source = raw.get("source_path")
    if source is not None and not isinstance(source, str):
        raise _BadEntry("source_path is not text")
    document = raw.get("document")
    if not isinstance(document, dict):
        raise _BadEntry("it holds no document")
    name = document.get("name", "")
    return HistoryEntry(
        path=path,
        key=key,
        event=event,
        recorded_at=when,
        source_path=Path(source) if source else None,
        detail=detail,
        digest=digest,
        name=name if isinstance(name, str) else "",
    )
