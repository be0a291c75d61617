"""The recent-files list: newest first, no duplicates, at most ten, missing files dropped."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

MAX_RECENT_FILES = 10


def normal_path(path: Path | str) -> str:
    # One file reached through two spellings (relative, ./x, different case on Windows)
    # must appear once (and be one history identity).
    return os.path.normcase(os.path.abspath(path))


def same_file(one: str, other: str) -> bool:
    """Whether two entries name the same file (through any spelling)."""
    return normal_path(one) == normal_path(other)


def add_recent(recent: Iterable[str], path: Path | str) -> list[str]:
    """Put ``path`` first; an older entry for the same file is removed."""
    new = str(Path(path).absolute())
    kept = [entry for entry in recent if normal_path(entry) != normal_path(new)]
    return [new, *kept][:MAX_RECENT_FILES]


def remove_recent(recent: Iterable[str], path: Path | str) -> list[str]:
    target = normal_path(path)
    return [entry for entry in recent if normal_path(entry) != target]


def prune_missing(recent: Iterable[str]) -> list[str]:
    """Drop entries whose file no longer exists (moved, deleted, unmounted)."""
    return [entry for entry in recent if Path(entry).is_file()]
