"""Every rule with a failing and a passing case, against a small catalog built here."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from idsync.core.catalog import (
    Catalog,
    CustomIdentifierKind,
    DestinationConstraints,
    DestinationField,
    DestinationSpec,
    IdentifierSpec,
    ValueKind,
)
from idsync.core.findings import Area, Finding, FindingFix, Severity, sort_findings
from idsync.core.model import (
    AudienceTarget,
    DestinationKind,
    DestinationRef,
    IdentifierRow,
    IdSyncDocument,
    JourneyTarget,
    Setup,
    Strategy,
)
from idsync.core.rules import RULES, validate

FIRST, LAST, ALL = Strategy.FIRST, Strategy.LAST, Strategy.ALL
ERR, WARN, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

EXTERNAL, EMAIL, PHONE, MOBILE = (
    ValueKind.EXTERNAL_ID,
    ValueKind.EMAIL,
    ValueKind.PHONE,
    ValueKind.MOBILE_AD_ID,
)

CATALOG = Catalog(
    identifiers=(
        IdentifierSpec(id="user_id", name="User ID", description="userId", kind=EXTERNAL),
        IdentifierSpec(
            id="anonymous_id", name="Anonymous ID", description="anonymousId", kind=EXTERNAL
        ),
        IdentifierSpec(id="email", name="Email", description="traits.email", kind=EMAIL),
        IdentifierSpec(
            id="ios.idfa", name="IDFA", description="advertisingId", kind=MOBILE, mobile_ad_id=True
        ),
        IdentifierSpec(
            id="android.idfa",
            name="Android ad ID",
            description="advertisingId",
            kind=MOBILE,
            mobile_ad_id=True,
        ),
        IdentifierSpec(
            id="braze_id", name="Braze ID", description="legacy", kind=EXTERNAL, legacy=True
        ),
    ),
    custom_identifier_kinds=(CustomIdentifierKind(name="phone", kind=PHONE),),
    destinations=(
        DestinationSpec(
            slug="fb",
            name="Facebook Custom Audiences",
            identifier_mode="preset",
            keys_source="https://github.com/segmentio/action-destinations/blob/main/fb.ts",
            preset_keys=(
                DestinationField(key="EXTERN_ID", label="External ID", kind=EXTERNAL),
                DestinationField(key="EMAIL", label="Email", kind=EMAIL),
                DestinationField(key="PHONE", label="Phone", kind=PHONE),
                DestinationField(key="MADID", label="Mobile ad ID", kind=MOBILE),
            ),
            supports_mobile_ids=True,
            default_identifiers=("email", "ios.idfa", "android.idfa"),
            default_strategy=ALL,
        ),
        DestinationSpec(
            slug="fbc",
            name="Facebook Custom Audiences",
            identifier_mode="preset",
            keys_source="https://segment.com/docs/fbc/",
            preset_keys=(
                DestinationField(key="EMAIL", label="Email", kind=EMAIL),
                DestinationField(key="PHONE", label="Phone", kind=PHONE),
                DestinationField(key="MADID", label="Mobile ad ID", kind=MOBILE),
            ),
            supports_mobile_ids=True,
            constraints=DestinationConstraints(
                matcher_identifiers=("email", "ios.idfa", "android.idfa"),
                matcher_required=False,
            ),
        ),
        DestinationSpec(
            slug="gads",
            name="Google Ads Remarketing Lists",
            identifier_mode="preset",
            preset_keys=(
                DestinationField(key="email", label="Email", kind=EMAIL),
                DestinationField(key="phone", label="Phone", kind=PHONE),
                DestinationField(key="mobile_advertising_id", label="Mobile ID", kind=MOBILE),
            ),
            supports_mobile_ids=True,
            default_identifiers=("email", "ios.idfa", "android.idfa"),
            constraints=DestinationConstraints(
                matcher_identifiers=("email", "ios.idfa", "android.idfa"),
                max_extra_identifiers=1,
                extra_identifier_field="phone",
            ),
        ),
        DestinationSpec(
            slug="crm",
            name="Acme CRM",
            known_fields=(
                DestinationField(key="email", kind=EMAIL),
                DestinationField(key="external_id", kind=EXTERNAL),
                DestinationField(key="ios_idfa", kind=MOBILE),
            ),
            supports_mobile_ids=False,
            default_strategy=ALL,
        ),
        DestinationSpec(
            slug="snap",
            name="Snap Audiences",
            known_fields=(
                DestinationField(key="email", kind=EMAIL),
                DestinationField(key="ios_idfa", kind=MOBILE),
            ),
            supports_mobile_ids=True,
            send_mobile_ids_setting=False,
            default_strategy=ALL,
        ),
        DestinationSpec(
            slug="fn",
            name="My Function",
            kind=DestinationKind.FUNCTION,
            supports_mobile_ids=True,
        ),
    ),
)


def row(segment: str, destination: str = "", strategy: Strategy = LAST) -> IdentifierRow:
    return IdentifierRow(segment=segment, destination=destination, strategy=strategy)


def make_doc(*rows: IdentifierRow, slug: str = "crm", **changes: object) -> IdSyncDocument:
    """A complete, clean audience document; ``changes`` override its fields."""
    kind = DestinationKind.FUNCTION if slug == "fn" else DestinationKind.DESTINATION
    base = IdSyncDocument(
        target=AudienceTarget(space_id="spa_1", audience_id="aud_1"),
        destination=DestinationRef(slug=slug, name=slug, kind=kind, instance_id="ii_1"),
        identifiers=rows or (row("email", "email"),),
    )
    return base.replace(**changes)


def journey(**fields: str) -> JourneyTarget:
    return JourneyTarget(**{"space_id": "spa_1", "journey_id": "jou_1", "step": "Welcome"} | fields)


def with_code(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


@dataclass(frozen=True)
class Failing:
    """A document that breaks exactly one rule, where it should show, and the fix named."""

    code: str
    doc: IdSyncDocument
    severity: Severity
    area: Area
    places: tuple[tuple[int | None, str | None], ...]
    fix: str


FAILING: tuple[Failing, ...] = (
    Failing(
        "IDS101",
        make_doc(
            row("email", "email", ALL),
            row("user_id", "external_id", ALL),
            row("anonymous_id", "", ALL),
            row("ios.idfa", "ios_idfa", ALL),
            send_mobile_ids=True,
            slug="fn",
        ),
        ERR,
        Area.IDENTIFIERS,
        ((0, "strategy"), (1, "strategy"), (2, "strategy"), (3, "strategy")),
        "Change one of them to Last added or First added",
    ),
    Failing(
        "IDS102",
        make_doc(
            *(
                row(s, "")
                for s in (
                    "email",
                    "user_id",
                    "anonymous_id",
                    "ios.idfa",
                    "android.idfa",
                    "braze_id",
                    "phone",
                )
            ),
            send_mobile_ids=True,
            slug="fn",
            custom_identifiers=("braze_id", "phone"),
        ),
        ERR,
        Area.IDENTIFIERS,
        ((5, "segment"), (6, "segment")),
        "Remove 2 rows",
    ),
    Failing(
        "IDS103",
        make_doc().with_rows([]),
        WARN,
        Area.IDENTIFIERS,
        ((None, "identifiers"),),
        "Add an identifier",
    ),
    Failing(
        "IDS104",
        make_doc(row("email", "email"), row("  ", "external_id")),
        ERR,
        Area.IDENTIFIERS,
        ((1, "segment"),),
        "Choose an identifier type",
    ),
    Failing(
        "IDS105",
        make_doc(row("Email Address", "email")),
        WARN,
        Area.IDENTIFIERS,
        ((0, "segment"),),
        "Rename it to 'email_address'",
    ),
    Failing(
        "IDS106",
        make_doc(row("email", " email")),
        WARN,
        Area.IDENTIFIERS,
        ((0, "destination"),),
        "Change it to 'email'",
    ),
    Failing(
        "IDS107",
        make_doc(row("email", "email"), row("user_id", "external_id"), row("email", "email")),
        WARN,
        Area.IDENTIFIERS,
        ((2, "segment"),),
        "Remove it",
    ),
    Failing(
        "IDS108",
        make_doc(row("email", "email", FIRST), row("email", "email", ALL)),
        WARN,
        Area.IDENTIFIERS,
        ((1, "destination"),),
        "Remove one of the two rows",
    ),
    Failing(
        "IDS109",
        make_doc(row("email", "EMAIL"), row("ios.idfa", "MADID"), slug="fb"),
        WARN,
        Area.IDENTIFIERS,
        ((1, "segment"),),
        "turn it on in Segment, then tick Send Mobile IDs here",
    ),
    Failing(
        "IDS110",
        make_doc(row("email", "Email"), slug="fb"),
        WARN,
        Area.IDENTIFIERS,
        ((0, "destination"),),
        "Choose 'EMAIL'",
    ),
    Failing(
        "IDS111",
        make_doc(row("email", ""), slug="fb"),
        WARN,
        Area.IDENTIFIERS,
        ((0, "destination"),),
        "Choose 'EMAIL'",
    ),
    Failing(
        "IDS112",
        make_doc(row("phone", "phone"), slug="gads", custom_identifiers=("phone",)),
        ERR,
        Area.IDENTIFIERS,
        ((None, "identifiers"),),
        "matches profiles on email, ios.idfa or android.idfa, and no row sends one",
    ),
    Failing(
        "IDS113",
        make_doc(
            row("phone", "phone"),
            row("email", "email"),
            row("anonymous_id", ""),
            slug="gads",
            custom_identifiers=("phone",),
        ),
        ERR,
        Area.IDENTIFIERS,
        ((2, "segment"),),
        "Remove this row or another extra one",
    ),
    Failing(
        "IDS201",
        make_doc(target=AudienceTarget(space_id="spa_1", audience_id="aud 1")),
        WARN,
        Area.TARGET,
        ((None, "target.audience_id"),),
        "Copy the audience id again",
    ),
    Failing(
        "IDS202",
        make_doc(destination=DestinationRef(slug="crm", instance_id="ii 1")),
        WARN,
        Area.DESTINATION,
        ((None, "destination.instance_id"),),
        "Copy it again",
    ),
    Failing(
        "IDS301",
        make_doc(row("email", "Email")),
        WARN,
        Area.IDENTIFIERS,
        ((0, "destination"),),
        "Did you mean 'email'",
    ),
    Failing(
        "IDS302",
        make_doc(row("email", "email"), row("first_name", "external_id")),
        WARN,
        Area.IDENTIFIERS,
        ((1, "segment"),),
        "declare it as a custom identifier",
    ),
    Failing(
        "IDS303",
        make_doc(row("android.idfa", "ios_idfa"), send_mobile_ids=True),
        WARN,
        Area.IDENTIFIERS,
        ((0, "segment"),),
        "Remove the row",
    ),
    Failing(
        "IDS304",
        make_doc(row("braze_id", "external_id")),
        WARN,
        Area.IDENTIFIERS,
        ((0, "segment"),),
        "declare braze_id as a custom identifier",
    ),
    Failing(
        "IDS305",
        make_doc(destination=DestinationRef(slug="acme-unknown", instance_id="ii_1")),
        WARN,
        Area.DESTINATION,
        ((None, "destination.slug"),),
        "Choose the destination from the catalog",
    ),
    Failing(
        "IDS306",
        make_doc(destination=None),
        WARN,
        Area.DESTINATION,
        ((None, "destination.slug"),),
        "Choose a destination",
    ),
    Failing(
        "IDS307",
        make_doc(
            destination=DestinationRef(
                slug="crm", kind=DestinationKind.FUNCTION, instance_id="ii_1"
            )
        ),
        WARN,
        Area.DESTINATION,
        ((None, "destination.slug"),),
        "Choose the destination again",
    ),
    Failing(
        "IDS308",
        make_doc(target=AudienceTarget(space_id="", audience_id="")),
        WARN,
        Area.TARGET,
        ((None, "target.space_id"), (None, "target.audience_id")),
        "Enter the",
    ),
    Failing(
        "IDS309",
        make_doc(destination=DestinationRef(slug="crm")),
        WARN,
        Area.DESTINATION,
        ((None, "destination.instance_id"),),
        "Enter it",
    ),
    Failing(
        "IDS310",
        make_doc(row("email", "email_address"), slug="gads"),
        WARN,
        Area.IDENTIFIERS,
        ((0, "destination"),),
        "Segment does not publish the dropdown's values",
    ),
    Failing(
        "IDS311",
        make_doc(
            row("email", "email"), row("phone", ""), slug="gads", custom_identifiers=("phone",)
        ),
        WARN,
        Area.IDENTIFIERS,
        ((1, "destination"),),
        "Map it to phone, or remove it",
    ),
    Failing(
        "IDS312",
        make_doc(row("email", "EXTERN_ID"), slug="fb"),
        WARN,
        Area.IDENTIFIERS,
        ((0, "destination"),),
        "Map it to EMAIL instead",
    ),
    Failing(
        "IDS901",
        make_doc(),
        INFO,
        Area.PUSH,
        ((None, None),),
        "Wait about five minutes",
    ),
    Failing(
        "IDS902",
        make_doc(),
        INFO,
        Area.PUSH,
        ((None, None),),
        "ask Segment support",
    ),
    Failing(
        "IDS903",
        make_doc(),
        INFO,
        Area.PUSH,
        ((None, None),),
        "Make sure the destination handles exit events",
    ),
    Failing(
        "IDS904",
        make_doc(target=journey()),
        INFO,
        Area.PUSH,
        ((None, "target.journey_id"),),
        "export this configuration",
    ),
    Failing(
        "IDS905",
        make_doc(setup=Setup.DEFAULT).with_rows([]),
        INFO,
        Area.IDENTIFIERS,
        ((None, "setup"),),
        "Choose Customized Setup",
    ),
    Failing(
        "IDS906",
        make_doc(setup=Setup.DEFAULT),
        INFO,
        Area.IDENTIFIERS,
        ((None, "identifiers"),),
        "Choose Customized Setup to send it, or remove it",
    ),
    Failing(
        "IDS907",
        make_doc(row("email", "email", ALL)),
        INFO,
        Area.PUSH,
        ((None, "identifiers"),),
        "Use Last added",
    ),
    Failing(
        "IDS908",
        make_doc(row("email", "")),
        INFO,
        Area.IDENTIFIERS,
        ((0, "destination"),),
        "Choose 'email' if Acme CRM should read it there",
    ),
)


FAILING += (
    Failing(
        "IDS313",
        make_doc(row("phone", "PHONE"), slug="fbc", custom_identifiers=("phone",)),
        WARN,
        Area.IDENTIFIERS,
        ((None, "identifiers"),),
        "add an email or mobile ID row if you have one",
    ),
    Failing(
        "IDS314",
        make_doc(row("user_id", "external_id"), row("anonymous_id", "external_id")),
        WARN,
        Area.IDENTIFIERS,
        ((1, "destination"),),
        "Map this row to another field",
    ),
)


def test_every_rule_has_a_failing_case() -> None:
    assert sorted(case.code for case in FAILING) == sorted(RULES)


@pytest.mark.parametrize("case", FAILING, ids=[case.code for case in FAILING])
def test_failing_case(case: Failing) -> None:
    findings = with_code(validate(case.doc, CATALOG), case.code)
    shown_at = [(r, f.field) for f in findings for r in (f.named_rows or (None,))]
    assert sorted(shown_at, key=str) == sorted(case.places, key=str)
    if any(f.rows for f in findings):
        assert len(findings) == 1, "one broken rule is one finding, however many rows it names"
    for finding in findings:
        assert finding.severity is case.severity
        assert finding.area is case.area
        assert case.fix in finding.message


ERROR_CASES = [case for case in FAILING if case.severity is ERR]


@pytest.mark.parametrize("case", ERROR_CASES, ids=[case.code for case in ERROR_CASES])
def test_error_cases_break_only_their_own_rule(case: Failing) -> None:
    errors = {f.code for f in validate(case.doc, CATALOG) if f.is_error}
    assert errors == {case.code}


WARNING_CASES = [case for case in FAILING if case.severity is WARN]


@pytest.mark.parametrize("case", WARNING_CASES, ids=[case.code for case in WARNING_CASES])
def test_warning_cases_raise_no_error(case: Failing) -> None:
    findings = validate(case.doc, CATALOG)
    assert [f.code for f in findings if f.is_error] == []
    assert case.code in {f.code for f in findings if f.severity is WARN}


PASSING: tuple[tuple[str, IdSyncDocument], ...] = (
    (
        "IDS101",
        make_doc(
            row("email", "email", ALL),
            row("user_id", "external_id", ALL),
            row("anonymous_id", "", ALL),
            row("ios.idfa", "ios_idfa", LAST),
            send_mobile_ids=True,
            slug="fn",
        ),
    ),
    (
        "IDS102",
        make_doc(
            *(row(s, "") for s in ("email", "user_id", "anonymous_id", "ios.idfa", "android.idfa")),
            send_mobile_ids=True,
            slug="fn",
        ),
    ),
    ("IDS103", make_doc(row("email", "email"))),
    ("IDS103", make_doc(setup=Setup.DEFAULT).with_rows([])),
    ("IDS104", make_doc(row("email", "email"), row("user_id", "external_id"))),
    (
        "IDS105",
        make_doc(
            row("email", "email"),
            row("ios.idfa", "ios_idfa"),
            row("ga_client_id", ""),
            custom_identifiers=("ga_client_id",),
        ),
    ),
    ("IDS106", make_doc(row("email", "email"), row("user_id", "Customer ID (CRM)"))),
    ("IDS107", make_doc(row("email", "email"), row("email", "external_id"))),
    ("IDS108", make_doc(row("email", "email", FIRST), row("email", "external_id", ALL))),
    (
        "IDS109",
        make_doc(row("email", "EMAIL"), row("ios.idfa", "MADID"), slug="fb", send_mobile_ids=True),
    ),
    # The destination's docs say to ignore Send Mobile IDs (send_mobile_ids_setting False).
    ("IDS109", make_doc(row("ios.idfa", "ios_idfa"), slug="snap")),
    ("IDS110", make_doc(row("email", "EMAIL"), row("user_id", "EXTERN_ID"), slug="fb")),
    ("IDS110", make_doc(row("email", "Email"), slug="crm")),
    # An unpublished preset list never refuses a key (IDS310 warns instead).
    ("IDS110", make_doc(row("email", "email"), row("user_id", "crm_id"), slug="gads")),
    ("IDS111", make_doc(row("email", ""), slug="fn")),
    ("IDS111", make_doc(row("email", ""), slug="gads")),
    ("IDS112", make_doc(row("email", "email"), row("phone", "phone"), slug="gads")),
    (
        "IDS112",
        make_doc(row("ios.idfa", "mobile_advertising_id"), slug="gads", send_mobile_ids=True),
    ),
    ("IDS112", make_doc(row("user_id", "EXTERN_ID"), slug="fb")),
    (
        "IDS113",
        make_doc(row("phone", "phone"), row("email", "email"), custom_identifiers=("phone",)),
    ),
    ("IDS113", make_doc(row("phone", "phone"), row("email", "email"), slug="gads")),
    ("IDS201", make_doc(target=AudienceTarget(space_id="spa_1", audience_id="aud_1"))),
    ("IDS201", make_doc(target=journey(step="Send welcome email"))),
    ("IDS202", make_doc(destination=DestinationRef(slug="crm", instance_id="5f2a9c1e7b"))),
    ("IDS301", make_doc(row("email", "email"), row("user_id", "external_id"))),
    ("IDS301", make_doc(row("email", "Email_Address__c"), slug="fn")),
    ("IDS302", make_doc(row("phone", "external_id"), custom_identifiers=("phone",))),
    ("IDS303", make_doc(row("ios.idfa", "MADID"), send_mobile_ids=True, slug="fb")),
    ("IDS304", make_doc(row("braze_id", "external_id"), custom_identifiers=("braze_id",))),
    ("IDS305", make_doc()),
    ("IDS306", make_doc()),
    ("IDS307", make_doc(row("email", ""), slug="fn")),
    ("IDS308", make_doc(target=journey())),
    ("IDS309", make_doc()),
    ("IDS310", make_doc(row("email", "email"), slug="gads")),
    ("IDS310", make_doc(row("email", "Email"), slug="fb")),
    (
        "IDS311",
        make_doc(
            row("email", "email"), row("phone", "phone"), slug="gads", custom_identifiers=("phone",)
        ),
    ),
    ("IDS311", make_doc(row("email", "email"), slug="gads")),
    (
        "IDS312",
        make_doc(
            row("email", "EMAIL"),
            row("user_id", "EXTERN_ID"),
            row("phone", "PHONE"),
            row("ios.idfa", "MADID"),
            row("android.idfa", "MADID"),
            slug="fb",
            send_mobile_ids=True,
            custom_identifiers=("phone",),
        ),
    ),
    # An identifier whose kind nobody knows raises nothing.
    ("IDS312", make_doc(row("loyalty_tier", "EMAIL"), slug="fb")),
    ("IDS312", make_doc(row("email", "external_id"), row("user_id", "email"), slug="fn")),
    ("IDS313", make_doc(row("email", "EMAIL"), row("phone", "PHONE"), slug="fbc")),
    ("IDS314", make_doc(row("ios.idfa", "ios_idfa"), row("android.idfa", "ios_idfa"), slug="snap")),
    ("IDS314", make_doc(row("email", "email"), row("email", "email", ALL))),
    ("IDS903", make_doc(target=journey())),
    ("IDS904", make_doc()),
    ("IDS905", make_doc()),
    ("IDS906", make_doc(setup=Setup.DEFAULT).with_rows([])),
    ("IDS906", make_doc(row("email", "email"))),
    ("IDS907", make_doc(row("email", "email", FIRST), row("user_id", "external_id", LAST))),
    ("IDS908", make_doc(row("email", "email"))),
    ("IDS908", make_doc(row("email", ""), slug="fb")),
)


@pytest.mark.parametrize(("code", "doc"), PASSING, ids=[code for code, _ in PASSING])
def test_passing_case(code: str, doc: IdSyncDocument) -> None:
    assert code not in codes(validate(doc, CATALOG))


def test_every_non_constant_rule_has_a_passing_case() -> None:
    # IDS901 and IDS902 are true of every push, so they have no passing case.
    assert {code for code, _ in PASSING} == set(RULES) - {"IDS901", "IDS902"}


# --- Details of individual rules ------------------------------------------------------


def test_clean_document_has_only_push_notes() -> None:
    findings = validate(make_doc(row("email", "email"), row("user_id", "external_id")), CATALOG)
    assert codes(findings) == {"IDS901", "IDS902", "IDS903"}


def test_more_than_three_all_rows_is_one_finding_naming_every_row_using_all() -> None:
    rows = [
        row(s, "", ALL) for s in ("email", "user_id", "anonymous_id", "ios.idfa", "android.idfa")
    ]
    (finding,) = with_code(
        validate(make_doc(*rows, slug="fn", send_mobile_ids=True), CATALOG), "IDS101"
    )
    # Whichever row the person set to All last shows the error, whatever its place.
    assert finding.named_rows == (0, 1, 2, 3, 4)
    assert finding.row == 0 and finding.field == "strategy"
    assert "5 rows use All (rows 1, 2, 3, 4 and 5), but at most 3 may" in finding.message
    assert "Change 2 of them" in finding.message
    assert finding.to_json()["rows"] == [1, 2, 3, 4, 5]


def test_all_rows_count_only_rows_with_all_and_do_not_move_with_order() -> None:
    rows = [
        row("email", "", ALL),
        row("user_id", "", LAST),
        row("anonymous_id", "", ALL),
        row("ios.idfa", "", ALL),
        row("android.idfa", "", ALL),
    ]
    (finding,) = with_code(
        validate(make_doc(*rows, slug="fn", send_mobile_ids=True), CATALOG), "IDS101"
    )
    assert finding.named_rows == (0, 2, 3, 4)
    assert "4 rows use All" in finding.message
    assert "Change one of them" in finding.message
    flagged = {rows[r].segment for r in finding.named_rows}
    reordered = list(reversed(rows))
    (again,) = with_code(
        validate(make_doc(*reordered, slug="fn", send_mobile_ids=True), CATALOG), "IDS101"
    )
    assert {reordered[r].segment for r in again.named_rows} == flagged
    three = [rows[0], rows[1], rows[2], rows[3], row("android.idfa", "", LAST)]
    assert not with_code(
        validate(make_doc(*three, slug="fn", send_mobile_ids=True), CATALOG), "IDS101"
    )


def test_more_than_five_rows_is_one_finding_naming_the_rows_past_the_fifth() -> None:
    segments = ("email", "user_id", "anonymous_id", "ios.idfa", "android.idfa", "braze_id", "x")
    doc = make_doc(*(row(s, "") for s in segments), slug="fn", send_mobile_ids=True)
    (finding,) = with_code(validate(doc, CATALOG), "IDS102")
    assert finding.named_rows == (5, 6)
    assert "there are 7" in finding.message


def test_default_setup_ignores_rows_that_would_break_rules() -> None:
    rows = [row("Bad Name", " x", ALL)] * 7
    findings = validate(make_doc(*rows, setup=Setup.DEFAULT), CATALOG)
    assert not [f for f in findings if f.is_error]
    assert "these 7 identifier rows" in with_code(findings, "IDS906")[0].message


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("crm", "all values of email and user_id to Acme CRM"),
        (
            "fb",
            "all values of email, ios.idfa and android.idfa to Facebook Custom Audiences, "
            "one event per value",
        ),
        (
            "gads",
            "the last added email, ios.idfa or android.idfa value, whichever the list "
            "matches on, to Google Ads Remarketing Lists",
        ),
        ("acme-unknown", "depending on the destination"),
    ],
)
def test_default_setup_says_what_segment_sends(slug: str, expected: str) -> None:
    doc = make_doc(setup=Setup.DEFAULT, destination=DestinationRef(slug=slug, instance_id="i"))
    assert expected in with_code(validate(doc, CATALOG), "IDS905")[0].message


@pytest.mark.parametrize(
    ("name", "problem", "fix"),
    [
        ("Email", "has uppercase letters", "Rename it to 'email'"),
        ("email ", "has spaces at the start or end", "Rename it to 'email'"),
        ("user-id", "contains '-'", "Rename it to 'user_id'"),
        ("ios..idfa", "two in a row", "Rename it to 'ios.idfa'"),
        ("e\tmail", "invisible control characters", "Rename it to 'e_mail'"),
        ("x" * 256, "longer than 255 characters", "Rename it to 'xxx"),
        ("+++", "contains '+'", "Use lowercase letters, digits, '_' and '.' only"),
    ],
)
def test_malformed_segment_identifier_says_what_and_how(name: str, problem: str, fix: str) -> None:
    (finding,) = with_code(validate(make_doc(row(name, "email")), CATALOG), "IDS105")
    assert problem in finding.message
    assert fix in finding.message


@pytest.mark.parametrize(
    ("field", "problem"),
    [
        ("email\n", "invisible control characters"),
        ("e\u200bmail", "invisible control characters"),
        ("y" * 256, "longer than 255 characters"),
    ],
)
def test_malformed_destination_identifier(field: str, problem: str) -> None:
    (finding,) = with_code(validate(make_doc(row("email", field)), CATALOG), "IDS106")
    assert problem in finding.message
    assert "\u200b" not in finding.message and "\n" not in finding.message


def test_same_row_three_times_flags_the_later_two() -> None:
    doc = make_doc(row("email", "email"), row("email", "email"), row("email", "email"))
    assert [f.row for f in with_code(validate(doc, CATALOG), "IDS107")] == [1, 2]


def test_blank_rows_are_not_reported_as_duplicates() -> None:
    doc = make_doc(row("email", "email"), row(""), row(""))
    findings = validate(doc, CATALOG)
    assert "IDS107" not in codes(findings)
    assert [f.row for f in with_code(findings, "IDS104")] == [1, 2]


def test_empty_destination_counts_as_the_segment_name_for_duplicate_mappings() -> None:
    doc = make_doc(row("email", "", LAST), row("email", "", FIRST), slug="fn")
    (finding,) = with_code(validate(doc, CATALOG), "IDS108")
    assert finding.row == 1
    assert "no destination identifier" in finding.message


def test_preset_key_suggestions() -> None:
    doc = make_doc(
        row("ios.idfa", "idfa"),
        row("email", "Phone"),
        row("anonymous_id", "anon"),
        slug="fb",
        send_mobile_ids=True,
    )
    findings = {f.row: f for f in with_code(validate(doc, CATALOG), "IDS110")}
    # The key of the identifier's kind; a key spelled like the text typed only when it
    # is not of another kind (an email under 'Phone' is offered EMAIL, not PHONE).
    assert "Choose 'MADID'" in findings[0].message
    assert "Choose 'EMAIL'" in findings[1].message
    assert "Choose 'EXTERN_ID'" in findings[2].message
    assert [findings[i].fix for i in range(3)] == [
        FindingFix(row=0, field="destination", value="MADID", label="Use MADID"),
        FindingFix(row=1, field="destination", value="EMAIL", label="Use EMAIL"),
        FindingFix(row=2, field="destination", value="EXTERN_ID", label="Use EXTERN_ID"),
    ]
    unknown = make_doc(row("plan", "anon"), slug="fb")
    (finding,) = with_code(validate(unknown, CATALOG), "IDS110")
    assert "Choose one of: EXTERN_ID, EMAIL, PHONE, MADID" in finding.message
    assert finding.fix is None


def test_preset_empty_without_suggestion_lists_the_keys() -> None:
    doc = make_doc(row("plan", ""), slug="fb")
    (finding,) = with_code(validate(doc, CATALOG), "IDS111")
    assert "Choose one of its keys: EXTERN_ID, EMAIL, PHONE, MADID" in finding.message
    assert finding.fix is None


def test_preset_empty_with_a_fitting_key_offers_it_as_the_fix() -> None:
    doc = make_doc(row("email", ""), slug="fb")
    (finding,) = with_code(validate(doc, CATALOG), "IDS111")
    assert "email is sent under its Segment name" in finding.message
    assert finding.fix == FindingFix(row=0, field="destination", value="EMAIL", label="Use EMAIL")
    assert "IDS908" not in codes(validate(doc, CATALOG))


def test_unpublished_preset_list_leaves_an_empty_field_to_the_note() -> None:
    doc = make_doc(row("email", ""), slug="gads")
    findings = validate(doc, CATALOG)
    assert "IDS111" not in codes(findings)
    (note,) = with_code(findings, "IDS908")
    assert "Choose 'email' if Google Ads Remarketing Lists should read it there" in note.message
    assert note.fix == FindingFix(row=0, field="destination", value="email", label="Use email")


def test_unpublished_preset_list_warns_and_names_the_list() -> None:
    doc = make_doc(row("email", "email"), row("user_id", "crm_id"), slug="gads")
    findings = validate(doc, CATALOG)
    assert not [f for f in findings if f.is_error]
    (finding,) = with_code(findings, "IDS310")
    assert finding.severity is WARN and finding.row == 1
    assert "'crm_id' is not in this app's list for Google Ads Remarketing Lists" in finding.message
    assert "(email, phone, mobile_advertising_id)" in finding.message


def test_unpublished_preset_list_offers_the_key_spelled_alike() -> None:
    (finding,) = with_code(
        validate(make_doc(row("email", "Email"), slug="gads"), CATALOG), "IDS310"
    )
    assert "Choose 'email' if it does not" in finding.message
    assert finding.fix == FindingFix(row=0, field="destination", value="email", label="Use email")


def test_empty_field_on_a_free_destination_without_a_fitting_field() -> None:
    (note,) = with_code(validate(make_doc(row("email", ""), slug="fn"), CATALOG), "IDS908")
    assert "Enter a destination field if My Function expects another name" in note.message
    assert note.fix is None


def test_unknown_destination_skips_destination_key_checks() -> None:
    doc = make_doc(
        row("email", "whatever"), destination=DestinationRef(slug="nope", instance_id="i")
    )
    assert codes(validate(doc, CATALOG)) & {"IDS110", "IDS111", "IDS301"} == set()


def test_extra_identifiers_counts_a_second_required_row_as_extra() -> None:
    doc = make_doc(
        row("email", "email"), row("email", "phone"), row("user_id", "crm_id"), slug="gads"
    )
    findings = validate(doc, CATALOG)
    assert [f.row for f in with_code(findings, "IDS113")] == [2]
    assert (
        "at most 1 identifier beside its matcher (email, ios.idfa or android.idfa)"
        in with_code(findings, "IDS113")[0].message
    )


def test_the_matcher_is_the_first_row_that_sends_one_of_the_matchers() -> None:
    # Google matches on email OR a mobile ID: the first such row is the matcher, the
    # mobile ID after it is the one extra identifier and should map to phone.
    doc = make_doc(
        row("ios.idfa", "mobile_advertising_id"),
        row("email", "email"),
        slug="gads",
        send_mobile_ids=True,
    )
    findings = validate(doc, CATALOG)
    assert codes(findings) & {"IDS112", "IDS113"} == set()
    (finding,) = with_code(findings, "IDS311")
    assert finding.row == 1
    assert "this row sends email under 'email'" in finding.message
    assert finding.fix == FindingFix(row=1, field="destination", value="phone", label="Use phone")


def test_extra_field_rule_looks_only_at_the_extras_the_destination_accepts() -> None:
    doc = make_doc(
        row("email", "email"),
        row("phone", "phone"),
        row("user_id", ""),
        slug="gads",
        custom_identifiers=("phone",),
    )
    findings = validate(doc, CATALOG)
    assert [f.row for f in with_code(findings, "IDS113")] == [2]
    assert with_code(findings, "IDS311") == []


def test_matcher_is_not_reported_when_there_are_no_rows() -> None:
    findings = validate(make_doc(slug="gads").with_rows([]), CATALOG)
    assert codes(findings) & {"IDS103", "IDS112"} == {"IDS103"}


def test_mobile_id_without_send_mobile_ids_on_android() -> None:
    doc = make_doc(row("email", ""), row("android.idfa", ""), slug="fn")
    (finding,) = with_code(validate(doc, CATALOG), "IDS109")
    assert finding.row == 1
    assert finding.severity is WARN
    assert "android.idfa is a mobile advertising ID" in finding.message
    assert "This app cannot push that setting" in finding.message


def test_send_mobile_ids_is_not_asked_where_the_destination_ignores_it() -> None:
    doc = make_doc(row("email", "email"), row("android.idfa", "ios_idfa"), slug="snap")
    assert "IDS109" not in codes(validate(doc, CATALOG))
    # An unknown destination gets the warning: the safe side when the catalog is silent.
    unknown = doc.replace(destination=DestinationRef(slug="nope", instance_id="i"))
    assert "IDS109" in codes(validate(unknown, CATALOG))


def test_field_kind_mismatch_names_the_fitting_field_and_offers_it() -> None:
    doc = make_doc(
        row("user_id", "EMAIL"), row("ios.idfa", "PHONE"), slug="fb", send_mobile_ids=True
    )
    findings = {f.row: f for f in with_code(validate(doc, CATALOG), "IDS312")}
    assert "user_id holds an ID of your own (user or CRM ID), but EMAIL takes an email" in (
        findings[0].message
    )
    assert "Map it to External ID (EXTERN_ID) instead" in findings[0].message
    assert findings[0].fix == FindingFix(
        row=0, field="destination", value="EXTERN_ID", label="Use EXTERN_ID"
    )
    assert "Map it to Mobile ad ID (MADID) instead" in findings[1].message
    assert findings[1].fix is not None and findings[1].fix.value == "MADID"


def test_field_kind_mismatch_without_a_fitting_field_has_no_fix() -> None:
    doc = make_doc(
        row("email", "email"), row("phone", "external_id"), custom_identifiers=("phone",)
    )
    (finding,) = with_code(validate(doc, CATALOG), "IDS312")
    assert finding.row == 1
    assert "Acme CRM has no field for a phone number" in finding.message
    assert finding.fix is None


def test_field_kind_rule_ignores_unknown_fields_and_unknown_identifiers() -> None:
    doc = make_doc(
        row("email", "Email_Address__c"),
        row("loyalty_tier", "email"),
        slug="crm",
        custom_identifiers=("loyalty_tier",),
    )
    assert "IDS312" not in codes(validate(doc, CATALOG))


def test_target_incomplete_says_why_for_audiences_and_for_journeys() -> None:
    (audience,) = with_code(
        validate(make_doc(target=AudienceTarget(space_id="spa_1")), CATALOG), "IDS308"
    )
    assert "it is needed to push this configuration" in audience.message
    (step,) = with_code(validate(make_doc(target=journey(step="")), CATALOG), "IDS308")
    assert "it tells whoever sets up the journey step where this configuration goes" in (
        step.message
    )
    assert "needed to push" not in step.message


def test_malformed_or_empty_identifiers_are_not_called_traits() -> None:
    doc = make_doc(row("Phone Number", "external_id"), row("", "email"))
    assert "IDS302" not in codes(validate(doc, CATALOG))


def test_trait_warning_explains_profiles_and_alternatives() -> None:
    (finding,) = with_code(validate(make_doc(row("plan", "external_id")), CATALOG), "IDS302")
    assert "writes traits mapped through ID Sync to profiles" in finding.message
    assert "Destination Actions" in finding.message and "Trait Enrichment" in finding.message


def test_known_fields_warning_says_events_may_not_be_delivered() -> None:
    (finding,) = with_code(validate(make_doc(row("email", "mail")), CATALOG), "IDS301")
    assert "outgoing events may not be delivered" in finding.message
    assert "Use one of its known fields (email, external_id, ios_idfa)" in finding.message


@pytest.mark.parametrize(
    ("target", "fields"),
    [
        (
            journey(space_id="", journey_id="", step=""),
            {"target.space_id", "target.journey_id", "target.step"},
        ),
        (journey(step="  Welcome"), set()),
    ],
)
def test_journey_target_completeness(target: JourneyTarget, fields: set[str]) -> None:
    findings = with_code(validate(make_doc(target=target), CATALOG), "IDS308")
    assert {f.field for f in findings} == fields


@pytest.mark.parametrize(
    "target",
    [
        # The client and Segment's SDK encode path parts, and no source bounds an id's
        # length: neither is a problem.
        journey(journey_id="jou#1"),
        AudienceTarget(space_id="s" * 256, audience_id="a/b"),
    ],
)
def test_ids_the_api_takes_are_not_flagged(target: AudienceTarget | JourneyTarget) -> None:
    assert not with_code(validate(make_doc(target=target), CATALOG), "IDS201")


@pytest.mark.parametrize(
    ("target", "field", "problem"),
    [
        (journey(step=" Welcome"), "target.step", "spaces at the start or end"),
        (journey(journey_id="jou 1"), "target.journey_id", "contains spaces"),
        (AudienceTarget(space_id="spa\x00", audience_id="a"), "target.space_id", "invisible"),
    ],
)
def test_malformed_target_ids(
    target: AudienceTarget | JourneyTarget, field: str, problem: str
) -> None:
    (finding,) = with_code(validate(make_doc(target=target), CATALOG), "IDS201")
    assert finding.field == field
    assert problem in finding.message
    assert "\x00" not in finding.message


def test_no_destination_asks_for_one_and_nothing_about_its_instance() -> None:
    findings = validate(make_doc(destination=DestinationRef(slug=" ")), CATALOG)
    assert codes(findings) & {"IDS305", "IDS306", "IDS309"} == {"IDS306"}


def test_event_volume_names_the_all_rows() -> None:
    doc = make_doc(row("email", "email", ALL), row("user_id", "external_id", ALL))
    (finding,) = with_code(validate(doc, CATALOG), "IDS907")
    assert finding.message.startswith("2 rows use All (email, user_id)")


# --- Shape of the results ---------------------------------------------------------------


def test_findings_are_sorted_and_deterministic() -> None:
    doc = make_doc(
        row("Email", "x", ALL),
        row("ios.idfa", " MADID"),
        row("plan", ""),
        slug="fb",
        target=AudienceTarget(),
    )
    first = validate(doc, CATALOG)
    assert first == sort_findings(list(reversed(first)))
    assert first == validate(doc, CATALOG)
    assert [f.severity for f in first] == sorted((f.severity for f in first), key=lambda s: s.rank)


def test_registry_codes_are_stable_and_consistent() -> None:
    # Row and target rules are errors or (house rules, IDS109) warnings; 3xx warn, 9xx inform.
    ranges = {"1": {ERR, WARN}, "2": {ERR, WARN}, "3": {WARN}, "9": {INFO}}
    for code, info in RULES.items():
        assert re.fullmatch(r"IDS[1239]\d\d", code), code
        assert info.code == code
        assert info.severity in ranges[code[3]], code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", info.name), code
        assert info.summary and "\n" not in info.summary and len(info.summary) <= 90, code
    assert len({info.name for info in RULES.values()}) == len(RULES)


_names = st.sampled_from(
    ["email", "user_id", "ios.idfa", "braze_id", "plan", "phone", "", " Bad\t", "x" * 300]
)
_fields = st.sampled_from(
    ["", "EMAIL", "email", "MADID", " EMAIL", "crm_id", "a\u200b", "phone", "EXTERN_ID", "ios_idfa"]
)
_rows = st.builds(row, _names, _fields, st.sampled_from(list(Strategy)))


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(_rows, max_size=8),
    slug=st.sampled_from(["fb", "gads", "crm", "snap", "fn", "nope", ""]),
    setup=st.sampled_from(list(Setup)),
    mobile=st.booleans(),
)
def test_any_document_gives_sorted_registered_findings(
    rows: list[IdentifierRow], slug: str, setup: Setup, mobile: bool
) -> None:
    doc = make_doc(slug=slug, setup=setup, send_mobile_ids=mobile).with_rows(rows)
    findings = validate(doc, CATALOG)
    assert findings == sort_findings(findings)
    for finding in findings:
        info = RULES[finding.code]
        assert (finding.severity, finding.area, finding.source) == (
            info.severity,
            info.area,
            info.source,
        )
        assert finding.row is None or 0 <= finding.row < len(rows)
        if finding.fix is not None:
            assert finding.fix.row == finding.row
            assert finding.fix.field == "destination" and finding.fix.value
        assert finding.message.endswith((".", "?"))


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(_rows, max_size=8),
    slug=st.sampled_from(["fb", "gads", "crm", "snap", "fn", "nope", ""]),
    setup=st.sampled_from(list(Setup)),
    mobile=st.booleans(),
    journey=st.booleans(),
)
def test_leaving_notes_out_gives_the_other_findings_in_their_order(
    rows: list[IdentifierRow], slug: str, setup: Setup, mobile: bool, journey: bool
) -> None:
    # `idsync check --quiet` skips the checks that make only notes; nothing else changes.
    doc = make_doc(slug=slug, setup=setup, send_mobile_ids=mobile).with_rows(rows)
    if journey:
        doc = doc.replace(target=JourneyTarget(space_id="s", journey_id="j"))
    expected = [f for f in validate(doc, CATALOG) if f.severity is not INFO]
    assert validate(doc, CATALOG, notes=False) == expected


def test_a_finding_as_json_counts_rows_from_one_like_the_text_output() -> None:
    from idsync.core.findings import Area, Finding, Severity

    finding = Finding(
        code="IDS109",
        severity=Severity.ERROR,
        message="Turn on Send Mobile IDs.",
        area=Area.IDENTIFIERS,
        row=1,
        field="segment",
    )
    assert finding.to_json() == {
        "code": "IDS109",
        "severity": "error",
        "message": "Turn on Send Mobile IDs.",
        "area": "identifiers",
        "row": 2,
        "field": "segment",
        "source": "house",
        "basis": "House rule",
    }
    document_level = dataclasses.replace(finding, row=None)
    assert document_level.to_json()["row"] is None


def test_a_finding_as_json_carries_its_source_and_its_fix_counted_from_one() -> None:
    (finding,) = with_code(
        validate(make_doc(row("email", "PHONE"), slug="fb"), CATALOG), "IDS312"
    )
    data = finding.to_json()
    assert data["source"] == "house" == RULES["IDS312"].source
    assert data["fix"] == {"row": 1, "field": "destination", "value": "EMAIL", "label": "Use EMAIL"}
    assert finding.basis == "House rule"
    (limit,) = with_code(validate(make_doc(row("email", "Email"), slug="fb"), CATALOG), "IDS110")
    assert limit.to_json()["source"] == RULES["IDS110"].source
    assert limit.basis == "Segment recommendation"
    assert limit.to_json()["basis"] == "Segment recommendation"
