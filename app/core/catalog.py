"""Typed catalog: Identity Resolution identifiers and the destinations Engage syncs to.

Only the types live here (no I/O); ``app.catalog`` loads the shipped JSON into them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.model import DestinationKind, Strategy


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class IdentifierSpec(_Spec):
    """An Identity Resolution default identifier type."""

    id: str = Field(description="Identifier type as stored on the profile, e.g. ios.idfa")
    name: str
    description: str = Field(description="One line: where Segment takes the value from")
    mobile_ad_id: bool = Field(
        default=False,
        description="An advertising ID that is only sent with Send Mobile IDs on",
    )
    legacy: bool = Field(default=False, description="Default only in legacy spaces")


class PresetKey(_Spec):
    """A destination identifier offered in a destination's dropdown."""

    key: str
    label: str
    description: str = ""
    suggested_segment: tuple[str, ...] = Field(
        default=(), description="Segment identifiers that usually map to this key"
    )


class DestinationConstraints(_Spec):
    required_identifiers: tuple[str, ...] = Field(
        default=(), description="Segment identifiers that must be among the rows"
    )
    max_extra_identifiers: int | None = Field(
        default=None, description="How many rows beyond the required ones are accepted"
    )
    notes: tuple[str, ...] = ()


class DestinationSpec(_Spec):
    slug: str
    name: str
    kind: DestinationKind = DestinationKind.DESTINATION
    category: str = ""
    identifier_mode: Literal["preset", "free"] = Field(
        default="free",
        description="preset: only preset_keys are accepted; free: any field name",
    )
    preset_keys: tuple[PresetKey, ...] = ()
    known_fields: tuple[str, ...] = Field(
        default=(), description="Destination fields known to accept identifiers (suggestions)"
    )
    supports_mobile_ids: bool = False
    default_strategy: Strategy = Field(
        default=Strategy.LAST,
        description="What Default Setup sends: last or all values of email and user_id",
    )
    constraints: DestinationConstraints = DestinationConstraints()
    docs_url: str = ""

    def accepted_keys(self) -> tuple[str, ...]:
        return tuple(p.key for p in self.preset_keys)


class Catalog(_Spec):
    identifiers: tuple[IdentifierSpec, ...]
    destinations: tuple[DestinationSpec, ...]

    def destination(self, slug: str) -> DestinationSpec | None:
        for spec in self.destinations:
            if spec.slug == slug:
                return spec
        return None

    def identifier(self, identifier_id: str) -> IdentifierSpec | None:
        for spec in self.identifiers:
            if spec.id == identifier_id:
                return spec
        return None

    def mobile_ad_ids(self) -> frozenset[str]:
        """Identifier types Segment sends only with Send Mobile IDs on."""
        return frozenset(spec.id for spec in self.identifiers if spec.mobile_ad_id)

    def identifier_ids(self) -> tuple[str, ...]:
        return tuple(spec.id for spec in self.identifiers)
