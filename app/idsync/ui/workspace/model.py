"""The review workspace's table: one row per document file of a folder (and subfolders).

Rows arrive in batches as the folder is listed, then are filled in as each file is checked
off the UI thread: inserts and changes are signalled row by row (never a full reset per
file), so a folder of a thousand files stays responsive while it is checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from idsync.core.findings import Severity
from idsync.core.model import AudienceTarget, IdSyncDocument
from idsync.review.checked import CheckedFile
from idsync.ui.severity_style import severity_color
from idsync.ui.theme import secondary_text_color

SORT_ROLE: Final = Qt.ItemDataRole.UserRole + 1
PATH_ROLE: Final = Qt.ItemDataRole.UserRole + 2
CHECKING: Final = "Checking…"

Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    NAME = 0
    PATH = 1
    TARGET = 2
    DESTINATION = 3
    SETUP = 4
    ROWS = 5
    ERRORS = 6
    WARNINGS = 7
    NOTES = 8
    MODIFIED = 9

    @property
    def title(self) -> str:
        return _TITLES[self]


_TITLES: Final = {
    Column.NAME: "Name",
    Column.PATH: "Path",
    Column.TARGET: "Target",
    Column.DESTINATION: "Destination",
    Column.SETUP: "Setup",
    Column.ROWS: "Rows",
    Column.ERRORS: "Errors",
    Column.WARNINGS: "Warnings",
    Column.NOTES: "Notes",
    Column.MODIFIED: "Modified",
}
_COUNTS: Final = {
    Column.ERRORS: Severity.ERROR,
    Column.WARNINGS: Severity.WARNING,
    Column.NOTES: Severity.INFO,
}


@dataclass(frozen=True)
class WorkspaceEntry:
    path: Path
    result: CheckedFile | None = None
    """None while the file waits to be checked."""

    @property
    def pending(self) -> bool:
        return self.result is None

    @property
    def document(self) -> IdSyncDocument | None:
        return self.result.document if self.result is not None else None

    @property
    def unreadable(self) -> bool:
        return self.result is not None and self.result.document is None

    @property
    def errors(self) -> int:
        return self.result.errors if self.result is not None else 0

    @property
    def has_errors(self) -> bool:
        return self.unreadable or self.errors > 0


def target_text(doc: IdSyncDocument) -> str:
    target = doc.target
    if isinstance(target, AudienceTarget):
        return f"{target.space_id or '?'} / {target.audience_id or '?'}"
    return f"{target.space_id or '?'} / journey {target.journey_id or '?'} / {target.step or '?'}"


def destination_text(doc: IdSyncDocument) -> str:
    if doc.destination is None:
        return "(none)"
    return doc.destination.name or doc.destination.slug


class WorkspaceModel(QAbstractTableModel):
    def __init__(self, root: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.root = root
        self._entries: list[WorkspaceEntry] = []
        self._rows: dict[Path, int] = {}

    # -- reading ----------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal and 0 <= section < len(Column):
            if role == Qt.ItemDataRole.DisplayRole:
                return Column(section).title
            if role == Qt.ItemDataRole.TextAlignmentRole and section in _COUNTS:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        if not 0 <= index.column() < len(Column):
            return None
        entry = self._entries[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, column)
        if role == SORT_ROLE:
            return self._sort_key(entry, column)
        if role == PATH_ROLE:
            return str(entry.path)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and (
            column in _COUNTS or column is Column.ROWS
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(entry, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self._display(entry, column)
            return f"{column.title}: {text}" if text else column.title
        return None

    def entry(self, row: int) -> WorkspaceEntry:
        return self._entries[row]

    def entries(self) -> list[WorkspaceEntry]:
        return list(self._entries)

    def row_of(self, path: Path) -> int | None:
        return self._rows.get(path)

    def known_times(self) -> dict[Path, float | None]:
        """Each listed file's modification time when checked (None: not checked yet)."""
        return {
            e.path: (e.result.modified if e.result is not None else None) for e in self._entries
        }

    def results(self) -> list[CheckedFile]:
        return [e.result for e in self._entries if e.result is not None]

    def _relative(self, path: Path) -> str:
        if self.root is not None:
            try:
                return str(path.relative_to(self.root))
            except ValueError:
                pass
        return str(path)

    def _display(self, entry: WorkspaceEntry, column: Column) -> str:
        if column is Column.NAME:
            doc = entry.document
            return doc.name if doc is not None and doc.name else entry.path.name
        if column is Column.PATH:
            # Copies of one config share a name: where each one is tells them apart.
            return self._relative(entry.path)
        if column is Column.MODIFIED:
            modified = entry.result.modified if entry.result is not None else None
            if modified is None:
                return ""
            return datetime.fromtimestamp(modified).strftime("%Y-%m-%d %H:%M")
        if entry.pending:
            return CHECKING if column is Column.TARGET else ""
        result = entry.result
        assert result is not None
        doc = result.document
        if doc is None:
            if column is Column.TARGET:
                reason = result.error.reason if result.error is not None else "unreadable"
                return f"Unreadable: {reason}"
            return ""
        if column is Column.TARGET:
            return target_text(doc)
        if column is Column.DESTINATION:
            return destination_text(doc)
        if column is Column.SETUP:
            return doc.setup.label
        if column is Column.ROWS:
            return str(len(doc.identifiers))
        return str(result.count(_COUNTS[column]))

    def _sort_key(self, entry: WorkspaceEntry, column: Column) -> Any:
        result = entry.result
        if column in _COUNTS:
            if result is None:
                return -1
            if result.document is None:
                # Unreadable files sort with (above) the worst: they need a look first.
                return 10_000 if column is Column.ERRORS else -1
            return result.count(_COUNTS[column])
        if column is Column.ROWS:
            doc = entry.document
            return len(doc.identifiers) if doc is not None else -1
        if column is Column.MODIFIED:
            return result.modified if result is not None and result.modified else 0.0
        return self._display(entry, column).casefold()

    def _tooltip(self, entry: WorkspaceEntry, column: Column) -> str | None:
        if entry.unreadable and entry.result is not None and entry.result.error is not None:
            return str(entry.result.error)
        if column in (Column.NAME, Column.PATH):
            return str(entry.path)
        if column in (Column.TARGET, Column.DESTINATION):
            return self._display(entry, column) or None  # the whole text when cut short
        return None

    def _foreground(self, entry: WorkspaceEntry, column: Column) -> Any:
        palette = _palette()
        if entry.pending:
            return secondary_text_color(palette)
        if entry.unreadable and column in (Column.NAME, Column.TARGET):
            return severity_color(Severity.ERROR, palette)
        if column in (Column.ERRORS, Column.WARNINGS) and entry.result is not None:
            severity = _COUNTS[column]
            if entry.result.count(severity):
                return severity_color(severity, palette)
        return None

    # -- changing ---------------------------------------------------------------------------

    def clear(self, root: Path | None) -> None:
        self.beginResetModel()
        self.root = root
        self._entries = []
        self._rows = {}
        self.endResetModel()

    def add_pending(self, paths: list[Path]) -> None:
        """Append rows for files not listed yet, in one insert."""
        new = [path for path in dict.fromkeys(paths) if path not in self._rows]
        if not new:
            return
        first = len(self._entries)
        self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
        for offset, path in enumerate(new):
            self._rows[path] = first + offset
            self._entries.append(WorkspaceEntry(path))
        self.endInsertRows()

    def update(self, results: list[CheckedFile]) -> None:
        """Put checked results in their rows (appending rows for new files)."""
        self.add_pending([Path(result.path) for result in results])
        rows: list[int] = []
        for result in results:
            row = self._rows[Path(result.path)]
            self._entries[row] = WorkspaceEntry(self._entries[row].path, result)
            rows.append(row)
        # One signal per contiguous run of rows, not one per cell.
        for start, end in _runs(sorted(rows)):
            self.dataChanged.emit(
                self.index(start, 0), self.index(end, len(Column) - 1)
            )

    def remove(self, paths: list[Path]) -> None:
        for path in paths:
            row = self._rows.get(path)
            if row is None:
                continue
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._entries[row]
            self._rows = {entry.path: index for index, entry in enumerate(self._entries)}
            self.endRemoveRows()


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and row == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], row)
        elif not runs or row > runs[-1][1]:
            runs.append((row, row))
    return runs


def _palette() -> QPalette:
    return QApplication.palette()


class WorkspaceFilter(QSortFilterProxyModel):
    """Sorts by each column's own order and filters by text and "only with errors"."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._only_errors = False
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    @property
    def text(self) -> str:
        return self._text

    def set_text(self, text: str) -> None:
        text = text.strip().casefold()
        if text != self._text:
            self.beginFilterChange()
            self._text = text
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_only_errors(self, on: bool) -> None:
        if on != self._only_errors:
            self.beginFilterChange()
            self._only_errors = on
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, WorkspaceModel):
            return True
        entry = model.entry(source_row)
        if self._only_errors and not entry.has_errors:
            return False
        if not self._text:
            return True
        haystack = [str(entry.path)]
        for column in (Column.NAME, Column.TARGET, Column.DESTINATION):
            haystack.append(str(model.index(source_row, column).data() or ""))
        doc = entry.document
        if doc is not None and doc.destination is not None:
            haystack.append(doc.destination.slug)
        return any(self._text in item.casefold() for item in haystack)
