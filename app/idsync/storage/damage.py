"""Files the app keeps for itself that turn out damaged: moved aside, reported once.

A damaged settings file, recovery file, history database or history entry (of the
JSON store imported into the database) must never stop the app: the
reader calls :func:`set_aside`, which renames the file to ``NAME.damaged-<UTC time>``
(kept for whoever wants to look, and no longer read at the next start) and queues a
report. The window shows the queued reports in its status bar, the command line on
stderr (:func:`take_reports`). Nothing here knows about Qt.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import Final

_log = logging.getLogger(__name__)

DAMAGED_MARK: Final = ".damaged-"
_STAMP: Final = "%Y%m%dT%H%M%SZ"


class StateFile(str, Enum):
    """Which of the app's own files was damaged, for the wording of the report."""

    SETTINGS = "settings"
    RECOVERY = "recovery"
    HISTORY = "history"
    LOCK = "lock"
    HISTORY_DATABASE = "history-database"

    @property
    def label(self) -> str:
        return {
            StateFile.SETTINGS: "The settings file",
            StateFile.RECOVERY: "A recovery file of unsaved work",
            StateFile.HISTORY: "A history entry",
            StateFile.LOCK: "A lock file",
            StateFile.HISTORY_DATABASE: "The history database",
        }[self]

    @property
    def consequence(self) -> str:
        return {
            StateFile.SETTINGS: "default settings are used",
            StateFile.RECOVERY: "its work cannot be restored",
            StateFile.HISTORY: "it is left out of the history",
            StateFile.LOCK: "a new one is made in its place",
            StateFile.HISTORY_DATABASE: "a new, empty history was started",
        }[self]


@dataclass(frozen=True)
class DamagedFile:
    kind: StateFile
    path: Path
    reason: str
    aside: Path | None
    """Where the file went; None when it could not be moved (then ``move_error`` says why)."""
    move_error: str = ""

    @property
    def message(self) -> str:
        """One line for a status bar or stderr."""
        if self.aside is not None:
            kept = f"it was moved aside as {self.aside.name}"
        else:
            kept = f"it could not be moved aside ({self.move_error})"
        return (
            f"{self.kind.label} {self.path} cannot be read ({self.reason}): "
            f"{kept} and {self.kind.consequence}."
        )


_lock = threading.Lock()
_pending: list[DamagedFile] = []


def set_aside(path: Path, reason: str, kind: StateFile) -> DamagedFile:
    """Rename the damaged ``path`` out of the way and queue a report of it.

    Works for whatever sits at ``path``: a symlink is moved itself (not what it points
    to), and a FIFO or folder is renamed without being opened.
    """
    aside: Path | None = None
    move_error = ""
    try:
        aside = _move_aside(path)
    except OSError as error:
        move_error = error.strerror or str(error)
    damaged = DamagedFile(kind, path, reason, aside, move_error)
    # INFO: the person hears of it once, through take_reports(), not twice on stderr.
    _log.info("%s", damaged.message)
    with _lock:
        _pending.append(damaged)
    return damaged


def take_reports(kind: StateFile | None = None) -> list[DamagedFile]:
    """The reports not shown yet (of one kind, or all), oldest first; each is given once."""
    with _lock:
        taken = [report for report in _pending if kind is None or report.kind is kind]
        _pending[:] = [report for report in _pending if report not in taken]
    return taken


def report_lines(reports: list[DamagedFile]) -> list[str]:
    """What to tell the person: one line per file, damaged history entries counted."""
    lines = [report.message for report in reports if report.kind is not StateFile.HISTORY]
    entries = [report for report in reports if report.kind is StateFile.HISTORY]
    if len(entries) == 1:
        lines.append(entries[0].message)
    elif entries:
        lines.append(f"History: {damaged_entries_note(len(entries))}.")
    return lines


def damaged_entries_note(count: int) -> str:
    """``3 damaged entries skipped (moved aside as NAME.damaged-<time>)``."""
    noun = "entry" if count == 1 else "entries"
    return f"{count} damaged {noun} skipped (moved aside as NAME{DAMAGED_MARK}<time>)"


def _move_aside(path: Path) -> Path:
    stamp = datetime.now(timezone.utc).strftime(_STAMP)
    base = f"{path.name}{DAMAGED_MARK}{stamp}"
    for attempt in range(1, 100):
        candidate = path.with_name(base if attempt == 1 else f"{base}-{attempt}")
        # Never replace an earlier damaged copy: link-free check, then rename.
        if os.path.lexists(candidate):
            continue
        os.rename(path, candidate)
        return candidate
    raise OSError(f"too many damaged copies of {path.name} already")
