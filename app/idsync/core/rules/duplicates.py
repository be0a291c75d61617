"""Rows that repeat each other (IDS107, IDS108) or share a destination field (IDS314)."""

from __future__ import annotations

from collections.abc import Iterator

from idsync.core.findings import Finding
from idsync.core.mapping import shares_field
from idsync.core.model import Strategy
from idsync.core.rules.codes import make_finding
from idsync.core.rules.context import RuleContext
from idsync.core.rules.text import clip


def _shown(destination: str) -> str:
    return f"'{clip(destination)}'" if destination else "no destination identifier"


def check_duplicates(ctx: RuleContext) -> Iterator[Finding]:
    # The later row is the one flagged: the earlier one was there first and is kept.
    first_mapping: dict[tuple[str, str], Strategy] = {}
    seen_rows: set[tuple[str, str, Strategy]] = set()
    for index, row in enumerate(ctx.rows):
        if not row.segment.strip():
            continue  # blank rows are being edited; IDS104 already covers them
        key = (row.segment, row.destination)
        full = (row.segment, row.destination, row.strategy)
        if full in seen_rows:
            yield make_finding(
                "IDS107",
                f"This row repeats an earlier row ({clip(row.segment)} → "
                f"{_shown(row.destination)}, {row.strategy.label}). Remove it.",
                row=index,
                field="segment",
            )
        elif key in first_mapping:
            yield make_finding(
                "IDS108",
                f"{clip(row.segment)} is already sent as {_shown(row.destination)} by an "
                f"earlier row ({first_mapping[key].label}). Remove one of the two rows, or map "
                f"this one to another destination field.",
                row=index,
                field="destination",
            )
        else:
            first_mapping[key] = row.strategy
        seen_rows.add(full)


def check_shared_fields(ctx: RuleContext) -> Iterator[Finding]:
    # Two identifiers under one field: the destination reads one value there per event,
    # so which identifier it gets depends on the event, not on the configuration.
    first_under: dict[str, tuple[int, str]] = {}
    for index, row in enumerate(ctx.rows):
        if not row.destination or not row.segment.strip():
            continue
        earlier = first_under.setdefault(row.destination, (index, row.segment))
        if earlier[0] == index or shares_field(row.segment, earlier[1]):
            continue  # the same identifier twice is IDS107/IDS108
        yield make_finding(
            "IDS314",
            f"Row {earlier[0] + 1} already sends {clip(earlier[1])} under "
            f"{_shown(row.destination)}, and this row sends {clip(row.segment)} there too: "
            f"{ctx.destination_name} would get one or the other. Map this row to another "
            f"field, or remove one of the two.",
            row=index,
            field="destination",
        )
