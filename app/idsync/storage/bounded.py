"""The one way the app reads a file from disk: bounded, never blocking, never crashing.

Every reader (documents, sample profiles, settings, recovery files, history entries, the
catalog) goes through :func:`read_bytes`, so each of them:

- refuses anything that is not a regular file (a folder, a FIFO, a device such as a
  symlink to ``/dev/zero``) before reading a byte, so a FIFO with no writer cannot hang
  the app and a device cannot fill its memory;
- refuses a file over its size cap before reading it, and reads at most cap + 1 bytes
  (``st_size`` can lie, for example for files in ``/proc``);
- treats a UTF-8 byte-order mark the same way (:func:`decode_utf8` drops it);
- gets a :class:`ReadError` for every way JSON can defeat Python (nesting deep enough
  for a RecursionError, an integer over the int digit limit, a MemoryError), instead of
  an exception that escapes as a crash.

A :class:`ReadError` carries what went wrong as a :class:`Problem` plus the position, so
each reader words the message for its own file; ``str()`` is a generic phrase without
the file's name.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from enum import Enum
from pathlib import Path
from typing import Any, Final

MAX_DOCUMENT_BYTES: Final = 5 * 1024 * 1024
MAX_PROFILE_BYTES: Final = 20 * 1024 * 1024
MAX_STATE_BYTES: Final = 5 * 1024 * 1024
"""Settings, recovery files and history entries: all small, all written by the app."""

MAX_JSON_DEPTH: Final = 100
"""Nothing the app reads is more than a few levels deep. Deeper values are refused even
when the parser copes, so later recursive steps (validation, re-encoding) cannot fail."""

UTF8_BOM: Final = b"\xef\xbb\xbf"
_CHUNK: Final = 1024 * 1024
_NONBLOCK: Final = getattr(os, "O_NONBLOCK", 0)  # Windows has no FIFOs to guard against
# Looked up once: a getattr that misses raises and catches an AttributeError each time.
_READ_FLAGS: Final = os.O_RDONLY | _NONBLOCK | getattr(os, "O_BINARY", 0)


_BROKEN_FILE_ERRNOS: Final = frozenset(
    {errno.EACCES, errno.EPERM, errno.ELOOP, errno.ENOTDIR, errno.EISDIR, errno.ENXIO}
)
"""Opening failed because of what the file is (no permission, a symlink loop…), not
because of the moment."""


class Problem(str, Enum):
    MISSING = "missing"
    NOT_A_FILE = "not-a-file"
    TOO_BIG = "too-big"
    CANNOT_OPEN = "cannot-open"
    NOT_UTF8 = "not-utf8"
    EMPTY = "empty"
    NOT_JSON = "not-json"
    TOO_DEEP = "too-deep"
    NUMBER_TOO_LONG = "number-too-long"
    OUT_OF_MEMORY = "out-of-memory"


class ReadError(Exception):
    """A file could not be read or parsed; ``str()`` is a phrase without the file's name.

    ``line`` and ``column`` (1-based) point into the file where known; ``size`` is the
    file's size for TOO_BIG when known; ``cap`` the limit that was applied; ``byte`` the
    undecodable byte for NOT_UTF8; ``os_error`` the OSError behind MISSING/CANNOT_OPEN;
    ``kind`` names a non-regular file ("a folder", "a named pipe (FIFO)", "a device");
    ``detail`` is the JSON parser's own words for NOT_JSON, without the position.
    """

    def __init__(
        self,
        problem: Problem,
        reason: str,
        *,
        line: int | None = None,
        column: int | None = None,
        size: int | None = None,
        cap: int | None = None,
        byte: int | None = None,
        os_error: OSError | None = None,
        kind: str = "",
        detail: str = "",
    ) -> None:
        super().__init__(reason)
        self.problem = problem
        self.reason = reason
        self.line = line
        self.column = column
        self.size = size
        self.cap = cap
        self.byte = byte
        self.os_error = os_error
        self.kind = kind
        self.detail = detail

    @property
    def is_damage(self) -> bool:
        """Whether the file itself is bad (set it aside), rather than this attempt to read
        it: a missing file, a passing OS failure (too many open files, an I/O error) or
        a lack of memory leaves a good file where it is."""
        if self.problem in (Problem.MISSING, Problem.OUT_OF_MEMORY):
            return False
        if self.problem is Problem.CANNOT_OPEN:
            errno_ = self.os_error.errno if self.os_error is not None else None
            return errno_ in _BROKEN_FILE_ERRNOS
        return True

    @property
    def is_folder(self) -> bool:
        return self.problem is Problem.NOT_A_FILE and self.kind == "a folder"


def megabytes(count: int) -> str:
    """``5 MB``, ``20 MB``: a cap as people read it."""
    return f"{count // 1024 // 1024} MB"


# --- bytes -------------------------------------------------------------------------------


def read_bytes(path: Path | str, cap: int) -> bytes:
    """The whole content of the regular file ``path``, at most ``cap`` bytes.

    Raises ReadError (MISSING, NOT_A_FILE, TOO_BIG, CANNOT_OPEN, OUT_OF_MEMORY).
    """
    try:
        # stat before open: a device or FIFO is never opened at all.
        _refuse_special(os.stat(path))
        # O_NONBLOCK: should the file be swapped for a FIFO between stat and open, the
        # open still returns at once (and fstat below refuses it).
        fd = os.open(path, _READ_FLAGS)
    except OSError as error:
        raise _os_problem(error) from None
    try:
        info = os.fstat(fd)
        _refuse_special(info)
        if info.st_size > cap:
            raise _too_big(cap, info.st_size)
        chunks: list[bytes] = []
        total = 0
        while total <= cap:
            chunk = os.read(fd, min(_CHUNK, cap + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as error:
        raise _os_problem(error) from None
    except MemoryError:
        raise _out_of_memory() from None
    finally:
        os.close(fd)
    if total > cap:
        raise _too_big(cap, None)
    return b"".join(chunks)


def _refuse_special(info: os.stat_result) -> None:
    kind = special_kind(info.st_mode)
    if kind is not None:
        raise ReadError(Problem.NOT_A_FILE, f"it is {kind}, not a file", kind=kind)


def special_kind(mode: int) -> str | None:
    """What a non-regular file is, in words ("a folder", "a named pipe (FIFO)"); None
    for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _too_big(cap: int, size: int | None) -> ReadError:
    return ReadError(
        Problem.TOO_BIG, f"it is larger than {megabytes(cap)}", size=size, cap=cap
    )


def _out_of_memory() -> ReadError:
    return ReadError(Problem.OUT_OF_MEMORY, "it is too large to read into memory")


def _os_problem(error: OSError) -> ReadError:
    if error.errno == errno.ENOENT:
        return ReadError(Problem.MISSING, "no such file", os_error=error)
    if error.errno == errno.EISDIR:
        return ReadError(
            Problem.NOT_A_FILE, "it is a folder, not a file", kind="a folder", os_error=error
        )
    if error.errno == errno.ELOOP:
        reason = "it is a symbolic link that leads in a loop"
    elif error.errno in (errno.EACCES, errno.EPERM):
        reason = "permission denied"
    else:
        reason = (error.strerror or str(error)).lower()
    return ReadError(Problem.CANNOT_OPEN, reason, os_error=error)


# --- text --------------------------------------------------------------------------------


def decode_utf8(data: bytes) -> str:
    """UTF-8 text without a leading byte-order mark (as Windows Notepad writes)."""
    body = data[len(UTF8_BOM) :] if data.startswith(UTF8_BOM) else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        # Positions count in the file as it is on disk, mark included.
        start = error.start + (len(data) - len(body))
        line = data.count(b"\n", 0, start) + 1
        column = start - (data.rfind(b"\n", 0, start) + 1) + 1
        byte = data[start]
        raise ReadError(
            Problem.NOT_UTF8,
            f"it is not UTF-8 text (byte 0x{byte:02x} at line {line}, column {column})",
            line=line,
            column=column,
            byte=byte,
        ) from None


# --- JSON --------------------------------------------------------------------------------


class _Refused(Exception):
    """Raised from the strict parser's hooks; not a ValueError, so it is told apart."""


def parse_json(text: str, *, strict: bool = False) -> Any:
    """Parse JSON text; every failure is a ReadError.

    ``strict`` refuses what Python's parser would accept but JSON does not (NaN,
    Infinity) and keys that appear twice in one object (the second would win silently).
    """
    if not text or text.isspace():  # not strip(): that copies every text
        raise ReadError(Problem.EMPTY, "it is empty")
    try:
        if strict and not text.startswith("\ufeff"):
            # json.loads builds a new decoder on every call that passes hooks; a check of
            # thousands of documents reuses one. (A text that still starts with a mark
            # goes through json.loads for its own message about it.)
            value = _STRICT_DECODER.decode(text)
        elif strict:
            value = json.loads(
                text, object_pairs_hook=_refuse_duplicate_keys, parse_constant=_refuse_constant
            )
        else:
            value = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReadError(
            Problem.NOT_JSON,
            f"it is not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})",
            line=error.lineno,
            column=error.colno,
            detail=error.msg,
        ) from None
    except _Refused as error:
        raise ReadError(
            Problem.NOT_JSON, f"it is not valid JSON ({error})", detail=str(error)
        ) from None
    except RecursionError:
        raise _too_deep() from None
    except ValueError as error:
        # Python's limit on integer digits (4300 by default): a value no file of ours has.
        if "digits" in str(error):
            raise ReadError(
                Problem.NUMBER_TOO_LONG, "it holds a number with too many digits"
            ) from None
        raise ReadError(
            Problem.NOT_JSON, f"it is not valid JSON ({error})", detail=str(error)
        ) from None
    except MemoryError:
        raise _out_of_memory() from None
    # Nesting cannot pass the limit without that many opening brackets, which one C-speed
    # count rules out for every ordinary file; only the rest are walked.
    brackets = text.count("{") + text.count("[")
    if brackets > MAX_JSON_DEPTH and _depth_exceeds(value, MAX_JSON_DEPTH):
        raise _too_deep()
    return value


def read_json(path: Path | str, cap: int, *, strict: bool = False) -> Any:
    """:func:`read_bytes`, :func:`decode_utf8` and :func:`parse_json` in one step."""
    return parse_json(decode_utf8(read_bytes(path, cap)), strict=strict)


_LONE_SURROGATE_ESCAPE: Final = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


def lone_surrogate_at(text: str, value: Any) -> int | None:
    """Where JSON ``text`` (parsed: ``value``) escapes one half of a UTF-16 surrogate pair
    alone, or None. Python's parser takes such an escape (``"\\ud800"``) for text that no
    UTF-8 file can hold, so the value could never be written back. The offset is that of
    the first such escape, or 0 where the text hides it too well to point at."""
    if "\\u" not in text:
        return None
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        found = _LONE_SURROGATE_ESCAPE.search(text)
        return found.start() if found else 0
    return None


def _too_deep() -> ReadError:
    return ReadError(Problem.TOO_DEEP, "it is nested too deeply")


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)  # at C speed: only an object that lost a key to a repeat is searched
    if len(result) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Refused(f"the key {key!r} appears twice in one object")
            seen.add(key)
    return result


def _refuse_constant(name: str) -> Any:
    raise _Refused(f"{name} is not valid JSON")


_STRICT_DECODER: Final = json.JSONDecoder(
    object_pairs_hook=_refuse_duplicate_keys, parse_constant=_refuse_constant
)


def _depth_exceeds(value: Any, limit: int) -> bool:
    # Iterative: a recursive walk would hit the very limit it is guarding.
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if isinstance(current, dict):
            children: Any = current.values()
        elif isinstance(current, list):
            children = current
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False
