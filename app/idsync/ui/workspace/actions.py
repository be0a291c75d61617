"""The review actions of the main window: File > Open Folder…, File > Compare…, and
File > Export Review Report…, installed into the window's File menu from outside it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMainWindow, QMenu

from idsync.core.catalog import Catalog
from idsync.core.positions import document_positions
from idsync.storage.documents import DocumentError, dump_document, write_export
from idsync.ui.controller import DocumentController

if TYPE_CHECKING:
    # The workspace, the report and the folder checker load when first used.
    from idsync.review.checked import CheckedFile
    from idsync.ui.compare_dialog import CompareDialog
    from idsync.ui.push.session import SegmentSession
    from idsync.ui.workspace.panel import WorkspacePanel


WORKSPACE_MIN_HEIGHT = 220
"""The docked workspace's first height at least: its filter row and a few configs."""


class ReviewActions(QObject):
    message = Signal(str)

    def __init__(
        self,
        window: QMainWindow,
        controller: DocumentController,
        catalog: Catalog,
        open_path: object,
        session: SegmentSession | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._controller = controller
        self._catalog = catalog
        self._open_path = open_path
        self._session = session
        self.panel: WorkspacePanel | None = None
        self.compare_dialog: CompareDialog | None = None
        self.open_folder_action = self._action(
            "Open &Folder…", "openFolderAction", "Ctrl+Shift+O",
            "Review every config in a folder and its subfolders",
        )
        self.open_folder_action.triggered.connect(self.choose_folder)
        self.compare_action = self._action(
            "Co&mpare…", "compareAction", "Ctrl+Shift+D",
            "Compare two configs side by side: files, history versions or the live connection",
        )
        self.compare_action.triggered.connect(self.open_compare)
        self.report_action = self._action(
            "Export Review &Report…", "exportReportAction", "",
            "Write the open config's review as one HTML file to hand on or print",
        )
        self.report_action.triggered.connect(lambda: self.export_report())

    def _action(self, text: str, name: str, shortcut: str, tip: str) -> QAction:
        action = QAction(text, self._window)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        self._window.addAction(action)
        return action

    def install(self, file_menu: QMenu, *, after: QAction, before: QAction) -> None:
        """Open Folder… after ``after`` (File > Open…); Compare… and Export Review Report…
        before ``before`` (File > History…)."""
        actions = file_menu.actions()
        index = actions.index(after) + 1
        following = actions[index] if index < len(actions) else None
        file_menu.insertAction(following, self.open_folder_action)  # type: ignore[arg-type]
        file_menu.insertAction(before, self.report_action)
        file_menu.insertAction(before, self.compare_action)

    # -- the workspace ------------------------------------------------------------------------

    def choose_folder(self) -> WorkspacePanel | None:
        start = str(self.panel.root) if self.panel and self.panel.root else str(Path.home())
        chosen = QFileDialog.getExistingDirectory(self._window, "Open folder to review", start)
        return self.open_folder(Path(chosen)) if chosen else None

    def open_folder(self, folder: Path) -> WorkspacePanel:
        # Seam "first use": the review workspace loads when a folder is opened.
        from idsync.ui.workspace.panel import WorkspacePanel

        if self.panel is None:
            self.panel = WorkspacePanel(self._catalog, self._window)
            self.panel.openRequested.connect(self._open_requested)
            self.panel.message.connect(self.message)
            # Docked under the editor's pages, in the same window: a config opened from it
            # shows at once above it, and neither window can hide the other. Its title
            # bar's button floats it (and a double-click on that title docks it again).
            self._window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.panel)
            self._size_dock()
            # Again once the window has laid the dock out (it may not be shown yet).
            QTimer.singleShot(0, self, self._size_dock)
        self.panel.show()
        self.panel.raise_()
        self.panel.open_folder(folder)
        self.message.emit(f"Reviewing {folder}")
        return self.panel

    def _size_dock(self) -> None:
        panel = self.panel
        if panel is None or panel.isFloating():
            return
        height = max(WORKSPACE_MIN_HEIGHT, self._window.height() // 3)
        self._window.resizeDocks([panel], [height], Qt.Orientation.Vertical)

    def _open_requested(self, path: Path) -> None:
        opener = self._open_path
        assert callable(opener)
        if not opener(path):  # the editor's own open: reads first, then the unsaved guard
            return
        panel = self.panel
        if panel is not None and panel.isFloating() and self._covers_editor(panel):
            # A floating dock always stays above its window: the config just opened would
            # be hidden behind it. Back into the window, below the editor's pages.
            panel.setFloating(False)
        self._window.raise_()
        self._window.activateWindow()

    def _covers_editor(self, panel: QDockWidget) -> bool:
        pages = self._window.centralWidget()
        if pages is None:
            return False
        shown = QRect(pages.mapToGlobal(QPoint(0, 0)), pages.size())
        return panel.frameGeometry().intersects(shown)

    # -- compare ------------------------------------------------------------------------------

    def open_compare(self) -> CompareDialog:
        # Seam "first use": Compare loads when it is opened.
        from idsync.ui.compare_dialog import CompareDialog

        if self.compare_dialog is not None:
            self.compare_dialog.deleteLater()
        dialog = CompareDialog(self._controller, session=self._session, parent=self._window)
        self.compare_dialog = dialog
        dialog.open()
        return dialog

    # -- the report of the open config --------------------------------------------------------

    def current_review(self) -> CheckedFile:
        """The open config as the report shows it: the file's own lines when it is saved
        and unchanged, else the lines it will have when saved."""
        # Seam "first use": the folder checker loads with the review workspace.
        from idsync.review.checked import CheckedFile, check_file

        controller = self._controller
        path = controller.path
        if path is not None and not controller.is_dirty:
            on_disk = check_file(path, self._catalog)
            if on_disk.document == controller.document:
                return on_disk
        doc = controller.document
        positions = document_positions(dump_document(doc).decode("utf-8"))
        label = str(path) if path is not None else "Untitled (not saved)"
        if path is not None and controller.is_dirty:
            label += " (unsaved changes)"
        return CheckedFile(
            label,
            document=doc,
            findings=tuple(positions.locate(list(controller.findings))),
            positions=positions,
        )

    def export_report(self, target: Path | str | None = None) -> Path | None:
        # Seam "first use": the HTML report loads when one is exported.
        from idsync.review.report_html import render_report
        from idsync.ui.workspace.panel import REPORT_FILTER

        review = self.current_review()
        if target is None:
            path = self._controller.path
            folder = path.parent if path is not None else Path.home()
            stem = path.stem if path is not None else "idsync-config"
            chosen, _filter = QFileDialog.getSaveFileName(
                self._window, "Export review report", str(folder / f"{stem}-review.html"),
                REPORT_FILTER,
            )
            if not chosen:
                return None
            target = chosen
        out = Path(target)
        if not out.suffix:
            out = out.with_suffix(".html")
        html = render_report([review], generated_at=datetime.now().astimezone())
        try:
            write_export(out, html.encode("utf-8"))
        except DocumentError as error:
            # Seam "first use": the message boxes load when one is first shown.
            from idsync.ui import dialogs

            dialogs.show_export_error(self._window, out, error.reason)
            return None
        self.message.emit(f"Exported the review report to {out}")
        return out
