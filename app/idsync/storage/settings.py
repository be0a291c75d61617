"""The editor's own preferences: window layout, last step, recent files, remembered ids.

Kept as one small JSON file in the config folder (0600). A damaged file must never stop
the app from starting: it is moved aside as ``settings.json.damaged-<time>``, reported
once, and the defaults are used. A bad value costs only its own field.

Several windows (each its own process) share the file, so a write is a merge, not an
overwrite: under the lock on ``settings.json.lock`` the file is read again, and only what
this window changed since it last read or wrote the file replaces what is there. A
list merges entry by entry: recent files opened in either window are kept (each window's
newest first), identifiers remembered by either are kept.

A dataclass read field by field, not a pydantic model like the app's other records: the
window reads its settings before its first paint, and pydantic loads after that paint.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Final

from idsync.storage.atomic import atomic_write_text
from idsync.storage.bounded import MAX_STATE_BYTES, Problem, ReadError, read_json
from idsync.storage.damage import StateFile, set_aside
from idsync.storage.locks import FileLock
from idsync.storage.paths import config_dir
from idsync.storage.recent import MAX_RECENT_FILES, same_file

SETTINGS_FILE_NAME = "settings.json"
SETTINGS_VERSION = 1
LOCK_SUFFIX: Final = ".lock"
LOCK_TIMEOUT_SECONDS: Final = 5.0
"""How long a write waits for another window's; a write holds the lock for one small
read and one small write, so only a hung process holds it this long."""

_log = logging.getLogger(__name__)


@dataclass
class Settings:
    """Everything the window remembers between runs.

    Qt's binary geometry and state blobs are stored base64-encoded so the file stays text.
    """

    window_geometry: str = ""
    window_state: str = ""
    splitter_state: str = ""
    last_step: str = "target"
    recent_files: list[str] = field(default_factory=list)
    custom_identifiers: list[str] = field(default_factory=list)
    # Where the last connection went (us | eu | custom | sandbox, and a custom base URL).
    # Never the token: that lives in the keyring or the environment.
    segment_endpoint: str = ""
    segment_base_url: str = ""
    read_values: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """The values as this window last read or wrote them (not saved itself): what differs
    from them is what this window changed. Empty: the defaults."""

    def remember_identifiers(self, identifiers: list[str] | tuple[str, ...]) -> bool:
        """Add identifiers not seen before; returns whether anything was added."""
        added = False
        for identifier in identifiers:
            name = identifier.strip()
            if name and name not in self.custom_identifiers:
                self.custom_identifiers.append(name)
                added = True
        return added

    def values(self) -> dict[str, Any]:
        """Every saved field by name (lists copied)."""
        return {name: _copy(getattr(self, name)) for name in _SAVED}

    def changed_from_read(self, name: str) -> bool:
        base = self.read_values.get(name, _DEFAULTS[name])
        return bool(getattr(self, name) != base)


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


_SAVED: Final = tuple(spec.name for spec in fields(Settings) if spec.name != "read_values")
_DEFAULTS: Final = Settings().values()


def settings_path() -> Path:
    return config_dir() / SETTINGS_FILE_NAME


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings; a missing file gives defaults, a damaged one is set aside."""
    try:
        # Finding the path creates the config folder, which can fail too (a file in its
        # place, no permission): that must not stop the app either.
        path = path or settings_path()
    except OSError as error:
        _log.warning("Could not read the settings (%s); using default settings", error)
        return Settings()
    try:
        settings = _read(path)
    except ReadError as error:
        _log.warning("Could not read the settings %s this time: %s", path, error.reason)
        return Settings()
    settings.read_values = settings.values()
    return settings


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write what ``settings`` changed into the file, keeping what other windows wrote;
    ``settings`` then holds the merged values. OSError (TimeoutError when another
    process holds the lock too long) when it cannot be written."""
    path = path or settings_path()
    with _locked(path):
        try:
            on_disk = _read(path)
        except ReadError as error:
            # Readable later, perhaps: writing over it would lose the other windows' part.
            raise OSError(f"the settings file cannot be read this time: {error.reason}") from None
        merged = merge(settings, on_disk)
        payload = {"version": SETTINGS_VERSION, **merged}
        atomic_write_text(
            path, json.dumps(payload, indent=2, ensure_ascii=False) + "\n", private=True
        )
    for name, value in merged.items():
        setattr(settings, name, _copy(value))
    settings.read_values = merged


def merge(mine: Settings, on_disk: Settings) -> dict[str, Any]:
    """The values to write: this window's changes over what the file holds now."""
    merged = on_disk.values()
    for name in _SAVED:
        if not mine.changed_from_read(name):
            continue
        if name == "recent_files":
            merged[name] = _merge_recent(
                mine.read_values.get(name, []), mine.recent_files, on_disk.recent_files
            )
        elif name == "custom_identifiers":
            merged[name] = _merge_remembered(
                mine.read_values.get(name, []), mine.custom_identifiers,
                on_disk.custom_identifiers,
            )
        else:
            merged[name] = _copy(getattr(mine, name))
    return merged


def _merge_recent(base: list[str], mine: list[str], theirs: list[str]) -> list[str]:
    """This window's opened files first (newest first), then the file's list without
    the entries this window removed."""
    removed = [entry for entry in base if not any(same_file(entry, kept) for kept in mine)]
    # The files this window opened (put first): the shortest head of its list after
    # which the list reads as the old one, in the old order.
    # The whole list is such a head (its tail is empty), so the search always stops.
    rest = [entry for entry in base if entry not in removed]
    for split in range(len(mine) + 1):
        tail = mine[split:]
        if tail == [entry for entry in rest if entry not in mine[:split]][: len(tail)]:
            break
    merged = mine[:split]
    for entry in theirs:
        gone = any(same_file(entry, other) for other in removed)
        if not gone and not any(same_file(entry, other) for other in merged):
            merged.append(entry)
    return merged[:MAX_RECENT_FILES]


def _merge_remembered(base: list[str], mine: list[str], theirs: list[str]) -> list[str]:
    """The file's identifiers, less those this window forgot, plus those it learned."""
    forgotten = set(base) - set(mine)
    merged = [name for name in theirs if name not in forgotten]
    merged += [name for name in mine if name not in base and name not in merged]
    return merged


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """The settings file's lock, held while it is read and written; a folder or FIFO in
    the lock file's place is set aside (and reported once)."""
    lock = FileLock.wait(path.with_name(path.name + LOCK_SUFFIX), LOCK_TIMEOUT_SECONDS)
    try:
        yield
    finally:
        # Kept, not removed: a process waiting for it would otherwise lock a file that
        # is gone, while a third makes a new one and locks that.
        lock.release(remove=False)


def _read(path: Path) -> Settings:
    """The settings in the file, field by field; defaults for a missing or damaged file
    (set aside). ReadError when the file is there but cannot be read this time."""
    try:
        data = read_json(path, MAX_STATE_BYTES)
    except ReadError as error:
        if error.is_damage:
            set_aside(path, error.reason, StateFile.SETTINGS)
        elif error.problem is not Problem.MISSING:
            raise
        return Settings()
    if not isinstance(data, dict):
        set_aside(path, "it is not a JSON object", StateFile.SETTINGS)
        return Settings()
    return _from_mapping(data)


def _from_mapping(data: dict[str, Any]) -> Settings:
    # Field by field, so one bad value (hand-edited file, older version) costs only itself.
    settings = Settings()
    for spec in fields(Settings):
        if spec.name not in data:
            continue
        value = data[spec.name]
        default = getattr(settings, spec.name)
        if isinstance(default, str) and _usable_text(value):
            setattr(settings, spec.name, value)
        elif isinstance(default, list) and isinstance(value, list):
            items = [item for item in value if _usable_text(item)]
            if spec.name == "recent_files":
                items = items[:MAX_RECENT_FILES]
            setattr(settings, spec.name, items)
    return settings


def _usable_text(value: object) -> bool:
    # A lone surrogate ("\ud800" in the file) reads fine but could never be saved again.
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
