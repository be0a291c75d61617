"""An ownership lock on a file, held for as long as the owning process lives.

The lock is the operating system's (``flock`` on POSIX, ``msvcrt.locking`` on Windows),
so the liveness check is the kernel's: a process that ends in any way, even killed
with SIGKILL, releases it at once, and a lock that can be taken means its owner is gone.
A PID written into a lock file could be reused by an unrelated process after a crash;
the kernel's lock cannot. The owner's PID is still written into the file, for a person
looking at the folder.

``flock`` locks belong to one open file, not to the process: two sessions in one process
that each open the file exclude each other like two processes do.

Something that is not a file where a lock file should be (a folder, a FIFO) raises
:class:`NotALockFile`; the caller sets it aside like a damaged file
(:mod:`idsync.storage.damage`) and takes the lock again.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
import weakref
from pathlib import Path

from idsync.storage.bounded import special_kind

if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


LOCK_MODE = 0o600
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


class NotALockFile(OSError):
    """Something other than a regular file is where the lock file should be."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(f"{path} is {kind}, not a lock file")
        self.path = path
        self.reason = f"it is {kind}, not a file"


class FileLock:
    """An exclusive lock on ``path``; :meth:`acquire` returns None while someone holds it."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd
        # A session object dropped without release() must not keep the lock forever.
        self._finalizer = weakref.finalize(self, _close_quietly, fd)

    @classmethod
    def acquire(cls, path: Path) -> FileLock | None:
        """Take the lock without waiting, creating the file (0600) if needed.

        Returns None when another open file (this process or another) holds it; an
        OSError (the folder is unusable) propagates, :class:`NotALockFile` when a folder,
        FIFO or device is in the lock file's place.
        """
        with contextlib.suppress(FileNotFoundError):
            _refuse_special(path, os.stat(path).st_mode)
        # O_NONBLOCK: a FIFO swapped in after the check still opens at once (and is refused).
        flags = os.O_RDWR | os.O_CREAT | _NONBLOCK | getattr(os, "O_BINARY", 0)
        try:
            fd = os.open(path, flags, LOCK_MODE)
        except IsADirectoryError:
            raise NotALockFile(path, "a folder") from None
        try:
            _refuse_special(path, os.fstat(fd).st_mode)
            if not _try_lock(fd):
                os.close(fd)
                return None
            lock = cls(path, fd)
            lock._write_owner()
        except BaseException:
            _close_quietly(fd)
            raise
        return lock

    @classmethod
    def claim(cls, path: Path) -> FileLock | None:
        """:meth:`acquire`, after setting aside (and reporting once) a folder, FIFO or
        device found where the lock file should be, as a damaged file is."""
        try:
            return cls.acquire(path)
        except NotALockFile as error:
            from idsync.storage.damage import StateFile, set_aside

            set_aside(path, error.reason, StateFile.LOCK)
        return cls.acquire(path)

    @classmethod
    def wait(cls, path: Path, timeout: float) -> FileLock:
        """:meth:`claim` the lock, waiting up to ``timeout`` seconds for its holder to
        give it up; TimeoutError after that (and the errors of :meth:`acquire`)."""
        deadline = time.monotonic() + timeout
        while True:
            lock = cls.claim(path)
            if lock is not None:
                return lock
            if time.monotonic() >= deadline:
                raise TimeoutError(f"{path} stayed locked for {timeout:g} s")
            time.sleep(0.01)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self, *, remove: bool = True) -> None:
        """Give the lock up; with ``remove``, delete the lock file first (while still
        holding it, so no other process takes a lock on a file about to vanish)."""
        if self._fd is None:
            return
        if remove:
            with contextlib.suppress(OSError):
                self.path.unlink()
        fd, self._fd = self._fd, None
        self._finalizer.detach()
        _close_quietly(fd)

    def _write_owner(self) -> None:
        assert self._fd is not None
        with contextlib.suppress(OSError):
            os.ftruncate(self._fd, 0)
            os.lseek(self._fd, 0, os.SEEK_SET)
            os.write(self._fd, f"{os.getpid()}\n".encode("ascii"))


def _refuse_special(path: Path, mode: int) -> None:
    kind = special_kind(mode)
    if kind is not None:
        raise NotALockFile(path, kind)


def _close_quietly(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.close(fd)
