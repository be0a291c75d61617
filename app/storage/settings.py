"""The editor's own preferences: window layout, last step, recent files, remembered ids.

Kept as one small JSON file in the config folder. A damaged file must never stop the app
from starting: it is copied aside as ``settings.json.bak`` and the defaults are used.
"""

from __future__ import annotations

import json
import logging
import shutil
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from app.storage.atomic import atomic_write_text
from app.storage.paths import config_dir

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
    """Read the settings; a missing file gives defaults, a damaged one is kept as .bak."""
    try:
        # Finding the path creates the config folder, which can fail too (a file in its
        # place, no permission): that must not stop the app either.
        path = path or settings_path()
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except OSError as error:
        _log.warning("Could not read the settings (%s); using default settings", error)
        return Settings()
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        _set_aside(path, f"not valid JSON ({error})")
        return Settings()
    if not isinstance(data, dict):
        _set_aside(path, "not a JSON object")
        return Settings()
    return _from_mapping(data)


def save_settings(settings: Settings, path: Path | None = None) -> None:
    path = path or settings_path()
    payload = {"version": SETTINGS_VERSION, **asdict(settings)}
    atomic_write_text(path, json.dumps(payload, indent=2, ensure_ascii=False) + "\n")


def _from_mapping(data: dict[str, Any]) -> Settings:
    # Field by field, so one bad value (hand-edited file, older version) costs only itself.
    settings = Settings()
    for spec in fields(Settings):
        if spec.name not in data:
            continue
        value = data[spec.name]
        default = getattr(settings, spec.name)
        if isinstance(default, str) and isinstance(value, str):
            setattr(settings, spec.name, value)
        elif isinstance(default, list) and isinstance(value, list):
            setattr(settings, spec.name, [item for item in value if isinstance(item, str)])
    return settings


def _set_aside(path: Path, reason: str) -> None:
    backup = path.with_name(path.name + ".bak")
    _log.warning("Settings file %s is %s; kept a copy as %s, using defaults", path, reason, backup)
    try:
        shutil.copyfile(path, backup)
    except OSError as error:
        _log.warning("Could not keep a copy of %s: %s", path, error)
