"""Atomic file writes: a reader sees the old file or the new one, never half of either.

The temp file is ``.NAME.XXXXXXXX.tmp`` next to the target. A process killed between
writing it and the rename leaves it behind; :func:`remove_stale_temp_files` removes such
leftovers (older than an hour, so a save in progress in another window is never touched).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import string
import time
from pathlib import Path
from typing import Final

PRIVATE_MODE: Final = 0o600
"""Settings, recovery files and history: only the person's own account reads them."""
SHARED_MODE: Final = 0o666
"""Documents and exports: what any program gives a new file; the umask narrows it."""
STALE_AFTER_SECONDS: Final = 60 * 60

_TEMP_SUFFIX: Final = ".tmp"
_RANDOM_CHARS: Final = string.ascii_lowercase + string.digits + "_"
_RANDOM_LENGTH: Final = 8
# The names this module gives its temp files (and tempfile.mkstemp gave them before).
_TEMP_NAME: Final = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


def atomic_write_bytes(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write ``data`` to ``path`` via a temp file in the same folder, fsync, then replace.

    A new file gets 0600 when ``private``, else the usual 0666 narrowed by the umask; an
    overwritten file keeps its mode (unless ``private``: then it becomes 0600).
    On any failure (a full disk, a permission error) the temp file is removed and the
    original file, if any, is left as it was; the OSError propagates to the caller.
    """
    path = Path(path)
    folder = path.parent
    fd, tmp_name = _create_temp(path, PRIVATE_MODE if private else SHARED_MODE)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if private:
            # Also for a file an older version (or the person) made readable by others.
            os.chmod(tmp_name, PRIVATE_MODE)
        else:
            _keep_mode(path, tmp_name)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _fsync_folder(folder)


def atomic_write_text(path: Path, text: str, *, private: bool = False) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), private=private)


def is_temp_name(name: str) -> bool:
    """Whether ``name`` is one of this module's temp files (of any target)."""
    return bool(_TEMP_NAME.match(name))


def remove_stale_temp_files(
    folder: Path, *, target_name: str | None = None, now: float | None = None
) -> int:
    """Remove this module's leftover temp files in ``folder``; returns how many.

    Only regular files named like ours (of ``target_name`` alone when given, for folders
    that are the person's, not the app's) and not modified for ``STALE_AFTER_SECONDS``.
    Never raises: a folder that cannot be listed simply keeps its files.
    """
    cutoff = (time.time() if now is None else now) - STALE_AFTER_SECONDS
    removed = 0
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    prefix = f".{target_name}." if target_name is not None else None
    for name in names:
        if not is_temp_name(name) or (prefix is not None and not name.startswith(prefix)):
            continue
        candidate = Path(folder) / name
        try:
            info = candidate.lstat()
            if not stat.S_ISREG(info.st_mode) or info.st_mtime > cutoff:
                continue
            candidate.unlink()
        except OSError:
            continue
        removed += 1
    return removed


def _create_temp(path: Path, mode: int) -> tuple[int, str]:
    # Not tempfile.mkstemp: it always makes 0600 files, and a document must get the
    # mode the person's umask gives new files; os.open applies the umask itself.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _attempt in range(100):
        # os.urandom, not secrets: secrets loads OpenSSL into every start, and a temp
        # name needs only to be unlikely to collide, not to be uniform.
        suffix = "".join(_RANDOM_CHARS[byte % len(_RANDOM_CHARS)]
                         for byte in os.urandom(_RANDOM_LENGTH))
        name = str(path.parent / f".{path.name}.{suffix}{_TEMP_SUFFIX}")
        try:
            return os.open(name, flags, mode), name
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary file name next to {path}")


def _keep_mode(path: Path, tmp_name: str) -> None:
    try:
        mode = path.stat().st_mode
    except OSError:
        return  # a new file: the mode from os.open stands
    # Keep the permissions the person gave the file.
    with contextlib.suppress(OSError):
        os.chmod(tmp_name, stat.S_IMODE(mode))


def _fsync_folder(folder: Path) -> None:
    # Makes the rename itself durable; not possible on every platform, hence best effort.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
