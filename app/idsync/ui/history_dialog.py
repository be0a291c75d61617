"""File > History: the kept versions of this document (or of all), what restoring one
would change, and Restore as one undoable edit."""

from __future__ import annotations

import logging
from typing import Final

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from idsync.core.diff import diff_documents
from idsync.core.model import IdSyncDocument
from idsync.storage.history import HistoryEntry, HistoryError, HistoryStore, key_label
from idsync.ui.controller import DocumentController
from idsync.ui.theme import heading_font, monospace_font

_log = logging.getLogger(__name__)

NO_HISTORY: Final = (
    "No history yet.\n\nHistory fills as you save, export and push: each time, a copy of "
    "the configuration is kept here, on this computer, so you can compare it with your "
    "work and restore it. Segment itself keeps no history of ID Sync settings."
)
NO_HISTORY_HERE: Final = (
    "No versions of this document yet.\n\nHistory fills as you save, export and push it. "
    "Tick “All documents” to see the versions of other documents."
)
SAME_AS_CURRENT: Final = (
    "This version is the same as your current document: restoring it would change nothing."
)
COLUMNS: Final = ("When", "Event", "File / connection", "Detail")


def when_text(entry: HistoryEntry) -> str:
    """The recording time in the computer's time zone, to the second."""
    return entry.recorded_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")


class HistoryDialog(QDialog):
    """``restored`` carries a status-bar message after a Restore."""

    restored = Signal(str)

    def __init__(
        self,
        controller: DocumentController,
        store: HistoryStore | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.setWindowTitle("History")
        self.resize(920, 600)
        self.controller = controller
        self._store_problem = ""
        self.store: HistoryStore | None = store
        if self.store is None:
            try:
                self.store = HistoryStore()
            except OSError as error:
                self._store_problem = (
                    f"The history cannot be used ({error.strerror or error}); "
                    "check that the app's data folder is writable."
                )
        self.entries: list[HistoryEntry] = []
        self.selected: HistoryEntry | None = None
        self.snapshot: IdSyncDocument | None = None

        self.heading = QLabel()
        self.heading.setObjectName("historyHeading")
        self.heading.setFont(heading_font(self.font(), 1.25))
        self.heading.setWordWrap(True)
        intro = QLabel(
            "Every save, export and push is kept on this computer. Select a version to see "
            "what restoring it would change; Restore is one step you can undo."
        )
        intro.setWordWrap(True)
        self.all_check = QCheckBox("&All documents")
        self.all_check.setObjectName("historyAll")
        self.all_check.setToolTip("Show the versions of every document, not only this one")
        self.all_check.toggled.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(intro, 1)
        top.addWidget(self.all_check, 0, Qt.AlignmentFlag.AlignBottom)

        self.list = QTreeWidget()
        self.list.setObjectName("historyList")
        self.list.setAccessibleName("Kept versions, newest first")
        self.list.setColumnCount(len(COLUMNS))
        self.list.setHeaderLabels(list(COLUMNS))
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.list.header()
        # Long details scroll sideways instead of being cut; the selected one is also
        # shown in full above the diff.
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.list.currentItemChanged.connect(self._on_current_changed)

        self.entry_summary = QLabel()
        self.entry_summary.setObjectName("historyEntrySummary")
        self.entry_summary.setWordWrap(True)
        self.entry_summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.diff_caption = QLabel()
        self.diff_caption.setObjectName("historyDiffCaption")
        self.diff_caption.setWordWrap(True)
        self.diff_view = QPlainTextEdit()
        self.diff_view.setObjectName("historyDiff")
        self.diff_view.setAccessibleName("What restoring the selected version would change")
        self.diff_view.setReadOnly(True)
        self.diff_view.setFont(monospace_font())
        self.diff_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.diff_view.setTabChangesFocus(True)
        diff_panel = QWidget()
        diff_layout = QVBoxLayout(diff_panel)
        diff_layout.setContentsMargins(0, 6, 0, 0)
        diff_layout.addWidget(self.entry_summary)
        diff_layout.addWidget(self.diff_caption)
        diff_layout.addWidget(self.diff_view, 1)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.list)
        self.splitter.addWidget(diff_panel)
        self.splitter.setSizes([300, 220])

        self.empty_label = QLabel()
        self.empty_label.setObjectName("historyEmpty")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setMargin(24)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(self.splitter)

        self.restore_button = QPushButton("&Restore This Version")
        self.restore_button.setObjectName("historyRestore")
        self.restore_button.setToolTip("Replace the current document with this version (undoable)")
        self.restore_button.setAutoDefault(False)
        self.restore_button.clicked.connect(self.restore_selected)
        self.close_button = QPushButton("Close")
        self.close_button.setObjectName("historyClose")
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)

        self.refresh()

    # -- listing -----------------------------------------------------------------------

    @property
    def current_key_label(self) -> str:
        path = self.controller.path
        if path is not None:
            return path.name
        name = self.controller.document.name.strip()
        return f"“{name}”" if name else "this document"

    def refresh(self, *_args: object) -> None:
        show_all = self.all_check.isChecked()
        self.heading.setText(
            "History of all documents" if show_all else f"History of {self.current_key_label}"
        )
        self.entries = self._load_entries(show_all)
        self.list.clear()
        for entry in self.entries:
            item = QTreeWidgetItem(
                [when_text(entry), entry.event.label, entry.where, self._detail(entry)]
            )
            item.setToolTip(2, self._where_tip(entry))
            item.setToolTip(3, self._detail(entry))
            self.list.addTopLevelItem(item)
        # One document's versions share their connection (named in each summary): the
        # column only earns its width when versions of several documents are listed.
        self.list.setColumnHidden(2, len({entry.key for entry in self.entries}) <= 1)
        if self.entries:
            self.stack.setCurrentIndex(1)
            first = self.list.topLevelItem(0)
            if first is not None:
                self.list.setCurrentItem(first)
            self.list.setFocus()
        else:
            self.empty_label.setText(self._store_problem or self._empty_text(show_all))
            self.stack.setCurrentIndex(0)
            self._show_entry(None)

    def _load_entries(self, show_all: bool) -> list[HistoryEntry]:
        if self.store is None:
            return []
        try:
            if show_all:
                return self.store.entries()
            return self.store.entries_for(self.controller.document, self.controller.path)
        except OSError as error:
            self._store_problem = f"The history cannot be read ({error.strerror or error})."
            return []

    def _empty_text(self, show_all: bool) -> str:
        if show_all or self.store is None or self._store_problem:
            return NO_HISTORY
        try:
            return NO_HISTORY_HERE if self.store.entries() else NO_HISTORY
        except OSError:
            return NO_HISTORY

    @staticmethod
    def _detail(entry: HistoryEntry) -> str:
        if entry.detail:
            return entry.detail
        return str(entry.source_path) if entry.source_path is not None else ""

    @staticmethod
    def _where_tip(entry: HistoryEntry) -> str:
        lines = [f"Document: {entry.name or '(no name)'}", key_label(entry.key)]
        if entry.source_path is not None:
            lines.append(f"File: {entry.source_path}")
        return "\n".join(lines)

    # -- the selected version ------------------------------------------------------------

    def _on_current_changed(self, current: QTreeWidgetItem | None, *_previous: object) -> None:
        index = self.list.indexOfTopLevelItem(current) if current is not None else -1
        self._show_entry(self.entries[index] if 0 <= index < len(self.entries) else None)

    def _show_entry(self, entry: HistoryEntry | None) -> None:
        self.selected = entry
        self.snapshot = None
        self.restore_button.setEnabled(False)
        if entry is None or self.store is None:
            self.entry_summary.setText("")
            self.diff_caption.setText("")
            self.diff_view.setPlainText("")
            return
        self.entry_summary.setText(self._summary(entry))
        try:
            self.snapshot = self.store.load(entry)
        except HistoryError as error:
            _log.warning("%s", error)
            self.diff_caption.setText("This version cannot be restored:")
            self.diff_view.setPlainText(str(error))
            return
        difference = diff_documents(self.controller.document, self.snapshot)
        self.diff_caption.setText(
            "Restoring it would change (your document → that version):"
        )
        if difference.is_empty:
            self.diff_view.setPlainText(SAME_AS_CURRENT)
            return
        self.diff_view.setPlainText("\n".join(difference.render_text()))
        self.restore_button.setEnabled(True)

    def _summary(self, entry: HistoryEntry) -> str:
        parts = [f"{entry.event.label} {when_text(entry)}", entry.where]
        detail = self._detail(entry)
        if detail and detail != entry.where:
            parts.append(detail)
        return " · ".join(parts)

    def diff_lines(self) -> list[str]:
        return self.diff_view.toPlainText().splitlines()

    # -- restore -------------------------------------------------------------------------

    def restore_selected(self) -> None:
        entry, snapshot = self.selected, self.snapshot
        if entry is None or snapshot is None:
            return
        when = when_text(entry)
        self.controller.edit(snapshot, f"Restore from history ({when})")
        self.restored.emit(
            f"Restored the version {entry.event.label.lower()} {when}. "
            "Undo (Ctrl+Z) takes it back."
        )
        self.accept()
