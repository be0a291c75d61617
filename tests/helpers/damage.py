"""Every kind of damage a file the app keeps can come to, made for real on disk."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

DEEP_LEVELS = 100_000
LONG_DIGITS = 5_000


def _write(content: bytes) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        _clear(path)
        path.write_bytes(content)

    return make


def _fifo(path: Path) -> None:
    _clear(path)
    os.mkfifo(path)  # and nobody ever writes to it: a read would wait forever


def _device(path: Path) -> None:
    _clear(path)
    os.symlink("/dev/zero", path)  # endless: reading it all would exhaust memory


def _loop(path: Path) -> None:
    _clear(path)
    os.symlink(path.name, path)


def _folder(path: Path) -> None:
    _clear(path)
    path.mkdir()


def _unreadable(path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads any file whatever its mode")
    _clear(path)
    path.write_text("{}", encoding="utf-8")
    path.chmod(0)


def _clear(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        path.rmdir()
    else:
        path.unlink(missing_ok=True)


DAMAGE: dict[str, Callable[[Path], None]] = {
    "invalid UTF-8": _write(b'{"name": "caf\xe9", "last_step": "\xff"}'),
    "deep nesting": _write(b"[" * DEEP_LEVELS + b"]" * DEEP_LEVELS),
    "deep objects": _write(b'{"a": ' * DEEP_LEVELS + b"1" + b"}" * DEEP_LEVELS),
    "huge integer": _write(b'{"version": ' + b"9" * LONG_DIGITS + b"}"),
    "wrong shape": _write(b'[1, 2, "three"]'),
    "truncated JSON": _write(b'{"format": "idsync'),
    "empty": _write(b""),
    "FIFO": _fifo,
    "device": _device,
    "symlink loop": _loop,
    "folder": _folder,
    "unreadable": _unreadable,
}
"""Name -> a function that puts that damage at a path (replacing whatever is there)."""

DAMAGE_KINDS = sorted(DAMAGE)
