"""idsync.editor.row_changes: which Qt signal a change of rows maps to, the narrowest one."""

from __future__ import annotations

import pytest

from idsync.core.model import IdentifierRow, Strategy
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

A = IdentifierRow(segment="email", destination="EMAIL")
B = IdentifierRow(segment="phone", destination="PHONE", strategy=Strategy.ALL)
C = IdentifierRow(segment="ios.idfa", destination="MADID", strategy=Strategy.ALL)
D = IdentifierRow(segment="user_id", destination="EXTERN_ID")


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ((A, B), (A, B), Unchanged()),
        ((A, B), (A, B, C), RowInserted(2)),
        ((A, B), (C, A, B), RowInserted(0)),
        ((A, B), (A, C, B), RowInserted(1)),
        ((A, B, C), (A, C), RowRemoved(1)),
        ((A, B, C), (B, C), RowRemoved(0)),
        ((A, B, C), (B, A, C), RowMoved(0, 1)),
        ((A, B, C), (A, C, B), RowMoved(1, 2)),
        ((A, B, C), (C, A, B), RowMoved(2, 0)),
        ((A, B, C, D), (B, C, A, D), RowMoved(0, 2)),
        ((A, B), (A, B.replace(strategy=Strategy.LAST)), CellsChanged(((1, 2),))),
        ((A, B), (D, B), CellsChanged(((0, 0), (0, 1)))),
        (
            (A, B, C),
            (B, C, D),
            CellsChanged(((0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (2, 0), (2, 1), (2, 2))),
        ),
        ((A,), (A, B, C), Replaced()),
        ((A, B), (C, D, A), Replaced()),
        ((A, B, C), (D,), Replaced()),
        ((), (A,), RowInserted(0)),
        ((A,), (), RowRemoved(0)),
    ],
)
def test_row_changes_are_classified_narrowly(before, after, expected) -> None:
    assert classify_row_change(before, after) == expected


def test_duplicate_rows_still_give_a_single_move() -> None:
    change = classify_row_change((A, A, B), (A, B, A))
    assert isinstance(change, RowMoved)
    rows = [A, A, B]
    rows.insert(change.destination, rows.pop(change.source))
    assert rows == [A, B, A]


def test_moved_index_follows_every_row() -> None:
    move = RowMoved(0, 2)
    assert [moved_index(i, move, 4) for i in range(4)] == [2, 0, 1, 3]
    move_up = RowMoved(3, 1)
    assert [moved_index(i, move_up, 4) for i in range(4)] == [0, 2, 3, 1]
