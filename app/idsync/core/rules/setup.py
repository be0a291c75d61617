"""What Default Setup sends, and rows it leaves aside (IDS905, IDS906)."""

from __future__ import annotations

from collections.abc import Iterator

from idsync.core.findings import Finding
from idsync.core.rules.codes import make_finding
from idsync.core.rules.context import RuleContext
from idsync.core.wording import default_setup_sends


def check_default_setup(ctx: RuleContext) -> Iterator[Finding]:
    if ctx.customized:
        return
    yield make_finding(
        "IDS905",
        f"Default Setup: Segment sends {default_setup_sends(ctx.spec)}, and no custom "
        f"identifiers. Choose Customized Setup to pick identifiers, destination fields and "
        f"strategies.",
        field="setup",
    )
    rows = len(ctx.doc.identifiers)
    if rows:
        these, they, them = (
            ("this identifier row", "it is", "it")
            if rows == 1
            else (f"these {rows} identifier rows", "they are", "them")
        )
        yield make_finding(
            "IDS906",
            f"Default Setup ignores {these}: {they} kept in the document but not sent. "
            f"Choose Customized Setup to send {them}, or remove {them}.",
            field="identifiers",
        )
