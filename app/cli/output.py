"""How the commands speak: stdout for results, one line on stderr per problem, and the
exit codes. Standard library only, so every command (and ``--help``) can load it first."""

from __future__ import annotations

import os
import sys
from typing import Any, Final

PROG: Final = "idsync"
EXIT_OK: Final = 0
EXIT_FINDINGS: Final = 1
EXIT_UNREADABLE: Final = 2
EXIT_INTERNAL: Final = 3
EXIT_CANCELLED: Final = 130


def out(line: str) -> None:
    write_text(sys.stdout, line + "\n")


def error(message: str) -> None:
    write_text(sys.stderr, f"{PROG}: {message}\n")


def report(line: str) -> None:
    """A problem with one input file: the line starts with its path, like a compiler's."""
    write_text(sys.stderr, line + "\n")


def write_text(stream: Any, text: str) -> None:
    try:
        stream.write(text)
    except UnicodeEncodeError:
        # A console that cannot show every character still gets the line.
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.write(text.encode(encoding, errors="backslashreplace").decode(encoding))


def out_bytes(data: bytes) -> None:
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        write_text(sys.stdout, data.decode("utf-8"))
        return
    sys.stdout.flush()
    buffer.write(data)
    buffer.flush()


def silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
