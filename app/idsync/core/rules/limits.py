"""How many rows, and how many of them use All (IDS101-IDS103)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from idsync.core.findings import Finding
from idsync.core.model import Strategy
from idsync.core.rules.codes import make_finding
from idsync.core.rules.context import RuleContext
from idsync.core.wording import join_and

MAX_ALL_ROWS: Final = 3
"""Segment's ID Sync docs allow at most three identifiers with the All strategy."""

MAX_ROWS: Final = 5
"""The Public API accepts at most five idSyncConfiguration entries."""


def check_all_rows(ctx: RuleContext) -> Iterator[Finding]:
    # One limit broken is one finding, naming every row that uses All: which one to
    # change is the person's choice, so the finding shows on each of them (the row just
    # set to All among them), stays put when rows are reordered, and goes once few
    # enough rows use All.
    if len(ctx.rows) <= MAX_ALL_ROWS:
        return  # too few rows to break the limit: not looked through
    using_all = tuple(index for index, row in enumerate(ctx.rows) if row.strategy is Strategy.ALL)
    count = len(using_all)
    if count <= MAX_ALL_ROWS:
        return
    excess = count - MAX_ALL_ROWS
    yield make_finding(
        "IDS101",
        f"{count} rows use All (rows {join_and([str(i + 1) for i in using_all])}), but at "
        f"most {MAX_ALL_ROWS} may. Change {'one' if excess == 1 else excess} of them to Last "
        f"added or First added, or remove {'it' if excess == 1 else 'them'}.",
        rows=using_all,
        field="strategy",
    )


def check_row_count(ctx: RuleContext) -> Iterator[Finding]:
    total = len(ctx.rows)
    if total <= MAX_ROWS:
        return
    over = tuple(range(MAX_ROWS, total))
    excess = len(over)
    yield make_finding(
        "IDS102",
        f"ID Sync accepts at most {MAX_ROWS} identifier rows (API maximum) and there are "
        f"{total}. Remove {'one row' if excess == 1 else f'{excess} rows'} (rows past the "
        f"fifth are marked).",
        rows=over,
        field="segment",
    )


def check_has_rows(ctx: RuleContext) -> Iterator[Finding]:
    if ctx.customized and not ctx.doc.identifiers:
        yield make_finding(
            "IDS103",
            "Customized Setup has no identifier rows, so Segment's default identifiers "
            "are sent, as with Default Setup. Add an identifier with '+ Add Identifier', or "
            "choose Default Setup to say so.",
            field="identifiers",
        )
