"""What each identifier-table cell offers, worked out from the catalog and the document.

Pure Python (no Qt) so the offers can be tested on their own; the delegate turns them
into combo boxes. "+ Add Identifier" uses ``idsync.core.mapping.new_row``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from idsync.core.catalog import Catalog, DestinationSpec
from idsync.core.model import Strategy


class ChoiceGroup(str, Enum):
    """Where an offered value comes from; the combo separates the groups."""

    DEFAULT = "default"
    CUSTOM = "custom"
    REMEMBERED = "remembered"
    LEGACY = "legacy"
    PRESET = "preset"
    KNOWN_FIELD = "known_field"
    STRATEGY = "strategy"
    CURRENT = "current"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    description: str
    group: ChoiceGroup


@dataclass(frozen=True)
class DestinationChoices:
    """``editable`` is False when only the listed preset keys are accepted."""

    editable: bool
    choices: tuple[Choice, ...]


def segment_identifier_choices(
    catalog: Catalog, custom_identifiers: Iterable[str], remembered: Iterable[str]
) -> tuple[Choice, ...]:
    """Identity Resolution defaults, then the space's custom identifiers, then ones the
    person used before, then the legacy-space defaults (rarely wanted, so last)."""
    offered: dict[str, Choice] = {}

    def offer(value: str, description: str, group: ChoiceGroup) -> None:
        value = value.strip()
        if value and value not in offered:
            offered[value] = Choice(value, value, description, group)

    for spec in catalog.identifiers:
        if not spec.legacy:
            offer(spec.id, f"{spec.name}: {spec.description}", ChoiceGroup.DEFAULT)
    for custom in custom_identifiers:
        offer(custom, "Custom identifier declared for this space", ChoiceGroup.CUSTOM)
    for value in remembered:
        offer(value, "Custom identifier you used before", ChoiceGroup.REMEMBERED)
    for spec in catalog.identifiers:
        if spec.legacy:
            offer(spec.id, f"{spec.name}: {spec.description}", ChoiceGroup.LEGACY)
    return tuple(offered.values())


def preset_key_label(spec: DestinationSpec | None, key: str) -> str:
    """How a destination identifier reads in the table: "Email (EMAIL)" for a preset key."""
    field = spec.field(key) if spec is not None and spec.identifier_mode == "preset" else None
    return field.display if field is not None else key


def destination_identifier_choices(
    spec: DestinationSpec | None, current: str = ""
) -> DestinationChoices:
    """Preset destinations offer their keys: only those when the list is documented, and
    free text beside them when Segment does not publish it. The others take any field
    name, with the catalog's known fields as suggestions. A current value that is not on
    offer is still listed (first) so opening the editor never silently changes it."""
    if spec is not None and spec.identifier_mode == "preset":
        choices = [
            Choice(p.key, p.display, p.description, ChoiceGroup.PRESET) for p in spec.preset_keys
        ]
        if spec.keys_documented and current and current not in spec.accepted_keys():
            if spec.reads_event_keys:
                label = f"{current} (not read by {spec.name}'s mapping)"
                why = (
                    "The default mapping reads only the keys in this list: choose one, or "
                    "edit the mapping in Segment to read this key."
                )
            else:
                label = f"{current} (not a documented {spec.name} key)"
                why = f"Segment's page documents the keys in this list for {spec.name}."
            choices.insert(0, Choice(current, label, why, ChoiceGroup.CURRENT))
        return DestinationChoices(editable=not spec.keys_documented, choices=tuple(choices))
    fields = spec.known_fields if spec is not None else ()
    where = spec.name if spec is not None else "the destination"
    return DestinationChoices(
        editable=True,
        choices=tuple(
            Choice(
                f.key,
                f.key,
                f.description or f"A field {where} is known to accept"
                + (f" ({f.kind.label})" if f.kind is not None else ""),
                ChoiceGroup.KNOWN_FIELD,
            )
            for f in fields
        ),
    )


STRATEGY_DESCRIPTIONS: dict[Strategy, str] = {
    Strategy.FIRST: "Sends the oldest value the profile has for this identifier.",
    Strategy.LAST: "Sends the most recently added value for this identifier.",
    Strategy.ALL: "Sends every value, one event per value (at most 3 rows may use All).",
}


def strategy_choices() -> tuple[Choice, ...]:
    return tuple(
        Choice(s.value, s.label, STRATEGY_DESCRIPTIONS[s], ChoiceGroup.STRATEGY) for s in Strategy
    )
