"""The rules: what makes an ID Sync document valid, as findings with stable codes.

``validate`` is pure: the same document and catalog always give the same sorted findings.
"""

from __future__ import annotations

from app.core.catalog import Catalog
from app.core.findings import Finding, sort_findings
from app.core.model import IdSyncDocument
from app.core.rules.codes import RULES, RuleInfo
from app.core.rules.context import RuleContext
from app.core.rules.registry import CHECKS

__all__ = ["RULES", "RuleInfo", "validate"]


def validate(doc: IdSyncDocument, catalog: Catalog) -> list[Finding]:
    """Check ``doc`` against the rules and the ``catalog``; errors first, then by row."""
    ctx = RuleContext.build(doc, catalog)
    return sort_findings([finding for check in CHECKS for finding in check(ctx)])
