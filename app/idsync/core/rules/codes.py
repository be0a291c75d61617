"""The registry of rule codes: one stable code per rule, like a linter's.

Codes never change meaning once shipped; a retired rule keeps its code reserved.
IDS1xx are about identifier rows, IDS2xx about the target and the destination, IDS3xx
warnings, IDS9xx information. Each rule names its source: the Segment page, API spec or
destination code it rests on, or ``house`` (docs/sources.md quotes each one), and its
basis: a Segment limit (the source says Segment refuses it), a Segment recommendation
(the source says what is expected, nothing refuses the rest) or a house rule (no source).
Only a Segment limit, or what the API itself would reject, is an error. The CLI prints
this table and the docs list it, so every summary is one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from idsync.core import sources as src
from idsync.core.findings import (
    HOUSE_RULE,
    SEGMENT_LIMIT,
    SEGMENT_RECOMMENDATION,
    Area,
    Finding,
    FindingFix,
    Severity,
)


@dataclass(frozen=True)
class RuleInfo:
    code: str
    name: str
    severity: Severity
    area: Area
    summary: str
    source: str
    """A URL of what the rule rests on, or ``house`` (see ``idsync.core.sources``)."""
    basis: str
    """SEGMENT_LIMIT, SEGMENT_RECOMMENDATION or HOUSE_RULE."""

    def to_json(self) -> dict[str, str]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "area": self.area.value,
            "summary": self.summary,
            "source": self.source,
            "basis": self.basis,
        }


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO
_IDS, _TGT, _DST, _PSH = Area.IDENTIFIERS, Area.TARGET, Area.DESTINATION, Area.PUSH
_LIMIT, _ADVICE, _HOUSE = SEGMENT_LIMIT, SEGMENT_RECOMMENDATION, HOUSE_RULE

_TABLE: Final[tuple[RuleInfo, ...]] = (
    RuleInfo(
        "IDS101", "too-many-all", _E, _IDS,
        "More than three rows use the All strategy", src.ID_SYNC_DOC, _LIMIT,
    ),
    RuleInfo(
        "IDS102", "too-many-rows", _E, _IDS,
        "More than five identifier rows (API maximum)", src.API_CREATE_INPUT, _LIMIT,
    ),
    RuleInfo(
        "IDS103", "no-rows", _W, _IDS,
        "Customized Setup without any identifier row", src.HOUSE, _HOUSE,
    ),
    RuleInfo(
        "IDS104", "empty-segment-identifier", _E, _IDS,
        "A row has no Segment identifier (externalId is required)", src.API_ID_SYNC_ENTRY, _LIMIT,
    ),
    RuleInfo(
        "IDS105", "malformed-segment-identifier", _W, _IDS,
        "Segment identifier is not lowercase letters, digits, '_' and '.'", src.HOUSE, _HOUSE,
    ),
    RuleInfo(
        "IDS106", "malformed-destination-identifier", _W, _IDS,
        "Destination identifier has edge spaces, control characters or is too long",
        src.HOUSE, _HOUSE,
    ),
    RuleInfo("IDS107", "duplicate-row", _W, _IDS, "The same row appears twice", src.HOUSE, _HOUSE),
    RuleInfo(
        "IDS108", "duplicate-mapping", _W, _IDS,
        "The same Segment identifier is mapped twice to one destination field", src.HOUSE, _HOUSE,
    ),
    RuleInfo(
        "IDS109", "mobile-id-needs-send-mobile-ids", _W, _IDS,
        "A mobile advertising ID row while Send Mobile IDs is off", src.ID_SYNC_DOC, _ADVICE,
    ),
    RuleInfo(
        "IDS110", "not-a-documented-key", _W, _IDS,
        "Destination identifier is not a key the destination documents or its mapping reads",
        src.FACEBOOK_TRAIT_KEYS, _ADVICE,
    ),
    RuleInfo(
        "IDS111", "missing-preset-key", _W, _IDS,
        "Empty destination identifier where the destination offers a dropdown", src.HOUSE, _HOUSE,
    ),
    RuleInfo(
        "IDS112", "missing-matcher", _E, _IDS,
        "None of the rows is an identifier the destination requires to match profiles",
        src.GOOGLE_REMARKETING_DOC, _LIMIT,
    ),
    RuleInfo(
        "IDS113", "too-many-extra-identifiers", _E, _IDS,
        "More identifiers beside the matcher than the destination accepts",
        src.GOOGLE_REMARKETING_DOC, _LIMIT,
    ),
    RuleInfo(
        "IDS201", "malformed-target-id", _W, _TGT,
        "Space, audience, journey id or step has spaces or control characters", src.HOUSE, _HOUSE,
    ),
    RuleInfo(
        "IDS202", "malformed-instance-id", _W, _DST,
        "Destination instance id has spaces or control characters", src.HOUSE, _HOUSE,
    ),
    RuleInfo(
        "IDS301", "unknown-destination-field", _W, _IDS,
        "Destination identifier is not among the keys the app knows the destination reads",
        src.HOUSE, _HOUSE,
    ),
    RuleInfo(
        "IDS302", "looks-like-a-trait", _W, _IDS,
        "Segment identifier is neither a default nor a declared custom identifier",
        src.ID_SYNC_DOC, _ADVICE,
    ),
    RuleInfo(
        "IDS303", "mobile-ids-not-supported", _W, _IDS,
        "Mobile advertising ID row for a destination without mobile ID support", src.HOUSE, _HOUSE,
    ),
    RuleInfo(
        "IDS304", "legacy-identifier", _W, _IDS,
        "Identifier is a default only in legacy spaces",
        src.IDENTITY_RESOLUTION_SETTINGS_DOC, _ADVICE,
    ),
    RuleInfo(
        "IDS305", "unknown-destination", _W, _DST,
        "Destination is not in the catalog; its fields cannot be checked offline",
        src.HOUSE, _HOUSE,
    ),
    RuleInfo("IDS306", "no-destination", _W, _DST, "No destination is chosen", src.HOUSE, _HOUSE),
    RuleInfo(
        "IDS307", "destination-kind-mismatch", _W, _DST,
        "Destination kind differs from the catalog's", src.HOUSE, _HOUSE,
    ),
    RuleInfo(
        "IDS308", "target-incomplete", _W, _TGT,
        "Space, audience, journey id or step is empty", src.HOUSE, _HOUSE,
    ),
    RuleInfo(
        "IDS309", "instance-id-missing", _W, _DST,
        "Destination instance id is empty (needed to push)", src.HOUSE, _HOUSE,
    ),
    RuleInfo(
        "IDS310", "not-a-listed-key", _W, _IDS,
        "Destination identifier is not in the app's list for a dropdown Segment does not "
        "publish", src.HOUSE, _HOUSE,
    ),
    RuleInfo(
        "IDS311", "extra-identifier-field", _W, _IDS,
        "The identifier beside the matcher is not mapped to the field the destination reads",
        src.GOOGLE_REMARKETING_DOC, _LIMIT,
    ),
    RuleInfo(
        "IDS312", "field-kind-mismatch", _W, _IDS,
        "A row sends one kind of value under a destination field of another kind",
        src.HOUSE, _HOUSE,
    ),
    RuleInfo(
        "IDS313", "matcher-recommended", _W, _IDS,
        "None of the rows is an identifier the destination's page names as its main matcher",
        src.FACEBOOK_TRAIT_KEYS, _ADVICE,
    ),
    RuleInfo(
        "IDS314", "shared-destination-field", _W, _IDS,
        "Two rows send different Segment identifiers under one destination field",
        src.HOUSE, _HOUSE,
    ),
    RuleInfo(
        "IDS901", "new-data-only", _I, _PSH,
        "ID Sync applies to new data after about five minutes", src.ID_SYNC_DOC, _LIMIT,
    ),
    RuleInfo(
        "IDS902", "no-resync", _I, _PSH,
        "Existing audience members are not resynced", src.ID_SYNC_DOC, _LIMIT,
    ),
    RuleInfo(
        "IDS903", "audience-exited", _I, _PSH,
        "Audience Exited events ignore ID Sync", src.ID_SYNC_DOC, _LIMIT,
    ),
    RuleInfo(
        "IDS904", "journey-not-pushable", _I, _PSH,
        "Journey ID Sync cannot be pushed through the API", src.API_ACTIVATIONS, _LIMIT,
    ),
    RuleInfo(
        "IDS905", "default-setup", _I, _IDS,
        "Default Setup: Segment chooses the identifiers (per destination)",
        src.API_CREATE_INPUT, _LIMIT,
    ),
    RuleInfo(
        "IDS906", "rows-ignored", _I, _IDS,
        "Default Setup keeps identifier rows but does not send them", src.HOUSE, _HOUSE,
    ),
    RuleInfo(
        "IDS907", "one-event-per-value", _I, _PSH,
        "Rows using All cause one event per value", src.API_ID_SYNC_ENTRY, _LIMIT,
    ),
    RuleInfo(
        "IDS908", "sent-without-map-to", _I, _IDS,
        "Empty destination identifier: sent under its Segment name", src.HOUSE, _HOUSE,
    ),
)

RULES: Final[dict[str, RuleInfo]] = {info.code: info for info in _TABLE}


def make_finding(
    code: str,
    message: str,
    *,
    row: int | None = None,
    field: str | None = None,
    fix: FindingFix | None = None,
    reference: str = "",
    rows: tuple[int, ...] = (),
) -> Finding:
    """Build a finding whose severity, area, source and basis come from the registry,
    never ad hoc. ``rows`` names every row of a finding about several (one broken limit
    is one finding); its first is the finding's ``row``."""
    info = RULES[code]
    return Finding(
        code=code,
        severity=info.severity,
        message=message,
        area=info.area,
        row=rows[0] if rows else row,
        field=field,
        source=info.source,
        fix=fix,
        reference=reference,
        basis=info.basis,
        rows=rows if len(rows) > 1 else (),
    )
