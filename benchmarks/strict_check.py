"""The baseline of ``idsync check FILE``: the least a checker written with pydantic does.

It reads the file and validates it with strict pydantic models of the document's shape
(a copy of every field of ``idsync.core.model.IdSyncDocument`` and its parts: the same
types, defaults, enums and discriminated target; frozen, strict, ``extra="forbid"``),
then prints one line: the file and "ok", or pydantic's own error. It imports nothing from
the app. No rules, no catalog, no positions: what ``idsync check`` does beyond this is
what its ratio to this script measures.

    .venv/bin/python benchmarks/strict_check.py FILE
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, strict=True, extra="forbid")


class Strategy(str, Enum):
    FIRST = "first"
    LAST = "last"
    ALL = "all"


class Setup(str, Enum):
    DEFAULT = "default"
    CUSTOMIZED = "customized"


class DestinationKind(str, Enum):
    DESTINATION = "destination"
    FUNCTION = "function"


class IdentifierRow(Strict):
    segment: str
    destination: str = ""
    strategy: Strategy = Strategy.LAST


class AudienceTarget(Strict):
    kind: Literal["audience"] = "audience"
    space_id: str = ""
    audience_id: str = ""


class JourneyTarget(Strict):
    kind: Literal["journey"] = "journey"
    space_id: str = ""
    journey_id: str = ""
    step: str = ""


class DestinationRef(Strict):
    slug: str
    name: str = ""
    kind: DestinationKind = DestinationKind.DESTINATION
    instance_id: str = ""


class Document(Strict):
    format: Literal["idsync-config"] = "idsync-config"
    version: Literal[2] = 2
    name: str = ""
    notes: str = ""
    target: Annotated[AudienceTarget | JourneyTarget, Field(discriminator="kind")] = Field(
        default_factory=AudienceTarget
    )
    destination: DestinationRef | None = None
    setup: Setup = Setup.CUSTOMIZED
    send_mobile_ids: bool = False
    custom_identifiers: tuple[str, ...] = ()
    identifiers: tuple[IdentifierRow, ...] = ()


def main(argv: list[str]) -> int:
    path = Path(argv[1])
    try:
        Document.model_validate_json(path.read_bytes())
    except ValidationError as error:
        print(f"{path}: {error}")
        return 1
    print(f"{path}: ok")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
