"""Whether a row's Segment identifier is an identifier at all (IDS302, IDS304)."""

from __future__ import annotations

from collections.abc import Iterator

from idsync.core.findings import Finding
from idsync.core.rules.codes import make_finding
from idsync.core.rules.context import RuleContext
from idsync.core.rules.text import segment_identifier_problems


def check_identifier_types(ctx: RuleContext) -> Iterator[Finding]:
    declared = ctx.doc.custom_identifiers
    for index, row in enumerate(ctx.rows):
        segment = row.segment
        if not segment.strip() or segment_identifier_problems(segment):
            continue  # IDS104 / IDS105 say what to fix first
        if segment in declared:
            continue
        spec = ctx.catalog.identifier(segment)
        if spec is None:
            yield make_finding(
                "IDS302",
                f"{segment} is neither an Identity Resolution default identifier nor a "
                f"declared custom identifier, so it looks like a trait. Segment writes traits "
                f"mapped through ID Sync to profiles; Destination Actions mappings or Trait "
                f"Enrichment fit better. If {segment} is a custom identifier in your space, "
                f"declare it as a custom identifier.",
                row=index,
                field="segment",
            )
        elif spec.legacy:
            yield make_finding(
                "IDS304",
                f"{segment} is a default identifier only in legacy spaces; elsewhere the "
                f"profile has no {segment} value and nothing is sent for this row. Check your "
                f"space's Identity Resolution settings and declare {segment} as a custom "
                f"identifier if it is there, or remove the row.",
                row=index,
                field="segment",
            )
