"""The ID Sync document: what a person drafts, saves, reviews and pushes.

The records hold drafts faithfully, including drafts that break the rules (six rows, an
empty identifier name): type errors are refused when a file is read (``SHAPE``, checked
by ``app.core.shapes.build``), rule breaks are reported by ``app.core.rules`` as
findings so nothing the person typed is lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import ClassVar, Final, Literal

from app.core.shapes import (
    FLAG,
    TEXT,
    Choice,
    Exactly,
    Frozen,
    Kind,
    ListOf,
    Maybe,
    Nested,
    Tagged,
)

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


@dataclass(frozen=True, kw_only=True)
class IdentifierRow(Frozen):
    """One ID Sync entry: send this Segment identifier as that destination field."""

    segment: str = field(
        metadata={"doc": "Identifier type on the profile, e.g. email, ios.idfa"}
    )
    destination: str = field(
        default="",
        metadata={"doc": "Destination-side field (the API's mapTo); empty sends no mapTo"},
    )
    strategy: Strategy = Strategy.LAST

    SHAPE: ClassVar[Mapping[str, Kind]] = {
        "segment": TEXT,
        "destination": TEXT,
        "strategy": Choice(Strategy),
    }


@dataclass(frozen=True, kw_only=True)
class AudienceTarget(Frozen):
    kind: Literal["audience"] = "audience"
    space_id: str = ""
    audience_id: str = ""

    SHAPE: ClassVar[Mapping[str, Kind]] = {
        "kind": Exactly("audience"),
        "space_id": TEXT,
        "audience_id": TEXT,
    }


@dataclass(frozen=True, kw_only=True)
class JourneyTarget(Frozen):
    kind: Literal["journey"] = "journey"
    space_id: str = ""
    journey_id: str = ""
    step: str = field(default="", metadata={"doc": "The journey step (its id or name)"})

    SHAPE: ClassVar[Mapping[str, Kind]] = {
        "kind": Exactly("journey"),
        "space_id": TEXT,
        "journey_id": TEXT,
        "step": TEXT,
    }


Target = AudienceTarget | JourneyTarget


@dataclass(frozen=True, kw_only=True)
class DestinationRef(Frozen):
    """Which catalog destination, and which instance of it in the Engage space."""

    slug: str = field(
        metadata={"doc": "Catalog slug: Segment's own, e.g. personas-facebook-custom-audiences"}
    )
    name: str = field(default="", metadata={"doc": "Display name, kept for offline review"})
    kind: DestinationKind = DestinationKind.DESTINATION
    instance_id: str = field(
        default="",
        metadata={
            "doc": "The destination's id in the space (List Destinations), used to connect"
        },
    )

    SHAPE: ClassVar[Mapping[str, Kind]] = {
        "slug": TEXT,
        "name": TEXT,
        "kind": Choice(DestinationKind),
        "instance_id": TEXT,
    }


@dataclass(frozen=True, kw_only=True)
class IdSyncDocument(Frozen):
    """The native, versioned document. Field order is the on-disk order."""

    format: Literal["idsync-config"] = FORMAT_NAME
    version: Literal[2] = FORMAT_VERSION
    name: str = ""
    notes: str = ""
    target: Target = field(default_factory=AudienceTarget)
    destination: DestinationRef | None = None
    setup: Setup = Setup.CUSTOMIZED
    send_mobile_ids: bool = False
    custom_identifiers: tuple[str, ...] = field(
        default=(),
        metadata={"doc": "Custom identifier types declared in the space's Identity Resolution"},
    )
    identifiers: tuple[IdentifierRow, ...] = ()

    SHAPE: ClassVar[Mapping[str, Kind]] = {
        "format": Exactly(FORMAT_NAME),
        "version": Exactly(FORMAT_VERSION),
        "name": TEXT,
        "notes": TEXT,
        "target": Tagged("kind", {"audience": AudienceTarget, "journey": JourneyTarget}),
        "destination": Maybe(Nested(DestinationRef)),
        "setup": Choice(Setup),
        "send_mobile_ids": FLAG,
        "custom_identifiers": ListOf(TEXT),
        "identifiers": ListOf(Nested(IdentifierRow)),
    }

    def __post_init__(self) -> None:
        # Callers may hand lists; the document keeps tuples, so it stays hashable and equal.
        if type(self.identifiers) is not tuple:
            object.__setattr__(self, "identifiers", tuple(self.identifiers))
        if type(self.custom_identifiers) is not tuple:
            object.__setattr__(self, "custom_identifiers", tuple(self.custom_identifiers))

    def with_rows(self, rows: tuple[IdentifierRow, ...] | list[IdentifierRow]) -> IdSyncDocument:
        return self.replace(identifiers=tuple(rows))
