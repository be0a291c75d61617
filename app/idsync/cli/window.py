"""Opening the desktop editor from the command line, and ``--self-test``.

The only CLI module that imports Qt, and only when the window is really opened.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from idsync.cli.names import SELF_TEST
from idsync.cli.output import EXIT_INTERNAL, EXIT_OK, EXIT_UNREADABLE, PROG, error, out

SELF_TEST_EXAMPLE: Final = ("examples", "facebook-custom-audiences.json")


def launch_gui(paths: list[str], commands: Sequence[str]) -> int:
    problem = no_display_problem(commands)
    if problem is not None:
        error(problem)
        return EXIT_UNREADABLE
    try:
        # Seam "command": Qt is imported only to open the window.
        from idsync.ui.application import run_gui
    except ImportError as exc:
        error(_gui_import_problem(exc))
        return EXIT_UNREADABLE
    return int(run_gui(paths))


def no_display_problem(commands: Sequence[str]) -> str | None:
    """Why the window cannot open here, before Qt is loaded, or None.

    On Linux without DISPLAY or WAYLAND_DISPLAY, Qt would try X11 anyway, wait, and then
    blame a missing system library. QT_QPA_PLATFORM set means the person chose a platform
    (offscreen, vnc, ...) and knows what they are doing.
    """
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    headless = ", ".join(commands)
    return (
        "the window needs a graphical session, and there is none here (neither DISPLAY nor "
        f"WAYLAND_DISPLAY is set). The headless commands work without one: {headless} "
        f"(see `{PROG} --help`). To open the window on a machine without a screen, run it "
        f"on a virtual display: `xvfb-run {PROG}`."
    )


def self_test(argv: list[str], commands: Sequence[str]) -> int:
    """``idsync --self-test [FILE]``: see app/idsync/ui/self_test.py for what it prints."""
    if len(argv) > 1 or (argv and argv[0].startswith("-")):
        error(f"usage: {PROG} {SELF_TEST} [FILE]")
        return EXIT_UNREADABLE
    problem = no_display_problem(commands)
    if problem is not None:
        error(f"self-test: {problem}")
        return EXIT_UNREADABLE
    if argv:
        path = Path(argv[0])
    else:
        # Seam "self-test": the example is found only when no file is given.
        from idsync.resources import resource_path

        path = resource_path(*SELF_TEST_EXAMPLE)
    # Seam "self-test": the file is read before Qt loads, and only for the self-test.
    from idsync.storage.document_text import DocumentError, read_document_json

    try:
        # Before Qt, and without the model: a missing file or broken JSON is one line on
        # stderr, as every command says it. The model's own checks come in the window.
        read_document_json(path)
    except DocumentError as exc:
        error(f"self-test: {exc}")
        return EXIT_UNREADABLE
    try:
        # Seam "command": Qt is imported only to open the window.
        from idsync.ui.self_test import SelfTestError, SelfTestUnreadable, run_self_test
    except ImportError as exc:
        error(_gui_import_problem(exc))
        return EXIT_UNREADABLE
    try:
        report = run_self_test(path)
    except SelfTestUnreadable as exc:
        error(f"self-test: {exc}")
        return EXIT_UNREADABLE
    except SelfTestError as exc:
        error(f"self-test failed: {exc}")
        return EXIT_INTERNAL
    out(json.dumps(report, ensure_ascii=False))
    return EXIT_OK


def _gui_import_problem(exc: ImportError) -> str:
    text = str(exc)
    if "shared object" in text or "DLL load failed" in text or "libGL" in text:
        return (
            f"the desktop editor cannot start: Qt could not load a system library ({text}); "
            "install the Qt system libraries (see the README). The CLI commands still work."
        )
    top = (exc.name or "").split(".")[0]
    if top in ("PySide6", "shiboken6"):
        return (
            "the desktop editor needs PySide6: run `pip install PySide6-Essentials`. "
            f"The CLI commands (`{PROG} check`, `{PROG} export` ...) work without it."
        )
    return (
        f"the desktop editor is not available in this installation ({text}). "
        f"The CLI commands still work: see `{PROG} --help`."
    )
