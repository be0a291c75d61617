"""A really read-only folder, also when the tests run as root (as in some containers)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def _writes_fail(folder: Path) -> bool:
    probe = folder / ".probe"
    try:
        probe.write_bytes(b"")
    except OSError:
        return True
    probe.unlink()
    return False


@contextlib.contextmanager
def read_only_folder(folder: Path) -> Iterator[Path]:
    """Make ``folder`` refuse new files: chmod for ordinary users; root ignores modes, so
    there the folder is made immutable with chattr. Skips when neither is possible."""
    immutable = False
    folder.chmod(0o555)
    try:
        if not _writes_fail(folder) and shutil.which("chattr"):
            immutable = (
                subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode
                == 0
            )
        if not _writes_fail(folder):
            pytest.skip("this system cannot make a read-only folder for the test")
        yield folder
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)


def only_entries(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))
