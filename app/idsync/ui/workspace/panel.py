"""The review workspace: every config of a folder (and its subfolders) in one table.

Checked off the UI thread with progress and Cancel; the folder is watched and rows are
refreshed (debounced) when files change, appear or go. Double-click opens a config in the
editor, through the editor's unsaved-changes guard.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Final

from PySide6.QtCore import (
    QCoreApplication,
    QFileSystemWatcher,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from idsync.core.catalog import Catalog
from idsync.core.wording import plural
from idsync.review.checked import CheckedFile
from idsync.review.report_html import render_report
from idsync.storage.documents import DocumentError, write_export
from idsync.ui.workspace.model import PATH_ROLE, Column, WorkspaceFilter, WorkspaceModel
from idsync.ui.workspace.scanner import ScanTask

DEBOUNCE_MS: Final = 400
REPORT_FILTER: Final = "HTML files (*.html);;All files (*)"


class WorkspacePanel(QDockWidget):
    """A dock of the main window; ``openRequested(Path)`` asks the editor to open a file."""

    openRequested = Signal(object)
    message = Signal(str)
    scanFinished = Signal(bool)  # cancelled

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__("Review Workspace", parent)
        self.setObjectName("reviewWorkspace")
        self.catalog = catalog
        self.root: Path | None = None
        self.model = WorkspaceModel(parent=self)
        self.proxy = WorkspaceFilter(self)
        self.proxy.setSourceModel(self.model)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._task: ScanTask | None = None
        self._number = 0
        self._rescan = False
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(self._on_disk_change)
        self.watcher.fileChanged.connect(self._on_disk_change)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.refresh)

        body = QWidget()
        body.setObjectName("workspaceBody")
        self.folder_label = QLabel("No folder open")
        self.folder_label.setObjectName("workspaceFolder")
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("workspaceFilter")
        self.filter_edit.setPlaceholderText("Filter by name, path, target or destination")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Filter the configs")
        self.filter_edit.textChanged.connect(self.proxy.set_text)
        self.filter_edit.textChanged.connect(self._update_status)
        self.errors_only = QCheckBox("Only with &errors")
        self.errors_only.setObjectName("workspaceErrorsOnly")
        self.errors_only.toggled.connect(self.proxy.set_only_errors)
        self.errors_only.toggled.connect(self._update_status)
        self.report_button = QPushButton("Export &Report…")
        self.report_button.setObjectName("workspaceReport")
        self.report_button.setToolTip(
            "Write one HTML file with the configs shown here (the filter applies)"
        )
        self.report_button.clicked.connect(lambda: self.export_report())
        self.refresh_button = QPushButton("Re&check")
        self.refresh_button.setObjectName("workspaceRefresh")
        self.refresh_button.clicked.connect(self.recheck)

        self.table = QTableView()
        self.table.setObjectName("workspaceTable")
        self.table.setAccessibleName("Configs in the folder")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in (
            (Column.NAME, 180), (Column.PATH, 180), (Column.TARGET, 220),
            (Column.DESTINATION, 170), (Column.SETUP, 120), (Column.ROWS, 50),
            (Column.ERRORS, 56), (Column.WARNINGS, 70), (Column.NOTES, 52),
            (Column.MODIFIED, 120),
        ):
            self.table.setColumnWidth(column, width)
        # The target (ids, or why a file is unreadable) takes the room that is left.
        header.setSectionResizeMode(Column.TARGET, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._open_index)

        self.progress = QProgressBar()
        self.progress.setObjectName("workspaceProgress")
        self.progress.setAccessibleName("Checking progress")
        self.progress.setVisible(False)
        self.cancel_button = QPushButton("&Cancel")
        self.cancel_button.setObjectName("workspaceCancel")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.status_label = QLabel()
        self.status_label.setObjectName("workspaceStatus")

        top = QHBoxLayout()
        top.addWidget(self.folder_label, 1)
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.errors_only)
        top.addWidget(self.refresh_button)
        top.addWidget(self.report_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.progress)
        bottom.addWidget(self.cancel_button)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.setWidget(body)
        self.model.rowsInserted.connect(self._update_status)
        self.model.rowsRemoved.connect(self._update_status)
        self.model.dataChanged.connect(self._update_status)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        self._update_status()

    # -- folder and scans ------------------------------------------------------------------

    def open_folder(self, folder: Path | str) -> None:
        root = Path(folder).absolute()
        self._stop_task()
        self.root = root
        self.model.clear(root)
        self.folder_label.setText(str(root))
        self.folder_label.setToolTip(str(root))
        self.setWindowTitle(f"Review Workspace — {root.name or root}")
        self._reset_watcher()
        self._start_scan(full=True)

    def refresh(self) -> None:
        """Check again what changed on disk since the last check (new, changed, gone)."""
        if self.root is None:
            return
        if self._task is not None:
            self._rescan = True
            self._task.cancel()
            return
        self._start_scan(full=False)

    def recheck(self) -> None:
        """Check every file again (the rules may have been what changed)."""
        if self.root is None:
            return
        self._stop_task()
        self._start_scan(full=True)

    def cancel(self) -> None:
        self._rescan = False
        if self._task is not None:
            self._task.cancel()
            self.cancel_button.setEnabled(False)
            self.status_label.setText("Cancelling…")

    @property
    def busy(self) -> bool:
        return self._task is not None

    def shutdown(self) -> None:
        """Stop checking and wait for the checker thread (the app is closing)."""
        self._rescan = False
        if self._task is not None:
            self._task.cancel()
        self.pool.waitForDone()
        self.debounce.stop()

    def _stop_task(self) -> None:
        self._rescan = False
        if self._task is not None:
            task = self._task
            task.cancel()
            self.pool.waitForDone()
            # Its queued signals may still arrive: they are ignored (not the current task).
            self._task = None

    def _start_scan(self, *, full: bool) -> None:
        assert self.root is not None
        known = {} if full else self.model.known_times()
        if full:
            # Every row is checked again; rows keep their place meanwhile.
            known = {path: None for path in self.model.known_times()}
        self._number += 1
        task = ScanTask(self.root, self.catalog, known, number=self._number)
        # Bound methods of this widget: queued onto the UI thread.
        task.signals.listed.connect(self._on_listed)
        task.signals.checked.connect(self._on_checked)
        task.signals.progress.connect(self._on_progress)
        task.signals.finished.connect(self._on_finished)
        self._task = task
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self.cancel_button.setEnabled(True)
        self.status_label.setText("Listing the folder…")
        self.pool.start(task)

    def _on_listed(self, number: int, files: list[Path], removed: list[Path]) -> None:
        if not self._is_current(number):
            return
        self.model.remove(removed)
        self.model.add_pending(files)
        self._watch(files)

    def _on_checked(self, number: int, batch: list[CheckedFile]) -> None:
        if not self._is_current(number):
            return
        self.model.update(batch)

    def _on_progress(self, number: int, done: int, total: int) -> None:
        if not self._is_current(number):
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done if total else 1)
        self.progress.setFormat(f"{done} of {total}")
        self.status_label.setText(f"Checking {done} of {plural(total, 'file')}…")

    def _on_finished(self, number: int, cancelled: bool) -> None:
        if not self._is_current(number):
            return
        # "finished" is the task's last act: let its thread return before it is dropped.
        self.pool.waitForDone()
        self._task = None
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        if self._rescan:
            self._rescan = False
            self._start_scan(full=False)
            return
        self._update_status()
        if cancelled:
            waiting = sum(1 for entry in self.model.entries() if entry.pending)
            self.status_label.setText(
                f"Cancelled: {plural(waiting, 'file')} not checked — Recheck to check them."
            )
        self.scanFinished.emit(cancelled)

    def _is_current(self, number: int) -> bool:
        return self._task is not None and self._task.number == number

    # -- watching --------------------------------------------------------------------------

    def _reset_watcher(self) -> None:
        watched = self.watcher.files() + self.watcher.directories()
        if watched:
            self.watcher.removePaths(watched)

    def _watch(self, files: list[Path]) -> None:
        if self.root is None:
            return
        folders = {str(self.root)} | {str(path.parent) for path in files}
        wanted = folders | {str(path) for path in files}
        # Atomic saves replace a file, which drops its watch: add what is missing again.
        have = set(self.watcher.files()) | set(self.watcher.directories())
        missing = sorted(path for path in wanted if path not in have)
        if missing:
            self.watcher.addPaths(missing)

    def _on_disk_change(self, _path: str) -> None:
        self.debounce.start()

    # -- opening and the report ---------------------------------------------------------------

    def _open_index(self, index: QModelIndex | QPersistentModelIndex) -> None:
        if index.isValid():
            self.openRequested.emit(Path(str(index.data(PATH_ROLE))))

    def shown_results(self) -> list[CheckedFile]:
        """The checked configs the table shows, in its order (the filter and the sort)."""
        results: list[CheckedFile] = []
        for row in range(self.proxy.rowCount()):
            source = self.proxy.mapToSource(self.proxy.index(row, 0))
            result = self.model.entry(source.row()).result
            if result is not None:
                results.append(result)
        return results

    def export_report(self, path: Path | str | None = None) -> Path | None:
        """Write the HTML report of the checked configs the table shows (what the filter
        lets through, in the table's order); asks where when ``path`` is None."""
        results = self.shown_results()
        if not results:
            self.message.emit("No checked config is shown: nothing to report.")
            return None
        if path is None:
            # Beside the reviewed folder, not in it: the report is not one of its configs
            # (and a file written into it would start the watched folder's recheck).
            folder = self.root.parent if self.root is not None else Path.home()
            name = f"{(self.root.name if self.root else 'review') or 'review'}-review-report.html"
            chosen, _filter = QFileDialog.getSaveFileName(
                self, "Export review report", str(folder / name), REPORT_FILTER
            )
            if not chosen:
                return None
            path = chosen
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(".html")
        html = render_report(
            results,
            generated_at=datetime.now().astimezone(),
            title=f"ID Sync review report: {self.root.name if self.root else ''}".rstrip(": "),
        )
        try:
            write_export(target, html.encode("utf-8"))
        except DocumentError as error:
            self.message.emit(f"The report was not written: {error}")
            return None
        count = plural(len(results), "config")
        checked = len(self.model.results())
        shown = f" (of {checked}, as filtered)" if len(results) < checked else ""
        self.message.emit(f"Wrote the review report of {count}{shown} to {target}")
        return target

    # -- status ----------------------------------------------------------------------------

    def _update_status(self, *_args: object) -> None:
        if self._task is not None:
            return
        entries = self.model.entries()
        if self.root is None:
            self.status_label.setText("Open a folder to review every config in it.")
            return
        if not entries:
            self.status_label.setText("No .json files in this folder or its subfolders.")
            return
        with_errors = sum(1 for entry in entries if entry.has_errors and not entry.unreadable)
        unreadable = sum(1 for entry in entries if entry.unreadable)
        parts = [plural(len(entries), "config"), f"{with_errors} with errors"]
        if unreadable:
            parts.append(f"{unreadable} unreadable")
        shown = self.proxy.rowCount()
        if shown != len(entries):
            parts.append(f"{shown} shown")
        self.status_label.setText(" · ".join(parts))
