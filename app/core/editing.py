"""Pure edits of a document: each returns a new document, the old one is untouched.

The editor's undo stack stores (before, after) documents, so every edit the UI offers
is one of these functions plus a description.
"""

from __future__ import annotations

from typing import Literal

from app.core.model import IdentifierRow, IdSyncDocument, Strategy

RowField = Literal["segment", "destination", "strategy"]


def add_row(doc: IdSyncDocument, row: IdentifierRow, at: int | None = None) -> IdSyncDocument:
    rows = list(doc.identifiers)
    rows.insert(len(rows) if at is None else max(0, min(at, len(rows))), row)
    return doc.with_rows(rows)


def remove_row(doc: IdSyncDocument, index: int) -> IdSyncDocument:
    rows = list(doc.identifiers)
    _check_index(rows, index)
    del rows[index]
    return doc.with_rows(rows)


def move_row(doc: IdSyncDocument, index: int, to: int) -> IdSyncDocument:
    rows = list(doc.identifiers)
    _check_index(rows, index)
    _check_index(rows, to)
    rows.insert(to, rows.pop(index))
    return doc.with_rows(rows)


def set_row_field(
    doc: IdSyncDocument, index: int, field: RowField, value: str | Strategy
) -> IdSyncDocument:
    rows = list(doc.identifiers)
    _check_index(rows, index)
    if field == "strategy":
        value = Strategy(value)
    elif not isinstance(value, str):
        raise TypeError(f"{field} takes text, got {type(value).__name__}")
    rows[index] = rows[index].model_copy(update={field: value})
    return doc.with_rows(rows)


def _check_index(rows: list[IdentifierRow], index: int) -> None:
    if not 0 <= index < len(rows):
        raise IndexError(f"row {index} does not exist (the table has {len(rows)} rows)")
