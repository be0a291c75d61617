"""The plan's row changes as a table: live value → value after the push.

Every change carries a text marker (+ Added, - Removed, ~ Changed, ↕ Moved) besides its
colour, so the table reads the same without colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from idsync.core.diff import RowChange, RowChangeKind, RowFieldChange, describe_row
from idsync.core.findings import Severity
from idsync.core.model import IdentifierRow, Strategy
from idsync.ui.severity_style import severity_color
from idsync.ui.theme import is_dark, secondary_text_color

MARKERS: Final = {
    RowChangeKind.ADDED: "+ Added",
    RowChangeKind.REMOVED: "- Removed",
    RowChangeKind.CHANGED: "~ Changed",
    RowChangeKind.MOVED: "↕ Moved",
}
SAME_MARKER: Final = "= Same"
FIELD_LABELS: Final = {
    "segment": "Segment identifier",
    "destination": "Destination field (mapTo)",
    "strategy": "Strategy",
}
_HEADERS: Final = ("Change", "Row", "Field", "Live now", "After push")
_NONE: Final = "—"


def _added_color(palette: QPalette) -> QColor:
    return QColor("#81c784") if is_dark(palette) else QColor("#2e7d32")


def field_value(change: RowFieldChange, value: str) -> str:
    if change.field == "strategy":
        try:
            strategy = Strategy(value)
        except ValueError:
            return value
        return f"{strategy.label} ({strategy.value})"
    return value


def change_rows(change: RowChange) -> list[tuple[str, str, str, str, str]]:
    """(marker, row, field, live, after) lines for one change."""
    marker = MARKERS[change.kind]
    if change.kind is RowChangeKind.ADDED:
        assert change.new_index is not None and change.new_row is not None
        return [
            (marker, str(change.new_index + 1), "Whole row", _NONE, describe_row(change.new_row))
        ]
    if change.kind is RowChangeKind.REMOVED:
        assert change.old_index is not None and change.old_row is not None
        return [
            (marker, str(change.old_index + 1), "Whole row", describe_row(change.old_row), _NONE)
        ]
    assert change.old_index is not None and change.new_index is not None
    where = str(change.new_index + 1)
    if change.moved:
        where = f"{change.old_index + 1} → {change.new_index + 1}"
    if change.kind is RowChangeKind.MOVED:
        assert change.new_row is not None
        return [
            (
                marker,
                where,
                "Position",
                f"row {change.old_index + 1}",
                f"row {change.new_index + 1}",
            )
        ]
    # Name the identifier, unless it is the very thing that changed.
    whose = f" of {change.new_row.segment}" if change.new_row is not None else ""
    return [
        (
            marker,
            where,
            FIELD_LABELS.get(field.field, field.field)
            + ("" if field.field == "segment" else whose),
            field_value(field, field.old),
            field_value(field, field.new),
        )
        for field in change.fields
    ]


class DiffTable(QTableWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(_HEADERS), parent)
        self.setObjectName("planDiff")
        self.setAccessibleName("Changes to the live connection")
        self.setHorizontalHeaderLabels(list(_HEADERS))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)

    def set_changes(
        self, changes: Sequence[RowChange], new_rows: Sequence[IdentifierRow] = ()
    ) -> None:
        """The changes, then the rows the push keeps as they are (so the table shows the
        whole list the connection will have)."""
        keyed: list[tuple[tuple[int, int], RowChangeKind | None, tuple[str, ...]]] = []
        for change in changes:
            # Removals first (by old position), as the core diff reads; then by new row.
            new = change.new_index
            key = (0, change.old_index or 0) if new is None else (1, new)
            keyed.extend((key, change.kind, line) for line in change_rows(change))
        touched = {change.new_index for change in changes}
        for index, kept in enumerate(new_rows):
            if index not in touched:
                text = describe_row(kept)
                keyed.append(
                    ((1, index), None, (SAME_MARKER, str(index + 1), "Whole row", text, text))
                )
        keyed.sort(key=lambda entry: entry[0])  # stable: a row's field lines keep their order
        lines = [(kind, texts) for _key, kind, texts in keyed]
        self.setRowCount(len(lines))
        palette = self.palette()
        colors = {
            RowChangeKind.ADDED: _added_color(palette),
            RowChangeKind.REMOVED: severity_color(Severity.ERROR, palette),
            RowChangeKind.CHANGED: severity_color(Severity.WARNING, palette),
            RowChangeKind.MOVED: palette.color(QPalette.ColorRole.Highlight),
        }
        quiet = secondary_text_color(palette)
        for row, (kind, texts) in enumerate(lines):
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if kind is None:
                    item.setForeground(quiet)
                elif column == 0:
                    item.setForeground(colors[kind])
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.setItem(row, column, item)

    def lines(self) -> list[str]:
        """Every row as ``marker | row | field | live | after`` (for tests and copying)."""
        result = []
        for row in range(self.rowCount()):
            cells = []
            for column in range(self.columnCount()):
                item = self.item(row, column)
                cells.append(item.text() if item is not None else "")
            result.append(" | ".join(cells))
        return result
