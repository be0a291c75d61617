"""The history's SQLite database: opened ready for use, or set aside when damaged.

One file in the state folder (``paths.history_database``), in WAL mode with
``synchronous=FULL``: a committed save survives a power cut, and a listing in one
process never waits for a save in another. Every change is one transaction begun with
``BEGIN IMMEDIATE``, so two processes saving at once take turns (each waits up to
:data:`BUSY_SECONDS`) instead of losing one of the saves.

The tables (``SCHEMA``): ``entries`` holds what a listing shows of each kept version,
``documents`` the version itself (apart, so a listing reads none of it), ``usage`` the
total size, kept by triggers in the same transaction as the rows. The unique index on
(key, recorded_at) serves a document's listing and its newest entry; the one on
recorded_at the listing of every document and the total-size cap (oldest first).

A file that is not this app's history database (garbage bytes, another program's
database, a folder, a FIFO or a device in its place) or that SQLite finds corrupt is
renamed ``NAME.damaged-<time>`` with its WAL and shared-memory files, reported once
(``storage.damage``), and a new, empty database started. A database written by a newer
version of the app is left alone: :class:`NewerHistory` says so.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import sqlite3
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from idsync.storage.atomic import PRIVATE_MODE
from idsync.storage.damage import DamagedFile, StateFile, set_aside
from idsync.storage.paths import ensure_private_folder

_log = logging.getLogger(__name__)

APPLICATION_ID: Final = int.from_bytes(b"IDSH", "big")
"""``PRAGMA application_id``: tells this app's history from any other SQLite file."""
SCHEMA_VERSION: Final = 1
"""``PRAGMA user_version``: raised by a version of the app that changes the tables."""
BUSY_SECONDS: Final = 30.0
"""How long a save waits for another process's save before giving up (then the person
is told History could not keep the version; the save itself stands)."""
COMPANIONS: Final = ("-wal", "-shm")
"""SQLite's files beside the database, moved aside with it: a WAL left behind would be
replayed into the new database."""

SCHEMA: Final = (
    """CREATE TABLE entries (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        event TEXT NOT NULL,
        source_path TEXT,
        detail TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        name TEXT NOT NULL,
        size INTEGER NOT NULL
    )""",
    "CREATE UNIQUE INDEX entries_by_key_time ON entries (key, recorded_at)",
    "CREATE INDEX entries_by_time ON entries (recorded_at)",
    "CREATE INDEX entries_by_source ON entries (source_path) WHERE source_path IS NOT NULL",
    "CREATE TABLE documents (id INTEGER PRIMARY KEY, body BLOB NOT NULL)",
    "CREATE TABLE usage (bytes INTEGER NOT NULL)",
    "INSERT INTO usage VALUES (0)",
    """CREATE TRIGGER entry_added AFTER INSERT ON entries BEGIN
        UPDATE usage SET bytes = bytes + new.size;
    END""",
    """CREATE TRIGGER entry_removed AFTER DELETE ON entries BEGIN
        UPDATE usage SET bytes = bytes - old.size;
        DELETE FROM documents WHERE id = old.id;
    END""",
    f"PRAGMA application_id = {APPLICATION_ID}",
    f"PRAGMA user_version = {SCHEMA_VERSION}",
)
"""The tables; ``recorded_at`` is UTC in ISO 8601 to the microsecond, so text order is
time order."""

_DAMAGE_CODES: Final = frozenset({11, 26})  # SQLITE_CORRUPT, SQLITE_NOTADB
_FULL_CODE: Final = 13  # SQLITE_FULL
_MESSAGES: Final = {
    "database disk image is malformed": 11,
    "file is not a database": 26,
    "database or disk is full": 13,
}
"""SQLite's own words for those codes: Python 3.10's exceptions carry no code."""


def _primary_code(error: BaseException) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return int(code) & 0xFF
    return _MESSAGES.get(str(error))


class NewerHistory(OSError):
    """The database was written by a newer version of the app: left as it is."""


class NotHistory(Exception):
    """The file is an SQLite database, but not this app's history."""


def is_damage(error: BaseException) -> bool:
    """Whether ``error`` means the file is not a usable database (so it is set aside)."""
    if isinstance(error, NotHistory):
        return True
    return isinstance(error, sqlite3.DatabaseError) and _primary_code(error) in _DAMAGE_CODES


def as_os_error(error: sqlite3.Error | NotHistory) -> OSError:
    """``error`` as the OSError callers already handle ("History could not keep...")."""
    number = errno.ENOSPC if _primary_code(error) == _FULL_CODE else errno.EIO
    reason = os.strerror(number) if number == errno.ENOSPC else f"history database: {error}"
    return OSError(number, reason)


def open_database(path: Path) -> sqlite3.Connection:
    """A connection to the history at ``path``, its tables made; a damaged file is set
    aside first. Raises OSError when the folder or file cannot be used, NewerHistory."""
    ensure_private_folder(path.parent)
    _set_aside_if_not_a_file(path)
    try:
        return _open(path)
    except (sqlite3.DatabaseError, NotHistory) as error:
        if not is_damage(error):
            raise as_os_error(error) from error
        reason = str(error) if isinstance(error, NotHistory) else "not a database, or a damaged one"
        set_aside_database(path, reason)
    try:
        return _open(path)
    except sqlite3.Error as error:
        raise as_os_error(error) from error


@contextlib.contextmanager
def write_transaction(connection: sqlite3.Connection) -> Iterator[None]:
    """One write transaction, taken at once (``BEGIN IMMEDIATE``: two processes writing
    at once take turns); committed at the end, rolled back when anything raises (a
    failed commit too, so the shared connection is never left inside a transaction)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise


def set_aside_database(path: Path, reason: str) -> DamagedFile:
    """Move the database and its companions out of the way; queue the one report."""
    damaged = set_aside(path, reason, StateFile.HISTORY_DATABASE)
    for suffix in COMPANIONS:
        companion = path.with_name(path.name + suffix)
        if not os.path.lexists(companion):
            continue
        try:
            if damaged.aside is not None:
                os.rename(companion, damaged.aside.with_name(damaged.aside.name + suffix))
            else:
                os.unlink(companion)
        except OSError as error:
            _log.warning("Could not move %s aside: %s", companion, error)
    return damaged


def _set_aside_if_not_a_file(path: Path) -> None:
    # SQLite would open a FIFO and wait on it for ever, and a folder or device is never a
    # database: only a regular file (not through a symlink) is opened.
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        _create_private(path)
        return
    if not stat.S_ISREG(found.st_mode):
        set_aside_database(path, "not a file")
        _create_private(path)


def _create_private(path: Path) -> None:
    # SQLite makes its WAL and shared-memory files with the database's mode: created
    # here first, empty (an empty file is an empty database), they are all private.
    with contextlib.suppress(FileExistsError):  # another process made it meanwhile
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE))


def _open(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(
        path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=True
    )
    try:
        _prepare(connection)
    except BaseException:
        connection.close()
        raise
    return connection


def _prepare(connection: sqlite3.Connection) -> None:
    """Pragmas of this connection, and the tables when the database is new."""
    found = _identity(connection)
    if found != (APPLICATION_ID, SCHEMA_VERSION):
        _check_identity(connection, *found)
        with write_transaction(connection):
            application, version = _identity(connection)  # another process may have made it
            if application == 0 and version == 0:
                for statement in SCHEMA:
                    connection.execute(statement)
            else:
                _check_identity(connection, application, version)
    _tune(connection)


def _identity(connection: sqlite3.Connection) -> tuple[int, int]:
    application = connection.execute("PRAGMA application_id").fetchone()[0]
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    return int(application), int(version)


def _check_identity(connection: sqlite3.Connection, application: int, version: int) -> None:
    if application == 0 and version == 0:
        tables = connection.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]
        if tables:
            raise NotHistory("a database of another program")
        return
    if application != APPLICATION_ID:
        raise NotHistory("a database of another program")
    if version > SCHEMA_VERSION:
        raise NewerHistory(
            errno.EPROTO, f"the history was written by a newer version of the app ({version})"
        )
    if version < 1:
        raise NotHistory(f"unknown history database version {version}")


def _tune(connection: sqlite3.Connection) -> None:
    # WAL is kept in the file once set; asking again is a no-op. synchronous is this
    # connection's own: FULL syncs the WAL at each commit, so a committed save is kept.
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")


# One connection per database, process and thread: a store is made for each save in the
# window and the CLI, and a connection closed after each would checkpoint the WAL each
# time. Bounded, so tests with a database each do not gather open files.
_CONNECTIONS: dict[tuple[Path, int, int], tuple[sqlite3.Connection, int | None]] = {}
_MAX_CONNECTIONS: Final = 8
_lock = threading.Lock()


def shared_connection(path: Path) -> sqlite3.Connection:
    """This thread's connection to ``path``, opened (and the file checked) at first use."""
    key = (path, os.getpid(), threading.get_ident())
    with _lock:
        known = _CONNECTIONS.get(key)
    if known is not None:
        if known[1] is not None and known[1] == _file_id(path):
            return known[0]
        forget_connection(path)
    connection = open_database(path)
    with _lock:
        if len(_CONNECTIONS) >= _MAX_CONNECTIONS:
            oldest = next(iter(_CONNECTIONS))
            _close_quietly(_CONNECTIONS.pop(oldest)[0])
        _CONNECTIONS[key] = (connection, _file_id(path))
    return connection


def forget_connection(path: Path) -> None:
    """Close this thread's connection to ``path`` (the file was set aside or replaced)."""
    key = (path, os.getpid(), threading.get_ident())
    with _lock:
        known = _CONNECTIONS.pop(key, None)
    if known is not None:
        _close_quietly(known[0])


def _file_id(path: Path) -> int | None:
    # A database moved away or replaced behind the app's back (a person, another
    # process that set it aside) is opened anew, not written to where it went.
    try:
        found = os.lstat(path)
    except OSError:
        return None
    return found.st_ino if stat.S_ISREG(found.st_mode) else None


def _close_quietly(connection: sqlite3.Connection) -> None:
    try:
        connection.close()
    except sqlite3.Error as error:
        _log.info("Closing a history connection: %s", error)
