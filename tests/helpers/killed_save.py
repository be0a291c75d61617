"""A real process killed with SIGKILL in the middle of a save: after the temp file is
written and before it replaces the target, the moment an interrupted save leaves litter."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOUR = 60 * 60

_SAVER = """
import os, sys
from pathlib import Path

def paused(src, dst):
    # The temp file is complete and synced; the kill comes before the rename.
    print(src, flush=True)
    sys.stdin.read()

os.replace = paused

from idsync.core.model import IdSyncDocument
from idsync.storage.autosave import RecoverySession
from idsync.storage.documents import write_document
from idsync.storage.settings import Settings, save_settings

kind, target = sys.argv[1], Path(sys.argv[2])
document = IdSyncDocument(name="Interrupted")
if kind == "document":
    write_document(target, document)
elif kind == "settings":
    save_settings(Settings(last_step="review"))
elif kind == "recovery":
    RecoverySession.begin().write(document, None)
"""

SAVE_KINDS = ("document", "settings", "recovery")


def kill_after_first_line(script: str, *args: str, home: Path) -> str:
    """Run ``script`` in a child process with IDSYNC_HOME=``home``, SIGKILL it once it has
    printed its first line (where it paused itself), and return that line."""
    child = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env={**os.environ, "IDSYNC_HOME": str(home)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline().strip()
        child.send_signal(signal.SIGKILL)
        assert child.wait() == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        for stream in (child.stdin, child.stdout):
            if stream is not None:
                stream.close()
    return line


def kill_during_save(kind: str, target: Path, home: Path) -> Path:
    """Run a save of ``kind`` in a child process, SIGKILL it mid-save; returns the temp
    file it left behind (made an hour and a minute old, as after a while)."""
    temp = Path(kill_after_first_line(_SAVER, kind, str(target), home=home))
    assert temp.is_file(), "the kill left the temp file behind"
    aged = time.time() - HOUR - 60
    os.utime(temp, (aged, aged))
    return temp
