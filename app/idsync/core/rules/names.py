"""The shape of identifier names on each row (IDS104-IDS106)."""

from __future__ import annotations

from collections.abc import Iterator

from idsync.core.findings import Finding
from idsync.core.rules.codes import make_finding
from idsync.core.rules.context import RuleContext
from idsync.core.rules.text import (
    MAX_NAME_LENGTH,
    clip,
    destination_field_problems,
    segment_identifier_problems,
    suggest_segment_identifier,
)


def check_segment_names(ctx: RuleContext) -> Iterator[Finding]:
    for index, row in enumerate(ctx.rows):
        if not row.segment.strip():
            yield make_finding(
                "IDS104",
                "The Segment identifier is empty. Choose an identifier type such as email "
                "or user_id, or remove the row.",
                row=index,
                field="segment",
            )
            continue
        problems = segment_identifier_problems(row.segment)
        if not problems:
            continue
        suggestion = suggest_segment_identifier(row.segment)
        fix = (
            f"Rename it to '{suggestion}'"
            if suggestion
            else "Use lowercase letters, digits, '_' and '.' only"
        )
        yield make_finding(
            "IDS105",
            f"The Segment identifier '{clip(row.segment)}' {problems}; Identity Resolution "
            f"identifier types are lowercase letters, digits, '_' and '.'. {fix}.",
            row=index,
            field="segment",
        )


def check_destination_names(ctx: RuleContext) -> Iterator[Finding]:
    for index, row in enumerate(ctx.rows):
        problems = destination_field_problems(row.destination)
        if not problems:
            continue
        cleaned = "".join(ch for ch in row.destination.strip() if ch.isprintable())
        fix = (
            f"Change it to '{clip(cleaned)}'"
            if cleaned and cleaned != row.destination and len(cleaned) <= MAX_NAME_LENGTH
            else "Shorten it to the field name the destination expects"
        )
        yield make_finding(
            "IDS106",
            f"The destination identifier '{clip(row.destination)}' {problems}, so "
            f"{ctx.destination_name} would not recognise it. {fix}.",
            row=index,
            field="destination",
        )
