"""Guard against a PySide6 build that drops a reference to ``None`` on every void call.

PySide6 6.12.0 on Python 3.11 returns ``None`` from every void Qt method (``setText``,
``update``, ``processEvents``…) without taking a reference to it. From Python 3.12 on,
``None`` is immortal and that is harmless; on 3.11 its reference count falls by one per
call until CPython aborts with "none_dealloc: deallocating None" — after a few thousand
calls, i.e. within minutes of using the window.

The fix belongs in PySide6 (or in the dependency pins); until then, when the leak is
measured at start, ``None`` is given a reference count no session can use up. ``None`` is
never freed anyway, so a count that is too high costs nothing.
"""

from __future__ import annotations

import ctypes
import logging
import sys

from PySide6.QtCore import QObject

_log = logging.getLogger(__name__)

_PROBE_CALLS = 100
_HEADROOM = 1 << 40  # a trillion void calls
_applied = False


def void_calls_leak_none() -> bool:
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(_PROBE_CALLS):
        probe.setObjectName("probe")
    lost = before - sys.getrefcount(None)
    return lost >= _PROBE_CALLS * 9 // 10


def keep_none_alive() -> bool:
    """Apply the guard when this interpreter and PySide6 need it; returns whether it is on."""
    global _applied
    if _applied:
        return True
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    if not void_calls_leak_none():
        return False
    # CPython 3.11 objects start with their Py_ssize_t reference count.
    refcount = ctypes.c_ssize_t.from_address(id(None))
    refcount.value += _HEADROOM
    _applied = True
    _log.warning(
        "This PySide6 build leaks references to None on Python %d.%d; applied a guard. "
        "Use Python 3.12+ or another PySide6 version to avoid it.",
        *sys.version_info[:2],
    )
    return True
