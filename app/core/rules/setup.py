"""What Default Setup sends, and rows it leaves aside (IDS905, IDS906)."""

from __future__ import annotations

from collections.abc import Iterator

from app.core.findings import Finding
from app.core.model import Strategy
from app.core.rules.codes import make_finding
from app.core.rules.context import RuleContext


def check_default_setup(ctx: RuleContext) -> Iterator[Finding]:
    if ctx.customized:
        return
    if ctx.spec is None:
        sends = "the last or all values of email and user_id, depending on the destination"
    elif ctx.spec.default_strategy is Strategy.ALL:
        sends = f"all values of email and user_id to {ctx.spec.name}, one event per value"
    else:
        strategy = ctx.spec.default_strategy.value
        sends = f"the {strategy} email and user_id values to {ctx.spec.name}"
    yield make_finding(
        "IDS905",
        f"Default Setup: Segment sends {sends}, and no custom identifiers. Choose Customized "
        f"Setup to pick identifiers, destination fields and strategies.",
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
