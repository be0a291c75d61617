"""Typed catalog: Identity Resolution identifiers and the destinations Engage syncs to.

Only the types live here (no I/O); ``idsync.catalog`` loads the shipped JSON into them.
Every fact in the shipped catalog has its source in docs/sources.md.
"""

from __future__ import annotations

from enum import Enum
from functools import cached_property
from typing import Final, Literal

from pydantic import Field, model_validator
from typing_extensions import Self

from idsync.core.model import DestinationKind, Record, Strategy


class ValueKind(str, Enum):
    """What kind of value an identifier holds or a destination field takes.

    A row that sends one kind under a field of another (an email under First name) is
    reported by the mapping rule; a kind nobody knows is never reported.
    """

    EMAIL = "email"
    PHONE = "phone"
    MOBILE_AD_ID = "mobile_ad_id"
    EXTERNAL_ID = "external_id"
    DEVICE_ID = "device_id"
    PUSH_TOKEN = "push_token"
    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    FIRST_INITIAL = "first_initial"
    GENDER = "gender"
    BIRTH_YEAR = "birth_year"
    BIRTH_MONTH = "birth_month"
    BIRTH_DAY = "birth_day"
    CITY = "city"
    STATE = "state"
    POSTAL_CODE = "postal_code"
    COUNTRY = "country"

    @property
    def label(self) -> str:
        """How a sentence names the kind: 'an email address'."""
        return _KIND_LABELS[self]

    def takes(self, identifier: ValueKind) -> bool:
        """Whether a field of this kind takes an identifier of kind ``identifier``.

        An external-id field takes any id of the person's own (a user id, a CRM id, a
        device id): that is what such a field is for.
        """
        if self is identifier:
            return True
        return self is ValueKind.EXTERNAL_ID and identifier is ValueKind.DEVICE_ID


_KIND_LABELS: Final = {
    ValueKind.EMAIL: "an email address",
    ValueKind.PHONE: "a phone number",
    ValueKind.MOBILE_AD_ID: "a mobile advertising ID",
    ValueKind.EXTERNAL_ID: "an ID of your own (user or CRM ID)",
    ValueKind.DEVICE_ID: "a device ID",
    ValueKind.PUSH_TOKEN: "a push token",
    ValueKind.FIRST_NAME: "a first name",
    ValueKind.LAST_NAME: "a last name",
    ValueKind.FIRST_INITIAL: "a first initial",
    ValueKind.GENDER: "a gender",
    ValueKind.BIRTH_YEAR: "a birth year",
    ValueKind.BIRTH_MONTH: "a birth month",
    ValueKind.BIRTH_DAY: "a birth day",
    ValueKind.CITY: "a city",
    ValueKind.STATE: "a state",
    ValueKind.POSTAL_CODE: "a postal code",
    ValueKind.COUNTRY: "a country",
}


class IdentifierSpec(Record):
    """An Identity Resolution default identifier type."""

    id: str = Field(description="Identifier type as stored on the profile, e.g. ios.idfa")
    name: str
    description: str = Field(description="One line: where Segment takes the value from")
    kind: ValueKind | None = Field(default=None, description="What kind of value it holds")
    mobile_ad_id: bool = Field(
        default=False,
        description="An advertising ID that is only sent with Send Mobile IDs on",
    )
    legacy: bool = Field(default=False, description="Default only in legacy spaces")


class CustomIdentifierKind(Record):
    """The kind of a custom identifier, told by its name: ``phone`` holds a phone number."""

    name: str = Field(description="An exact custom identifier name, or a suffix with '*'")
    kind: ValueKind

    def matches(self, identifier: str) -> bool:
        if self.name.startswith("*"):
            return identifier.endswith(self.name[1:])
        return identifier == self.name


class DestinationField(Record):
    """A destination identifier: a preset key of a dropdown, or a known free-text field."""

    key: str
    label: str = ""
    description: str = ""
    kind: ValueKind | None = Field(default=None, description="What kind of value it takes")
    reads: tuple[str, ...] = Field(
        default=(),
        description=(
            "On an Actions destination, the event paths its default mapping reads this "
            "key from ($.traits.email); empty where no default mapping reads it"
        ),
    )

    @property
    def display(self) -> str:
        """'Email (EMAIL)', or the key alone when the label says the same."""
        if not self.label or self.label.casefold() == self.key.casefold():
            return self.key
        return f"{self.label} ({self.key})"


class DestinationConstraints(Record):
    matcher_identifiers: tuple[str, ...] = Field(
        default=(),
        description="The destination matches profiles on one of these; one must be a row",
    )
    max_extra_identifiers: int | None = Field(
        default=None, description="How many rows beside the matcher are accepted"
    )
    extra_identifier_field: str = Field(
        default="", description="The destination field an extra row should map to"
    )
    matcher_required: bool = Field(
        default=True,
        description=(
            "The source says a row must send a matcher (a Segment limit); false where "
            "the destination also matches on other keys, so a missing matcher only warns"
        ),
    )
    source: str = Field(default="", description="Where these constraints are documented")
    notes: tuple[str, ...] = ()


DEFAULT_SETUP_IDENTIFIERS: Final[tuple[str, ...]] = ("email", "user_id")
"""What Default Setup sends unless the catalog says otherwise (the create input's text)."""


class DestinationSpec(Record):
    slug: str = Field(
        default="",
        description="The key documents store; Segment's slug unless Segment has none",
    )
    segment_slug: str | None = Field(
        default=None,
        description=(
            "Segment's own slug (a live connection's metadata.slug); None for entries "
            "Segment's catalog does not list, such as destination functions"
        ),
    )
    name: str
    kind: DestinationKind = DestinationKind.DESTINATION
    category: str = ""
    identifier_mode: Literal["preset", "free"] = Field(
        default="free",
        description=(
            "preset: the destination offers a dropdown of preset_keys; free: any "
            "field name, with known_fields as suggestions"
        ),
    )
    keys_source: str = Field(
        default="",
        description=(
            "Where the key list comes from: the page that documents the preset keys, "
            "or the action code whose default mappings read the known fields (at a commit); "
            "empty when Segment does not publish it"
        ),
    )
    preset_keys: tuple[DestinationField, ...] = ()
    known_fields: tuple[DestinationField, ...] = Field(
        default=(),
        description="Destination fields known to accept identifiers (suggestions)",
    )
    no_default_mapping: tuple[DestinationField, ...] = Field(
        default=(),
        description=(
            "Action fields that take an identifier but that no default mapping fills: "
            "ID Sync reaches them only once the mapping is edited in Segment"
        ),
    )
    maintenance: bool = Field(
        default=False, description="Segment's docs put the destination in maintenance mode"
    )
    replaced_by: tuple[str, ...] = Field(
        default=(), description="Segment slugs of the destinations its docs recommend instead"
    )
    slug_verified: bool = Field(
        default=True,
        description=(
            "Segment's catalog lists segment_slug; false for slugs known only from "
            "destination code"
        ),
    )
    supports_mobile_ids: bool = False
    send_mobile_ids_setting: bool = Field(
        default=True,
        description=(
            "Mobile advertising IDs are sent only with the Send Mobile IDs setting "
            "on; false where the destination's docs say to ignore that setting"
        ),
    )
    default_identifiers: tuple[str, ...] = Field(
        default=DEFAULT_SETUP_IDENTIFIERS, description="What Default Setup sends"
    )
    default_strategy: Strategy = Field(
        default=Strategy.LAST, description="Which values Default Setup sends: last or all"
    )
    constraints: DestinationConstraints = DestinationConstraints()
    notes: tuple[str, ...] = Field(default=(), description="How this destination behaves")
    docs_url: str = ""

    @model_validator(mode="after")
    def _slug_from_segment_slug(self) -> Self:
        # Most entries name only Segment's slug; documents store it as the entry's key.
        # (After validation, so a file's entries are read as JSON, strictly, first.)
        if not self.slug and self.segment_slug:
            object.__setattr__(self, "slug", self.segment_slug)
        return self

    @property
    def keys_documented(self) -> bool:
        return bool(self.keys_source)

    @property
    def reads_event_keys(self) -> bool:
        """An Actions destination: its keys are the event keys its default mappings read."""
        return any(f.reads for f in self.fields())

    def accepted_keys(self) -> tuple[str, ...]:
        return tuple(p.key for p in self.preset_keys)

    def fields(self) -> tuple[DestinationField, ...]:
        """Every destination field the catalog knows: preset keys, then known fields."""
        return self.preset_keys + self.known_fields

    def field(self, key: str) -> DestinationField | None:
        return self.fields_by_key.get(key)

    def fields_of_kind(self, kind: ValueKind) -> tuple[DestinationField, ...]:
        return tuple(f for f in self.fields() if f.kind is not None and f.kind.takes(kind))

    # Lookups built once per entry (it is frozen): the rules ask them for every row of
    # every document.
    @cached_property
    def fields_by_key(self) -> dict[str, DestinationField]:
        """Every field by key; the first of a key wins, as a search would."""
        return {spec.key: spec for spec in reversed(self.fields())}

    @cached_property
    def preset_key_set(self) -> frozenset[str]:
        return frozenset(self.accepted_keys())

    @cached_property
    def fitting_fields(self) -> dict[ValueKind, tuple[DestinationField, ...]]:
        """The fields that take each kind, those exactly of it first (EMAIL for email,
        before EXTERN_ID takes a device id)."""
        return {
            kind: tuple(sorted(self.fields_of_kind(kind), key=lambda f: f.kind is not kind))
            for kind in ValueKind
        }


_CUSTOM_KINDS_REMEMBERED: Final = 4096


class Catalog(Record):
    identifiers: tuple[IdentifierSpec, ...]
    destinations: tuple[DestinationSpec, ...]
    custom_identifier_kinds: tuple[CustomIdentifierKind, ...] = ()

    # Lookups by key, built once on first use: the rules ask them for every row of every
    # document. The first entry wins, as a search would (the loader refuses duplicates).
    @cached_property
    def _by_slug(self) -> dict[str, DestinationSpec]:
        return {spec.slug: spec for spec in reversed(self.destinations)}

    @cached_property
    def _by_segment_slug(self) -> dict[str, DestinationSpec]:
        return {
            spec.segment_slug: spec
            for spec in reversed(self.destinations)
            if spec.segment_slug is not None
        }

    @cached_property
    def _by_identifier(self) -> dict[str, IdentifierSpec]:
        return {spec.id: spec for spec in reversed(self.identifiers)}

    def destination(self, slug: str) -> DestinationSpec | None:
        return self._by_slug.get(slug)

    def destination_for_segment_slug(self, segment_slug: str) -> DestinationSpec | None:
        """The entry for a live connection's ``metadata.slug``."""
        return self._by_segment_slug.get(segment_slug)

    def identifier(self, identifier_id: str) -> IdentifierSpec | None:
        return self._by_identifier.get(identifier_id)

    def identifier_kind(self, identifier_id: str) -> ValueKind | None:
        """What an identifier holds: a default's kind, else a custom name's obvious kind."""
        spec = self.identifier(identifier_id)
        if spec is not None:
            return spec.kind
        known = self._custom_kinds_seen
        if identifier_id not in known:
            # Asked for every row of every document: each name is matched once (and
            # the memory stays bounded over a folder of ever new names).
            if len(known) >= _CUSTOM_KINDS_REMEMBERED:
                known.clear()
            known[identifier_id] = next(
                (rule.kind for rule in self.custom_identifier_kinds if rule.matches(identifier_id)),
                None,
            )
        return known[identifier_id]

    @cached_property
    def _custom_kinds_seen(self) -> dict[str, ValueKind | None]:
        return {}

    def mobile_ad_ids(self) -> frozenset[str]:
        """Identifier types Segment sends only with Send Mobile IDs on."""
        return frozenset(spec.id for spec in self.identifiers if spec.mobile_ad_id)
