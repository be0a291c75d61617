"""Destination identifiers against the catalog's preset keys and known fields
(IDS110, IDS111, IDS301, IDS908)."""

from __future__ import annotations

from collections.abc import Iterator

from app.core.catalog import DestinationSpec
from app.core.findings import Finding
from app.core.rules.codes import make_finding
from app.core.rules.context import RuleContext
from app.core.rules.text import clip, destination_field_problems


def _preset_for_segment(spec: DestinationSpec, segment: str) -> str:
    for preset in spec.preset_keys:
        if segment in preset.suggested_segment:
            return preset.key
    return ""


def _preset_like(spec: DestinationSpec, text: str) -> str:
    """The preset key a person probably meant: same key or label, ignoring case."""
    wanted = text.strip().casefold()
    for preset in spec.preset_keys:
        if wanted in (preset.key.casefold(), preset.label.casefold()):
            return preset.key
    return ""


def _listing(items: tuple[str, ...], limit: int = 15) -> str:
    shown = ", ".join(items[:limit])
    return shown + ", …" if len(items) > limit else shown


def _key_list(spec: DestinationSpec) -> str:
    return _listing(spec.accepted_keys())


def check_preset_keys(ctx: RuleContext) -> Iterator[Finding]:
    spec = ctx.spec
    if spec is None or spec.identifier_mode != "preset":
        return
    accepted = set(spec.accepted_keys())
    for index, row in enumerate(ctx.rows):
        if row.destination in accepted or destination_field_problems(row.destination):
            continue
        suggested = _preset_for_segment(spec, row.segment)
        if not row.destination:
            fix = (
                f"Choose '{suggested}' for {row.segment}"
                if suggested
                else f"Choose one of its keys: {_key_list(spec)}"
            )
            yield make_finding(
                "IDS111",
                f"The destination identifier is empty, but {spec.name} accepts only its own "
                f"keys. {fix}.",
                row=index,
                field="destination",
            )
            continue
        meant = _preset_like(spec, row.destination) or suggested
        fix = f"Choose '{meant}'" if meant else f"Choose one of: {_key_list(spec)}"
        yield make_finding(
            "IDS110",
            f"'{clip(row.destination)}' is not a {spec.name} key, and {spec.name} accepts "
            f"only its own keys. {fix}.",
            row=index,
            field="destination",
        )


def check_known_fields(ctx: RuleContext) -> Iterator[Finding]:
    spec = ctx.spec
    if spec is None or spec.identifier_mode == "preset" or not spec.known_fields:
        return
    known = set(spec.known_fields)
    for index, row in enumerate(ctx.rows):
        field = row.destination
        if not field or field in known or destination_field_problems(field):
            continue
        same_but_case = [k for k in spec.known_fields if k.casefold() == field.casefold()]
        fix = (
            f"Did you mean '{same_but_case[0]}'? Use it"
            if same_but_case
            else f"Use one of its known fields ({_listing(spec.known_fields)})"
        )
        yield make_finding(
            "IDS301",
            f"'{clip(field)}' is not among {spec.name}'s known identifier fields, so outgoing "
            f"events may not be delivered. {fix}, or keep it if your {spec.name} account "
            f"has this field.",
            row=index,
            field="destination",
        )


def check_empty_destination(ctx: RuleContext) -> Iterator[Finding]:
    if ctx.spec is not None and ctx.spec.identifier_mode == "preset":
        return  # IDS111 reports these as errors
    for index, row in enumerate(ctx.rows):
        if row.destination or not row.segment.strip():
            continue
        yield make_finding(
            "IDS908",
            f"No destination identifier: {clip(row.segment)} is sent without mapTo, under its "
            f"Segment name. Enter a destination field if {ctx.destination_name} expects "
            f"another name.",
            row=index,
            field="destination",
        )
