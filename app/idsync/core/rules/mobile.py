"""Mobile advertising IDs: Send Mobile IDs and destination support (IDS109, IDS303)."""

from __future__ import annotations

from collections.abc import Iterator

from idsync.core.findings import Finding
from idsync.core.rules.codes import make_finding
from idsync.core.rules.context import RuleContext


def _is_mobile_ad_id(ctx: RuleContext, segment: str) -> bool:
    spec = ctx.catalog.identifier(segment)
    return spec is not None and spec.mobile_ad_id


def check_send_mobile_ids(ctx: RuleContext) -> Iterator[Finding]:
    # Unknown destinations get the warning too: the safe side when the catalog is silent.
    if ctx.doc.send_mobile_ids or (ctx.spec is not None and not ctx.spec.send_mobile_ids_setting):
        return
    for index, row in enumerate(ctx.rows):
        if _is_mobile_ad_id(ctx, row.segment):
            yield make_finding(
                "IDS109",
                f"{row.segment} is a mobile advertising ID, and Segment's docs ask you to "
                f"confirm that Send Mobile IDs is on in the destination's connection settings "
                f"before sending it. This app cannot push that setting: turn it on in "
                f"Segment, then tick Send Mobile IDs here.",
                row=index,
                field="segment",
            )


def check_mobile_support(ctx: RuleContext) -> Iterator[Finding]:
    if ctx.spec is None or ctx.spec.supports_mobile_ids:
        return
    for index, row in enumerate(ctx.rows):
        if _is_mobile_ad_id(ctx, row.segment):
            yield make_finding(
                "IDS303",
                f"{ctx.spec.name} is not known to accept mobile advertising IDs, so the "
                f"{row.segment} row may not be delivered. Remove the row, or check "
                f"{ctx.spec.name}'s documentation before pushing.",
                row=index,
                field="segment",
            )
