"""The chosen destination and its instance in the space (IDS202, IDS305-IDS307, IDS309)."""

from __future__ import annotations

from collections.abc import Iterator

from idsync.core.findings import Finding
from idsync.core.rules.codes import make_finding
from idsync.core.rules.context import RuleContext
from idsync.core.rules.text import clip, id_problems


def check_destination(ctx: RuleContext) -> Iterator[Finding]:
    ref = ctx.doc.destination
    if ref is None or not ref.slug.strip():
        yield make_finding(
            "IDS306",
            "No destination is chosen, so the destination identifiers cannot be checked. "
            "Choose a destination in the Destination step.",
            field="destination.slug",
        )
        return
    if ctx.spec is None:
        yield make_finding(
            "IDS305",
            f"'{clip(ref.slug)}' is not in the catalog, so its destination identifiers cannot "
            f"be checked offline. Choose the destination from the catalog, or refresh the "
            f"catalog when connected.",
            field="destination.slug",
        )
    elif ctx.spec.kind is not ref.kind:
        yield make_finding(
            "IDS307",
            f"This document says {ctx.spec.name} is a {ref.kind.label}, but the catalog lists "
            f"it as a {ctx.spec.kind.label}. Choose the destination again from the catalog.",
            field="destination.slug",
        )


def check_instance_id(ctx: RuleContext) -> Iterator[Finding]:
    ref = ctx.doc.destination
    if ref is None or not ref.slug.strip():
        return  # IDS306 asks for the destination first
    if not ref.instance_id:
        yield make_finding(
            "IDS309",
            f"The instance id of {ctx.destination_name} in the space is empty; it is needed "
            f"to push. Enter it, or pick the destination from the space's list when connected.",
            field="destination.instance_id",
        )
        return
    problems = id_problems(ref.instance_id)
    if problems:
        yield make_finding(
            "IDS202",
            f"The destination instance id '{clip(ref.instance_id)}' {problems}. Copy it again "
            f"from the space's destination list without extra characters.",
            field="destination.instance_id",
        )
