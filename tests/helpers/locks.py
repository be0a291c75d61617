"""Whether a live owner holds a lock file, as a test asks it: by trying to take it."""

from __future__ import annotations

from pathlib import Path

from idsync.storage.locks import FileLock


def lock_is_held(path: Path) -> bool:
    """False when there is no file; True when the lock cannot be taken."""
    if not path.exists():
        return False
    lock = FileLock.acquire(path)
    if lock is None:
        return True
    lock.release(remove=False)
    return False
