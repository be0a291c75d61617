"""The ownership lock: exclusive between open files (also in one process), released by
release() or by the owner's end, and the owner's PID written for people to see; a folder
or FIFO in the lock file's place refused, or set aside by claim()."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from idsync.storage.damage import StateFile, take_reports
from idsync.storage.locks import FileLock, NotALockFile
from tests.helpers.locks import lock_is_held


def test_a_held_lock_cannot_be_taken_again_until_released(tmp_path: Path) -> None:
    path = tmp_path / "a.lock"
    first = FileLock.acquire(path)
    assert first is not None and first.held
    assert FileLock.acquire(path) is None
    assert lock_is_held(path)
    first.release(remove=False)
    assert not first.held and path.exists()
    assert not lock_is_held(path)
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
    assert not lock_is_held(path)


def test_no_file_is_not_held(tmp_path: Path) -> None:
    assert not lock_is_held(tmp_path / "none.lock")
    assert not (tmp_path / "none.lock").exists()


def test_a_folder_or_fifo_in_the_lock_files_place_is_refused(tmp_path: Path) -> None:
    folder, fifo = tmp_path / "a.lock", tmp_path / "b.lock"
    folder.mkdir()
    os.mkfifo(fifo)
    for path, words in ((folder, "it is a folder, not a file"),
                        (fifo, "it is a named pipe (FIFO), not a file")):
        with pytest.raises(NotALockFile) as raised:
            FileLock.acquire(path)
        assert raised.value.reason == words


def test_claim_sets_a_non_file_aside_once_and_takes_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "a.lock"
    path.mkdir()
    lock = FileLock.claim(path)
    assert lock is not None and path.is_file()
    [report] = take_reports()
    assert report.kind is StateFile.LOCK and report.aside is not None and report.aside.is_dir()
    lock.release()
    assert take_reports() == []


def test_wait_gives_up_after_its_timeout(tmp_path: Path) -> None:
    path = tmp_path / "a.lock"
    holder = FileLock.acquire(path)
    assert holder is not None
    with pytest.raises(TimeoutError):
        FileLock.wait(path, timeout=0.05)
    holder.release(remove=False)
    taken = FileLock.wait(path, timeout=0.05)
    taken.release()
