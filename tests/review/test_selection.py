"""Which rules a check reports (app/idsync/review/selection.py): codes and prefixes as ruff reads
them, the longest match deciding."""

from __future__ import annotations

from idsync.core.findings import Area, Finding, Severity
from idsync.core.rules import RULES
from idsync.review.selection import RuleSelection, normalise, unknown


def _selection(select: str = "", ignore: str = "") -> RuleSelection:
    return RuleSelection(normalise([select]), normalise([ignore]))


def test_nothing_selected_reports_every_rule() -> None:
    everything = RuleSelection()
    assert everything.is_everything
    assert all(everything.wants(code) for code in RULES)


def test_a_prefix_selects_every_rule_it_starts() -> None:
    only = _selection("IDS3")
    assert {code for code in RULES if only.wants(code)} == {
        code for code in RULES if code.startswith("IDS3")
    }


def test_the_longest_matching_prefix_decides() -> None:
    narrowed = _selection(select="IDS3", ignore="IDS301")
    assert narrowed.wants("IDS310") and not narrowed.wants("IDS301")
    widened = _selection(select="IDS301", ignore="IDS3")
    assert widened.wants("IDS301") and not widened.wants("IDS310")
    # Nothing selected means every rule, the ignored ones left out.
    assert not _selection(ignore="IDS9").wants("IDS901")
    assert _selection(ignore="IDS9").wants("IDS104")
    # The same prefix in both: ignored.
    assert not _selection(select="IDS104", ignore="IDS104").wants("IDS104")
    assert not _selection(select="ALL", ignore="ALL").wants("IDS104")
    assert _selection(select="ALL,IDS1", ignore="IDS1").wants("IDS201")


def test_keep_filters_findings_in_their_order() -> None:
    findings = [
        Finding(code, Severity.INFO, "m", Area.IDENTIFIERS)
        for code in ("IDS901", "IDS104", "IDS905", "IDS310")
    ]
    kept = _selection(ignore="IDS9").keep(findings)
    assert [f.code for f in kept] == ["IDS104", "IDS310"]
    assert RuleSelection().keep(findings) == findings


def test_codes_are_normalised_and_unknown_ones_found() -> None:
    assert normalise(["ids104, IDS3", " ", "IDS3"]) == ("IDS104", "IDS3")
    assert unknown(("IDS1", "ALL", "IDS7", "E501"), RULES) == ["IDS7", "E501"]
