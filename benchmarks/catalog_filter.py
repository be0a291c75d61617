"""Typing in the Destination page's search over a 50,000-destination catalog; the target
is absolute (the first key within 16 ms), and a plain filtered Qt list over the same
names is measured in the same run beside it.

Each key press goes through the real widget (QTest), then the event queue is drained and
the list repainted, so a figure is what a person waits for between keys. The first key is
the one that filters the whole catalog; later keys narrow what it left. The baseline is a
QListView over a QSortFilterProxyModel, the cheapest filtered list Qt offers. Each run
builds both widgets afresh and types into the plain list first, then the page, so drift
in load falls on both; figures are medians over the runs.

The page's search index is built once when the page is made (a first key is a look-up in
it); its build time and the memory it holds are reported beside the keys, as context.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/catalog_filter.py [--size 50000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from figures import absolute_figure, report
from PySide6.QtCore import QSortFilterProxyModel, QStringListModel, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QListView, QVBoxLayout, QWidget

from idsync.catalog import load_catalog
from idsync.catalog.search import DestinationIndex
from idsync.core.catalog import Catalog

TYPED = "google ads"
NAME = "catalog_filter.py"


def big_catalog(size: int) -> Catalog:
    """The shipped catalog's entries repeated with numbered names and slugs."""
    shipped = load_catalog()
    specs = []
    for n in range(size):
        spec = shipped.destinations[n % len(shipped.destinations)]
        specs.append(
            spec.replace(
                slug=f"{spec.slug}-{n}", segment_slug=f"{spec.slug}-{n}", name=f"{spec.name} {n}"
            )
        )
    return Catalog(identifiers=shipped.identifiers, destinations=tuple(specs))


def per_key(app: QApplication, edit: QLineEdit, view: QListView) -> list[float]:
    """Milliseconds from each key press to the repainted list."""
    timings = []
    for char in TYPED:
        start = time.perf_counter()
        QTest.keyClick(edit, char)
        app.processEvents()
        view.viewport().repaint()
        timings.append((time.perf_counter() - start) * 1000)
    edit.clear()
    app.processEvents()
    return timings


def measure(app: QApplication, build: Callable[[], tuple[QWidget, QLineEdit, QListView]]
            ) -> list[float]:
    """Milliseconds per key, typing into a fresh widget."""
    window, edit, view = build()
    window.resize(1280, 800)
    window.show()
    QTest.qWaitForWindowExposed(window)
    edit.setFocus()
    timings = per_key(app, edit, view)
    window.close()
    window.deleteLater()
    app.processEvents()
    return timings


def index_build_ms(catalog: Catalog) -> float:
    start = time.perf_counter()
    DestinationIndex(catalog)
    return (time.perf_counter() - start) * 1000


def index_mib(catalog: Catalog) -> float:
    """What a built index holds, by tracemalloc (a run of its own: tracing slows it)."""
    tracemalloc.start()
    index = DestinationIndex(catalog)
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del index
    return held / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=50000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    catalog = big_catalog(args.size)

    from idsync.ui.controller import DocumentController
    from idsync.ui.pages.destination import DestinationPage

    def page() -> tuple[QWidget, QLineEdit, QListView]:
        widget = DestinationPage(DocumentController(lambda _doc: []), catalog)
        return widget, widget.search_edit, widget.list_view

    names = [spec.name for spec in catalog.destinations]

    def plain() -> tuple[QWidget, QLineEdit, QListView]:
        widget = QWidget()
        edit = QLineEdit()
        source = QStringListModel(names, widget)
        proxy = QSortFilterProxyModel(widget)
        proxy.setSourceModel(source)
        proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        view = QListView()
        view.setUniformItemSizes(True)
        view.setModel(proxy)
        edit.textChanged.connect(proxy.setFilterFixedString)
        layout = QVBoxLayout(widget)
        layout.addWidget(edit)
        layout.addWidget(view)
        return widget, edit, view

    base_first, base_other, first, other, builds = [], [], [], [], []
    for _ in range(args.runs):
        builds.append(index_build_ms(catalog))
        base = measure(app, plain)
        mine = measure(app, page)
        base_first.append(base[0])
        base_other.append(statistics.median(base[1:]))
        first.append(mine[0])
        other.append(statistics.median(mine[1:]))
    print(f"catalog filter, {args.size} destinations, typing {TYPED!r} (median of {args.runs})")
    report(absolute_figure(NAME, f"Destination page first key, {args.size} destinations", "ms",
                           first, 16, "plain filtered Qt list", base_first))
    report(absolute_figure(NAME, "Destination page later keys (context)", "ms", other, None,
                           "plain filtered Qt list", base_other))
    report(absolute_figure(NAME, f"search index build, {args.size} destinations (context)",
                           "ms", builds, None))
    report(absolute_figure(NAME, f"search index memory, {args.size} destinations (context)",
                           "MiB", [index_mib(catalog)], None))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
