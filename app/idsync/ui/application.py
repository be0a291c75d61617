"""Start the desktop editor: ``idsync`` (empty document) or ``idsync FILE``.

The window's frame paints first; the document model, the rules and the catalog load
after that paint, and the frame is filled (``MainWindow.populate``). So this module, and
everything it imports at the top, imports Qt and light modules only.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication

from idsync import APP_NAME, DESKTOP_ID, __version__
from idsync.ui.app_icon import app_icon
from idsync.ui.first_paint import FirstPaint
from idsync.ui.main_window import MainWindow

ORGANIZATION = "idsync-configurator"


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(list(argv) if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(ORGANIZATION)
    app.setDesktopFileName(DESKTOP_ID)
    app.setWindowIcon(app_icon())
    # Colours come from the platform palette (Qt 6 follows the system's light or dark
    # scheme); every custom colour in the UI is derived from that palette.
    return app


def fill_window(window: MainWindow) -> bool:
    """Load the shipped catalog and fill ``window``; False (the person told, the window
    closed) when the catalog cannot be read."""
    # Seam "frame, then fill": the catalog (pydantic, the model) loads after the first paint.
    from idsync.catalog import CatalogError, load_catalog

    try:
        catalog = load_catalog()
    except CatalogError as error:
        # Seam "first use": its Python type slows every start; only a damaged catalog needs it.
        from PySide6.QtWidgets import QMessageBox

        # The window goes first: there is nothing it could show, and the message stays
        # on screen on its own until it is read.
        window.close()
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            APP_NAME,
            f"The destination catalog shipped with the app cannot be read:\n\n{error}\n\n"
            "Reinstall ID Sync Configurator.",
            QMessageBox.StandardButton.Ok,
            window,
        )
        box.setObjectName("catalogErrorDialog")
        box.exec()
        return False
    window.populate(catalog)
    return True


def run_gui(paths: list[str]) -> int:
    """Open the window (and the first of ``paths``, if any); returns the exit code."""
    app = create_application()
    window = MainWindow()
    first_paint = FirstPaint(window)
    failed: list[int] = []
    crashed: list[BaseException] = []

    def fill() -> None:
        first_paint.stop()
        if not window.isVisible():
            return  # closed while it was starting: nothing to fill, the app is ending
        try:
            if not fill_window(window):
                failed.append(2)
                app.exit(2)
                return
            window.pagesBuilt.connect(_set_start_up_aside)
            window.start(paths)
        except Exception as exc:
            # Raised here, inside a Qt timer, it would be printed and lost, and the frame
            # would say "Opening…" for ever: end the run and let the CLI report it.
            crashed.append(exc)
            # hide, not close: a close would also post a quit, left queued once this
            # loop has ended (and it would write settings from a half-built window).
            window.hide()
            app.exit(3)

    first_paint.then(fill)
    window.show()
    code = app.exec()
    if crashed:
        raise crashed[0]
    return failed[0] if failed else code


def _set_start_up_aside() -> None:
    """What start-up made (modules, the catalog, the pages) lives as long as the app:
    set it aside from the collector, so a full collection while the person types walks
    only what editing made (benchmarks/RESULTS.md has what one over start-up's objects
    took). Garbage first, or it would be kept for good."""
    gc.collect()
    gc.freeze()
