"""Where the app keeps its files (platformdirs), overridable for tests.

Set ``IDSYNC_HOME`` to put every folder under one directory (tests and portable use).
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import PlatformDirs

from idsync import APP_ID

_dirs = PlatformDirs(APP_ID, appauthor=False)


def _folder(name: str, platform_folder: str) -> Path:
    """``IDSYNC_HOME/name`` when that is set, else the platform's folder; not created."""
    home = os.environ.get("IDSYNC_HOME")
    return Path(home) / name if home else Path(platform_folder)


PRIVATE_FOLDER_MODE = 0o700


def ensure_private_folder(path: Path) -> Path:
    """Create ``path`` and any missing parents as 0700: they hold the person's work.

    Folders that exist already keep their mode: the person (or an admin) chose it.
    """
    missing: list[Path] = []
    current = path
    while not current.is_dir():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        try:
            # mkdir(parents=True) would make the parents with the umask's mode instead.
            folder.mkdir(mode=PRIVATE_FOLDER_MODE)
        except FileExistsError:
            if not folder.is_dir():
                raise
    return path


def config_dir() -> Path:
    return ensure_private_folder(_folder("config", _dirs.user_config_dir))


def state_dir() -> Path:
    """Autosave and crash-recovery files, and the history's database."""
    return ensure_private_folder(_folder("state", _dirs.user_state_dir))


HISTORY_DATABASE_NAME = "history.sqlite3"


def history_database() -> Path:
    """The history's database: a person's history of actions is state (XDG's words)."""
    return state_dir() / HISTORY_DATABASE_NAME


def legacy_history_dir() -> Path:
    """Where versions before the database kept one JSON file per entry; looking it up
    never creates it (it is only ever imported from, see ``storage.history_import``)."""
    return _folder("data", _dirs.user_data_dir) / "history"


def app_folders() -> list[Path]:
    """The folders the app writes its own files in (for sweeping leftovers), as far as
    they exist; looking them up never creates them."""
    found = (_folder("config", _dirs.user_config_dir), _folder("state", _dirs.user_state_dir))
    return [folder for folder in found if folder.is_dir()]
