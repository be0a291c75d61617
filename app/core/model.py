"""The ID Sync document: what a person drafts, saves, reviews and pushes.

The models hold drafts faithfully, including drafts that break the rules (six rows, an
empty identifier name): type errors are refused here, rule breaks are reported by
``app.core.rules`` as findings so nothing the person typed is lost.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

FORMAT_NAME: Final = "idsync-config"
FORMAT_VERSION: Final = 2


class Strategy(str, Enum):
    """Which of a profile's values for an identifier is sent."""

    FIRST = "first"
    LAST = "last"
    ALL = "all"

    @property
    def label(self) -> str:
        return _STRATEGY_LABELS[self]

    @classmethod
    def from_label(cls, label: str) -> Strategy:
        for strategy, text in _STRATEGY_LABELS.items():
            if text == label:
                return strategy
        raise ValueError(f"unknown strategy label {label!r}")


_STRATEGY_LABELS: Final = {
    Strategy.FIRST: "First added",
    Strategy.LAST: "Last added",
    Strategy.ALL: "All",
}


class Setup(str, Enum):
    """Default Setup lets Segment choose the identifiers; Customized uses the rows."""

    DEFAULT = "default"
    CUSTOMIZED = "customized"

    @property
    def label(self) -> str:
        return "Default Setup" if self is Setup.DEFAULT else "Customized Setup"


class DestinationKind(str, Enum):
    DESTINATION = "destination"
    FUNCTION = "function"

    @property
    def label(self) -> str:
        return "Destination" if self is DestinationKind.DESTINATION else "Destination function"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class IdentifierRow(_Frozen):
    """One ID Sync entry: send this Segment identifier as that destination field."""

    segment: str = Field(description="Identifier type on the profile, e.g. email, ios.idfa")
    destination: str = Field(
        default="",
        description="Destination-side field (the API's mapTo); empty sends no mapTo",
    )
    strategy: Strategy = Strategy.LAST


class AudienceTarget(_Frozen):
    kind: Literal["audience"] = "audience"
    space_id: str = ""
    audience_id: str = ""


class JourneyTarget(_Frozen):
    kind: Literal["journey"] = "journey"
    space_id: str = ""
    journey_id: str = ""
    step: str = Field(default="", description="The journey step (its id or name)")


Target = Annotated[AudienceTarget | JourneyTarget, Field(discriminator="kind")]


class DestinationRef(_Frozen):
    """Which catalog destination, and which instance of it in the Engage space."""

    slug: str = Field(
        description="Catalog slug: Segment's own, e.g. personas-facebook-custom-audiences"
    )
    name: str = Field(default="", description="Display name, kept for offline review")
    kind: DestinationKind = DestinationKind.DESTINATION
    instance_id: str = Field(
        default="",
        description="The destination's id in the space (List Destinations), used to connect",
    )


class IdSyncDocument(_Frozen):
    """The native, versioned document. Field order is the on-disk order."""

    format: Literal["idsync-config"] = FORMAT_NAME
    version: Literal[2] = FORMAT_VERSION
    name: str = ""
    notes: str = ""
    target: Target = Field(default_factory=AudienceTarget)
    destination: DestinationRef | None = None
    setup: Setup = Setup.CUSTOMIZED
    send_mobile_ids: bool = False
    custom_identifiers: tuple[str, ...] = Field(
        default=(),
        description="Custom identifier types declared in the space's Identity Resolution",
    )
    identifiers: tuple[IdentifierRow, ...] = ()

    def with_rows(self, rows: tuple[IdentifierRow, ...] | list[IdentifierRow]) -> IdSyncDocument:
        return self.model_copy(update={"identifiers": tuple(rows)})
