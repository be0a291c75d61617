"""Recovery files as a session that crashed leaves them: there, but nobody's lock held."""

from __future__ import annotations

import itertools
from pathlib import Path

from app.core.model import IdSyncDocument
from app.storage.autosave import RECOVERY_PREFIX, RecoverySession

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
