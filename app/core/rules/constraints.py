"""Destination constraints from the catalog: required identifiers and how many extra
identifiers are accepted (IDS112, IDS113). Driven by the catalog, never by slug."""

from __future__ import annotations

from collections.abc import Iterator

from app.core.catalog import DestinationSpec
from app.core.findings import Finding
from app.core.rules.codes import make_finding
from app.core.rules.context import RuleContext
from app.core.rules.text import clip


def _row_hint(spec: DestinationSpec, segment: str) -> str:
    for preset in spec.preset_keys:
        if segment in preset.suggested_segment:
            return f"{segment} → {preset.key}"
    return segment


def check_required_identifiers(ctx: RuleContext) -> Iterator[Finding]:
    spec = ctx.spec
    if spec is None or not ctx.rows:
        return  # an empty Customized Setup is IDS103 already
    present = {row.segment for row in ctx.rows}
    for required in spec.constraints.required_identifiers:
        if required not in present:
            yield make_finding(
                "IDS112",
                f"{spec.name} requires {required} among the identifiers. Add a row for "
                f"{_row_hint(spec, required)}.",
                field="identifiers",
            )


def check_extra_identifiers(ctx: RuleContext) -> Iterator[Finding]:
    spec = ctx.spec
    if spec is None or spec.constraints.max_extra_identifiers is None:
        return
    limit = spec.constraints.max_extra_identifiers
    required = set(spec.constraints.required_identifiers)
    # The first row for each required identifier is the required one; any other row,
    # including a second row for a required identifier, counts as an extra.
    required_seen: set[str] = set()
    extras = 0
    for index, row in enumerate(ctx.rows):
        if row.segment in required and row.segment not in required_seen:
            required_seen.add(row.segment)
            continue
        extras += 1
        if extras <= limit:
            continue
        beside = ", ".join(spec.constraints.required_identifiers) or "the required ones"
        allowed = "no identifiers" if limit == 0 else f"at most {limit} identifier" + (
            "" if limit == 1 else "s"
        )
        yield make_finding(
            "IDS113",
            f"{spec.name} accepts {allowed} beside {beside}; the "
            f"{clip(row.segment) or 'empty'} row is one too many. Remove this row or "
            f"another extra one.",
            row=index,
            field="segment",
        )
