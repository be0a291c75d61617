"""Which rules a check reports: ``--select`` / ``--ignore`` codes and prefixes, as ruff
reads them.

A code or prefix (``IDS104``, ``IDS3``, ``ALL``) turns on or off every rule whose code
starts with it. The longest prefix that matches a code decides, so ``--select IDS3
--ignore IDS301`` reports every IDS3xx rule but IDS301, and ``--ignore IDS3 --select
IDS301`` reports IDS301 alone of them; a prefix in both lists is ignored. With nothing
selected every rule is.

Pure: the caller says where the codes came from when one names no rule.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from idsync.core.findings import Finding

ALL: Final = "ALL"
"""Selects (or ignores) every rule: the empty prefix."""


@dataclass(frozen=True)
class RuleSelection:
    """The prefixes selected and ignored, upper-case; ``ALL`` stands for every code."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    @property
    def is_everything(self) -> bool:
        """Whether every rule is reported (nothing to filter)."""
        return not self.ignore and (not self.select or ALL in self.select)

    def wants(self, code: str) -> bool:
        chosen = _longest(self.select, code) if self.select else 0
        left_out = _longest(self.ignore, code)
        return chosen is not None and (left_out is None or chosen > left_out)

    def keep(self, findings: Iterable[Finding]) -> list[Finding]:
        """The findings of the rules this selection reports, in their order."""
        if self.is_everything:
            return list(findings)
        return [finding for finding in findings if self.wants(finding.code)]


def _longest(prefixes: Sequence[str], code: str) -> int | None:
    """The length of the longest of ``prefixes`` that ``code`` starts with; None if none."""
    lengths = [
        0 if prefix == ALL else len(prefix)
        for prefix in prefixes
        if prefix == ALL or code.startswith(prefix)
    ]
    return max(lengths, default=None)


def normalise(codes: Iterable[str]) -> tuple[str, ...]:
    """Codes as written (``ids104``, `` IDS3 ``, ``a,b`` split at commas) in one form:
    upper-case, without blanks or empties, each once, in their order."""
    found: list[str] = []
    for item in codes:
        for part in item.split(","):
            code = part.strip().upper()
            if code and code not in found:
                found.append(code)
    return tuple(found)


def unknown(codes: Iterable[str], known: Collection[str]) -> list[str]:
    """The codes or prefixes that name no rule in ``known``."""
    return [
        code
        for code in codes
        if code != ALL and not any(rule.startswith(code) for rule in known)
    ]
