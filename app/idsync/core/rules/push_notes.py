"""What a person should know before pushing (IDS901-IDS904, IDS907)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from idsync.core.api_mapping import JOURNEY_HAS_NO_API, NEW_DATA_ONLY, NO_RESYNC
from idsync.core.findings import Finding
from idsync.core.model import AudienceTarget, JourneyTarget, Strategy
from idsync.core.rules.codes import make_finding
from idsync.core.rules.context import RuleContext
from idsync.core.rules.text import clip


@cache
def _note(code: str) -> Finding:
    """These notes say the same for every document, and findings are immutable: each is
    made once (a check of thousands of files would make it thousands of times)."""
    if code == "IDS903":
        return make_finding(
            code,
            "Audience Exited events ignore ID Sync: Segment sends every identifier combination "
            "when a profile leaves the audience. Make sure the destination handles exit "
            "events carrying any of the identifiers.",
        )
    if code == "IDS904":
        return make_finding(code, JOURNEY_HAS_NO_API.message, field="target.journey_id")
    return make_finding(code, (NEW_DATA_ONLY if code == "IDS901" else NO_RESYNC).message)


def check_push_notes(ctx: RuleContext) -> Iterator[Finding]:
    yield _note("IDS901")
    yield _note("IDS902")
    if isinstance(ctx.doc.target, AudienceTarget):
        yield _note("IDS903")
    if isinstance(ctx.doc.target, JourneyTarget):
        yield _note("IDS904")


def check_event_volume(ctx: RuleContext) -> Iterator[Finding]:
    all_rows = [row.segment or "(empty)" for row in ctx.rows if row.strategy is Strategy.ALL]
    if not all_rows:
        return
    names = ", ".join(clip(name) for name in all_rows)
    rows_word = "row uses" if len(all_rows) == 1 else "rows use"
    yield make_finding(
        "IDS907",
        f"{len(all_rows)} {rows_word} All ({names}): Segment sends one event per value, so a "
        f"profile with three values causes three events. Use Last added where one value is "
        f"enough.",
        field="identifiers",
    )
