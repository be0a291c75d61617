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
import functools
import hashlib
import json
import logging
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from enum import Enum
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, Final

from app.core.model import AudienceTarget, IdSyncDocument
from app.storage.atomic import atomic_write_bytes
from app.storage.bounded import MAX_STATE_BYTES, Problem, ReadError, read_json
from app.storage.damage import StateFile, set_aside
from app.storage.documents import DocumentError, dump_document, parse_document
from app.storage.history_index import (
    ENTRY_SUFFIX,
    INDEX_NAME,
    SOURCES_NAME,
    USAGE_LINES,
    USAGE_NAME,
    FileIdentity,
    IndexRow,
    KeyIndex,
    Sources,
    UsageCount,
    append_usage,
    dump_index,
    dump_sources,
    file_identity,
    identity_of,
    is_entry_name,
    is_folder_name,
    newest_first,
    parse_index,
    parse_sources,
    read_cache,
    read_usage,
    recency,
    remove_cache,
    row_stamp,
    usage_line,
    write_cache,
    write_usage,
)
from app.storage.paths import ensure_private_folder, history_dir

_log = logging.getLogger(__name__)

HISTORY_FORMAT: Final = "idsync-history"
HISTORY_VERSION: Final = 1
MAX_ENTRIES_PER_KEY: Final = 200
MAX_TOTAL_BYTES: Final = 32 * 1024 * 1024
MAX_DETAIL_CHARS: Final = 300
UNTITLED_KEY: Final = "untitled"
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


def _normal_path(path: Path | str) -> str:
    # One file reached through two spellings must be one identity.
    return os.path.normcase(os.path.abspath(str(path)))


def _clean_detail(text: str) -> str:
    one_line = " ".join(text.split())
    if len(one_line) > MAX_DETAIL_CHARS:
        return one_line[: MAX_DETAIL_CHARS - 1] + "…"
    return one_line


@functools.lru_cache(maxsize=256)
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

    Saves and listings go through the caches of :mod:`app.storage.history_index`: a save
    reads its key folder's index (not its entries) and the usage ledger (not the whole
    store); listing one document reads the indexes of the folders that can hold its
    entries. Each index is checked against its folder's listing of entry names at every
    use (a listing is cheap, parsing entries is not), and rebuilt from the entry files
    when it is missing, damaged or out of step, parsing only the entries it lacks. The
    one exception is a save that follows a save of this process in the same folder with
    nothing changed in between (:func:`_saved_view`): it goes on from what that save
    left, with two stats instead of the folder's listing.
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
        to another workspace (another detail) is an entry of its own. OSError propagates
        from writing the entry; the caches never fail a save.
        """
        kind = HistoryEvent(event)
        data = dump_document(doc)
        digest = hashlib.sha256(data).hexdigest()
        source = str(Path(_normal_path(source_path))) if source_path is not None else None
        key = history_key(doc, source_path)
        clean_detail = _clean_detail(detail)
        folder = self.root / _folder_name(key)
        # Taken before anything is looked at: a save of another process that appends to
        # the journal after this point makes the view this save leaves untrusted.
        usage_before = file_identity(self.root / USAGE_NAME)
        index = _saved_view(folder, usage_before)
        if index is None:
            ensure_private_folder(folder)
            index = self._folder_index(folder, key)
        existing = [row for row in index.rows if row.key == key]
        if existing:
            newest = existing[0]
            if (
                newest.event == kind.value
                and newest.digest == digest
                and newest.source == source
                and newest.detail == clean_detail
            ):
                return _entry(folder, newest)
        when = self._clock().astimezone(timezone.utc)
        if existing and when <= existing[0].recorded_at:
            # A clock that stepped back (or a coarse one) must not reorder entries.
            when = existing[0].recorded_at + timedelta(microseconds=1)
        stamp = row_stamp(when)
        envelope = {
            "format": HISTORY_FORMAT,
            "version": HISTORY_VERSION,
            "recorded_at": stamp,
            "event": kind.value,
            "key": key,
            "source_path": source,
            "detail": clean_detail,
            "sha256": digest,
        }
        name = f"{when.strftime(_STAMP_FORMAT)}-{kind.value}{ENTRY_SUFFIX}"
        payload = entry_payload(envelope, data)
        path = folder / name
        atomic_write_bytes(path, payload, private=True)
        row = IndexRow(
            name, kind.value, when, key, source, clean_detail, digest, doc.name, len(payload),
            stamp,
        )
        new_source = not index.rows or (
            source is not None and all(old.source != source for old in index.rows)
        )
        beyond = existing[max(0, self.max_per_key - 1) :]
        for old in beyond:
            _remove_file(folder / old.name)
        index.rows = _with_newest(row, index.rows, {old.name for old in beyond})
        remembered = self._save_index(folder, index, lazily=True)
        if new_source:
            self._note_source(folder.name, row)
        folder_after = _folder_identity(folder)
        usage_after = self._cap_total(
            len(payload), sum(old.size for old in beyond), path, usage_before
        )
        _VIEWS.pop(folder, None)
        if remembered and folder_after is not None and usage_after is not None:
            _remember_view(folder, folder_after, usage_after)
        return _entry(folder, row, path)

    def _cap_total(
        self, added: int, removed: int, keep: Path, before: FileIdentity | None
    ) -> FileIdentity | None:
        """Keep the store under the total-size cap, oldest entries of any document first.

        The total is a running count in the usage ledger that each save adjusts, so a save
        neither lists nor stats the store. Only when the count passes the cap is the store
        swept (:meth:`_sweep`): every folder's index is read (no entry file), the total
        counted afresh, and the oldest entries dropped until the store is 1/64 under the
        cap. That margin makes a full store sweep once per 1/64 of the cap written (some
        250 saves at the default cap), not at every save. A count that drifted (a save of
        another process lost in a race, entries an older version of the app added) is set
        right by the next sweep, by every listing of all documents (:meth:`entries` reads
        every index anyway) and by rebuilding the ledger when it is missing or damaged.

        ``before`` is the ledger's identity when the save began. While it is the one this
        process's last append left, the total this process remembers is the ledger's and
        the file is not read. Returns the ledger's identity after this save's own line
        when no other process appended between ``before`` and that line (the save's view
        of its folder can then be trusted by the next save, see :func:`_saved_view`),
        else None.
        """
        path = self.root / USAGE_NAME
        remembered = _USAGE.get(path)
        usage: UsageCount | None
        if remembered is not None and before is not None and remembered[0] == before:
            usage = remembered[1]
        else:
            _USAGE.pop(path, None)
            usage = read_usage(path)
        if usage is None:
            total = sum(index.size for index in self._all_indexes().values())  # new one in
            rewrite = True
        else:
            total = usage.total + added - removed
            rewrite = usage.lines >= USAGE_LINES
        if total > self.max_total_bytes:
            total = self._sweep(keep)
            rewrite = True
        after = None if rewrite else append_usage(path, added - removed)
        if after is None:
            # A journal started afresh is not remembered: a line another process added
            # between reading the old one and replacing it is lost, and the next save
            # should read what is really there.
            _USAGE.pop(path, None)
            write_usage(path, total)
            return None
        if before is None or after[0] != before[0] or after[1] != before[1] + len(
            usage_line(added - removed)
        ):
            _USAGE.pop(path, None)  # another process's line came in between
            return None
        lines = usage.lines if usage is not None else 0
        _USAGE[path] = (after, UsageCount(total, lines + 1))
        return after

    def _sweep(self, keep: Path) -> int:
        """Drop the oldest entries until the store is 1/64 under the cap; its new total."""
        indexes = self._all_indexes()
        total = sum(index.size for index in indexes.values())
        if total <= self.max_total_bytes:
            return total
        goal = self.max_total_bytes - self.max_total_bytes // 64
        # File names start with the recording time, so name order is age order.
        oldest_first = sorted(
            (row.name, folder, row.size) for folder, index in indexes.items() for row in index.rows
        )
        dropped: dict[str, set[str]] = {}
        for name, folder, size in oldest_first:
            if total <= goal:
                break
            if self.root / folder / name == keep:
                continue
            _remove_file(self.root / folder / name)
            dropped.setdefault(folder, set()).add(name)
            total -= size
        for folder, names in dropped.items():
            index = indexes[folder]
            index.rows = [row for row in index.rows if row.name not in names]
            if index.rows or index.skipped:
                self._save_index(self.root / folder, index)
            else:
                remove_cache(self.root / folder / INDEX_NAME)
                with contextlib.suppress(OSError):  # something else in it: kept
                    (self.root / folder).rmdir()
        return total

    def _note_source(self, folder_name: str, row: IndexRow) -> None:
        """A new folder, or the first entry of a file in it: the sources map learns it."""
        sources = self._load_sources()
        if sources is None:
            sources = self._rebuild_sources(self._all_indexes())
        else:
            sources.add(folder_name, [row])
        write_cache(self.root / SOURCES_NAME, dump_sources(sources))

    # -- reading -------------------------------------------------------------------------

    def entries(self, key: str | None = None) -> list[HistoryEntry]:
        """Entries newest first: of one identity, or of every document with ``None``."""
        if key is not None:
            folder = self.root / _folder_name(key)
            return [
                _entry(folder, row) for row in self._folder_index(folder, key).rows
                if row.key == key
            ]
        indexes = self._all_indexes()
        found = [
            _entry(self.root / name, row) for name, index in indexes.items() for row in index.rows
        ]
        self._refresh_root_caches(indexes)
        return _newest_first(found)

    def entries_for(
        self, doc: IdSyncDocument, source_path: Path | str | None
    ) -> list[HistoryEntry]:
        """Entries of this document: its identity, or saved from/to the same file.

        A document that gained its ids after being saved keeps its earlier file entries.
        Reads only the indexes of its own folder and of the folders the sources map
        names for the file.
        """
        key = history_key(doc, source_path)
        if source_path is None:
            return self.entries(key)
        source = str(Path(_normal_path(source_path)))
        own = _folder_name(key)
        indexes: dict[str, KeyIndex] = {}
        sources = self._current_sources(indexes)
        found: list[HistoryEntry] = []
        for name in {own} | sources.sources.get(source, set()):
            index = indexes.get(name)
            if index is None:
                index = self._folder_index(self.root / name, key if name == own else None)
            found.extend(
                _entry(self.root / name, row)
                for row in index.rows
                if row.key == key or row.source == source
            )
        return _newest_first(found)

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

    def amend(self, entry: HistoryEntry, detail: str) -> HistoryEntry:
        """``entry`` with its detail changed in place: a push whose outcome was not known
        when it was recorded, settled by a later read. The document, the time and the
        name stay; the entry file is written again whole (atomically) and its folder's
        index row follows. OSError and HistoryError propagate."""
        try:
            raw = read_json(entry.path, MAX_STATE_BYTES)
        except ReadError as error:
            raise HistoryError(
                f"The history entry {entry.path} cannot be read: {error.reason}"
            ) from None
        if not isinstance(raw, dict):
            raise HistoryError(f"The history entry {entry.path} holds no document.")
        clean_detail = _clean_detail(detail)
        head = {name: value for name, value in raw.items() if name != "document"}
        head["detail"] = clean_detail
        payload = entry_payload(head, dump_document(self.load(entry)))
        atomic_write_bytes(entry.path, payload, private=True)
        folder = entry.path.parent
        index = self._folder_index(folder, entry.key)
        rows = [
            replace(row, detail=clean_detail, size=len(payload))
            if row.name == entry.path.name
            else row
            for row in index.rows
        ]
        self._save_index(folder, KeyIndex(index.key, rows, list(index.skipped)))
        _VIEWS.pop(folder, None)
        return replace(entry, detail=clean_detail)

    # -- the caches ----------------------------------------------------------------------

    def _folder_index(self, folder: Path, key: str | None) -> KeyIndex:
        """The folder's index, made to agree with the folder; never raises.

        Missing or damaged (unreadable, not JSON, too big or deep, any other shape), it
        is rebuilt by parsing the folder's entries; out of step with the folder's listing
        (entries added or removed behind its back: another process, an older version of
        the app, a person), rows of vanished files are dropped and only the entry files
        it does not list are parsed. Damaged entries met on the way are moved aside and
        reported as always (:func:`_read_entry`). An entry file is never rewritten by
        the app, so a listed name stands for the content indexed when it was added.
        """
        try:
            listing = set(os.listdir(folder))
        except FileNotFoundError:
            return KeyIndex(key)
        except OSError as error:
            _log.warning("Could not list history folder %s: %s", folder, error)
            return KeyIndex(key)
        index_path = folder / INDEX_NAME
        index = _remembered_index(index_path)
        raw = None
        if index is None:
            raw = read_cache(index_path)
            index = parse_index(raw, _EVENT_NAMES) if raw is not None else None
            if index is not None:
                _remember_index(index_path, index)
        if index is not None:
            # The index agrees with the folder when every name it lists is there and
            # nothing else there is an entry: set arithmetic, not a look at every name.
            indexed = index.names()
            if indexed <= listing and not any(map(is_entry_name, listing - indexed)):
                return index
        names = {name for name in listing if is_entry_name(name)}
        if raw is not None and index is None:
            _log.info("Rebuilding the history index of %s: not an index this app wrote", folder)
        known = {row.name: row for row in index.rows} if index is not None else {}
        skipped_before = set(index.skipped) if index is not None else set()
        rows = [row for row in known.values() if row.name in names]
        skipped = sorted(skipped_before & names)
        for name in sorted(names - known.keys() - skipped_before):
            row = _read_row(folder / name)
            if row is not None:
                rows.append(row)
            elif os.path.lexists(folder / name):
                skipped.append(name)  # a newer version's entry, or one that could not move
        index_key = key if key is not None else index.key if index is not None else None
        if index_key is None and rows:
            index_key = rows[0].key
        rebuilt = KeyIndex(index_key, newest_first(rows), skipped)
        if names or index is not None:
            self._save_index(folder, rebuilt)
        return rebuilt

    def _save_index(self, folder: Path, index: KeyIndex, *, lazily: bool = False) -> bool:
        """Write the folder's index; ``lazily`` (a save's), it may stay in memory only.
        True when this process remembers ``index`` as the folder's afterwards.

        Rewriting the index file is a temp file and a rename: half again the cost of the
        entry's own write. The index is a cache checked against the folder's listing at
        every use, so a file that lags behind by a few entries is still correct: another
        process (or this one, after the process ends) parses just the entries it lacks
        and writes the index afresh. A save therefore updates the index this process
        remembers, and writes the file only at every :data:`INDEX_LAG` saves, or when
        the file is not the one this process last wrote.
        """
        path = folder / INDEX_NAME
        if lazily and _defer_index(path, index):
            return True
        if write_cache(path, dump_index(index)):
            return _remember_index(path, index)
        return False

    def _folder_names(self) -> list[str]:
        try:
            with os.scandir(self.root) as found:
                return [item.name for item in found if is_folder_name(item.name) and item.is_dir()]
        except OSError as error:
            if not isinstance(error, (FileNotFoundError, NotADirectoryError)):
                _log.warning("Could not list the history folder %s: %s", self.root, error)
            return []

    def _all_indexes(self) -> dict[str, KeyIndex]:
        return {name: self._folder_index(self.root / name, None) for name in self._folder_names()}

    def _load_sources(self) -> Sources | None:
        raw = read_cache(self.root / SOURCES_NAME)
        return parse_sources(raw) if raw is not None else None

    @staticmethod
    def _rebuild_sources(indexes: dict[str, KeyIndex]) -> Sources:
        sources = Sources()
        for name, index in indexes.items():
            sources.add(name, index.rows)
        return sources

    def _current_sources(self, indexes: dict[str, KeyIndex]) -> Sources:
        """The sources map, rebuilt when missing or damaged, and made to agree with the
        root's listing of key folders (folders it has not seen are read and added, gone
        ones dropped); indexes read on the way are left in ``indexes``."""
        names = self._folder_names()
        sources = self._load_sources()
        if sources is None:
            indexes.update((name, self._folder_index(self.root / name, None)) for name in names)
            sources = self._rebuild_sources(indexes)
            if names:
                write_cache(self.root / SOURCES_NAME, dump_sources(sources))
            return sources
        present = set(names)
        unseen, gone = present - sources.folders, sources.folders - present
        for name in unseen:
            indexes[name] = self._folder_index(self.root / name, None)
            sources.add(name, indexes[name].rows)
        for name in gone:
            sources.forget(name)
        if unseen or gone:
            write_cache(self.root / SOURCES_NAME, dump_sources(sources))
        return sources

    def _refresh_root_caches(self, indexes: dict[str, KeyIndex]) -> None:
        """After reading every index: the usage ledger and sources map made exact."""
        if not indexes and not self.root.is_dir():
            return
        total = sum(index.size for index in indexes.values())
        usage = read_usage(self.root / USAGE_NAME)
        if usage is None or usage.total != total:
            write_usage(self.root / USAGE_NAME, total)
        sources = self._rebuild_sources(indexes)
        if self._load_sources() != sources:
            write_cache(self.root / SOURCES_NAME, dump_sources(sources))


_EVENT_NAMES: Final = frozenset(event.value for event in HistoryEvent)



def entry_payload(head: dict[str, object], document: bytes) -> bytes:
    """An entry file's bytes: ``head`` then ``"document"`` holding ``document``, the
    canonical bytes of :func:`dump_document`, byte for byte what ``json.dumps(envelope,
    indent=2)`` gives.

    The document is spliced in, one level deeper, rather than parsed and encoded again:
    with ``indent`` set, ``json`` encodes in Python, and that second pass was a third of
    a save's time. A newline in JSON text is only ever whitespace (a string holds it
    escaped), so indenting after each newline cannot change a value.
    """
    lines = [f"  {_json_value(field)}: {_json_value(value)}," for field, value in head.items()]
    nested = document.rstrip(b"\n").replace(b"\n", b"\n  ")
    return ("{\n" + "\n".join(lines) + '\n  "document": ').encode("utf-8") + nested + b"\n}\n"

def _json_value(value: object) -> str:
    # json.dumps builds an encoder per call; for the envelope's strings (all but one of
    # its values) the encoder's own string function gives the same text at a tenth of
    # the cost.
    if type(value) is str:
        return encode_basestring(value)
    return json.dumps(value, ensure_ascii=False)


def _entry(folder: Path, row: IndexRow, path: Path | None = None) -> HistoryEntry:
    return HistoryEntry(
        path=folder / row.name if path is None else path,
        key=row.key,
        event=HistoryEvent(row.event),
        recorded_at=row.recorded_at,
        source_path=Path(row.source) if row.source else None,
        detail=row.detail,
        digest=row.digest,
        name=row.doc_name,
    )


def _read_row(path: Path) -> IndexRow | None:
    entry = _read_entry(path)
    if entry is None:
        return None
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    stamp = row_stamp(entry.recorded_at)
    return IndexRow(
        path.name,
        entry.event.value,
        datetime.fromisoformat(stamp),  # in UTC, as when read back from the index
        entry.key,
        str(entry.source_path) if entry.source_path else None,
        entry.detail,
        entry.digest,
        entry.name,
        size,
        stamp,
    )


def _remove_file(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as error:
        _log.warning("Could not remove old history entry %s: %s", path, error)


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
        if not error.is_damage:
            _log.warning("Skipping history entry %s this time: %s", path, error.reason)
            return None
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
        when.astimezone(timezone.utc)  # what the index keeps
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


# The indexes this process read or wrote last, by the identity of their file (a new file at
# every write: the cache is replaced, never rewritten): a window saving again and again
# parses its document's index once, while an index another process wrote is read afresh.
# Each with the number of saves it holds that its file does not (see _save_index).
_INDEXES: dict[Path, tuple[FileIdentity, KeyIndex, int]] = {}
_MAX_REMEMBERED = 64
INDEX_LAG: Final = 8

# What the last save of this process left in a key folder: the folder's identity after
# the save and the usage journal's after the save's own line (see _saved_view).
_VIEWS: dict[Path, tuple[FileIdentity, FileIdentity]] = {}
# The usage journal's total as this process's last append left it, with the journal's
# identity then: while the file is still that one, a save need not read it.
_USAGE: dict[Path, tuple[FileIdentity, UsageCount]] = {}


def _remembered_index(path: Path) -> KeyIndex | None:
    remembered = _INDEXES.get(path)
    if remembered is None or remembered[0] != file_identity(path):
        return None
    index = remembered[1]
    # A copy: the caller may change its rows before saving them.
    return KeyIndex(index.key, list(index.rows), list(index.skipped))


def _remember_index(path: Path, index: KeyIndex) -> bool:
    identity = file_identity(path)
    if identity is None:
        return False
    if len(_INDEXES) >= _MAX_REMEMBERED and path not in _INDEXES:
        _INDEXES.pop(next(iter(_INDEXES)))
    _INDEXES[path] = (identity, KeyIndex(index.key, list(index.rows), list(index.skipped)), 0)
    return True


def _defer_index(path: Path, index: KeyIndex) -> bool:
    """Keep a save's ``index`` in memory only; False when its file must be written now."""
    remembered = _INDEXES.get(path)
    if remembered is None:
        return False
    identity, _, behind = remembered
    if behind + 1 >= INDEX_LAG or identity != file_identity(path):
        return False
    kept = KeyIndex(index.key, list(index.rows), list(index.skipped))
    _INDEXES[path] = (identity, kept, behind + 1)
    return True


def _folder_identity(folder: Path) -> FileIdentity | None:
    try:
        found = os.stat(folder)
    except OSError:
        return None
    return identity_of(found) if stat.S_ISDIR(found.st_mode) else None


def _remember_view(folder: Path, after: FileIdentity, usage: FileIdentity) -> None:
    if len(_VIEWS) >= _MAX_REMEMBERED:
        _VIEWS.pop(next(iter(_VIEWS)))
    _VIEWS[folder] = (after, usage)


def _saved_view(folder: Path, usage: FileIdentity | None) -> KeyIndex | None:
    """The folder's index as this process's last save in it left it, when nothing can have
    changed the folder since; None when the folder must be listed (and the index checked
    against it) as at any other use.

    A save is the one use of an index that skips the folder's listing, and only under two
    conditions, checked with two stats instead of reading the folder's names:

    - the folder's identity (inode, size, modification and change times) is the one the
      last save took after all its own changes: an entry added or removed by anyone else
      since (a person, an older version of the app) changes the folder's times;
    - the usage journal is the file, and of the size, that the last save's own line left:
      every save of this app appends to it (or replaces it) after writing its entry, so a
      save of another process in the meantime shows there even when the folder's times,
      on a file system that keeps them coarsely, did not move. The last save itself
      trusted its view only if no other line came in between its start and its line.

    What the view can miss is only what a save racing another one always could: a save
    has never been atomic with respect to other processes' saves. Listings are not
    concerned: they list the folder at every use, as before, so they see every entry.
    """
    remembered = _VIEWS.get(folder)
    if remembered is None or usage is None or remembered[1] != usage:
        return None
    if remembered[0] != _folder_identity(folder):
        return None
    cached = _INDEXES.get(folder / INDEX_NAME)
    if cached is None:
        return None
    index = cached[1]
    return KeyIndex(index.key, list(index.rows), list(index.skipped))


def _with_newest(row: IndexRow, rows: list[IndexRow], dropped: set[str]) -> list[IndexRow]:
    """``rows`` (newest first) with ``row`` added and the names in ``dropped`` left out.

    A new entry is almost always newer than every other one in its folder: then it goes
    first, without sorting the folder's rows again at every save.
    """
    kept = [old for old in rows if old.name not in dropped and old.name != row.name]
    if not kept or recency(row) > recency(kept[0]):
        return [row, *kept]
    return newest_first([row, *kept])
