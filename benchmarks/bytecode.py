"""Measure the app as installed: with its modules' bytecode already written.

pip, pipx and the PyInstaller build all ship ``.pyc`` files, so an installed ``idsync``
never compiles its own source at start. A checkout on a machine that sets
``PYTHONDONTWRITEBYTECODE`` (this one does) would otherwise compile every module of
``app/`` in every measured process, a cost no user pays. The start-up and check
benchmarks call :func:`compile_app` before measuring.
"""

from __future__ import annotations

import compileall
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def compile_app() -> None:
    """Write (or refresh) the bytecode of ``app/`` as an install would; quietly."""
    if not compileall.compile_dir(str(ROOT / "app" / "idsync"), quiet=2):
        raise SystemExit("benchmarks: app/ does not compile")
