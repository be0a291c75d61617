"""Rows that send one kind of value under a field of another kind (IDS312): an email
under First name, a user id under EMAIL. Kinds come from the catalog; a kind it does not
know raises nothing."""

from __future__ import annotations

from collections.abc import Iterator

from idsync.core.findings import Finding, FindingFix
from idsync.core.mapping import fitting_field
from idsync.core.rules.codes import make_finding
from idsync.core.rules.context import RuleContext
from idsync.core.rules.text import clip


def check_field_kinds(ctx: RuleContext) -> Iterator[Finding]:
    spec = ctx.spec
    if spec is None:
        return
    fields = spec.fields_by_key
    for index, row in enumerate(ctx.rows):
        shown = fields.get(row.destination) if row.destination else None
        field = shown.kind if shown is not None else None
        if shown is None or field is None:
            continue
        identifier = ctx.catalog.identifier_kind(row.segment)
        if identifier is None or field.takes(identifier):
            continue
        others = ctx.rows[:index] + ctx.rows[index + 1 :]
        fitting = fitting_field(spec, ctx.catalog, row.segment, others)
        name = shown.display
        if fitting is not None:
            advice = f"Map it to {fitting.display} instead."
            fix = FindingFix(
                row=index, field="destination", value=fitting.key, label=f"Use {fitting.key}"
            )
        else:
            advice = (
                f"{spec.name} has no field for {identifier.label}; remove the row, or choose "
                f"the identifier that {name} is for."
            )
            fix = None
        documented_keys = spec.keys_source if row.destination in spec.preset_key_set else ""
        yield make_finding(
            "IDS312",
            f"{clip(row.segment)} holds {identifier.label}, but {name} takes {field.label}, "
            f"so {spec.name} would match nobody on it. {advice}",
            row=index,
            field="destination",
            fix=fix,
            reference=documented_keys or spec.docs_url,
        )
