"""Crash recovery: each window's unsaved document, written aside a few seconds after an edit.

Each window owns one recovery file, ``autosave-<session>.json`` in the state folder, and
holds the lock on ``autosave-<session>.lock`` for as long as it is open
(:mod:`idsync.storage.locks`: the operating system drops it when the process ends, however
it ends). The file is removed when the work is saved or the window closes cleanly.

At start, a recovery file whose lock can be taken belongs to a session that ended without
that (a crash, a kill, a power cut) and is offered back; one whose lock is held belongs to
a window that is still open, and is not touched. The ``autosave.json`` of older versions
(one file shared by every window) has no lock, so it is offered like an orphan. A folder
or FIFO where a lock file should be is set aside and reported like a damaged file, and
the recovery is offered all the same.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, ValidatorFunctionWrapHandler
from pydantic.functional_validators import WrapValidator

from idsync.core.model import IdSyncDocument
from idsync.storage.atomic import atomic_write_text
from idsync.storage.bounded import MAX_STATE_BYTES, Problem, ReadError, read_json
from idsync.storage.damage import StateFile, set_aside
from idsync.storage.documents import DocumentError, dump_document, parse_document
from idsync.storage.locks import FileLock
from idsync.storage.paths import state_dir

AUTOSAVE_FORMAT: Final = "idsync-autosave"
RECOVERY_PREFIX: Final = "autosave-"
LEGACY_FILE_NAME: Final = "autosave.json"
_JSON: Final = ".json"
_LOCK: Final = ".lock"

_log = logging.getLogger(__name__)


class AutosaveError(Exception):
    """A recovery file exists but cannot be used; ``reason`` says why, without the path."""

    def __init__(self, path: Path, reason: str, *, damaged: bool = True) -> None:
        super().__init__(f"The recovery file {path} cannot be used: {reason}")
        self.path = path
        self.reason = reason
        self.damaged = damaged
        """False when this attempt failed, not the file: it is kept for a later start."""


@dataclass(frozen=True)
class Recovery:
    document: IdSyncDocument
    original_path: Path | None
    """The file the work was opened from or last saved to; None for a new document."""
    saved_at: datetime | None


# --- this window's own recovery file ------------------------------------------------------


class RecoverySession:
    """The recovery file of one window, owned through its lock while the window is open."""

    def __init__(self, path: Path, lock: FileLock) -> None:
        self.path = path
        self._lock = lock

    @classmethod
    def begin(cls, folder: Path | None = None) -> RecoverySession:
        """A new session with a name of its own; OSError when the folder is unusable."""
        folder = folder if folder is not None else state_dir()
        for _attempt in range(100):
            # The PID makes the name telling in a folder listing; the random part unique.
            stem = f"{RECOVERY_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
            if os.path.lexists(folder / f"{stem}{_JSON}"):
                continue
            lock = FileLock.acquire(folder / f"{stem}{_LOCK}")
            if lock is not None:
                return cls(folder / f"{stem}{_JSON}", lock)
        raise FileExistsError(f"no free name for a recovery file in {folder}")

    @property
    def lock_path(self) -> Path:
        return self._lock.path

    def write(self, document: IdSyncDocument, original_path: Path | None) -> Path:
        """Write this window's recovery file atomically; an OSError propagates."""
        atomic_write_text(self.path, _payload(document, original_path), private=True)
        return self.path

    def remove(self) -> None:
        """No recovery is needed (the work is saved or thrown away); OSError propagates."""
        self.path.unlink(missing_ok=True)

    def close(self) -> None:
        """The window closed cleanly: its recovery file and lock go. Never raises."""
        with contextlib.suppress(OSError):
            self.remove()
        self._lock.release(remove=True)


def _payload(document: IdSyncDocument, original_path: Path | None) -> str:
    payload = {
        "format": AUTOSAVE_FORMAT,
        "original_path": str(original_path) if original_path is not None else None,
        "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "document": json.loads(dump_document(document).decode("utf-8")),
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


# --- recovery files of sessions that are gone -----------------------------------------------


@dataclass
class OrphanedRecovery:
    """A recovery file whose window is gone, claimed (locked) by the caller while it
    decides: :meth:`discard` once the work is restored elsewhere or thrown away, or
    :meth:`release` to leave it for a later start."""

    path: Path
    recovery: Recovery
    _lock: FileLock = field(repr=False)

    def discard(self) -> None:
        """Remove the file and its lock; OSError propagates (the claim is kept)."""
        self.path.unlink(missing_ok=True)
        self._lock.release(remove=True)

    def release(self) -> None:
        self._lock.release(remove=False)


def claim_orphans(folder: Path | None = None) -> list[OrphanedRecovery]:
    """Recovery files whose owner is gone, newest first, each claimed by the caller.

    Damaged ones are moved aside and reported (:mod:`idsync.storage.damage`); lock files
    left by sessions that never autosaved are removed. OSError when the folder itself
    cannot be made or listed.
    """
    folder = folder if folder is not None else state_dir()
    names = set(os.listdir(folder))
    found: list[OrphanedRecovery] = []
    for name in sorted(names):
        if not _is_recovery_name(name):
            continue
        orphan = _claim(folder / name)
        if orphan is not None:
            found.append(orphan)
    for name in sorted(names):
        if name.startswith(RECOVERY_PREFIX) and name.endswith(_LOCK):
            _remove_lone_lock(folder / name)
    found.sort(key=_age_key, reverse=True)
    return found


def read_recovery(path: Path) -> Recovery | None:
    """The recovery kept in ``path``; None when there is no such file.

    Raises AutosaveError when the file is there but cannot be used.
    """
    try:
        payload = read_json(path, MAX_STATE_BYTES)
    except ReadError as error:
        if error.problem is Problem.MISSING:
            return None
        raise AutosaveError(path, error.reason, damaged=error.is_damage) from None
    try:
        envelope = _RecoveryFile.model_validate(payload)
    except ValidationError:
        raise AutosaveError(path, "it is not a recovery file this app wrote") from None
    try:
        document = parse_document(
            json.dumps(envelope.document, ensure_ascii=False).encode("utf-8"), str(path)
        )
    except (DocumentError, UnicodeEncodeError) as error:
        reason = error.reason if isinstance(error, DocumentError) else str(error)
        raise AutosaveError(path, f"it holds no usable document ({reason})") from None
    return Recovery(
        document=document,
        original_path=Path(envelope.original_path) if envelope.original_path else None,
        saved_at=envelope.saved_at,
    )


def _absent_when_unusable(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    # The document is what a recovery file is for: a path or a time it cannot use is
    # taken as not known, never a reason to set the work aside.
    try:
        return handler(value)
    except ValidationError:
        return None


class _RecoveryFile(BaseModel):
    """What a recovery file holds around the document, read laxly (members it does not
    know are left alone; the document is read as a document file is, migrations and all).
    """

    model_config = ConfigDict(frozen=True)

    format: Literal["idsync-autosave"]
    original_path: Annotated[str | None, WrapValidator(_absent_when_unusable)] = None
    saved_at: Annotated[datetime | None, WrapValidator(_absent_when_unusable)] = None
    document: Any = None


def _is_recovery_name(name: str) -> bool:
    return name == LEGACY_FILE_NAME or (
        name.startswith(RECOVERY_PREFIX) and name.endswith(_JSON)
    )


def _lock_path(path: Path) -> Path:
    return path.with_name(path.name.removesuffix(_JSON) + _LOCK)


def _claim(path: Path) -> OrphanedRecovery | None:
    try:
        # A folder where the lock should be is set aside: the work must still be offered.
        lock = FileLock.claim(_lock_path(path))
    except OSError:
        return None  # cannot tell whether its owner lives: leave it alone
    if lock is None:
        return None  # its window is open
    try:
        recovery = read_recovery(path)
    except AutosaveError as error:
        if error.damaged:
            set_aside(path, error.reason, StateFile.RECOVERY)
            lock.release(remove=True)
        else:
            _log.warning("Could not read the recovery file %s this time: %s", path, error.reason)
            lock.release(remove=False)  # its file stays, to be offered at a later start
        return None
    if recovery is None:
        # Its window closed cleanly while we looked.
        lock.release(remove=True)
        return None
    return OrphanedRecovery(path, recovery, lock)


def _remove_lone_lock(lock_path: Path) -> None:
    stem = lock_path.name.removesuffix(_LOCK)
    if os.path.lexists(lock_path.with_name(stem + _JSON)):
        return
    try:
        lock = FileLock.claim(lock_path)
    except OSError:
        return
    if lock is None:
        return  # a window that has not autosaved yet
    # A window may have written its file between the check and the lock: look again.
    lock.release(remove=not os.path.lexists(lock_path.with_name(stem + _JSON)))


def _age_key(orphan: OrphanedRecovery) -> float:
    saved = orphan.recovery.saved_at
    if saved is not None:
        with contextlib.suppress(OverflowError, OSError, ValueError):
            return saved.timestamp()
    try:
        return orphan.path.stat().st_mtime
    except OSError:
        return 0.0
