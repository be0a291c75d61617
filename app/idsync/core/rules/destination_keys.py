"""Destination identifiers against the catalog's preset keys and known fields
(IDS110, IDS111, IDS301, IDS310, IDS908)."""

from __future__ import annotations

from collections.abc import Iterator

from idsync.core.catalog import DestinationSpec
from idsync.core.findings import Finding, FindingFix
from idsync.core.mapping import fits, fitting_field
from idsync.core.rules.codes import make_finding
from idsync.core.rules.context import RuleContext
from idsync.core.rules.text import clip, destination_field_problems
from idsync.core.wording import join_and, join_or


def _preset_like(spec: DestinationSpec, text: str) -> str:
    """The preset key a person probably meant: same key or label, ignoring case."""
    wanted = text.strip().casefold()
    for preset in spec.preset_keys:
        if wanted in (preset.key.casefold(), preset.label.casefold()):
            return preset.key
    return ""


def _same_kind_key(ctx: RuleContext, spec: DestinationSpec, text: str) -> str:
    """This destination's key for what ``text`` means elsewhere in the catalog: 'FN' is
    classic Facebook's first name, so on the Actions destination it means first_name."""
    for other in ctx.catalog.destinations:
        known = other.fields_by_key.get(text) if other is not spec else None
        if known is not None and known.kind is not None:
            same = spec.fields_of_kind(known.kind)
            if same:
                return same[0].key
    return ""


def listing(items: tuple[str, ...], limit: int = 15) -> str:
    shown = ", ".join(items[:limit])
    return shown + ", …" if len(items) > limit else shown


def _use(row: int, key: str) -> FindingFix:
    return FindingFix(row=row, field="destination", value=key, label=f"Use {key}")


def _mapping_reads(spec: DestinationSpec, key: str) -> str:
    """Where the default mapping reads ``key``: 'traits.email or properties.email'."""
    field = spec.field(key)
    if field is None or not field.reads:
        return ""
    return join_or([path.removeprefix("$.") for path in field.reads])


def _unmapped_hint(ctx: RuleContext, spec: DestinationSpec, segment: str) -> str:
    """For a row whose identifier only a field without a default mapping takes."""
    kind = ctx.catalog.identifier_kind(segment)
    unmapped = [f for f in spec.no_default_mapping if kind is not None and f.kind is kind]
    if not unmapped:
        return ""
    names = join_and([f.display for f in unmapped])
    return f" {names} has no default mapping: edit the mapping in Segment to read this row's key."


def check_preset_keys(ctx: RuleContext) -> Iterator[Finding]:
    spec = ctx.spec
    if spec is None or spec.identifier_mode != "preset":
        return
    accepted = spec.preset_key_set
    for index, row in enumerate(ctx.rows):
        if row.destination in accepted or destination_field_problems(row.destination):
            continue
        keys = listing(spec.accepted_keys())
        others = ctx.rows[:index] + ctx.rows[index + 1 :]
        fitting = fitting_field(spec, ctx.catalog, row.segment, others)
        suggested = fitting.key if fitting is not None and fitting.key in accepted else ""
        if not row.destination:
            if not spec.keys_documented:
                continue  # IDS908 says it is sent under its Segment name
            fix = f"Choose '{suggested}'" if suggested else f"Choose one of its keys: {keys}"
            yield make_finding(
                "IDS111",
                f"The destination identifier is empty, so {row.segment or 'this row'} is sent "
                f"under its Segment name, which is not one of {spec.name}'s keys. {fix}.",
                row=index,
                field="destination",
                fix=_use(index, suggested) if suggested else None,
            )
            continue
        spelled_like = _preset_like(spec, row.destination) or _same_kind_key(
            ctx, spec, row.destination
        )
        if spelled_like and fits(spec, ctx.catalog, row.segment, spelled_like) is False:
            spelled_like = ""  # the key it resembles is of another kind: never offer it
        meant = spelled_like or suggested
        fix = f"Choose '{meant}'" if meant else f"Choose one of: {keys}"
        if spec.reads_event_keys or spec.keys_documented:
            yield make_finding(
                "IDS110",
                _not_a_key(ctx, spec, row.destination, row.segment, meant, fix),
                row=index,
                field="destination",
                fix=_use(index, meant) if meant else None,
                reference=spec.keys_source,
            )
        else:
            yield make_finding(
                "IDS310",
                f"'{clip(row.destination)}' is not in this app's list for {spec.name} "
                f"({keys}). Segment does not publish the dropdown's values, so check that "
                f"your {spec.name} dropdown offers it. {fix} if it does not.",
                row=index,
                field="destination",
                fix=_use(index, meant) if meant else None,
            )


def _not_a_key(
    ctx: RuleContext, spec: DestinationSpec, key: str, segment: str, meant: str, fix: str
) -> str:
    """IDS110's words: on an Actions destination the key its mapping reads, on a
    documented dropdown the keys its page lists."""
    if not spec.reads_event_keys:
        return (
            f"'{clip(key)}' is not one of the keys Segment's page documents for "
            f"{spec.name}, so {spec.name} may not match on it. {fix}."
        )
    where = _mapping_reads(spec, meant) if meant else ""
    reads = f" (it reads {meant} from {where})" if where else ""
    return (
        f"'{clip(key)}' is not a key {spec.name}'s default mapping reads, so ID Sync would "
        f"add it to the event and the mapping would drop it. {fix}{reads}, or edit the "
        f"mapping in Segment to read '{clip(key)}'.{_unmapped_hint(ctx, spec, segment)}"
    )


def check_known_fields(ctx: RuleContext) -> Iterator[Finding]:
    spec = ctx.spec
    if spec is None or spec.identifier_mode == "preset" or not spec.known_fields:
        return
    known_keys = tuple(f.key for f in spec.known_fields)
    known = set(known_keys)
    for index, row in enumerate(ctx.rows):
        field = row.destination
        if not field or field in known or destination_field_problems(field):
            continue
        same_but_case = [k for k in known_keys if k.casefold() == field.casefold()]
        fix = (
            f"Did you mean '{same_but_case[0]}'? Use it"
            if same_but_case
            else f"Use one of its known fields ({listing(known_keys)})"
        )
        if spec.reads_event_keys:
            what = (
                f"'{clip(field)}' is not among the keys {spec.name}'s default mappings read, "
                f"so the mapping may not pick it up. {fix}, or keep it if you edited the "
                f"mapping in Segment to read it.{_unmapped_hint(ctx, spec, row.segment)}"
            )
        else:
            what = (
                f"'{clip(field)}' is not among the identifier fields this app knows for "
                f"{spec.name}, so outgoing events may not be delivered. {fix}, or keep it if "
                f"your {spec.name} account has this field."
            )
        yield make_finding(
            "IDS301",
            what,
            row=index,
            field="destination",
            fix=_use(index, same_but_case[0]) if same_but_case else None,
            reference=spec.keys_source,
        )


def check_empty_destination(ctx: RuleContext) -> Iterator[Finding]:
    spec = ctx.spec
    if spec is not None and spec.identifier_mode == "preset" and spec.keys_documented:
        return  # IDS111 reports these
    for index, row in enumerate(ctx.rows):
        if row.destination or not row.segment.strip():
            continue
        fitting = fitting_field(spec, ctx.catalog, row.segment)
        hint = (
            f"Choose '{fitting.key}' if {ctx.destination_name} should read it there"
            if fitting is not None
            else f"Enter a destination field if {ctx.destination_name} expects another name"
        )
        yield make_finding(
            "IDS908",
            f"No destination identifier: {clip(row.segment)} is sent without mapTo, under its "
            f"Segment name. {hint}.",
            row=index,
            field="destination",
            fix=_use(index, fitting.key) if fitting is not None else None,
        )
