"""Start the desktop editor: ``idsync`` (empty document) or ``idsync FILE``."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app import APP_NAME, DESKTOP_ID, __version__
from app.catalog import CatalogError, load_catalog
from app.ui.icons import app_icon
from app.ui.main_window import MainWindow

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


def run_gui(paths: list[str]) -> int:
    """Open the window (and the first of ``paths``, if any); returns the exit code."""
    app = create_application()
    try:
        catalog = load_catalog()
    except CatalogError as error:
        QMessageBox.critical(
            None,
            APP_NAME,
            f"The destination catalog shipped with the app cannot be read:\n\n{error}\n\n"
            "Reinstall ID Sync Configurator.",
        )
        return 2
    window = MainWindow(catalog)
    window.show()
    QTimer.singleShot(0, lambda: window.start(paths))
    return app.exec()
