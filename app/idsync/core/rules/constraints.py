"""Destination constraints from the catalog: the identifier it matches profiles on, how
many identifiers beside it are accepted, and the field those map to (IDS112, IDS313,
IDS113, IDS311). Driven by the catalog, never by slug."""

from __future__ import annotations

from collections.abc import Iterator

from idsync.core.catalog import ValueKind
from idsync.core.findings import Finding, FindingFix
from idsync.core.model import IdentifierRow
from idsync.core.rules.codes import RULES, make_finding
from idsync.core.rules.context import RuleContext
from idsync.core.rules.text import clip
from idsync.core.wording import join_and, join_or

_MATCHER_KINDS = (ValueKind.EMAIL, ValueKind.MOBILE_AD_ID)


def _own_page(ctx: RuleContext) -> str:
    """The destination's own page for its constraints, when the rule cites another's."""
    spec = ctx.spec
    if spec is None or not spec.constraints.source:
        return ""
    return "" if spec.constraints.source == RULES["IDS112"].source else spec.constraints.source


def check_matcher(ctx: RuleContext) -> Iterator[Finding]:
    spec = ctx.spec
    if spec is None or not ctx.rows or not spec.constraints.matcher_identifiers:
        return  # an empty Customized Setup is IDS103 already
    if ctx.matcher_index is None and spec.constraints.matcher_required:
        yield make_finding(
            "IDS112",
            f"{spec.name} matches profiles on "
            f"{join_or(spec.constraints.matcher_identifiers)}, and no row sends one. Add a "
            f"row for the one your list uses.",
            field="identifiers",
            reference=_own_page(ctx),
        )
    elif ctx.matcher_index is None:
        other_keys = join_and([f.key for f in spec.preset_keys if f.kind not in _MATCHER_KINDS])
        yield make_finding(
            "IDS313",
            f"Segment's page names {join_or(spec.constraints.matcher_identifiers)} as what "
            f"{spec.name} requires to match profiles, and no row sends one. It also matches "
            f"on {other_keys or 'its other keys'} (Additional Traits Matching), "
            f"usually less often: add an email or mobile ID row if you have one.",
            field="identifiers",
            reference=_own_page(ctx),
        )


def _extras(ctx: RuleContext) -> list[tuple[int, IdentifierRow]]:
    matcher = ctx.matcher_index
    return [(i, row) for i, row in enumerate(ctx.rows) if i != matcher]


def check_extra_identifiers(ctx: RuleContext) -> Iterator[Finding]:
    spec = ctx.spec
    if spec is None or spec.constraints.max_extra_identifiers is None:
        return
    limit = spec.constraints.max_extra_identifiers
    if len(ctx.rows) <= limit:
        return  # too few rows for one too many beside the matcher
    for count, (index, row) in enumerate(_extras(ctx), start=1):
        if count <= limit:
            continue
        beside = join_or(spec.constraints.matcher_identifiers) or "the matcher"
        allowed = "no identifier" if limit == 0 else f"at most {limit} identifier" + (
            "" if limit == 1 else "s"
        )
        yield make_finding(
            "IDS113",
            f"{spec.name} accepts {allowed} beside its matcher ({beside}); the "
            f"{clip(row.segment) or 'empty'} row is one too many. Remove this row or "
            f"another extra one.",
            row=index,
            field="segment",
        )


def check_extra_identifier_field(ctx: RuleContext) -> Iterator[Finding]:
    spec = ctx.spec
    if spec is None or not spec.constraints.extra_identifier_field:
        return
    wanted = spec.constraints.extra_identifier_field
    limit = spec.constraints.max_extra_identifiers
    extras = _extras(ctx)
    for index, row in extras if limit is None else extras[:limit]:
        if row.destination == wanted:
            continue
        mapped = (
            f"under '{clip(row.destination)}'" if row.destination else "without a destination field"
        )
        yield make_finding(
            "IDS311",
            f"{spec.name} takes one identifier beside its matcher, and Segment's docs say it "
            f"must map to {wanted}; this row sends {clip(row.segment) or 'an empty identifier'}"
            f" {mapped}. Map it to {wanted}, or remove it.",
            row=index,
            field="destination",
            fix=FindingFix(row=index, field="destination", value=wanted, label=f"Use {wanted}"),
        )
