"""Seconds since this process started, for the start-up times ``idsync --self-test`` prints
(and the benchmarks' bare window, on the same clock); nothing else uses it.

On Linux the start is the kernel's: the process start time in /proc/self/stat, compared
with CLOCK_BOOTTIME (the clock it is counted on), so the times include the interpreter's own
start-up and every import, as a person launching ``idsync`` waits for them (resolution:
one clock tick). Elsewhere the start is the moment this module was first imported, which
``idsync.ui.self_test`` does before anything else: the interpreter's start-up and the
command line's own imports are then not counted. ``CLOCK`` names which one is in use, and
the self-test's report carries it beside the times.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Final

_IMPORTED_AT: Final = time.perf_counter()


def _kernel_start() -> float | None:
    """Process start in CLOCK_BOOTTIME seconds, or None where /proc does not tell."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        with open("/proc/self/stat", encoding="ascii", errors="replace") as stat:
            text = stat.read()
        # Field 2 (the command name) is in parentheses and may hold spaces: count the
        # fields after its closing parenthesis; starttime is field 22, the 20th of those.
        fields = text[text.rindex(")") + 2 :].split()
        ticks = int(fields[19])
        return ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


_KERNEL_START: Final = _kernel_start()
CLOCK: Final = "process-start" if _KERNEL_START is not None else "first-import"


def seconds_since_start() -> float:
    if _KERNEL_START is not None:
        return time.clock_gettime(time.CLOCK_BOOTTIME) - _KERNEL_START
    return time.perf_counter() - _IMPORTED_AT
