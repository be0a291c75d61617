"""Classify how the identifier rows changed between two documents.

The table model turns the answer into the narrowest Qt signal: one insert, one remove,
one move, or dataChanged over exactly the cells that differ. Only a change that is none
of these (a different document opened) resets the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeAlias

from idsync.core.model import IdentifierRow

RowCells: TypeAlias = tuple[str, str, str]


@dataclass(frozen=True)
class Unchanged:
    pass


@dataclass(frozen=True)
class RowInserted:
    at: int


@dataclass(frozen=True)
class RowRemoved:
    at: int


@dataclass(frozen=True)
class RowMoved:
    source: int
    destination: int
    """The index the row has after the move."""


@dataclass(frozen=True)
class CellsChanged:
    cells: tuple[tuple[int, int], ...]
    """(row, column) pairs, in row then column order."""


@dataclass(frozen=True)
class Replaced:
    pass


RowChange: TypeAlias = Unchanged | RowInserted | RowRemoved | RowMoved | CellsChanged | Replaced


def row_cells(row: IdentifierRow) -> RowCells:
    return (row.segment, row.destination, row.strategy.value)


def classify_row_change(
    before: Sequence[IdentifierRow], after: Sequence[IdentifierRow]
) -> RowChange:
    old = [row_cells(r) for r in before]
    new = [row_cells(r) for r in after]
    if old == new:
        return Unchanged()
    if len(new) == len(old) + 1:
        at = _single_extra(longer=new, shorter=old)
        return RowInserted(at) if at is not None else Replaced()
    if len(new) == len(old) - 1:
        at = _single_extra(longer=old, shorter=new)
        return RowRemoved(at) if at is not None else Replaced()
    if len(new) != len(old):
        return Replaced()
    move = _single_move(old, new)
    if move is not None:
        return move
    return CellsChanged(
        tuple(
            (r, c)
            for r, (old_row, new_row) in enumerate(zip(old, new, strict=True))
            for c in range(len(old_row))
            if old_row[c] != new_row[c]
        )
    )


def _single_extra(longer: list[RowCells], shorter: list[RowCells]) -> int | None:
    """The index in ``longer`` whose removal gives ``shorter``, if there is one."""
    at = next(
        (i for i, (a, b) in enumerate(zip(longer, shorter, strict=False)) if a != b),
        len(shorter),
    )
    return at if longer[:at] + longer[at + 1 :] == shorter else None


def _single_move(old: list[RowCells], new: list[RowCells]) -> RowMoved | None:
    differing = [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
    first, last = differing[0], differing[-1]
    if first == last:
        return None
    down = [*old[:first], *old[first + 1 : last + 1], old[first], *old[last + 1 :]]
    if down == new:
        return RowMoved(first, last)
    up = [*old[:first], old[last], *old[first:last], *old[last + 1 :]]
    if up == new:
        return RowMoved(last, first)
    return None


def moved_index(index: int, move: RowMoved, row_count: int) -> int:
    """Where the row that was at ``index`` is after ``move``."""
    order = list(range(row_count))
    order.insert(move.destination, order.pop(move.source))
    return order.index(index)
