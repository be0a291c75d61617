"""The window's baseline: a bare PySide6 ``QMainWindow`` in its own process, reporting
like ``idsync --self-test``.

The window is 1280x800 (the app's default size) with a ``QLabel`` as its central widget.
Prints one JSON line: ``first_paint_s``, seconds from process start to the first paint of
any widget of the window, on the self-test's own clock (``app/idsync/ui/self_test_clock.py``,
loaded first, as the self-test loads it), and ``rss_mb`` at that paint. The process quits
right after its first paint; startup.py takes its peak RSS from the kernel.

With ``--then-check FILE`` it goes on, after that paint, to do what the app does between
its first paint and ready apart from building its own window: import the document reader,
the catalog and the rules (pydantic and the app's models with them), read FILE and
validate it against the shipped catalog; ``then_checked_s`` is when that is done, on the
same clock. It is the floor under the app's ready: a bare window plus the app's reading
and checking, with no window of the app at all.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# First, as in idsync.ui.self_test: the clock the app's times are read on.
from idsync.ui.self_test_clock import seconds_since_start  # isort: skip

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QWidget


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class _FirstPaint(QObject):
    """Notes the first paint of any widget of ``window`` (as the app's FirstPaint does)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__()
        self.window = window
        self.at: float | None = None
        self.rss_mb = 0.0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            self.at is None
            and event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and watched.window() is self.window
        ):
            self.at = seconds_since_start()
            self.rss_mb = _rss_mb()
            QTimer.singleShot(0, QApplication.quit)
        return False


def _read_and_check(path: str) -> int:
    """FILE read and validated as the app's start does; the number of findings."""
    from idsync.catalog import load_catalog
    from idsync.core.rules import validate
    from idsync.storage.documents import read_document

    return len(validate(read_document(path), load_catalog()))


def main() -> int:
    then_check = sys.argv[2] if sys.argv[1:2] == ["--then-check"] else None
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QLabel("A bare window"))
    window.resize(1280, 800)
    watcher = _FirstPaint(window)
    app.installEventFilter(watcher)
    window.show()
    app.exec()
    if watcher.at is None:
        raise SystemExit("bare_window: the window never painted")
    figures = {"first_paint_s": round(watcher.at, 4), "rss_mb": round(watcher.rss_mb, 1)}
    if then_check is not None:
        figures["findings"] = _read_and_check(then_check)
        figures["then_checked_s"] = round(seconds_since_start(), 4)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
