"""The rules: what makes an ID Sync document valid, as findings with stable codes.

``validate`` is pure: the same document and catalog always give the same sorted findings.
"""

from __future__ import annotations

from typing import Final

from idsync.core.catalog import Catalog
from idsync.core.findings import Finding, Severity, sort_findings
from idsync.core.model import IdSyncDocument
from idsync.core.rules.codes import RULES, RuleInfo
from idsync.core.rules.context import RuleContext
from idsync.core.rules.registry import CHECKS, NOTE_CHECKS

__all__ = ["RULES", "RuleInfo", "validate"]


_WITHOUT_NOTES: Final = tuple(check for check in CHECKS if check not in NOTE_CHECKS)


def validate(doc: IdSyncDocument, catalog: Catalog, *, notes: bool = True) -> list[Finding]:
    """Check ``doc`` against the rules and the ``catalog``; errors first, then by row.

    ``notes=False`` leaves out info findings, as filtering them out afterwards would
    (the other findings keep their order), without running the checks that make only
    notes.
    """
    ctx = RuleContext.build(doc, catalog)
    if notes:
        return sort_findings([finding for check in CHECKS for finding in check(ctx)])
    findings = [finding for check in _WITHOUT_NOTES for finding in check(ctx)]
    return sort_findings([f for f in findings if f.severity is not Severity.INFO])
