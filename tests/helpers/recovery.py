"""Recovery files as a session that crashed leaves them (there, but nobody's lock held),
and a window's own recovery file."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import TYPE_CHECKING

from idsync.core.model import IdSyncDocument
from idsync.storage.autosave import RECOVERY_PREFIX, RecoverySession

if TYPE_CHECKING:
    from idsync.ui.main_window import MainWindow

_numbers = itertools.count(1)


def leave_crashed_recovery(document: IdSyncDocument, original: Path | None = None) -> Path:
    """Write ``document`` as the recovery file of a session that is gone; returns its path.

    The file is written by a real session, then renamed to a name whose lock file no
    process holds: exactly what a killed process leaves (the kernel drops its lock).
    """
    session = RecoverySession.begin()
    written = session.write(document, original)
    crashed = written.with_name(f"{RECOVERY_PREFIX}0-crashed{next(_numbers)}.json")
    written.rename(crashed)
    session.close()
    return crashed


def own_recovery(window: MainWindow) -> Path:
    """The window's own recovery file (it exists only while there is unsaved work)."""
    session = window.autosaver.session
    assert session is not None
    return session.path
