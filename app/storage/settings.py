"""The editor's own preferences: window layout, last step, recent files, remembered ids.

Kept as one small JSON file in the config folder (0600). A damaged file must never stop
the app from starting: it is moved aside as ``settings.json.damaged-<time>``, reported
once, and the defaults are used. A bad value costs only its own field.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from app.storage.atomic import atomic_write_text
from app.storage.bounded import MAX_STATE_BYTES, Problem, ReadError, read_json
from app.storage.damage import StateFile, set_aside
from app.storage.paths import config_dir
from app.storage.recent import MAX_RECENT_FILES

SETTINGS_FILE_NAME = "settings.json"
SETTINGS_VERSION = 1

_log = logging.getLogger(__name__)


@dataclass
class Settings:
    """Everything the window remembers between runs.

    Qt's binary geometry and state blobs are stored base64-encoded so the file stays text.
    """

    window_geometry: str = ""
    window_state: str = ""
    splitter_state: str = ""
    last_step: str = "target"
    recent_files: list[str] = field(default_factory=list)
    custom_identifiers: list[str] = field(default_factory=list)
    # Where the last connection went (us | eu | custom | sandbox, and a custom base URL).
    # Never the token: that lives in the keyring or the environment.
    segment_endpoint: str = ""
    segment_base_url: str = ""

    def remember_identifiers(self, identifiers: list[str] | tuple[str, ...]) -> bool:
        """Add identifiers not seen before; returns whether anything was added."""
        added = False
        for identifier in identifiers:
            name = identifier.strip()
            if name and name not in self.custom_identifiers:
                self.custom_identifiers.append(name)
                added = True
        return added


def settings_path() -> Path:
    return config_dir() / SETTINGS_FILE_NAME


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings; a missing file gives defaults, a damaged one is set aside."""
    try:
        # Finding the path creates the config folder, which can fail too (a file in its
        # place, no permission): that must not stop the app either.
        path = path or settings_path()
    except OSError as error:
        _log.warning("Could not read the settings (%s); using default settings", error)
        return Settings()
    try:
        data = read_json(path, MAX_STATE_BYTES)
    except ReadError as error:
        if error.is_damage:
            set_aside(path, error.reason, StateFile.SETTINGS)
        elif error.problem is not Problem.MISSING:
            _log.warning("Could not read the settings %s this time: %s", path, error.reason)
        return Settings()
    if not isinstance(data, dict):
        set_aside(path, "it is not a JSON object", StateFile.SETTINGS)
        return Settings()
    return _from_mapping(data)


def save_settings(settings: Settings, path: Path | None = None) -> None:
    path = path or settings_path()
    payload = {"version": SETTINGS_VERSION, **asdict(settings)}
    atomic_write_text(
        path, json.dumps(payload, indent=2, ensure_ascii=False) + "\n", private=True
    )


def _from_mapping(data: dict[str, Any]) -> Settings:
    # Field by field, so one bad value (hand-edited file, older version) costs only itself.
    settings = Settings()
    for spec in fields(Settings):
        if spec.name not in data:
            continue
        value = data[spec.name]
        default = getattr(settings, spec.name)
        if isinstance(default, str) and _usable_text(value):
            setattr(settings, spec.name, value)
        elif isinstance(default, list) and isinstance(value, list):
            items = [item for item in value if _usable_text(item)]
            if spec.name == "recent_files":
                items = items[:MAX_RECENT_FILES]
            setattr(settings, spec.name, items)
    return settings


def _usable_text(value: object) -> bool:
    # A lone surrogate ("\ud800" in the file) reads fine but could never be saved again.
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
