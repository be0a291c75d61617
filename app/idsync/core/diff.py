"""Field- and row-level differences between two documents (or two lists of rows).

Rows are matched the way a person reads a table: an identical row is the same row even if
it moved; a row with the same Segment identifier, or failing that at the same position,
is the same row edited; everything else was added or removed. Of the matched rows, those
outside the longest run that kept its relative order are reported as moved, so inserting
one row does not report every row below it as moved.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Final, Literal

from idsync.core.model import IdentifierRow, IdSyncDocument
from idsync.core.visible import visible

RowField = Literal["segment", "destination", "strategy"]
_ROW_FIELDS: Final[tuple[RowField, ...]] = ("segment", "destination", "strategy")
_NOT_COMPARED: Final = frozenset({"format", "version", "identifiers"})
_ABSENT: Final = "(none)"


class RowChangeKind(str, Enum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    MOVED = "moved"


@dataclass(frozen=True)
class FieldChange:
    """A document-level field, dotted (``target.space_id``), with display values (text
    quoted, hidden characters as escapes)."""

    field: str
    old: str
    new: str

    def render(self) -> str:
        return f"- {self.field}: {self.old} -> {self.new}"


@dataclass(frozen=True)
class RowFieldChange:
    field: RowField
    old: str
    new: str


@dataclass(frozen=True)
class RowChange:
    """One row's change. Indexes are 0-based; ``None`` where the row does not exist."""

    kind: RowChangeKind
    old_index: int | None
    new_index: int | None
    old_row: IdentifierRow | None
    new_row: IdentifierRow | None
    fields: tuple[RowFieldChange, ...] = ()
    moved: bool = False

    def render(self) -> list[str]:
        if self.kind is RowChangeKind.ADDED:
            assert self.new_index is not None and self.new_row is not None
            return [f"- row {self.new_index + 1} added: {describe_row(self.new_row)}"]
        if self.kind is RowChangeKind.REMOVED:
            assert self.old_index is not None and self.old_row is not None
            return [f"- row {self.old_index + 1} removed: {describe_row(self.old_row)}"]
        assert self.old_index is not None and self.new_index is not None
        if self.kind is RowChangeKind.MOVED:
            assert self.new_row is not None
            return [
                f"- row {self.old_index + 1} moved to row {self.new_index + 1}: "
                f"{describe_row(self.new_row)}"
            ]
        where = f"row {self.new_index + 1}"
        if self.moved:
            where += f" (was row {self.old_index + 1})"
        return [
            f"- {where} {change.field}: {visible(change.old)} -> {visible(change.new)}"
            for change in self.fields
        ]


@dataclass(frozen=True)
class DocumentDiff:
    fields: tuple[FieldChange, ...]
    rows: tuple[RowChange, ...]

    @property
    def is_empty(self) -> bool:
        return not self.fields and not self.rows

    def render_text(self) -> list[str]:
        lines = [change.render() for change in self.fields]
        for change in self.rows:
            lines.extend(change.render())
        return lines


def describe_row(row: IdentifierRow) -> str:
    """``email -> EMAIL (last)``; an empty destination reads as ``(no mapTo)``; hidden
    characters (a zero-width space, a control character) show as escapes."""
    target = visible(row.destination) if row.destination else "(no mapTo)"
    return f"{visible(row.segment) or '(empty)'} -> {target} ({row.strategy.value})"


def diff_documents(old: IdSyncDocument, new: IdSyncDocument) -> DocumentDiff:
    return DocumentDiff(
        fields=_diff_fields(old, new),
        rows=diff_rows(old.identifiers, new.identifiers),
    )


def diff_rows(
    old_rows: Sequence[IdentifierRow], new_rows: Sequence[IdentifierRow]
) -> tuple[RowChange, ...]:
    """Row changes turning ``old_rows`` into ``new_rows`` (e.g. live rows into local ones).

    Each old row, in order, takes the first free new row that matches it: identical, then
    same Segment identifier, then same position. Looked up by key, not by scanning, so the
    time grows with the number of rows, not with its square.
    """
    pairs: dict[int, int] = {}  # old index -> new index
    taken: set[int] = set()

    def pair_by(key: Callable[[IdentifierRow], object]) -> None:
        free: dict[object, deque[int]] = {}
        for new_index, new_row in enumerate(new_rows):
            if new_index not in taken:
                free.setdefault(key(new_row), deque()).append(new_index)
        for old_index, old_row in enumerate(old_rows):
            if old_index in pairs:
                continue
            waiting = free.get(key(old_row))
            if waiting:
                new_index = waiting.popleft()
                pairs[old_index] = new_index
                taken.add(new_index)

    pair_by(lambda row: row)
    pair_by(lambda row: row.segment)
    for old_index in range(min(len(old_rows), len(new_rows))):
        if old_index not in pairs and old_index not in taken:
            pairs[old_index] = old_index
            taken.add(old_index)

    in_order = _longest_ordered_run(sorted(pairs.items()))
    changes: list[RowChange] = []
    for old_index, new_index in pairs.items():
        old_row, new_row = old_rows[old_index], new_rows[new_index]
        fields = _row_field_changes(old_row, new_row)
        # A row that only shifted because rows were added or removed above it stays in
        # the ordered run and is not reported as moved.
        moved = old_index not in in_order
        if fields:
            kind = RowChangeKind.CHANGED
        elif moved:
            kind = RowChangeKind.MOVED
        else:
            continue
        changes.append(RowChange(kind, old_index, new_index, old_row, new_row, fields, moved))
    for old_index, old_row in enumerate(old_rows):
        if old_index not in pairs:
            changes.append(RowChange(RowChangeKind.REMOVED, old_index, None, old_row, None))
    for new_index, new_row in enumerate(new_rows):
        if new_index not in taken:
            changes.append(RowChange(RowChangeKind.ADDED, None, new_index, None, new_row))
    changes.sort(key=_change_order)
    return tuple(changes)


def _change_order(change: RowChange) -> tuple[int, int]:
    # Removals read best first (by their old position), then everything by new position.
    if change.kind is RowChangeKind.REMOVED:
        assert change.old_index is not None
        return (0, change.old_index)
    assert change.new_index is not None
    return (1, change.new_index)


def _longest_ordered_run(pairs: list[tuple[int, int]]) -> set[int]:
    """Old indexes of the largest set of pairs (sorted by old index) whose new indexes
    keep the old order: a longest increasing subsequence, by patience sorting."""
    # ends[k]: the position in pairs of the smallest new index that ends a run of k + 1.
    ends: list[int] = []
    end_values: list[int] = []
    previous = [-1] * len(pairs)
    for position, (_old, new) in enumerate(pairs):
        length = bisect_left(end_values, new)
        if length:
            previous[position] = ends[length - 1]
        if length == len(ends):
            ends.append(position)
            end_values.append(new)
        else:
            ends[length] = position
            end_values[length] = new
    kept: set[int] = set()
    position = ends[-1] if ends else -1
    while position != -1:
        kept.add(pairs[position][0])
        position = previous[position]
    return kept


def _row_field_changes(old: IdentifierRow, new: IdentifierRow) -> tuple[RowFieldChange, ...]:
    changes: list[RowFieldChange] = []
    for name in _ROW_FIELDS:
        before, after = _row_value(old, name), _row_value(new, name)
        if before != after:
            changes.append(RowFieldChange(name, before, after))
    return tuple(changes)


def _row_value(row: IdentifierRow, name: RowField) -> str:
    if name == "strategy":
        return row.strategy.value
    value: str = getattr(row, name)
    return value if value else _ABSENT


def _diff_fields(old: IdSyncDocument, new: IdSyncDocument) -> tuple[FieldChange, ...]:
    # Python mode keeps enums as enums, so choices print bare and free text quoted.
    old_data = old.model_dump()
    new_data = new.model_dump()
    changes: list[FieldChange] = []
    # Field by field in document order, so a changed target kind lists its own ids together.
    for top in IdSyncDocument.model_fields:
        if top in _NOT_COMPARED:
            continue
        before = _flatten({top: old_data[top]})
        after = _flatten({top: new_data[top]})
        for name in [*before, *(name for name in after if name not in before)]:
            old_value, new_value = before.get(name, _ABSENT), after.get(name, _ABSENT)
            if old_value != new_value:
                changes.append(FieldChange(name, old_value, new_value))
    return tuple(changes)


def _flatten(data: dict[str, object], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        elif key == "kind" and isinstance(value, str):
            # A fixed choice (audience | journey, destination | function), not typed text.
            flat[name] = value.value if isinstance(value, Enum) else value
        else:
            flat[name] = _display(value)
    return flat


def _display(value: object) -> str:
    if value is None:
        return _ABSENT
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, str):
        # Quoted, so '' and a missing value differ; hidden characters as escapes.
        return f"'{visible(value)}'"
    if isinstance(value, (list, tuple)):
        # Items quoted like other text, so () and ('',) do not both read as [].
        return "[" + ", ".join(_display(item) for item in value) + "]"
    return str(value)
