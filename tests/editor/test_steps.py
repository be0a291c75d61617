"""idsync.editor.steps: the editor's steps in sidebar order, and which step a finding is
read on."""

from __future__ import annotations

import pytest

from idsync.core.findings import Area, Finding, Severity
from idsync.editor.steps import Step, counts_by_step, step_of, summary


def _finding(severity: Severity, area: Area) -> Finding:
    return Finding(code="IDS000", severity=severity, message="something", area=area)


def test_the_steps_keep_the_sidebar_order_and_titles() -> None:
    assert [(step.position, step.label) for step in Step] == [
        (0, "Target"),
        (1, "Destination"),
        (2, "Event settings"),
        (3, "Review"),
    ]


def test_a_remembered_step_name_is_read_back_and_an_unknown_one_falls_back() -> None:
    assert Step.from_name("identifiers") is Step.IDENTIFIERS
    assert Step.from_name("no-such-step") is Step.TARGET
    assert Step.from_name("", default=Step.REVIEW) is Step.REVIEW


@pytest.mark.parametrize(
    ("area", "step"),
    [
        (Area.TARGET, Step.TARGET),
        (Area.DESTINATION, Step.DESTINATION),
        (Area.IDENTIFIERS, Step.IDENTIFIERS),
        (Area.PUSH, Step.REVIEW),
    ],
)
def test_each_finding_is_read_on_the_step_of_its_area(area: Area, step: Step) -> None:
    assert step_of(_finding(Severity.ERROR, area)) is step


def test_counts_by_step_count_one_severity_and_name_every_step() -> None:
    findings = [
        _finding(Severity.ERROR, Area.IDENTIFIERS),
        _finding(Severity.ERROR, Area.IDENTIFIERS),
        _finding(Severity.WARNING, Area.IDENTIFIERS),
        _finding(Severity.ERROR, Area.PUSH),
    ]
    assert counts_by_step(findings, Severity.ERROR) == {
        Step.TARGET: 0,
        Step.DESTINATION: 0,
        Step.IDENTIFIERS: 2,
        Step.REVIEW: 1,
    }
    assert counts_by_step(findings, Severity.WARNING)[Step.IDENTIFIERS] == 1


@pytest.mark.parametrize(
    ("severities", "text"),
    [
        ((), "No problems"),
        ((Severity.INFO,), "No problems, 1 note"),
        ((Severity.ERROR, Severity.ERROR, Severity.WARNING), "2 errors, 1 warning"),
        ((Severity.WARNING, Severity.INFO, Severity.INFO), "1 warning, 2 notes"),
    ],
)
def test_summary_counts_errors_and_warnings_then_notes(
    severities: tuple[Severity, ...], text: str
) -> None:
    assert summary(_finding(severity, Area.TARGET) for severity in severities) == text
