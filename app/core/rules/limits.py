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


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def check_all_rows(ctx: RuleContext) -> Iterator[Finding]:
    # Only the rows beyond the third are flagged: those are the ones to change, and the
    # first three remain a valid configuration on their own.
    all_seen = 0
    for index, row in enumerate(ctx.rows):
        if row.strategy is not Strategy.ALL:
            continue
        all_seen += 1
        if all_seen > MAX_ALL_ROWS:
            yield make_finding(
                "IDS101",
                f"This is the {_ordinal(all_seen)} row using All, but at most {MAX_ALL_ROWS} "
                f"rows may use All. Change its strategy to Last added or First added, "
                f"or remove the row.",
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
