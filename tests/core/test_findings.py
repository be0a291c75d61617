"""Findings as data: the copy with a line and column keeps everything else."""

from __future__ import annotations

import dataclasses

from idsync.core.findings import SEGMENT_RECOMMENDATION, Area, Finding, FindingFix, Severity


def test_with_line_copies_every_other_field() -> None:
    """with_line is spelled out field by field (for speed): a field added to Finding
    later must be added there too, or it would be lost here."""
    finding = Finding(
        code="IDS312",
        severity=Severity.WARNING,
        message="email under FN",
        area=Area.IDENTIFIERS,
        row=2,
        field="destination",
        source="https://segment.com/docs/",
        fix=FindingFix(row=2, field="destination", value="EMAIL", label="Use EMAIL"),
        reference="https://example.test/field",
        basis=SEGMENT_RECOMMENDATION,
        rows=(2, 4),
        line=7,
        column=5,
    )
    # Every field has a value other than its default, so a forgotten one would show.
    for spec in dataclasses.fields(Finding):
        if spec.default is not dataclasses.MISSING:
            assert getattr(finding, spec.name) != spec.default, spec.name
    moved = finding.with_line(40, 3)
    assert (moved.line, moved.column) == (40, 3)
    assert moved == dataclasses.replace(finding, line=40, column=3)
