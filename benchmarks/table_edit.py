"""An identifier-table edit in the real window: the edit, re-validation, the findings on
the cells and the repaint, then its undo and redo, against the same edit in a plain
QTableWidget, measured in the same run.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/table_edit.py [--edits 40]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("IDSYNC_HOME", tempfile.mkdtemp(prefix="idsync-bench-"))

from figures import absolute_figure, report
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTableWidget, QTableWidgetItem

from idsync.catalog import load_catalog
from idsync.resources import resource_path
from idsync.storage.documents import read_document

VALUES = ("EMAIL", "EXTERN_ID")  # one valid, one a wrong mapping: findings come and go


def timed(app: QApplication, repaint: Callable[[], None], action: Callable[[], None]) -> float:
    start = time.perf_counter()
    action()
    app.processEvents()
    repaint()
    return (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=40)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)

    from idsync.editor.steps import Step
    from idsync.ui.main_window import MainWindow

    window = MainWindow(load_catalog())
    window.resize(1280, 800)
    window.show()
    QTest.qWaitForWindowExposed(window)
    window.controller.load(
        read_document(resource_path("examples") / "facebook-custom-audiences.json"), None
    )
    window.go_to_step(Step.IDENTIFIERS)
    page = window.event_settings_page
    model = page.model
    index = model.index(0, 1)
    table = page.table
    repaint = table.viewport().repaint
    for _ in range(3):  # warm-up: first paints, icons, caches
        model.setData(index, "EXTERN_ID", Qt.ItemDataRole.EditRole)
        model.setData(index, "EMAIL", Qt.ItemDataRole.EditRole)
        app.processEvents()

    edits, undos, redos = [], [], []
    stack = window.controller.undo_stack
    for n in range(args.edits):
        value = VALUES[n % 2 == 0]
        edits.append(timed(app, repaint, lambda v=value: model.setData(index, v)))
        undos.append(timed(app, repaint, stack.undo))
        redos.append(timed(app, repaint, stack.redo))

    plain = QTableWidget(5, 3)
    plain.resize(1000, 300)
    plain.show()
    QTest.qWaitForWindowExposed(plain)
    base = [
        timed(
            app,
            plain.viewport().repaint,
            lambda n=n: plain.setItem(0, 1, QTableWidgetItem(VALUES[n % 2])),
        )
        for n in range(args.edits)
    ]

    print(f"identifier table, {args.edits} edits (median ms)")
    for label, values in (("edit", edits), ("undo", undos), ("redo", redos)):
        report(absolute_figure("table_edit.py", f"{label} + validate + repaint", "ms", values, 4,
                               "plain QTableWidget edit + repaint", base))
    window.controller.undo_stack.setClean()
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
