"""How the commands speak: stdout for results, one line on stderr per problem, and the
exit codes. Standard library and :mod:`idsync.core.visible` only, so every command (and
``--help``) can load it first.

Everything written goes through :func:`idsync.core.visible.visible_lines`: a document's text
never reaches a terminal as a control sequence. A write to stdout that fails raises
:class:`OutputError` naming the stream, which :func:`idsync.cli.main` turns into one line and
a non-zero exit (a reader that went away: a quiet exit 141, as a shell expects).
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from typing import Any, Final

from idsync.core.visible import visible_lines

PROG: Final = "idsync"
EXIT_OK: Final = 0
EXIT_FINDINGS: Final = 1
EXIT_UNREADABLE: Final = 2
"""Unreadable input, an output that cannot be written, or a usage error."""
EXIT_INTERNAL: Final = 3
EXIT_CANCELLED: Final = 130
EXIT_CLOSED_PIPE: Final = 141
"""128 + SIGPIPE: what a shell reports for a program whose reader went away."""


class OutputError(Exception):
    """Writing to ``stream`` (``stdout``, or a file's path) failed."""

    def __init__(self, stream: str, cause: OSError) -> None:
        super().__init__(f"cannot write to {stream}: {cause.strerror or cause}")
        self.stream = stream
        self.cause = cause

    @property
    def reader_gone(self) -> bool:
        """A closed pipe (``idsync catalog | head -1``): nothing to say, nobody to hear."""
        return isinstance(self.cause, BrokenPipeError) or self.cause.errno == errno.EPIPE


def out(line: str) -> None:
    """A line (or lines, or JSON text) of the command's result, on stdout."""
    try:
        write_text(sys.stdout, visible_lines(line) + "\n")
    except OSError as cause:
        raise OutputError("stdout", cause) from cause


def out_bytes(data: bytes) -> None:
    """A file's bytes (a document, a request body) on stdout, as they are: they are what
    ``-o`` would have written. On a terminal, the hidden characters in their JSON strings
    are written as JSON escapes (the same JSON, nothing for the terminal to act on)."""
    try:
        if _is_terminal(sys.stdout):
            data = visible_lines(data.decode("utf-8", errors="replace")).encode("utf-8")
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:
            write_text(sys.stdout, data.decode("utf-8"))
            return
        sys.stdout.flush()
        buffer.write(data)
        buffer.flush()
    except OSError as cause:
        raise OutputError("stdout", cause) from cause


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, OSError, ValueError):
        return False


def finish_stdout() -> None:
    """Flush stdout, so a write the buffer held fails here, where it can be reported."""
    stream = sys.stdout
    if stream is None:
        return
    try:
        stream.flush()
    except OSError as cause:
        raise OutputError("stdout", cause) from cause


def error(message: str) -> None:
    _to_stderr(f"{PROG}: {message}\n")


def report(line: str) -> None:
    """A problem with one input file: the line starts with its path, like a compiler's."""
    _to_stderr(line + "\n")


def _to_stderr(text: str) -> None:
    # Nowhere left to say that stderr failed; the exit code still tells.
    with contextlib.suppress(OSError, ValueError):
        write_text(sys.stderr, visible_lines(text.removesuffix("\n")) + "\n")


def write_text(stream: Any, text: str) -> None:
    try:
        stream.write(text)
    except UnicodeEncodeError:
        # A console that cannot show every character still gets the line.
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.write(text.encode(encoding, errors="backslashreplace").decode(encoding))


def silence_stdout() -> None:
    """Point stdout at the null device: what the buffer still holds (for a reader that
    went away, or a full disk) is dropped when Python ends, without a second complaint."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
