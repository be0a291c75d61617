"""What each identifier-table cell offers, worked out from the catalog and the document.

Pure Python (no Qt) so the offers can be tested on their own; the delegate turns them
into combo boxes and the page uses ``default_new_row`` for "+ Add Identifier".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from app.core.catalog import Catalog, DestinationSpec
from app.core.model import IdentifierRow, IdSyncDocument, Strategy

FALLBACK_SEGMENT_IDENTIFIER = "email"


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
    if spec is not None:
        for preset in spec.preset_keys:
            if preset.key == key:
                return preset_display(preset.label, preset.key)
    return key


def preset_display(label: str, key: str) -> str:
    return key if label.casefold() == key.casefold() else f"{label} ({key})"


def destination_identifier_choices(
    spec: DestinationSpec | None, current: str = ""
) -> DestinationChoices:
    """Preset destinations offer only their keys; the others take any field name, with
    the catalog's known fields as suggestions. A current value that is not on offer is
    still listed (first) so opening the editor never silently changes it."""
    if spec is not None and spec.identifier_mode == "preset":
        choices = [
            Choice(p.key, preset_display(p.label, p.key), p.description, ChoiceGroup.PRESET)
            for p in spec.preset_keys
        ]
        if current and current not in spec.accepted_keys():
            choices.insert(
                0,
                Choice(
                    current,
                    f"{current} (not accepted by {spec.name})",
                    f"{spec.name} accepts only the keys in this list; choose one of them.",
                    ChoiceGroup.CURRENT,
                ),
            )
        return DestinationChoices(editable=False, choices=tuple(choices))
    fields = spec.known_fields if spec is not None else ()
    where = spec.name if spec is not None else "the destination"
    return DestinationChoices(
        editable=True,
        choices=tuple(
            Choice(f, f, f"A field {where} is known to accept", ChoiceGroup.KNOWN_FIELD)
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


def default_new_row(doc: IdSyncDocument, catalog: Catalog) -> IdentifierRow:
    """The row "+ Add Identifier" adds: for a preset destination the first key not used
    yet (keys for required identifiers first) with its usual Segment identifier, if it
    has one; elsewhere the first common identifier not used yet (email first). Both send the
    last added value."""
    spec = _destination_spec(doc, catalog)
    used_segments = {row.segment for row in doc.identifiers}
    if spec is not None and spec.identifier_mode == "preset" and spec.preset_keys:
        used_keys = {row.destination for row in doc.identifiers}
        unused = [p for p in spec.preset_keys if p.key not in used_keys]
        # A key for an identifier the destination requires comes before catalog order.
        required = set(spec.constraints.required_identifiers) - used_segments
        unused.sort(key=lambda p: not required.intersection(p.suggested_segment))
        preset = unused[0] if unused else None
        if preset is not None:
            # The key's usual identifier, else a custom identifier named like the key
            # (PHONE → phone), else empty: the editor opens on it for the person to choose.
            named_like_key = [
                c for c in doc.custom_identifiers if c in (preset.key.lower(), preset.label.lower())
            ]
            candidates = [*preset.suggested_segment, *named_like_key]
            segment = next(
                (s for s in candidates if s not in used_segments),
                candidates[0] if candidates else "",
            )
            return IdentifierRow(segment=segment, destination=preset.key, strategy=Strategy.LAST)
    return IdentifierRow(
        segment=_first_unused_segment(catalog, used_segments), strategy=Strategy.LAST
    )


def _first_unused_segment(catalog: Catalog, used: set[str]) -> str:
    candidates: Sequence[str] = (
        FALLBACK_SEGMENT_IDENTIFIER,
        *(s.id for s in catalog.identifiers if not s.legacy and not s.mobile_ad_id),
    )
    return next((c for c in candidates if c not in used), FALLBACK_SEGMENT_IDENTIFIER)


def _destination_spec(doc: IdSyncDocument, catalog: Catalog) -> DestinationSpec | None:
    return catalog.destination(doc.destination.slug) if doc.destination is not None else None
