"""How many rows, and how many of them use All (IDS101-IDS103)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from app.core.findings import Finding
from app.core.model import Strategy
from app.core.rules.codes import make_finding
from app.core.rules.context import RuleContext

MAX_ALL_ROWS: Final = 3
"""Segment's ID Sync docs allow at most three identifiers with the All strategy."""

MAX_ROWS: Final = 5
"""The Public API accepts at most five idSyncConfiguration entries."""


def check_all_rows(ctx: RuleContext) -> Iterator[Finding]:
    # Every row using All is flagged once there are too many: which one to change is the
    # person's choice, and the rules see only the document, not which row was edited
    # last. So the row just set to All always carries the error (the editor's current
    # cell shows it), the findings do not move when rows are reordered, and they all go
    # once few enough rows use All.
    using_all = [index for index, row in enumerate(ctx.rows) if row.strategy is Strategy.ALL]
    count = len(using_all)
    if count <= MAX_ALL_ROWS:
        return
    excess = count - MAX_ALL_ROWS
    which = (
        "this row or another one using All"
        if excess == 1
        else f"{excess} of them (this row or others)"
    )
    for index in using_all:
        yield make_finding(
            "IDS101",
            f"{count} rows use All, but at most {MAX_ALL_ROWS} may. Change {which} to "
            f"Last added or First added, or remove {'one' if excess == 1 else excess}.",
            row=index,
            field="strategy",
        )


def check_row_count(ctx: RuleContext) -> Iterator[Finding]:
    total = len(ctx.rows)
    for index in range(MAX_ROWS, total):
        yield make_finding(
            "IDS102",
            f"ID Sync accepts at most {MAX_ROWS} identifier rows (API maximum) and this is "
            f"row {index + 1} of {total}. Remove this row or another one.",
            row=index,
            field="segment",
        )


def check_has_rows(ctx: RuleContext) -> Iterator[Finding]:
    if ctx.customized and not ctx.doc.identifiers:
        yield make_finding(
            "IDS103",
            "Customized Setup has no identifier rows, so nothing would be sent. "
            "Add an identifier with '+ Add Identifier', or choose Default Setup.",
            field="identifiers",
        )
