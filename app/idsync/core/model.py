"""The ID Sync document: what a person drafts, saves, reviews and pushes.

The records hold drafts faithfully, including drafts that break the rules (six rows, an
empty identifier name): type errors are refused when a file is read (the models are
strict pydantic models), rule breaks are reported by ``idsync.core.rules`` as findings so
nothing the person typed is lost.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import Self

FORMAT_NAME: Final = "idsync-config"
FORMAT_VERSION: Final = 2


class Record(BaseModel):
    """The base of the app's records: frozen, strict about JSON types, no unknown members.

    Strict means a text field takes only text and a flag only true or false, as the file
    has them; files are read with ``model_validate_json`` (JSON arrays become tuples,
    enum values become members). Field order is the on-disk order.
    """

    model_config = ConfigDict(frozen=True, strict=True, extra="forbid")

    def replace(self, **changes: Any) -> Self:
        """A copy with ``changes`` made and checked; the original is unchanged."""
        values = {name: getattr(self, name) for name in type(self).model_fields}
        for name, value in changes.items():
            # A list handed for a tuple field is taken as the tuple it stands for.
            values[name] = tuple(value) if isinstance(value, list) else value
        return self.model_validate(values)

    def to_json_data(self) -> dict[str, Any]:
        """The record as JSON data, members in field order (what a file holds)."""
        return self.model_dump(mode="json")


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


class IdentifierRow(Record):
    """One ID Sync entry: send this Segment identifier as that destination field."""

    segment: str = Field(description="Identifier type on the profile, e.g. email, ios.idfa")
    destination: str = Field(
        default="",
        description="Destination-side field (the API's mapTo); empty sends no mapTo",
    )
    strategy: Strategy = Strategy.LAST


class AudienceTarget(Record):
    kind: Literal["audience"] = "audience"
    space_id: str = ""
    audience_id: str = ""


class JourneyTarget(Record):
    kind: Literal["journey"] = "journey"
    space_id: str = ""
    journey_id: str = ""
    step: str = Field(default="", description="The journey step (its id or name)")


Target = Annotated[AudienceTarget | JourneyTarget, Field(discriminator="kind")]


class DestinationRef(Record):
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


class IdSyncDocument(Record):
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
        return self.replace(identifiers=tuple(rows))


SCHEMA_DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID: Final = f"urn:idsync-configurator:{FORMAT_NAME}:{FORMAT_VERSION}"


def document_json_schema() -> dict[str, Any]:
    """JSON Schema (2020-12) of an ``idsync-config`` document of the current version,
    for editors, CI checks and reviewers.

    It checks shape and types only; the rules (``idsync check``) check meaning.
    """
    generated = IdSyncDocument.model_json_schema()
    # The reader refuses a file without these, although the models have defaults for them:
    # the header, and the target's kind (the tag that says which target it is).
    generated["required"] = ["format", "version", *generated.get("required", [])]
    for name in ("AudienceTarget", "JourneyTarget"):
        target = generated["$defs"][name]
        target["required"] = ["kind", *target.get("required", [])]
    title = f"ID Sync Configurator document ({FORMAT_NAME}, version {FORMAT_VERSION})"
    generated.pop("title", None)
    return {"$schema": SCHEMA_DIALECT, "$id": SCHEMA_ID, "title": title, **generated}
