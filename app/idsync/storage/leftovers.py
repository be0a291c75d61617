"""At start, remove what killed sessions left behind in the app's own folders."""

from __future__ import annotations

import os
from pathlib import Path

from idsync.storage.atomic import remove_stale_temp_files
from idsync.storage.paths import app_folders


def remove_stale_leftovers(now: float | None = None) -> int:
    """Remove stale temp files of interrupted writes in the config and state folders
    (and folders in them); returns how many. Never raises."""
    removed = 0
    for folder in app_folders():
        removed += remove_stale_temp_files(folder, now=now)
        for sub in _subfolders(folder):
            removed += remove_stale_temp_files(sub, now=now)
    return removed


def _subfolders(folder: Path) -> list[Path]:
    try:
        with os.scandir(folder) as entries:
            # Not through symlinks: only folders the app made itself.
            return [Path(entry.path) for entry in entries if entry.is_dir(follow_symlinks=False)]
    except OSError:
        return []
