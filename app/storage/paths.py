"""Where the app keeps its files (platformdirs), overridable for tests.

Set ``IDSYNC_HOME`` to put every folder under one directory (tests and portable use).
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import PlatformDirs

from app import APP_ID

_dirs = PlatformDirs(APP_ID, appauthor=False)


def _home_override() -> Path | None:
    value = os.environ.get("IDSYNC_HOME")
    return Path(value) if value else None


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    home = _home_override()
    return _ensure(home / "config" if home else Path(_dirs.user_config_dir))


def data_dir() -> Path:
    home = _home_override()
    return _ensure(home / "data" if home else Path(_dirs.user_data_dir))


def state_dir() -> Path:
    """Autosave and crash-recovery files."""
    home = _home_override()
    return _ensure(home / "state" if home else Path(_dirs.user_state_dir))


def cache_dir() -> Path:
    home = _home_override()
    return _ensure(home / "cache" if home else Path(_dirs.user_cache_dir))


def history_dir() -> Path:
    return _ensure(data_dir() / "history")
