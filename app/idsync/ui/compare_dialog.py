"""File > Compare…: two configs side by side, rows and fields highlighted, from the same
diff as ``idsync diff`` (:func:`idsync.core.diff.diff_documents`).

The right side is the open config (or a file); the left side is another file, a kept
history version of the right side's document, or — when connected — its live connection
in Segment (read only, off the UI thread). The diff reads "what changes from left to
right": for a history version, what was done since; for live, what a push would change.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from idsync.core.diff import DocumentDiff, RowChangeKind, diff_documents
from idsync.core.model import IdSyncDocument
from idsync.review.compare import LiveCompareError, live_ids, read_live_side
from idsync.storage.documents import DocumentError, read_document
from idsync.storage.history import HistoryEntry, HistoryError, HistoryStore
from idsync.ui.controller import DocumentController
from idsync.ui.push.worker import JobContext, TaskRunner
from idsync.ui.theme import is_dark

if TYPE_CHECKING:
    from idsync.ui.push.session import SegmentSession
    from idsync.ui.push.worker import Worker

JSON_FILTER: Final = "ID Sync configurations (*.json);;All files (*)"
_ABSENT: Final = "(none)"


class LeftKind(str, Enum):
    FILE = "file"
    HISTORY = "history"
    LIVE = "live"

    @property
    def label(self) -> str:
        return {
            LeftKind.FILE: "Another file",
            LeftKind.HISTORY: "A history version",
            LeftKind.LIVE: "The live connection",
        }[self]


class Mark(str, Enum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    MOVED = "moved"


def mark_color(mark: Mark, palette: QPalette) -> QColor:
    """A tint of the palette's base colour: readable in light and dark themes alike."""
    hue = {Mark.ADDED: 130, Mark.REMOVED: 0, Mark.CHANGED: 40, Mark.MOVED: 215}[mark]
    if is_dark(palette):
        return QColor.fromHsl(hue, 90, 60)
    return QColor.fromHsl(hue, 170, 215)


def flatten(doc: IdSyncDocument) -> list[tuple[str, str]]:
    """The document's fields as the diff names them (``target.space_id``), with values."""
    out: list[tuple[str, str]] = []

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else key, inner)
        elif isinstance(value, bool):
            out.append((prefix, "on" if value else "off"))
        elif isinstance(value, list):
            out.append((prefix, ", ".join(str(v) for v in value) or "[]"))
        else:
            out.append((prefix, _ABSENT if value is None else str(value)))

    data = doc.to_json_data()
    for key in ("format", "version", "identifiers"):
        data.pop(key, None)
    walk("", data)
    return out


class ComparePane(QGroupBox):
    """One side: the document's fields and rows, marked by the diff."""

    def __init__(self, title: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setObjectName(name)
        self.fields = QTableWidget(0, 2)
        self.fields.setObjectName(f"{name}Fields")
        self.fields.setAccessibleName(f"{title}: fields")
        self.rows = QTableWidget(0, 4)
        self.rows.setObjectName(f"{name}Rows")
        self.rows.setAccessibleName(f"{title}: identifier rows")
        self.fields.setHorizontalHeaderLabels(["Field", "Value"])
        self.rows.setHorizontalHeaderLabels(["#", "Segment identifier", "Destination", "Strategy"])
        for table in (self.fields, self.rows):
            table.verticalHeader().setVisible(False)
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.setWordWrap(False)
            table.horizontalHeader().setStretchLastSection(True)
        self.fields.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.rows.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.rows.setColumnWidth(1, 150)
        self.rows.setColumnWidth(2, 150)
        self.source_label = QLabel()
        self.source_label.setObjectName(f"{name}Source")
        self.source_label.setWordWrap(True)
        self.source_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        rows_label = QLabel("Identifier rows")
        layout = QVBoxLayout(self)
        layout.addWidget(self.source_label)
        layout.addWidget(self.fields, 3)
        layout.addWidget(rows_label)
        layout.addWidget(self.rows, 2)

    def clear(self, note: str) -> None:
        self.source_label.setText(note)
        self.fields.setRowCount(0)
        self.rows.setRowCount(0)

    def show_document(
        self,
        doc: IdSyncDocument,
        source: str,
        field_marks: dict[str, Mark],
        row_marks: dict[int, tuple[Mark, frozenset[str]]],
    ) -> None:
        palette = self.palette()
        self.source_label.setText(source)
        pairs = flatten(doc)
        self.fields.setRowCount(len(pairs))
        for row, (name, value) in enumerate(pairs):
            items = [QTableWidgetItem(name), QTableWidgetItem(value)]
            mark = field_marks.get(name)
            for column, item in enumerate(items):
                if mark is not None:
                    item.setBackground(mark_color(mark, palette))
                    item.setToolTip(f"{name}: {mark.value}")
                    if column == 1:
                        _bold(item)
                self.fields.setItem(row, column, item)
        self.rows.setRowCount(len(doc.identifiers))
        for index, identifier in enumerate(doc.identifiers):
            values = {
                "segment": identifier.segment or "(empty)",
                "destination": identifier.destination or "(no mapTo)",
                "strategy": identifier.strategy.label,
            }
            items = [QTableWidgetItem(str(index + 1))] + [
                QTableWidgetItem(values[key]) for key in ("segment", "destination", "strategy")
            ]
            marked = row_marks.get(index)
            for column, item in enumerate(items):
                if marked is not None:
                    mark, cells = marked
                    item.setBackground(mark_color(mark, palette))
                    item.setToolTip(f"Row {index + 1}: {mark.value}")
                    key = ("", "segment", "destination", "strategy")[column]
                    if key in cells:
                        _bold(item)
                self.rows.setItem(index, column, item)


def _bold(item: QTableWidgetItem) -> None:
    font = QFont(item.font())
    font.setBold(True)
    item.setFont(font)


def marks(difference: DocumentDiff) -> tuple[
    dict[str, Mark],
    dict[int, tuple[Mark, frozenset[str]]],
    dict[int, tuple[Mark, frozenset[str]]],
]:
    """Field marks (both sides), left row marks by old index, right by new index."""
    fields = {change.field: Mark.CHANGED for change in difference.fields}
    left: dict[int, tuple[Mark, frozenset[str]]] = {}
    right: dict[int, tuple[Mark, frozenset[str]]] = {}
    for change in difference.rows:
        cells = frozenset(field.field for field in change.fields)
        if change.kind is RowChangeKind.REMOVED and change.old_index is not None:
            left[change.old_index] = (Mark.REMOVED, frozenset())
        elif change.kind is RowChangeKind.ADDED and change.new_index is not None:
            right[change.new_index] = (Mark.ADDED, frozenset())
        else:
            mark = Mark.MOVED if change.kind is RowChangeKind.MOVED else Mark.CHANGED
            if change.old_index is not None:
                left[change.old_index] = (mark, cells)
            if change.new_index is not None:
                right[change.new_index] = (mark, cells)
    return fields, left, right


class CompareDialog(QDialog):
    def __init__(
        self,
        controller: DocumentController,
        *,
        session: SegmentSession | None = None,
        history: HistoryStore | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("compareDialog")
        self.setWindowTitle("Compare")
        self._controller = controller
        self._session = session
        self._history = history
        self.right_doc: IdSyncDocument | None = controller.document
        self.right_path: Path | None = controller.path
        self.right_label = self._open_label()
        self.left_doc: IdSyncDocument | None = None
        self.left_label = ""
        self.difference: DocumentDiff | None = None
        self._entries: list[HistoryEntry] = []
        self._worker: Worker | None = None
        self._runner: Any = None

        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("compareKind")
        self.kind_combo.setAccessibleName("Compare with")
        for kind in LeftKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.left_file_button = QPushButton("Choose &file…")
        self.left_file_button.setObjectName("compareLeftFile")
        self.left_file_button.clicked.connect(lambda: self.choose_left_file())
        self.history_combo = QComboBox()
        self.history_combo.setObjectName("compareHistory")
        self.history_combo.setAccessibleName("History version")
        self.history_combo.setMinimumContentsLength(40)
        self.history_combo.activated.connect(self._history_chosen)
        self.live_button = QPushButton("Read &live configuration")
        self.live_button.setObjectName("compareLive")
        self.live_button.clicked.connect(self.read_live)
        self.right_button = QPushButton("Compare a file &instead…")
        self.right_button.setObjectName("compareRightFile")
        self.right_button.setToolTip("Put a file on the right instead of the open config")
        self.right_button.clicked.connect(lambda: self.choose_right_file())
        self.status = QLabel()
        self.status.setObjectName("compareStatus")
        self.status.setWordWrap(True)

        left_controls = QHBoxLayout()
        left_controls.addWidget(self.kind_combo)
        left_controls.addWidget(self.left_file_button)
        left_controls.addWidget(self.history_combo, 1)
        left_controls.addWidget(self.live_button)
        left_controls.addStretch(0)
        form = QFormLayout()
        left_title = QLabel("&Left:")
        left_title.setBuddy(self.kind_combo)
        form.addRow(left_title, left_controls)
        right_controls = QHBoxLayout()
        self.right_name = QLabel()
        self.right_name.setObjectName("compareRightName")
        right_controls.addWidget(self.right_name, 1)
        right_controls.addWidget(self.right_button)
        form.addRow("Right:", right_controls)

        self.left_pane = ComparePane("Left", "compareLeft")
        self.right_pane = ComparePane("Right", "compareRight")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.left_pane)
        splitter.addWidget(self.right_pane)
        self.changes = QListWidget()
        self.changes.setObjectName("compareChanges")
        self.changes.setAccessibleName("What changes from left to right")
        self.changes.setMaximumHeight(130)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(splitter, 1)
        changes_label = QLabel("What changes from left to right:")
        layout.addWidget(changes_label)
        layout.addWidget(self.changes)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(1180, 720)

        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    # -- the sides ------------------------------------------------------------------------------

    @property
    def kind(self) -> LeftKind:
        return LeftKind(self.kind_combo.currentData())

    def _open_label(self) -> str:
        path = self._controller.path
        name = path.name if path is not None else "Untitled"
        dirty = " (unsaved changes)" if self._controller.is_dirty else ""
        return f"The open config: {name}{dirty}"

    def set_kind(self, kind: LeftKind) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind.value))

    def _kind_changed(self, *_args: object) -> None:
        kind = self.kind
        self.left_file_button.setVisible(kind is LeftKind.FILE)
        self.history_combo.setVisible(kind is LeftKind.HISTORY)
        self.live_button.setVisible(kind is LeftKind.LIVE)
        self.left_doc = None
        self.left_label = ""
        if kind is LeftKind.HISTORY:
            self._load_history()
        elif kind is LeftKind.LIVE:
            connected = self._session is not None and self._session.is_connected
            self.live_button.setEnabled(connected)
            if not connected:
                self.status.setText(
                    "Connect to Segment (Segment > Connect to Segment…) to compare with the "
                    "live connection."
                )
        self._refresh()

    def choose_left_file(self, path: Path | str | None = None) -> bool:
        picked = self._pick_file("Compare with file", path)
        if picked is None:
            return False
        self.left_doc, self.left_label = picked[0], f"File: {picked[1]}"
        self._refresh()
        return True

    def choose_right_file(self, path: Path | str | None = None) -> bool:
        picked = self._pick_file("Compare file", path)
        if picked is None:
            return False
        self.right_doc, self.right_path = picked
        self.right_label = f"File: {picked[1]}"
        if self.kind is LeftKind.HISTORY:
            self._load_history()
        self._refresh()
        return True

    def _pick_file(
        self, title: str, path: Path | str | None
    ) -> tuple[IdSyncDocument, Path] | None:
        """The document at ``path``, or at the file the person chooses (None: cancelled
        or unreadable, with the reason in the status line)."""
        if path is None:
            chosen, _filter = QFileDialog.getOpenFileName(
                self, title, self._folder(), JSON_FILTER
            )
            if not chosen:
                return None
            path = chosen
        doc = self._read(Path(path))
        return (doc, Path(path)) if doc is not None else None

    def _folder(self) -> str:
        path = self.right_path or self._controller.path
        return str(path.parent) if path is not None else str(Path.home())

    def _read(self, path: Path) -> IdSyncDocument | None:
        try:
            return read_document(path)
        except DocumentError as error:
            self.status.setText(f"Cannot compare: {error}")
            return None

    def _load_history(self) -> None:
        self.history_combo.clear()
        self._entries = []
        if self.right_doc is None:
            return
        try:
            store = self._history if self._history is not None else HistoryStore()
            self._entries = store.entries_for(self.right_doc, self.right_path)
        except OSError as error:
            self.status.setText(f"The history cannot be read: {error.strerror or error}")
            return
        for entry in self._entries:
            when = entry.recorded_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            name = entry.name or "(no name)"
            self.history_combo.addItem(f"{when} — {entry.event.label} — {name}")
        if self._entries:
            self._history_chosen(0)
        else:
            self.status.setText(
                "No history of this config yet: versions are kept at each save, export and push."
            )

    def _history_chosen(self, index: int) -> None:
        if not 0 <= index < len(self._entries):
            return
        entry = self._entries[index]
        store = self._history if self._history is not None else HistoryStore()
        try:
            doc = store.load(entry)
        except HistoryError as error:
            self.status.setText(str(error))
            return
        when = entry.recorded_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        self.left_doc, self.left_label = doc, f"{entry.event.label} {when} ({entry.where})"
        self._refresh()

    # -- live (read only, off the UI thread) ------------------------------------------------

    def read_live(self) -> None:
        if self.right_doc is None or self._session is None or not self._session.is_connected:
            return
        try:
            live_ids(self.right_doc)
        except LiveCompareError as error:
            self.status.setText(f"Cannot compare with live: {error}.")
            return
        if self._runner is None:
            self._runner = TaskRunner(self, max_threads=1)
        doc = self.right_doc
        session = self._session

        def job(context: JobContext) -> object:
            with session.new_client(context.cancel) as client:
                try:
                    return read_live_side(client, doc)
                except LiveCompareError as error:
                    return error

        self.live_button.setEnabled(False)
        self.status.setText("Reading the live configuration…")
        self._worker = self._runner.run(
            job, name="compare-live", finished=self._live_read, failed=self._live_failed,
            cancelled=self._live_failed,
        )

    def _live_read(self, result: object) -> None:
        self.live_button.setEnabled(True)
        if isinstance(result, LiveCompareError):
            self.status.setText(f"Cannot compare with live: {result}.")
            return
        side: Any = result
        self.left_doc, self.left_label = side.document, f"Live: {side.label.removeprefix('live: ')}"
        if self.kind is LeftKind.LIVE:
            self._refresh()

    def _live_failed(self, error: object) -> None:
        self.live_button.setEnabled(True)
        self.status.setText(f"The live configuration could not be read: {error}")

    # -- the comparison -------------------------------------------------------------------------

    def _refresh(self) -> None:
        self.right_name.setText(self.right_label)
        self.changes.clear()
        self.difference = None
        if self.right_doc is None:
            self.right_pane.clear("Nothing open.")
        if self.left_doc is None or self.right_doc is None:
            self.left_pane.clear(self._left_hint())
            if self.right_doc is not None:
                self.right_pane.show_document(self.right_doc, self.right_label, {}, {})
            return
        difference = diff_documents(self.left_doc, self.right_doc)
        self.difference = difference
        fields, left, right = marks(difference)
        self.left_pane.show_document(self.left_doc, self.left_label, fields, left)
        self.right_pane.show_document(self.right_doc, self.right_label, fields, right)
        lines = difference.render_text()
        self.changes.addItems(lines or ["No differences."])
        self.status.setText(
            "The same." if difference.is_empty
            else f"{len(difference.fields)} field and {len(difference.rows)} row changes."
        )

    def _left_hint(self) -> str:
        hint: dict[LeftKind, str] = {
            LeftKind.FILE: "Choose a file to compare with.",
            LeftKind.HISTORY: "Choose a kept version.",
            LeftKind.LIVE: "Read the live configuration to compare with it.",
        }
        return hint[self.kind]

    def done(self, result: int) -> None:
        if self._runner is not None:
            self._runner.cancel_all()
            self._runner.wait()
        super().done(result)

