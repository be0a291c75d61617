"""The editor's steps and which findings belong to which step."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from enum import Enum

from idsync.core.findings import Area, Finding, Severity
from idsync.core.wording import plural


class Step(str, Enum):
    TARGET = "target"
    DESTINATION = "destination"
    IDENTIFIERS = "identifiers"
    REVIEW = "review"

    @property
    def label(self) -> str:
        return _TITLES[self]

    @property
    def position(self) -> int:
        """0-based place in the sidebar."""
        return list(Step).index(self)

    @classmethod
    def from_name(cls, name: str, default: Step | None = None) -> Step:
        try:
            return cls(name)
        except ValueError:
            return default or Step.TARGET


_TITLES = {
    Step.TARGET: "Target",
    Step.DESTINATION: "Destination",
    Step.IDENTIFIERS: "Event settings",
    Step.REVIEW: "Review",
}

_STEP_OF_AREA = {
    Area.TARGET: Step.TARGET,
    Area.DESTINATION: Step.DESTINATION,
    Area.IDENTIFIERS: Step.IDENTIFIERS,
    # Push-time notes have no field to edit: they are read on the Review step.
    Area.PUSH: Step.REVIEW,
}


def step_of(finding: Finding) -> Step:
    return _STEP_OF_AREA[finding.area]


def counts_by_step(findings: Iterable[Finding], severity: Severity) -> dict[Step, int]:
    counter = Counter(step_of(f) for f in findings if f.severity is severity)
    return {step: counter.get(step, 0) for step in Step}


def summary(findings: Iterable[Finding]) -> str:
    """'2 errors, 1 warning' style summary; 'No problems' when there are no errors or warnings."""
    counter = Counter(f.severity for f in findings)
    parts = []
    if counter[Severity.ERROR]:
        parts.append(plural(counter[Severity.ERROR], "error"))
    if counter[Severity.WARNING]:
        parts.append(plural(counter[Severity.WARNING], "warning"))
    if not parts:
        parts.append("No problems")
    if counter[Severity.INFO]:
        parts.append(plural(counter[Severity.INFO], "note"))
    return ", ".join(parts)
