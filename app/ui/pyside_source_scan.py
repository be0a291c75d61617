"""PySide6's look at the source of each module imported after it, without ``linecache``.

PySide6 replaces ``builtins.__import__``: for each module imported after it,
``shibokensupport.feature`` asks whether the module's source text contains "PySide6" (only
such a module may ask for ``from __feature__ import ...``). It reads that text with
``inspect.getsource``, which goes through ``linecache``, and ``linecache`` keeps every
module's decoded lines: about 4 MB of text for the modules the window loads, read once
and never again (a traceback reads its lines anew). Emptying ``linecache`` afterwards
gives nothing back to the system: the freed lines lie scattered between objects that live
as long as the app (the modules' functions, classes and constants), so the memory stays
the process's. Measured here, a process that imports PySide6.QtWidgets and then the
model, the catalog and the rules: 61.4 MiB resident with PySide's check, 61.4 MiB after
emptying ``linecache`` too, 54.5 MiB with this module's. The window at ready: 88.1 MiB
before, 83.6 MiB after, against a target of 1.5x a bare PySide6 window (55.7 MiB x 1.5 =
83.6 MiB).

:func:`replace_pyside_source_scan` gives PySide a check with the same answer that keeps
nothing: the file's bytes, dropped once looked at. Wherever the bytes alone might answer
otherwise (no source file, bytecode only, an encoding other than UTF-8, a file that
cannot be read), PySide's own check answers or the text is decoded as ``linecache``
would decode it.
"""

from __future__ import annotations

import contextlib
import io
import sys
import tokenize
from collections.abc import Callable
from importlib.machinery import SOURCE_SUFFIXES
from types import ModuleType
from typing import Final

PYSIDE_FEATURE_MODULE: Final = "shibokensupport.feature"
PYSIDE_SCAN: Final = "_mod_uses_pyside"
"""The function of ``shibokensupport.feature`` that PySide6 (6.11) calls for each module
imported after it, looked up there at every call, so replacing it there is enough."""

_MARK: Final = "PySide6"
_MARK_BYTES: Final = _MARK.encode("ascii")
_UTF8: Final = ("utf-8", "utf-8-sig")


class SourceScan:
    """Does a module's source text contain "PySide6"? As PySide's own check answers, from
    the file's bytes, which are dropped once looked at."""

    def __init__(self, pyside_scan: Callable[[ModuleType], bool]) -> None:
        self.pyside_scan = pyside_scan
        """PySide's own check, for what the file's bytes cannot settle."""

    def __call__(self, module: ModuleType) -> bool:
        try:
            answer = _mentions_pyside(module)
        except Exception:  # whatever went wrong here, PySide's own answer stands
            answer = None
        return self.pyside_scan(module) if answer is None else answer


def _mentions_pyside(module: object) -> bool | None:
    """The answer ``inspect.getsource`` would lead to, or None where it is not certain."""
    if not isinstance(module, ModuleType):
        return None
    path = getattr(module, "__file__", None)
    # Only a source file read as one: inspect finds a bytecode-only module's .py next to it
    # (or not), an archive's member through the loader, and nothing for an extension.
    if not isinstance(path, str) or not path.endswith(tuple(SOURCE_SUFFIXES)):
        return None
    try:
        with open(path, "rb") as source:
            data = source.read()
    except OSError:
        return None
    try:
        # As linecache reads it (tokenize.open): the BOM or the coding line decides.
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        return None
    if encoding in _UTF8 and _MARK_BYTES not in data:
        return False  # in UTF-8 no other character's bytes contain these ASCII letters
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return False  # linecache gets no lines from it, and PySide answers False
    return _MARK in text


def replace_pyside_source_scan() -> None:
    """Have PySide6 look at the modules imported from now on without keeping their text.

    Call it once PySide6 is imported, before the rest: a module imported in between is
    read PySide's way. Does nothing when this PySide6 has no such check, or when it is
    replaced already; never raises."""
    with contextlib.suppress(Exception):
        feature = sys.modules.get(PYSIDE_FEATURE_MODULE)
        pyside_scan = getattr(feature, PYSIDE_SCAN, None)
        if feature is None or not callable(pyside_scan) or isinstance(pyside_scan, SourceScan):
            return
        setattr(feature, PYSIDE_SCAN, SourceScan(pyside_scan))
