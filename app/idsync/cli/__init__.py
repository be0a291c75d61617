"""``idsync``: the headless commands, and the door to the desktop editor.

This package is one module per command group (``review``: check and diff; ``documents``:
export, schema, catalog, rules, preview; ``history``; ``push``; ``window``: the editor and
its self-test), and this entry point imports only the one that runs. Qt is imported only
to open the window, so every other command runs on a machine without a display.

Exit codes: 0 clean / same, 1 error findings / differences / cannot export, 2 unreadable
input, an output that cannot be written (stdout or ``-o``) or a usage error, 3 internal
error, 130 interrupted, 141 the reader of stdout went away (quietly, as after SIGPIPE);
push has its own (see ``idsync push -h``). Every failure is one line on stderr.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn, cast

from idsync.cli.names import COMMAND_NAMES, SELF_TEST
from idsync.cli.output import (
    EXIT_CANCELLED,
    EXIT_CLOSED_PIPE,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_UNREADABLE,
    PROG,
    OutputError,
    error,
    finish_stdout,
    silence_stdout,
)

__all__ = ["main", "run"]


def run() -> NoReturn:
    """The ``idsync`` program: :func:`main` on the command line, then the process ends.

    After the window it ends at once (``os._exit``): what the app keeps was written when
    the window closed (settings, recovery, history) and its workers stopped at
    ``aboutToQuit``, so all that is left is Python tearing down Qt and every module one
    object at a time, after the window is gone. The contract this makes:
    after a window run nothing runs once ``exec()`` has returned (no atexit handler, no
    ``weakref.finalize``, no waiting for a thread), so everything the app keeps is
    written by the window's close or by ``aboutToQuit``."""
    code = main()
    if "PySide6.QtWidgets" not in sys.modules:
        sys.exit(code)
    # Seam "command": only a window run needs it (loaded with Qt already).
    import logging

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        # None: a build without a console (PyInstaller's windowed one, pythonw). A reader
        # that went away, or a stream already closed: nothing left to keep either.
        if stream is not None:
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        code = _run(args)
        finish_stdout()
        _report_damaged_state()
        return code
    except KeyboardInterrupt:
        error("interrupted")
        return EXIT_CANCELLED
    except OutputError as exc:
        silence_stdout()
        if exc.reader_gone:
            return EXIT_CLOSED_PIPE  # `idsync catalog | head -1`: stop quietly
        error(str(exc))
        return EXIT_UNREADABLE
    except BrokenPipeError:
        # A write outside idsync.cli.output found the reader gone: stop quietly.
        silence_stdout()
        return EXIT_CLOSED_PIPE
    except Exception as exc:
        error(f"internal error: {type(exc).__name__}: {exc} (please report)")
        return EXIT_INTERNAL


def _report_damaged_state() -> None:
    """Files of the app's own that a command found damaged and set aside, once each."""
    if "idsync.storage.damage" not in sys.modules:
        return  # nothing that keeps state ran, so nothing was set aside
    # Seam "command": loaded already by whatever set a file aside.
    from idsync.storage.damage import report_lines, take_reports

    for line in report_lines(take_reports()):
        error(line)


def _run(argv: list[str]) -> int:
    commands = COMMAND_NAMES
    if argv and argv[0] == SELF_TEST:
        # Seam "command": the entry point imports only the command that runs.
        from idsync.cli.window import self_test

        return self_test(argv[1:], commands)
    gui_paths = _gui_request(argv, set(commands))
    if gui_paths is not None:
        # Seam "command": the entry point imports only the command that runs.
        from idsync.cli.window import launch_gui

        return launch_gui(gui_paths, commands)
    if argv and not argv[0].startswith("-") and argv[0] not in commands:
        # Looks like "open these files", but one of them is not a file.
        wrong = next(arg for arg in argv if not Path(arg).is_file())
        if Path(wrong).is_dir():
            error(
                f"{wrong} is a folder: open it on its own (`{PROG} {wrong}`) to review every "
                f"document in it, or run `{PROG} check {wrong}`"
            )
        else:
            error(f"{wrong}: no such file or command (see `{PROG} --help`)")
        return EXIT_UNREADABLE
    # Seam "command": argparse is built only for a command, not to open the window.
    from idsync.cli.parser import UsageError, parse_arguments

    try:
        namespace = parse_arguments(argv)
    except UsageError as exc:
        error(str(exc))
        return EXIT_UNREADABLE
    except SystemExit as exc:  # --help and --version end here
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    return _handler(namespace.handler)(namespace)


def _handler(name: str) -> Callable[..., int]:
    """The function ``module:function`` names, its module imported now."""
    module, _, function = name.partition(":")
    return cast(Callable[..., int], getattr(importlib.import_module(module), function))


def _gui_request(argv: list[str], commands: set[str]) -> list[str] | None:
    """The files to open when the arguments ask for the editor, else None."""
    if not argv:
        return []
    if argv[0].startswith("-") or argv[0] in commands:
        return None
    if all(Path(arg).is_file() for arg in argv):
        return list(argv)
    if len(argv) == 1 and Path(argv[0]).is_dir():
        return list(argv)  # a folder opens in the review workspace (app/idsync/ui/workspace)
    return None
