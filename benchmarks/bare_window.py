"""The baseline for start-up: a bare PySide6 window process, reporting like the self-test.

Prints one JSON line: first_paint_s (process start to the window's first paint, on the
same clock as ``idsync --self-test``) and rss_mb. Used by benchmarks/startup.py.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel

from app.ui.self_test_clock import seconds_since_start  # the self-test's own clock


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class _FirstPaint(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not hasattr(self, "at"):
            self.at = seconds_since_start()
            QTimer.singleShot(0, QApplication.quit)
        return False


def main() -> int:
    app = QApplication(sys.argv)
    window = QLabel("A bare window")
    window.resize(1280, 800)
    watcher = _FirstPaint()
    window.installEventFilter(watcher)
    window.show()
    app.exec()
    print(json.dumps({"first_paint_s": round(watcher.at, 3), "rss_mb": round(_rss_mb(), 1)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
