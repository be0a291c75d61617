"""``idsync --self-test [FILE]``: start the real window, open a document, paint, report.

The report (one JSON object, printed by the CLI on one line):

- ``first_paint_s``: seconds from process start until the main window first painted;
- ``ready_s``: until FILE was opened, validated and the window painted again with it;
- ``clock``: what "process start" means here (see ``idsync.ui.self_test_clock``):
  ``process-start`` (the kernel's, Linux) or ``first-import`` (when this module began
  importing);
- ``rss_mb``: resident memory at ready, in MiB (Linux: current RSS from /proc; macOS and
  other Unixes: the peak RSS; Windows: null);
- ``findings``: count by severity (``error``, ``warning``, ``info``), every key present,
  and ``codes``: the distinct finding codes, sorted, so a check of a known example can
  assert on both;
- ``platform`` (the Qt platform plugin), ``version``, ``file``.

It runs in a throwaway app home (``IDSYNC_HOME``), so it never reads or changes the
person's settings, recovery files, recent files or history.
"""

from __future__ import annotations

# First: where the kernel cannot tell when the process started, the clock starts here.
from idsync.ui.self_test_clock import CLOCK, seconds_since_start  # isort: skip

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication

from idsync import __version__
from idsync.core.findings import Severity
from idsync.ui.application import create_application
from idsync.ui.first_paint import FirstPaint
from idsync.ui.main_window import MainWindow

WATCHDOG_MS: Final = 60_000
"""A self-test that has not finished by then (a dialog waiting for an answer, a hung
start) fails instead of hanging a build or a pipeline."""


class SelfTestError(Exception):
    """The self-test failed; the message is one line for the person."""


class SelfTestUnreadable(SelfTestError):
    """FILE cannot be read as a document (the message names it and says why)."""


def resident_mb() -> float | None:
    if sys.platform.startswith("linux"):
        try:
            with open("/proc/self/statm", encoding="ascii") as statm:
                pages = int(statm.read().split()[1])
            return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)
        except (OSError, ValueError, IndexError):
            return None
    try:
        # Seam "platform": Unix only.
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (2**20 if sys.platform == "darwin" else 2**10), 1)


@contextmanager
def _throwaway_home() -> Iterator[None]:
    before = os.environ.get("IDSYNC_HOME")
    with tempfile.TemporaryDirectory(prefix="idsync-self-test-") as home:
        os.environ["IDSYNC_HOME"] = home
        try:
            yield
        finally:
            if before is None:
                os.environ.pop("IDSYNC_HOME", None)
            else:
                os.environ["IDSYNC_HOME"] = before


def run_self_test(path: Path) -> dict[str, Any]:
    with _throwaway_home():
        return _run(path)


def _run(path: Path) -> dict[str, Any]:
    """As ``idsync`` starts: the frame paints first, then it is filled and FILE opened."""
    app = create_application()
    window = MainWindow()
    # No fallback: the self-test measures the paint, and has its own watchdog.
    watch = FirstPaint(window, clock=seconds_since_start, latest_ms=None)
    result: dict[str, Any] = {}
    failure: list[SelfTestError] = []

    def finish() -> None:
        try:
            _fill_and_open(window, watch, path, result)
        except SelfTestError as exc:
            failure.append(exc)
        except Exception as exc:  # reported as the self-test's one line
            failure.append(SelfTestError(f"{type(exc).__name__}: {exc}"))
        finally:
            app.exit(0)

    def give_up() -> None:
        failure.append(SelfTestError(
            f"the window did not finish opening {path} within {WATCHDOG_MS // 1000} s"
        ))
        app.exit(1)

    watch.then(finish)
    watchdog = QTimer()
    watchdog.setSingleShot(True)
    watchdog.timeout.connect(give_up)
    watchdog.start(WATCHDOG_MS)
    window.show()
    try:
        app.exec()
    finally:
        watchdog.stop()
        watch.stop()
        if window.populated:
            window.controller.undo_stack.setClean()
        window.close()
        window.deleteLater()
    if failure:
        raise failure[0]
    if watch.at is None or "ready_s" not in result:
        raise SelfTestError("the window never painted")
    findings = result["findings"]
    counts = {severity.value: 0 for severity in Severity}
    for finding in findings:
        counts[finding.severity.value] += 1
    return {
        "self_test": "ok",
        "version": __version__,
        "platform": QGuiApplication.platformName(),
        "file": str(path),
        "clock": CLOCK,
        "first_paint_s": round(watch.at, 3),
        "ready_s": round(result["ready_s"], 3),
        "rss_mb": resident_mb(),
        "findings": counts,
        "codes": sorted({finding.code for finding in findings}),
    }


def _fill_and_open(
    window: MainWindow, watch: FirstPaint, path: Path, result: dict[str, Any]
) -> None:
    # Seam "frame, then fill": the catalog and the model load after the first paint.
    from idsync.catalog import CatalogError, load_catalog
    from idsync.storage.documents import DocumentError, read_document

    try:
        read_document(path)
    except DocumentError as exc:
        raise SelfTestUnreadable(str(exc)) from exc
    try:
        catalog = load_catalog()
    except CatalogError as error:
        raise SelfTestError(
            f"the shipped destination catalog cannot be read: {error}"
        ) from error
    window.populate(catalog)
    window.start([path])
    if window.controller.path != path.absolute():
        raise SelfTestError(f"the window did not open {path}")
    painted_before = watch.paints
    window.repaint()
    if watch.paints == painted_before:
        raise SelfTestError("the window did not paint the opened document")
    result["ready_s"] = seconds_since_start()
    result["findings"] = window.controller.findings
