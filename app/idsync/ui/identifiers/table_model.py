"""The identifier table: a Qt model over the controller's document rows.

The model never changes the document itself: ``setData`` turns an edit into a new
document and hands it to the controller (one undo step), then reacts to the
controller's ``documentChanged`` like every other view, emitting the narrowest signal
that describes the change so selections and open editors survive edits and undo.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QGuiApplication, QIcon

from idsync.core.catalog import Catalog, DestinationSpec
from idsync.core.editing import RowField, change_identifier, set_row_field
from idsync.core.findings import Finding
from idsync.core.model import IdentifierRow, IdSyncDocument, Setup, Strategy
from idsync.editor.choices import STRATEGY_DESCRIPTIONS, preset_key_label
from idsync.editor.row_changes import (
    CellsChanged,
    Replaced,
    RowInserted,
    RowMoved,
    RowRemoved,
    Unchanged,
    classify_row_change,
    moved_index,
)
from idsync.ui.controller import DocumentController
from idsync.ui.severity_style import (
    findings_tooltip,
    severity_icon,
    severity_tint,
    worst_severity,
)

Index = QModelIndex | QPersistentModelIndex
Cell = tuple[int, int]

SEGMENT_COLUMN: Final = 0
DESTINATION_COLUMN: Final = 1
STRATEGY_COLUMN: Final = 2

COLUMN_FIELDS: Final[tuple[RowField, ...]] = ("segment", "destination", "strategy")
COLUMN_TITLES: Final = ("Segment identifier", "Destination identifier", "Strategy")
COLUMN_TOOLTIPS: Final = (
    "The identifier type on the profile that Segment sends (e.g. email, ios.idfa).",
    "The destination field the value is sent as (the API's mapTo).",
    "Which of the profile's values is sent: first added, last added, or all of them.",
)

_ROLE = Qt.ItemDataRole
FINDINGS_ROLE: Final = int(_ROLE.UserRole) + 1
"""Custom role: the list of findings on a cell (empty list when there are none)."""

# The roles as plain ints: Qt asks data() with ints, and comparing them with the enum's
# members goes through Python's enum machinery on every call of a paint.
_DISPLAY: Final = int(_ROLE.DisplayRole)
_EDIT: Final = int(_ROLE.EditRole)
_DECORATION: Final = int(_ROLE.DecorationRole)
_BACKGROUND: Final = int(_ROLE.BackgroundRole)
_TOOLTIP: Final = int(_ROLE.ToolTipRole)
_ACCESSIBLE_DESCRIPTION: Final = int(_ROLE.AccessibleDescriptionRole)
_PAINTED_ROLES: Final = frozenset({_DISPLAY, _DECORATION, _BACKGROUND})
"""The roles a paint of a cell asks, answered from the cell's ``CellLook``."""
_OTHER_ROLES: Final = frozenset({_EDIT, _TOOLTIP, _ACCESSIBLE_DESCRIPTION, FINDINGS_ROLE})
"""The other roles the model answers; every role in neither set is answered None."""

_NO_FLAGS: Final = Qt.ItemFlag.NoItemFlags
_GREYED_FLAGS: Final = Qt.ItemFlag.ItemIsSelectable
_EDITABLE_FLAGS: Final = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable
)

_VALUE_ROLES: Final = [
    _ROLE.DisplayRole,
    _ROLE.EditRole,
    _ROLE.ToolTipRole,
    _ROLE.AccessibleDescriptionRole,
]
_FINDING_ROLES: Final = [
    _ROLE.DecorationRole,
    _ROLE.BackgroundRole,
    _ROLE.ToolTipRole,
    _ROLE.AccessibleDescriptionRole,
    FINDINGS_ROLE,
]


def column_for_field(field: str | None) -> int:
    """The column a row finding belongs to; findings about the whole row go to the first."""
    for column, name in enumerate(COLUMN_FIELDS):
        if name == field:
            return column
    return SEGMENT_COLUMN


def findings_by_cell(findings: list[Finding], row_count: int) -> dict[Cell, tuple[Finding, ...]]:
    cells: dict[Cell, list[Finding]] = {}
    for finding in findings:
        for row in finding.named_rows:  # a finding about several rows shows on each
            if 0 <= row < row_count:
                cells.setdefault((row, column_for_field(finding.field)), []).append(finding)
    return {cell: tuple(found) for cell, found in cells.items()}


def _shown(findings: tuple[Finding, ...]) -> list[tuple[str, str, str, str | None]]:
    """What a cell shows of its findings; the row number is where it is, not what."""
    return [(f.code, f.severity.value, f.message, f.field) for f in findings]


@dataclass(frozen=True)
class CellLook:
    """What a paint of a cell shows: its text, and the icon and tint of its worst finding."""

    text: str
    icon: QIcon | None
    background: QBrush | None


class IdentifierTableModel(QAbstractTableModel):
    """Rows of the open document: Segment identifier, destination identifier, strategy."""

    FindingsRole: Final = FINDINGS_ROLE

    def __init__(
        self,
        controller: DocumentController,
        catalog: Catalog,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._catalog = catalog
        self._document: IdSyncDocument = controller.document
        self._cell_findings = findings_by_cell(controller.findings, self._row_count())
        # Each cell's look, built at its first paint and kept while the document, the
        # findings by cell and the palette it was built from are the current ones (both
        # are replaced, never changed in place, so a new one is a new object).
        self._looks: dict[Cell, CellLook] = {}
        self._looks_document = self._document
        self._looks_findings = self._cell_findings
        self._looks_palette = QGuiApplication.palette().cacheKey()
        controller.documentChanged.connect(self._on_document_changed)
        controller.findingsChanged.connect(self._on_findings_changed)

    # -- reading -------------------------------------------------------------------

    @property
    def document(self) -> IdSyncDocument:
        return self._document

    def destination_spec(self) -> DestinationSpec | None:
        ref = self._document.destination
        return self._catalog.destination(ref.slug) if ref is not None else None

    def row_at(self, row: int) -> IdentifierRow:
        return self._document.identifiers[row]

    def findings_at(self, index: Index) -> tuple[Finding, ...]:
        return self._cell_findings.get((index.row(), index.column()), ())

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._row_count()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMN_FIELDS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not self._valid(index):
            return _NO_FLAGS
        if self._document.setup is Setup.DEFAULT:
            # Kept for when Customized Setup is chosen again, but not sent: shown greyed.
            return _GREYED_FLAGS
        return _EDITABLE_FLAGS

    def is_editable(self, index: Index) -> bool:
        """What ``flags`` says of editing, without a round trip through Qt's flag types."""
        return self._document.setup is not Setup.DEFAULT and self._valid(index)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if role in _PAINTED_ROLES:
            look = self._cell_look(index)
            if look is None:
                return None
            if role == _DISPLAY:
                return look.text
            # Copies sharing the painted pixels, so a caller cannot alter the kept ones.
            if role == _DECORATION:
                return None if look.icon is None else QIcon(look.icon)
            return None if look.background is None else QBrush(look.background)
        if role not in _OTHER_ROLES or not self._valid(index):
            return None
        row = self.row_at(index.row())
        column = index.column()
        if role == _EDIT:
            return self._edit_value(row, column)
        if role == FINDINGS_ROLE:
            return list(self.findings_at(index))
        if role == _TOOLTIP:
            return findings_tooltip(self.findings_at(index), self._description(row, column))
        # The accessible description, the one role left.
        found = self.findings_at(index)
        return " ".join(f.message for f in found) or self._description(row, column)

    def _cell_look(self, index: Index) -> CellLook | None:
        """What a paint of the cell at ``index`` shows; None off the table."""
        palette = QGuiApplication.palette().cacheKey()
        if (
            self._looks_document is not self._document
            or self._looks_findings is not self._cell_findings
            or self._looks_palette != palette
        ):
            self._looks = {}
            self._looks_document = self._document
            self._looks_findings = self._cell_findings
            self._looks_palette = palette
        cell = (index.row(), index.column())
        look = self._looks.get(cell)
        if look is None:
            if not self._valid(index):
                return None
            look = self._build_look(index)
            self._looks[cell] = look
        return look

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = _ROLE.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMN_TITLES):
            if role == _ROLE.DisplayRole:
                return COLUMN_TITLES[section]
            if role == _ROLE.ToolTipRole:
                return COLUMN_TOOLTIPS[section]
        if (
            orientation == Qt.Orientation.Vertical
            and 0 <= section < self._row_count()
            and role == _ROLE.DisplayRole
        ):
            return str(section + 1)
        return None

    # -- editing -------------------------------------------------------------------

    def setData(self, index: Index, value: Any, role: int = _ROLE.EditRole) -> bool:
        if role != _ROLE.EditRole or not self._valid(index):
            return False
        if self._document.setup is Setup.DEFAULT:
            return False
        field = COLUMN_FIELDS[index.column()]
        parsed = self._parse(field, value)
        if parsed is None:
            return False
        row = index.row()
        doc = self._controller.document
        if parsed == getattr(doc.identifiers[row], field):
            # The same choice again (the list reopened and closed on the current value)
            # is no edit: re-deriving the destination from it would wipe a chosen one.
            return True
        if field == "segment" and isinstance(parsed, str):
            after = change_identifier(doc, row, parsed, self._catalog)
        else:
            after = set_row_field(doc, row, field, parsed)
        what = {"segment": "Segment identifier", "destination": "destination identifier"}
        self._controller.edit(after, f"Change {what.get(field, field)} of row {row + 1}")
        return True

    # -- following the controller -----------------------------------------------------

    def _on_document_changed(self, _before: IdSyncDocument, after: IdSyncDocument) -> None:
        before = self._document
        change = classify_row_change(before.identifiers, after.identifiers)
        root = QModelIndex()
        if isinstance(change, Unchanged):
            self._document = after
        elif isinstance(change, RowInserted):
            self.beginInsertRows(root, change.at, change.at)
            self._document = after
            self._shift_findings(lambda r: r if r < change.at else r + 1)
            self.endInsertRows()
        elif isinstance(change, RowRemoved):
            self.beginRemoveRows(root, change.at, change.at)
            self._document = after
            self._shift_findings(
                lambda r: None if r == change.at else (r if r < change.at else r - 1)
            )
            self.endRemoveRows()
        elif isinstance(change, RowMoved):
            # Qt counts the destination before the move: below the source means +1.
            below = change.destination > change.source
            target = change.destination + 1 if below else change.destination
            self.beginMoveRows(root, change.source, change.source, root, target)
            count = len(after.identifiers)
            self._document = after
            self._shift_findings(lambda r: moved_index(r, change, count))
            self.endMoveRows()
        elif isinstance(change, CellsChanged):
            self._document = after
            for row, column in change.cells:
                cell = self.index(row, column)
                self.dataChanged.emit(cell, cell, _VALUE_ROLES)
        elif isinstance(change, Replaced):
            self.beginResetModel()
            self._document = after
            self._cell_findings = findings_by_cell(self._controller.findings, self._row_count())
            self.endResetModel()
            return
        if before.setup != after.setup:
            self._emit_all_cells([])  # flags changed: every cell enabled or greyed
        elif before.destination != after.destination:
            self._emit_column(DESTINATION_COLUMN, _VALUE_ROLES)  # preset labels differ
        # The controller's findings are already those of ``after``, and it announces them
        # only when they differ: equal findings after a move must still leave the rows.
        self._on_findings_changed(self._controller.findings)

    def _on_findings_changed(self, findings: list[Finding]) -> None:
        new = findings_by_cell(findings, self._row_count())
        old = self._cell_findings
        self._cell_findings = new
        changed = sorted(
            cell
            for cell in old.keys() | new.keys()
            if _shown(old.get(cell, ())) != _shown(new.get(cell, ()))
        )
        for row, column in changed:
            cell = self.index(row, column)
            self.dataChanged.emit(cell, cell, _FINDING_ROLES)

    def _shift_findings(self, new_row: Any) -> None:
        """Keep findings on their rows through a structural change until they are compared
        with the new findings, so the diff then touches only cells that really change."""
        shifted: dict[Cell, tuple[Finding, ...]] = {}
        for (row, column), found in self._cell_findings.items():
            target = new_row(row)
            if target is not None:
                shifted[(target, column)] = found
        self._cell_findings = shifted

    def _emit_all_cells(self, roles: list[Any]) -> None:
        if self._row_count():
            self.dataChanged.emit(
                self.index(0, 0), self.index(self._row_count() - 1, len(COLUMN_FIELDS) - 1), roles
            )

    def _emit_column(self, column: int, roles: list[Any]) -> None:
        if self._row_count():
            self.dataChanged.emit(
                self.index(0, column), self.index(self._row_count() - 1, column), roles
            )

    # -- helpers --------------------------------------------------------------------

    def _row_count(self) -> int:
        return len(self._document.identifiers)

    def _valid(self, index: Index) -> bool:
        return (
            index.isValid()
            and not index.parent().isValid()
            and 0 <= index.row() < self._row_count()
            and 0 <= index.column() < len(COLUMN_FIELDS)
        )

    def _build_look(self, index: Index) -> CellLook:
        text = self._display_text(self.row_at(index.row()), index.column())
        severity = worst_severity(self.findings_at(index))
        if severity is None:
            return CellLook(text, None, None)
        return CellLook(text, severity_icon(severity), QBrush(severity_tint(severity)))

    def _display_text(self, row: IdentifierRow, column: int) -> str:
        if column == SEGMENT_COLUMN:
            return row.segment
        if column == DESTINATION_COLUMN:
            return preset_key_label(self.destination_spec(), row.destination)
        return row.strategy.label

    @staticmethod
    def _edit_value(row: IdentifierRow, column: int) -> str:
        if column == SEGMENT_COLUMN:
            return row.segment
        if column == DESTINATION_COLUMN:
            return row.destination
        return row.strategy.value

    def _description(self, row: IdentifierRow, column: int) -> str:
        if column == SEGMENT_COLUMN:
            spec = self._catalog.identifier(row.segment)
            if spec is not None:
                return f"{spec.name}: {spec.description}"
            if row.segment in self._document.custom_identifiers:
                return f"{row.segment}: a custom identifier of this space."
            return f"{row.segment}: a custom identifier." if row.segment else ""
        if column == DESTINATION_COLUMN:
            destination = self.destination_spec()
            field = destination.field(row.destination) if destination is not None else None
            if field is not None and field.description:
                return field.description
            if not row.destination:
                return "Empty: Segment sends the identifier without a destination field (no mapTo)."
            return f"Sent to the destination as {row.destination}."
        return STRATEGY_DESCRIPTIONS[row.strategy]

    @staticmethod
    def _parse(field: RowField, value: Any) -> str | Strategy | None:
        if field == "strategy":
            if isinstance(value, Strategy):
                return value
            if not isinstance(value, str):
                return None
            try:
                return Strategy(value)
            except ValueError:
                try:
                    return Strategy.from_label(value)
                except ValueError:
                    return None
        # Typed or pasted text: surrounding spaces are never meant.
        return value.strip() if isinstance(value, str) else None
