"""Findings: what the rules report. Every view (table, review list, CLI, push gate)
renders these same objects."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Final

from idsync.core.sources import HOUSE


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        """The word the window shows: Error, Warning, Note."""
        return _SEVERITY_LABELS[self]

    @property
    def rank(self) -> int:
        return _SEVERITY_RANKS[self]


# Module constants rather than literals in the properties: sorting findings asks for the
# rank of every one, and a dict literal is built again on each call.
_SEVERITY_LABELS: Final = {
    Severity.ERROR: "Error",
    Severity.WARNING: "Warning",
    Severity.INFO: "Note",
}
_SEVERITY_RANKS: Final = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


class Area(str, Enum):
    """The editor step a finding belongs to (drives the sidebar badges)."""

    TARGET = "target"
    DESTINATION = "destination"
    IDENTIFIERS = "identifiers"
    PUSH = "push"


SEGMENT_LIMIT: Final = "Segment limit"
"""A source says Segment refuses it, cannot do it, or the API rejects it."""
SEGMENT_RECOMMENDATION: Final = "Segment recommendation"
"""A source says what Segment or the destination expects; nothing refuses the rest."""
HOUSE_RULE: Final = "House rule"
"""The app's own hygiene check: no source states it, so it only warns."""
BASES: Final = (SEGMENT_LIMIT, SEGMENT_RECOMMENDATION, HOUSE_RULE)


def source_title(source: str) -> str:
    """A short name for a rule's source, for a link: "Segment's docs", ..."""
    if source == HOUSE:
        return "this app's own check"
    if "public-api-sdk" in source:
        return "Segment's Public API spec"
    if "action-destinations" in source:
        return "Segment's destination code"
    return "Segment's docs"


@dataclass(frozen=True, slots=True)
class FindingFix:
    """A one-click fix: put ``value`` in ``field`` of identifier row ``row``."""

    row: int
    field: str
    value: str
    label: str
    """What the fix button says, e.g. "Use EMAIL"."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem or note about a document.

    ``row`` is the 0-based identifier row, or None for document-level findings.
    ``field`` names the cell or document field: ``segment``, ``destination``,
    ``strategy`` for rows; ``target.space_id``, ``destination.slug``,
    ``send_mobile_ids``, ``setup`` … otherwise.

    A plain frozen dataclass, not a pydantic model: findings are never read from a file;
    every value comes from the rule table and the rules themselves.
    """

    code: str
    severity: Severity
    message: str
    area: Area
    row: int | None = None
    field: str | None = None
    source: str = HOUSE
    """A URL of the Segment page, API spec or destination code the rule rests on, or
    ``house`` for the app's own hygiene rules."""
    fix: FindingFix | None = None
    reference: str = ""
    """A URL documenting the fact this finding applies (a destination field's meaning),
    beside the rule's own source; empty when the source says it all."""
    basis: str = HOUSE_RULE
    """What the finding rests on: one of ``BASES``, from the rule table."""
    rows: tuple[int, ...] = ()
    """Every row a finding about several rows names (``row`` is the first of them);
    empty for a finding about one row or none."""
    line: int | None = None
    """The 1-based line in the document's file of the finding's row (or of its field, for
    document-level findings), when it was read from a file; None otherwise."""
    column: int | None = None
    """The 1-based column beside ``line``: where the row's object opens, or where the
    field's key is; None when ``line`` is."""

    def with_line(self, line: int | None, column: int | None = None) -> Finding:
        # Spelled out rather than dataclasses.replace, which costs several times more: a
        # folder check places the line of every finding it prints.
        return Finding(
            code=self.code,
            severity=self.severity,
            message=self.message,
            area=self.area,
            row=self.row,
            field=self.field,
            source=self.source,
            fix=self.fix,
            reference=self.reference,
            basis=self.basis,
            rows=self.rows,
            line=line,
            column=column,
        )

    @property
    def named_rows(self) -> tuple[int, ...]:
        """The rows the finding is shown on: all it names, or its one row."""
        if self.rows:
            return self.rows
        return () if self.row is None else (self.row,)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def is_house_rule(self) -> bool:
        return self.basis == HOUSE_RULE

    def to_json(self) -> dict[str, object]:
        """The machine-readable form the CLI prints; rows counted from 1 like its text."""
        data: dict[str, object] = {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "area": self.area.value,
            "row": None if self.row is None else self.row + 1,
            "field": self.field,
            "source": self.source,
            "basis": self.basis,
        }
        if self.rows:
            data["rows"] = [row + 1 for row in self.rows]
        if self.line is not None:
            data["line"] = self.line
        if self.column is not None:
            data["column"] = self.column
        if self.reference:
            data["reference"] = self.reference
        if self.fix is not None:
            data["fix"] = {
                "row": self.fix.row + 1,
                "field": self.fix.field,
                "value": self.fix.value,
                "label": self.fix.label,
            }
        return data


def has_errors(findings: list[Finding]) -> bool:
    return any(f.is_error for f in findings)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Errors first, then by row (document-level first), then by code."""
    return sorted(findings, key=_sort_key)


def _sort_key(f: Finding) -> tuple[int, int, str, str]:
    return (_SEVERITY_RANKS[f.severity], -1 if f.row is None else f.row, f.code, f.field or "")
