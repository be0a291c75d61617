"""The history's indexes: small files that spare a save or a listing the entry files.

Three caches, each derived from the entry files alone and rebuilt from them when it is
missing, damaged or out of step (so deleting any of them loses nothing):

- ``<key folder>/.index.json``: one row of metadata per entry of the folder (the file
  name, event, time, key, source path, detail, sha256, document name and file size),
  plus the names of files that were looked at and skipped (entries of a newer version
  of the app), so they are not parsed again at every use. A save reads this one small
  file instead of every entry of the document, and may leave it a few entries behind
  (``HistoryStore._save_index``).
- ``<history>/.usage``: a journal of the total bytes of the store's entries, so the
  total-size cap is checked without listing or statting the store (see
  ``HistoryStore._cap_total`` and :func:`read_usage`). Every save appends its line to
  it (or writes it afresh), so it also tells a process whether any other one saved
  since its own last save: then a save need not list its folder (``_saved_view``).
- ``<history>/.sources.json``: each source path → the key folders holding entries saved
  from or to it (and the folders it has seen), so listing one document's versions reads
  only the folders that can hold them.

Their names start with a dot: versions of the app from before the index skip dot-files
in a key folder (they are the atomic writer's temp files), so an older version never
takes an index for a damaged entry.

A cache is written by :func:`write_cache`: a temp file renamed over the old one, so a
reader sees the old or the new file, never half; unlike the entry files it is not
fsynced, and neither is a line appended to the journal. Losing the latest write of a
cache to a power cut only makes it stale, which its next reader notices (the folder's
listing of entry names differs from the index's, or the index is damaged or empty) and
repairs from the entry files, so durability would buy nothing, while an fsync costs as
much as writing the entry itself. So a save pays for one durable write, its entry's
(the file and its folder fsynced, as every atomic write of the app): after a crash at
any point of a save the entry is whole or absent, and every cache is correct, stale
(repaired at its next use) or damaged (rebuilt). One gap is known: the usage journal's
line for a save lost in a crash goes unnoticed (the total runs a little low) until the
next sweep or full listing counts the store again. What a process
keeps in memory between saves (an index a few saves ahead of its file, the journal's
total, the view of a folder its last save left) dies with it and is never needed to
read the store.

Nothing here knows the entries' envelope: :mod:`app.storage.history` builds rows from
entry files and entries from rows.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Final

from app.storage.atomic import PRIVATE_MODE
from app.storage.bounded import (
    MAX_STATE_BYTES,
    Problem,
    ReadError,
    decode_utf8,
    read_bytes,
    read_json,
)

_log = logging.getLogger(__name__)

INDEX_NAME: Final = ".index.json"
USAGE_NAME: Final = ".usage"
SOURCES_NAME: Final = ".sources.json"
INDEX_FORMAT: Final = "idsync-history-index"
USAGE_HEADER: Final = "idsync-history-usage 1"
USAGE_LINES: Final = 32
"""A journal with more lines than this is rewritten as one: every read parses it whole,
so it stays short; the rewrite (a temp file and a rename) comes once per 32 saves."""
USAGE_CAP: Final = 64 * 1024
_NONBLOCK: Final = getattr(os, "O_NONBLOCK", 0)
_COUNT: Final = re.compile(r"-?[0-9]{1,15}")
SOURCES_FORMAT: Final = "idsync-history-sources"
CACHE_VERSION: Final = 1
ENTRY_SUFFIX: Final = ".json"
ROW_FIELDS: Final = 9
_ZERO: Final = timedelta(0)


def is_entry_name(name: str) -> bool:
    """An entry file's name: ``*.json``, not a dot-file (temp files and the caches)."""
    return name.endswith(ENTRY_SUFFIX) and is_folder_name(name)


_SEPARATORS: Final = frozenset("/" + "\\" + os.sep + (os.altsep or ""))


def is_folder_name(name: str) -> bool:
    """A plain name inside its folder: a cache naming anything else is damaged (what a
    cache names may be removed, so it must never reach outside the history)."""
    return bool(name) and name[0] != "." and _SEPARATORS.isdisjoint(name)


@dataclass(frozen=True)
class IndexRow:
    """What a listing needs of one entry, without its document."""

    name: str
    event: str
    recorded_at: datetime
    key: str
    source: str | None
    detail: str
    digest: str
    doc_name: str
    size: int
    stamp: str = ""
    """``recorded_at`` as the index keeps it (UTC ISO), so rewriting needs no formatting."""


def row_stamp(when: datetime) -> str:
    return when.astimezone(timezone.utc).isoformat(timespec="microseconds")


def recency(row: IndexRow) -> tuple[datetime, str]:
    """What orders a folder's rows: the time recorded, then the name (two entries of one
    microsecond)."""
    return (row.recorded_at, row.name)


def newest_first(rows: Iterable[IndexRow]) -> list[IndexRow]:
    return sorted(rows, key=recency, reverse=True)


@dataclass
class KeyIndex:
    """A key folder's index: rows newest first, and the names skipped on purpose."""

    key: str | None
    rows: list[IndexRow] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def names(self) -> set[str]:
        return {row.name for row in self.rows} | set(self.skipped)

    @property
    def size(self) -> int:
        return sum(row.size for row in self.rows)


@dataclass
class Sources:
    """Source path → key folders with entries of it; ``folders``: every folder seen."""

    folders: set[str] = field(default_factory=set)
    sources: dict[str, set[str]] = field(default_factory=dict)

    def add(self, folder: str, rows: Iterable[IndexRow]) -> None:
        self.folders.add(folder)
        for row in rows:
            if row.source:
                self.sources.setdefault(row.source, set()).add(folder)

    def forget(self, folder: str) -> None:
        self.folders.discard(folder)
        for source in [source for source, held in self.sources.items() if folder in held]:
            self.sources[source].discard(folder)
            if not self.sources[source]:
                del self.sources[source]


# --- reading ---------------------------------------------------------------------------


def read_cache(path: Path) -> Any:
    """The parsed cache file, or None when it is missing or unreadable (then rebuilt).

    A damaged cache is not moved aside and reported like a damaged entry: it holds
    nothing that is not in the entry files, so it is simply rebuilt over.
    """
    try:
        return read_json(path, MAX_STATE_BYTES)
    except ReadError as error:
        if error.problem is not Problem.MISSING:
            _log.info("Rebuilding the history cache %s: %s", path, error.reason)
        return None


def parse_index(raw: Any, events: frozenset[str]) -> KeyIndex | None:
    """The index held by ``raw``, or None when it has not exactly the expected shape.

    The rows are one flat list, :data:`ROW_FIELDS` values per entry (name, event,
    recorded_at, key or null for the index's own key, source path, detail, sha256,
    document name, file size): a list per row would put more brackets in the file than
    the bounded reader's depth check lets pass without walking it, at every save.
    """
    if not _has_format(raw, INDEX_FORMAT):
        return None
    index_key, flat, skipped = raw.get("key"), raw.get("entries"), raw.get("skipped")
    if not (index_key is None or isinstance(index_key, str)) or type(flat) is not list:
        return None
    if len(flat) % ROW_FIELDS or type(skipped) is not list:
        return None
    if not all(type(name) is str and is_entry_name(name) for name in skipped):
        return None
    rows: list[IndexRow] = []
    for start in range(0, len(flat), ROW_FIELDS):
        name, event, stamp, key, source, detail, digest, doc_name, size = flat[
            start : start + ROW_FIELDS
        ]
        if key is None:
            key = index_key
        if not (
            type(name) is str
            and is_entry_name(name)
            and event in events
            and type(stamp) is str
            and type(key) is str
            and (source is None or type(source) is str)
            and type(detail) is str
            and type(digest) is str
            and type(doc_name) is str
            and type(size) is int
            and size >= 0
        ):
            return None
        try:
            when = datetime.fromisoformat(stamp)
        except ValueError:
            return None
        if when.utcoffset() != _ZERO:
            return None  # the index keeps UTC only; anything else was not written by it
        rows.append(
            IndexRow(name, event, when, key, source or None, detail, digest, doc_name, size, stamp)
        )
    return KeyIndex(index_key, newest_first(rows), list(skipped))


@dataclass(frozen=True)
class UsageCount:
    total: int
    lines: int


def read_usage(path: Path) -> UsageCount | None:
    """The store's total as the usage journal has it, or None when missing or damaged.

    The journal is text, not JSON: a header line, then signed byte counts, one a line,
    whose sum is the total. A save appends its line (one small write to an existing
    file) instead of replacing a file: a rename costs about what the entry's fsync does.
    """
    try:
        text = decode_utf8(read_bytes(path, USAGE_CAP))
    except ReadError as error:
        if error.problem is not Problem.MISSING:
            _log.info("Recounting the history's size: %s: %s", path, error.reason)
        return None
    lines = text.split("\n")
    if lines[0] != USAGE_HEADER or lines[-1] != "" or len(lines) < 3:
        return None  # another format, or a line cut short
    counts = lines[1:-1]
    if not all(_COUNT.fullmatch(line) for line in counts):
        return None
    total = sum(int(line) for line in counts)
    return UsageCount(total, len(counts)) if total >= 0 else None


def write_usage(path: Path, total: int) -> bool:
    """Start the journal afresh at ``total`` (when missing, damaged or long)."""
    return write_cache(path, f"{USAGE_HEADER}\n{total}\n")


def usage_line(delta: int) -> bytes:
    return f"{delta}\n".encode("ascii")


def append_usage(path: Path, delta: int) -> FileIdentity | None:
    """Add ``delta`` to the journal; the journal's identity just after, or None when it is
    missing, not a regular file or cannot be written (then it is written afresh).

    The identity is taken from the open file, so it is the one this line produced: a
    caller can tell from its size whether another process appended in the meantime.
    """
    # O_NONBLOCK: a journal swapped for a FIFO must not block the save at open.
    flags = os.O_WRONLY | os.O_APPEND | _NONBLOCK | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        os.write(fd, usage_line(delta))
        return identity_of(os.fstat(fd))
    except OSError as error:
        _log.warning("Could not write the history cache %s: %s", path, error)
        return None
    finally:
        os.close(fd)


FileIdentity = tuple[int, int, int, int]
"""What tells one state of a file or folder from another: inode, size, mtime and ctime
(in ns). A cache file is replaced, never rewritten, so a new write is a new inode; the
journal only grows; a folder's times change with every name added or removed."""


def identity_of(found: os.stat_result) -> FileIdentity:
    return found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns


def file_identity(path: Path) -> FileIdentity | None:
    try:
        return identity_of(os.stat(path))
    except OSError:
        return None


def parse_sources(raw: Any) -> Sources | None:
    if not _has_format(raw, SOURCES_FORMAT):
        return None
    folders, sources = raw.get("folders"), raw.get("sources")
    if not isinstance(folders, list) or not isinstance(sources, dict):
        return None
    if not all(isinstance(name, str) and is_folder_name(name) for name in folders):
        return None
    result = Sources(folders=set(folders))
    for source, held in sources.items():
        if not isinstance(held, list) or not all(
            isinstance(name, str) and is_folder_name(name) for name in held
        ):
            return None
        result.sources[source] = set(held)
    return result


def _has_format(raw: Any, name: str) -> bool:
    # Another version's cache (older or newer) is rebuilt in this version's form.
    return (
        isinstance(raw, dict)
        and raw.get("format") == name
        and raw.get("version") == CACHE_VERSION
    )


# --- writing ---------------------------------------------------------------------------


def dump_index(index: KeyIndex) -> str:
    key = index.key
    flat: list[Any] = []
    for row in index.rows:
        flat += (
            row.name,
            row.event,
            row.stamp or row_stamp(row.recorded_at),
            None if row.key == key else row.key,
            row.source,
            row.detail,
            row.digest,
            row.doc_name,
            row.size,
        )
    return _dump(
        {
            "format": INDEX_FORMAT,
            "version": CACHE_VERSION,
            "key": key,
            "entries": flat,
            "skipped": sorted(index.skipped),
        }
    )


def dump_sources(sources: Sources) -> str:
    held = {source: sorted(names) for source, names in sorted(sources.sources.items())}
    return _dump(
        {
            "format": SOURCES_FORMAT,
            "version": CACHE_VERSION,
            "folders": sorted(sources.folders),
            "sources": held,
        }
    )


def _dump(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


def write_cache(path: Path, text: str) -> bool:
    """Replace ``path`` by ``text`` atomically (not durably: see the module's doc).

    The temp file is named like the atomic writer's (``.NAME.XXXXXXXX.tmp``), so one left
    by a killed process is removed with theirs. Returns False (logged) when it fails: a
    cache that cannot be written is rebuilt at its next use, and never fails a save.
    """
    temp = path.with_name(f".{path.name}.{os.urandom(4).hex()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(temp, flags, PRIVATE_MODE)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(text.encode("utf-8"))
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
    except (OSError, UnicodeEncodeError) as error:
        _log.warning("Could not write the history cache %s: %s", path, error)
        return False
    return True


def remove_cache(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)
