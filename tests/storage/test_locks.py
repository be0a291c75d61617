"""The ownership lock: exclusive between open files (also in one process), released by
release() or by the owner's end, and the owner's PID written for people to see."""

from __future__ import annotations

import os
from pathlib import Path

from app.storage.locks import FileLock


def test_a_held_lock_cannot_be_taken_again_until_released(tmp_path: Path) -> None:
    path = tmp_path / "a.lock"
    first = FileLock.acquire(path)
    assert first is not None and first.held
    assert FileLock.acquire(path) is None
    assert FileLock.is_held(path)
    first.release(remove=False)
    assert not first.held and path.exists()
    assert not FileLock.is_held(path)
    second = FileLock.acquire(path)
    assert second is not None
    second.release()
    assert not path.exists()


def test_the_owners_pid_is_in_the_file(tmp_path: Path) -> None:
    lock = FileLock.acquire(tmp_path / "a.lock")
    assert lock is not None
    assert (tmp_path / "a.lock").read_text(encoding="ascii") == f"{os.getpid()}\n"
    lock.release()


def test_a_lock_dropped_without_release_is_freed(tmp_path: Path) -> None:
    path = tmp_path / "a.lock"
    lock = FileLock.acquire(path)
    assert lock is not None
    del lock
    assert not FileLock.is_held(path)


def test_no_file_is_not_held(tmp_path: Path) -> None:
    assert not FileLock.is_held(tmp_path / "none.lock")
    assert not (tmp_path / "none.lock").exists()
