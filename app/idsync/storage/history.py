"""Local history of every save, export and push: Segment keeps none of its own.

One SQLite database in the state folder (:mod:`idsync.storage.history_database`) keeps each
entry: its identity ("key"), the UTC time it was recorded, the event, the file it was
saved from or to, a one-line detail, the sha256 of the document's canonical bytes and
the document's name, with those bytes beside it. A save is one transaction: the entry,
the document, and the entries the caps drop, all or nothing. ``idsync history export``
writes an entry as the JSON envelope the app kept entries in before the database
(:meth:`HistoryStore.entry_json`); that earlier store is imported once
(:mod:`idsync.storage.history_import`). A document is read back through the normal
document reader, so old entries are migrated like old files.

The identity lines up everything about one connection: a document with its target and
destination instance ids is keyed by them, so saves of the file and pushes to Segment
appear together; otherwise by the file it was saved to.

What is stored is the document and a one-line detail, nothing else: the API token is
never part of a document, and push details are built from ids and the result only
(:func:`push_detail`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from enum import Enum
from pathlib import Path
from typing import Any, Final, TypeVar

from idsync.core.model import IdSyncDocument
from idsync.storage.documents import DocumentError, dump_document, parse_document
from idsync.storage.history_database import (
    as_os_error,
    forget_connection,
    is_damage,
    set_aside_database,
    shared_connection,
    write_transaction,
)
from idsync.storage.history_import import (
    ENVELOPE_FORMAT,
    ENVELOPE_VERSION,
    ImportedEntry,
    confirm_import,
    read_legacy_store,
)
from idsync.storage.paths import history_database, legacy_history_dir
from idsync.storage.recent import normal_path

_log = logging.getLogger(__name__)

MAX_ENTRIES_PER_KEY: Final = 200
MAX_TOTAL_BYTES: Final = 32 * 1024 * 1024
"""The documents' bytes the history keeps in all; the oldest entries go first."""
MAX_DETAIL_CHARS: Final = 300
UNTITLED_KEY: Final = "untitled"
_T = TypeVar("_T")


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
    id: int
    """The entry's row in the database."""
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
    instance = doc.destination.instance_id.strip() if doc.destination else ""
    # The target's ids in field order: space and audience, or space, journey and step.
    ids = [value.strip() for name, value in doc.target if name != "kind"]
    if instance and all(ids):
        return f"{doc.target.kind}:{'/'.join(ids)}/{instance}"
    if source_path is not None:
        return f"file:{normal_path(source_path)}"
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


def history_failure_reason(error: BaseException) -> str:
    """Why history could not keep a version, in a few words (never the document)."""
    if isinstance(error, OSError):
        return error.strerror or str(error)
    if isinstance(error, UnicodeEncodeError):
        return "text that cannot be saved"
    if isinstance(error, RecursionError):
        return "a damaged history entry"
    return type(error).__name__


def not_kept_message(event: HistoryEvent, error: BaseException) -> str:
    """What to tell the person when a save, export or push happened but history could not
    keep its version: the one wording for the window and the CLI."""
    return (
        f"{event.label}, but History could not keep this version "
        f"({history_failure_reason(error)}). Check that the app's data folder is writable."
    )


def _clean_detail(text: str) -> str:
    one_line = " ".join(text.split())
    if len(one_line) > MAX_DETAIL_CHARS:
        return one_line[: MAX_DETAIL_CHARS - 1] + "…"
    return one_line


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


# --- the store ------------------------------------------------------------------------

_COLUMNS: Final = "id, key, recorded_at, event, source_path, detail, sha256, name"
_KNOWN_EVENTS: Final = "event IN ('save', 'export', 'push')"
"""Rows of events a newer version of the app may add are left out of listings."""
_NEWEST_FIRST: Final = "ORDER BY recorded_at DESC, id DESC"
_Row = tuple[Any, ...]
"""A row of ``_COLUMNS``, as SQLite gives it."""


class HistoryStore:
    """Records and lists history entries in the database at ``database`` (by default the
    app's, in its state folder).

    ``legacy`` is the folder of the JSON-entry store of earlier versions, imported at the
    store's first use while it is there (by default the app's, when ``database`` is too).
    ``clock`` gives the recording time (UTC); tests pass a fixed one.

    Every method raises OSError when the database cannot be used (its folder cannot be
    written, the disk is full, another process held it past the busy timeout, a newer
    version wrote it). A database found damaged is set aside and a new one started
    (:mod:`idsync.storage.history_database`); the call then goes on with the new one.
    """

    def __init__(
        self,
        database: Path | None = None,
        *,
        legacy: Path | None = None,
        max_per_key: int = MAX_ENTRIES_PER_KEY,
        max_total_bytes: int = MAX_TOTAL_BYTES,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        # Resolved now, not at import: IDSYNC_HOME may be set after this module loads.
        if database is None:
            database = history_database()
            legacy = legacy if legacy is not None else legacy_history_dir()
        self.database = Path(database)
        self.legacy = legacy
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
        to another workspace (another detail) is an entry of its own. OSError when the
        entry could not be kept; UnicodeEncodeError for text a document cannot hold.
        """
        kind = HistoryEvent(event)
        data = dump_document(doc)
        digest = hashlib.sha256(data).hexdigest()
        source = str(Path(normal_path(source_path))) if source_path is not None else None
        key = history_key(doc, source_path)
        clean_detail = _clean_detail(detail)

        def write(connection: sqlite3.Connection) -> _Row:
            newest = connection.execute(
                f"SELECT {_COLUMNS} FROM entries WHERE key = ? {_NEWEST_FIRST} LIMIT 1", (key,)
            ).fetchone()
            if newest is not None and newest[3:7] == (kind.value, source, clean_detail, digest):
                return tuple(newest)
            when = self._clock().astimezone(timezone.utc)
            if newest is not None and when <= datetime.fromisoformat(newest[2]):
                # A clock that stepped back (or a coarse one) must not reorder entries.
                when = datetime.fromisoformat(newest[2]) + timedelta(microseconds=1)
            row = (key, _stamp(when), kind.value, source, clean_detail, digest, doc.name)
            entry_id = _insert(connection, row, data)
            self._cap_key(connection, key)
            self._cap_total(connection, entry_id)
            return (entry_id, *row)

        return _entry(self._change(write))

    def _cap_key(self, connection: sqlite3.Connection, key: str) -> None:
        """Keep the newest ``max_per_key`` entries of ``key``."""
        connection.execute(
            "DELETE FROM entries WHERE key = ?1 AND recorded_at < ("
            "SELECT recorded_at FROM entries WHERE key = ?1 ORDER BY recorded_at DESC "
            "LIMIT 1 OFFSET ?2)",
            (key, max(0, self.max_per_key - 1)),
        )

    def _cap_total(self, connection: sqlite3.Connection, keep: int) -> None:
        """Keep the documents' bytes under the cap, oldest entries of any document first
        (never the one just kept)."""
        (total,) = connection.execute("SELECT bytes FROM usage").fetchone()
        if total <= self.max_total_bytes:
            return
        # An entry stays when it, every newer one and the one just kept fit together.
        connection.execute(
            "DELETE FROM entries WHERE id IN (SELECT id FROM (SELECT id, sum(size) OVER "
            "(ORDER BY recorded_at DESC, id DESC) AS newer FROM entries WHERE id != ?1) "
            "WHERE newer + (SELECT size FROM entries WHERE id = ?1) > ?2)",
            (keep, self.max_total_bytes),
        )

    # -- reading -------------------------------------------------------------------------

    def entries(self, key: str | None = None) -> list[HistoryEntry]:
        """Entries newest first: of one identity, or of every document with ``None``."""
        if key is None:
            return self._select(f"WHERE {_KNOWN_EVENTS}", ())
        return self._select(f"WHERE key = ? AND {_KNOWN_EVENTS}", (key,))

    def entries_for(
        self, doc: IdSyncDocument, source_path: Path | str | None
    ) -> list[HistoryEntry]:
        """Entries of this document: its identity, or saved from/to the same file.

        A document that gained its ids after being saved keeps its earlier file entries.
        """
        key = history_key(doc, source_path)
        if source_path is None:
            return self.entries(key)
        source = str(Path(normal_path(source_path)))
        where = f"WHERE (key = ? OR source_path = ?) AND {_KNOWN_EVENTS}"
        return self._select(where, (key, source))

    def load(self, entry: HistoryEntry) -> IdSyncDocument:
        """The document kept in ``entry``; HistoryError says why it cannot be read."""
        data = self._document_bytes(entry)
        try:
            return parse_document(data, f"{self.database.name} entry {entry.id}")
        except (DocumentError, UnicodeEncodeError) as error:
            raise HistoryError(
                f"The history entry of {_when(entry)} holds no usable document: {error}"
            ) from error

    def amend(self, entry: HistoryEntry, detail: str) -> HistoryEntry:
        """``entry`` with its detail changed in place: a push whose outcome was not known
        when it was recorded, settled by a later read. The document, the time and the
        name stay. OSError and HistoryError propagate."""
        clean_detail = _clean_detail(detail)

        updated = self._change(
            lambda connection: connection.execute(
                "UPDATE entries SET detail = ? WHERE id = ?", (clean_detail, entry.id)
            ).rowcount
        )
        if updated != 1:
            raise HistoryError(
                f"The history entry of {_when(entry)} is gone (removed as older entries are)."
            )
        return replace(entry, detail=clean_detail)

    def entry_json(self, entry: HistoryEntry) -> bytes:
        """``entry`` as a readable JSON file: its metadata around the document as kept."""
        data = self._document_bytes(entry)
        try:
            document = json.loads(data)
        except (ValueError, RecursionError) as error:
            raise HistoryError(
                f"The history entry of {_when(entry)} holds no readable document: {error}"
            ) from None
        envelope = {
            "format": ENVELOPE_FORMAT,
            "version": ENVELOPE_VERSION,
            "recorded_at": _stamp(entry.recorded_at),
            "event": entry.event.value,
            "key": entry.key,
            "source_path": str(entry.source_path) if entry.source_path else None,
            "detail": entry.detail,
            "sha256": entry.digest,
            "document": document,
        }
        return (json.dumps(envelope, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    def _document_bytes(self, entry: HistoryEntry) -> bytes:
        try:
            found = self._use(
                lambda connection: connection.execute(
                    "SELECT body FROM documents WHERE id = ?", (entry.id,)
                ).fetchone()
            )
        except OSError as error:
            raise HistoryError(
                f"The history cannot be read: {error.strerror or error}"
            ) from None
        if found is None:
            raise HistoryError(
                f"The history entry of {_when(entry)} is gone (removed as older entries are)."
            )
        return bytes(found[0])

    def _select(self, where: str, parameters: tuple[str, ...]) -> list[HistoryEntry]:
        query = f"SELECT {_COLUMNS} FROM entries {where} {_NEWEST_FIRST}"
        rows = self._use(lambda connection: connection.execute(query, parameters).fetchall())
        return [_entry(row) for row in rows]

    # -- the database --------------------------------------------------------------------

    def _change(self, action: Callable[[sqlite3.Connection], _T]) -> _T:
        """``action`` in one write transaction, committed when it returns."""

        def transaction(connection: sqlite3.Connection) -> _T:
            with write_transaction(connection):
                return action(connection)

        return self._use(transaction)

    def _use(self, action: Callable[[sqlite3.Connection], _T]) -> _T:
        """``action`` on the database; once more on a new one when it is found damaged."""
        for attempt in (1, 2):
            connection = self._connection()
            try:
                return action(connection)
            except sqlite3.Error as error:
                if attempt == 1 and is_damage(error):
                    forget_connection(self.database)
                    set_aside_database(self.database, f"damaged: {error}")
                    continue
                raise as_os_error(error) from error
        raise AssertionError("unreachable")  # the second attempt returns or raises

    def _connection(self) -> sqlite3.Connection:
        connection = shared_connection(self.database)
        legacy, self.legacy = self.legacy, None  # looked at once per store
        if legacy is not None and legacy.is_dir():
            self._import(connection, legacy)
        return connection

    def _import(self, connection: sqlite3.Connection, folder: Path) -> None:
        """The JSON-entry store of earlier versions, in one transaction; the folder is
        renamed (kept) only once that transaction is committed. Importing again (a
        folder an older version of the app wrote to since) adds only what is new."""
        added = 0
        try:
            with write_transaction(connection):
                for imported in read_legacy_store(folder):
                    added += _insert_imported(connection, imported)
        except (sqlite3.Error, OSError) as error:
            # Kept where it is and tried again at the next start; the history works on.
            _log.warning("Could not import the earlier history in %s: %s", folder, error)
            return
        _log.info("Imported %d history entries from %s", added, folder)
        confirm_import(folder)


def _insert(connection: sqlite3.Connection, row: tuple[object, ...], data: bytes) -> int:
    cursor = connection.execute(
        "INSERT INTO entries (key, recorded_at, event, source_path, detail, sha256, name, "
        "size) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (*row, len(data)),
    )
    entry_id = cursor.lastrowid
    assert entry_id is not None
    connection.execute("INSERT INTO documents (id, body) VALUES (?, ?)", (entry_id, data))
    return entry_id


def _insert_imported(connection: sqlite3.Connection, imported: ImportedEntry) -> bool:
    """Add an entry of the earlier store unless it is there already (same identity, time,
    event and document); one of another event or document at the same microsecond goes
    a microsecond later. True when added."""
    when = imported.recorded_at
    while True:
        stamp = _stamp(when)
        found = connection.execute(
            "SELECT event, sha256 FROM entries WHERE key = ? AND recorded_at = ?",
            (imported.key, stamp),
        ).fetchone()
        if found is None:
            break
        if tuple(found) == (imported.event, imported.digest):
            return False
        when += timedelta(microseconds=1)
    row = (
        imported.key, stamp, imported.event, imported.source_path, imported.detail,
        imported.digest, imported.name,
    )
    _insert(connection, row, imported.document)
    return True


def _stamp(when: datetime) -> str:
    return when.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _when(entry: HistoryEntry) -> str:
    return entry.recorded_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _entry(row: _Row) -> HistoryEntry:
    entry_id, key, recorded, event, source, detail, digest, name = row
    return HistoryEntry(
        id=entry_id,
        key=key,
        event=HistoryEvent(event),
        recorded_at=datetime.fromisoformat(recorded),
        source_path=Path(source) if source else None,
        detail=detail,
        digest=digest,
        name=name,
    )
