"""The registry of rule codes: one stable code per rule, like a linter's.

Codes never change meaning once shipped; a retired rule keeps its code reserved.
IDS1xx are errors about identifier rows, IDS2xx errors about the target and the
destination, IDS3xx warnings, IDS9xx information. The CLI prints this table and the
docs list it, so every summary is one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from app.core.findings import Area, Finding, Severity


@dataclass(frozen=True)
class RuleInfo:
    code: str
    name: str
    severity: Severity
    area: Area
    summary: str


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO
_IDS, _TGT, _DST, _PSH = Area.IDENTIFIERS, Area.TARGET, Area.DESTINATION, Area.PUSH

_TABLE: Final[tuple[RuleInfo, ...]] = (
    RuleInfo("IDS101", "too-many-all", _E, _IDS, "More than three rows use the All strategy"),
    RuleInfo("IDS102", "too-many-rows", _E, _IDS, "More than five identifier rows (API maximum)"),
    RuleInfo("IDS103", "no-rows", _E, _IDS, "Customized Setup without any identifier row"),
    RuleInfo("IDS104", "empty-segment-identifier", _E, _IDS, "A row has no Segment identifier"),
    RuleInfo(
        "IDS105", "malformed-segment-identifier", _E, _IDS,
        "Segment identifier is not lowercase letters, digits, '_' and '.'",
    ),
    RuleInfo(
        "IDS106", "malformed-destination-identifier", _E, _IDS,
        "Destination identifier has edge spaces, control characters or is too long",
    ),
    RuleInfo("IDS107", "duplicate-row", _E, _IDS, "The same row appears twice"),
    RuleInfo(
        "IDS108", "duplicate-mapping", _E, _IDS,
        "The same Segment identifier is mapped twice to one destination field",
    ),
    RuleInfo(
        "IDS109", "mobile-id-needs-send-mobile-ids", _E, _IDS,
        "A mobile advertising ID row while Send Mobile IDs is off",
    ),
    RuleInfo(
        "IDS110", "not-a-preset-key", _E, _IDS,
        "Destination identifier is not one of the destination's preset keys",
    ),
    RuleInfo(
        "IDS111", "missing-preset-key", _E, _IDS,
        "Empty destination identifier where the destination needs a preset key",
    ),
    RuleInfo(
        "IDS112", "missing-required-identifier", _E, _IDS,
        "An identifier the destination requires is not among the rows",
    ),
    RuleInfo(
        "IDS113", "too-many-extra-identifiers", _E, _IDS,
        "More identifiers beside the required ones than the destination accepts",
    ),
    RuleInfo(
        "IDS201", "malformed-target-id", _E, _TGT,
        "Space, audience, journey id or step has spaces, control characters or is too long",
    ),
    RuleInfo(
        "IDS202", "malformed-instance-id", _E, _DST,
        "Destination instance id has spaces, control characters or is too long",
    ),
    RuleInfo(
        "IDS301", "unknown-destination-field", _W, _IDS,
        "Destination identifier is not among the destination's known fields",
    ),
    RuleInfo(
        "IDS302", "looks-like-a-trait", _W, _IDS,
        "Segment identifier is neither a default nor a declared custom identifier",
    ),
    RuleInfo(
        "IDS303", "mobile-ids-not-supported", _W, _IDS,
        "Mobile advertising ID row for a destination without mobile ID support",
    ),
    RuleInfo(
        "IDS304", "legacy-identifier", _W, _IDS,
        "Identifier is a default only in legacy spaces",
    ),
    RuleInfo(
        "IDS305", "unknown-destination", _W, _DST,
        "Destination is not in the catalog; its fields cannot be checked offline",
    ),
    RuleInfo("IDS306", "no-destination", _W, _DST, "No destination is chosen"),
    RuleInfo(
        "IDS307", "destination-kind-mismatch", _W, _DST,
        "Destination kind differs from the catalog's",
    ),
    RuleInfo(
        "IDS308", "target-incomplete", _W, _TGT,
        "Space, audience, journey id or step is empty (needed to push)",
    ),
    RuleInfo(
        "IDS309", "instance-id-missing", _W, _DST,
        "Destination instance id is empty (needed to push)",
    ),
    RuleInfo(
        "IDS901", "new-data-only", _I, _PSH,
        "ID Sync applies to new data after about five minutes",
    ),
    RuleInfo("IDS902", "no-resync", _I, _PSH, "Existing audience members are not resynced"),
    RuleInfo("IDS903", "audience-exited", _I, _PSH, "Audience Exited events ignore ID Sync"),
    RuleInfo(
        "IDS904", "journey-not-pushable", _I, _PSH,
        "Journey ID Sync cannot be pushed through the API",
    ),
    RuleInfo(
        "IDS905", "default-setup", _I, _IDS,
        "Default Setup: Segment chooses email and user_id",
    ),
    RuleInfo(
        "IDS906", "rows-ignored", _I, _IDS,
        "Default Setup keeps identifier rows but does not send them",
    ),
    RuleInfo("IDS907", "one-event-per-value", _I, _PSH, "Rows using All cause one event per value"),
    RuleInfo(
        "IDS908", "sent-without-map-to", _I, _IDS,
        "Empty destination identifier: sent under its Segment name",
    ),
)

RULES: Final[dict[str, RuleInfo]] = {info.code: info for info in _TABLE}


def make_finding(
    code: str, message: str, *, row: int | None = None, field: str | None = None
) -> Finding:
    """Build a finding whose severity and area come from the registry, never ad hoc."""
    info = RULES[code]
    return Finding(
        code=code, severity=info.severity, message=message, area=info.area, row=row, field=field
    )
