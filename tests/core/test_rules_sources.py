"""Issue 7 against the shipped catalog: every rule names its source, house rules only warn,
the mapping rule flags wrong mappings and nothing else, and the corrections hold (Google's
matcher is email OR a mobile ID, Send Mobile IDs warns, unpublished key lists never refuse).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from idsync.catalog import load_catalog
from idsync.core import sources
from idsync.core.catalog import Catalog
from idsync.core.findings import (
    HOUSE_RULE,
    SEGMENT_LIMIT,
    SEGMENT_RECOMMENDATION,
    Finding,
    FindingFix,
    Severity,
)
from idsync.core.model import (
    IdSyncDocument,
)
from idsync.core.rules import RULES, validate
from tests.helpers.documents import catalog_document as doc_for

ROOT = Path(__file__).resolve().parents[2]
FACEBOOK = "personas-facebook-custom-audiences"
FACEBOOK_ACTIONS = "actions-facebook-custom-audiences"
GOOGLE = "adwords-remarketing-lists"
SNAP = "actions-snap-audiences"
SOURCE_URL = re.compile(r"https://(segment\.com/docs/|github\.com/segmentio/)\S+")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def findings(doc: IdSyncDocument, catalog: Catalog, code: str | None = None) -> list[Finding]:
    found = validate(doc, catalog)
    return [f for f in found if code is None or f.code == code]


def problems(doc: IdSyncDocument, catalog: Catalog) -> dict[str, Severity]:
    """The errors and warnings of ``doc``, by code."""
    return {f.code: f.severity for f in validate(doc, catalog) if f.severity is not Severity.INFO}


# --- provenance -------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_names_its_source(code: str) -> None:
    info = RULES[code]
    assert info.source == sources.HOUSE or SOURCE_URL.fullmatch(info.source), info.source
    if info.source == sources.HOUSE:
        assert info.basis == HOUSE_RULE
    else:
        assert info.basis in (SEGMENT_LIMIT, SEGMENT_RECOMMENDATION)
    assert info.to_json() == {
        "code": code,
        "name": info.name,
        "severity": info.severity.value,
        "area": info.area.value,
        "summary": info.summary,
        "source": info.source,
        "basis": info.basis,
    }


def test_only_segment_limits_are_errors() -> None:
    # A house rule or a recommendation never refuses a config; the client and Segment's
    # SDK encode path parts, so not even an odd id (IDS201, IDS202) is an error.
    errors = {code: info.basis for code, info in RULES.items() if info.severity is Severity.ERROR}
    assert set(errors.values()) == {SEGMENT_LIMIT}
    assert set(errors) == {"IDS101", "IDS102", "IDS104", "IDS112", "IDS113"}


def test_the_sourced_limits_stay_errors() -> None:
    for code in ("IDS101", "IDS102", "IDS112", "IDS113"):
        assert RULES[code].severity is Severity.ERROR, code
        assert RULES[code].source != sources.HOUSE, code
    assert RULES["IDS101"].source == sources.ID_SYNC_DOC
    assert RULES["IDS102"].source == sources.API_CREATE_INPUT
    assert RULES["IDS112"].source == sources.GOOGLE_REMARKETING_DOC


def test_the_three_bases_are_said_plainly() -> None:
    assert RULES["IDS110"].basis == SEGMENT_RECOMMENDATION
    assert RULES["IDS110"].source == sources.FACEBOOK_TRAIT_KEYS
    assert RULES["IDS302"].basis == SEGMENT_RECOMMENDATION
    assert RULES["IDS313"].basis == SEGMENT_RECOMMENDATION
    for code in ("IDS201", "IDS202", "IDS301", "IDS314"):
        assert (RULES[code].basis, RULES[code].severity) == (HOUSE_RULE, Severity.WARNING)


@pytest.mark.parametrize(
    "code",
    [
        "IDS103", "IDS105", "IDS106", "IDS107", "IDS108", "IDS109", "IDS110", "IDS111",
        "IDS201", "IDS202",
    ],
)
def test_rules_that_were_errors_are_now_warnings(code: str) -> None:
    assert RULES[code].severity is Severity.WARNING


def test_new_rules_are_registered() -> None:
    assert (RULES["IDS112"].name, RULES["IDS112"].severity) == ("missing-matcher", Severity.ERROR)
    assert RULES["IDS310"].severity is Severity.WARNING
    assert RULES["IDS311"].severity is Severity.WARNING
    assert RULES["IDS311"].source == sources.GOOGLE_REMARKETING_DOC
    assert (RULES["IDS312"].name, RULES["IDS312"].severity, RULES["IDS312"].source) == (
        "field-kind-mismatch",
        Severity.WARNING,
        sources.HOUSE,
    )


def test_every_source_url_of_the_rules_is_quoted_in_docs_sources() -> None:
    text = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    for code, info in RULES.items():
        if info.source != sources.HOUSE:
            assert info.source in text, code


def test_findings_carry_the_source_of_their_rule(catalog: Catalog) -> None:
    doc = doc_for(catalog, FACEBOOK, ("email", "EXTERN_ID"), ("user_id", "Email"))
    found = validate(doc, catalog)
    assert found
    for finding in found:
        assert finding.source == RULES[finding.code].source
        assert finding.to_json()["source"] == finding.source


def test_a_matcher_finding_links_the_destinations_own_page(catalog: Catalog) -> None:
    # Google requires its matcher (IDS112, an error); classic Facebook's page names email
    # or a mobile ID as required but matches on its other keys too (IDS313, a warning).
    # Each finding links its own destination's page, not the other one's.
    for slug, code in ((FACEBOOK, "IDS313"), (GOOGLE, "IDS112")):
        spec = catalog.destination(slug)
        assert spec is not None and spec.constraints.source
        (finding,) = findings(doc_for(catalog, slug, ("user_id", "")), catalog, code)
        assert spec.constraints.source in (finding.source, finding.reference), slug


# --- the mapping rule (IDS312), both directions -----------------------------------------


@pytest.mark.parametrize(
    ("slug", "first", "segment", "field", "fix"),
    [
        (FACEBOOK, ("android.idfa", "MADID"), "email", "FN", "EMAIL"),
        (FACEBOOK, ("email", "EMAIL"), "android.idfa", "ZIP", "MADID"),
        (FACEBOOK, ("email", "EMAIL"), "ios.idfa", "PHONE", "MADID"),
        (FACEBOOK, ("email", "EMAIL"), "phone", "LN", "PHONE"),
        (FACEBOOK_ACTIONS, ("phone", "phone"), "email", "first_name", "email"),
        (FACEBOOK_ACTIONS, ("email", "email"), "phone", "city", "phone"),
    ],
)
def test_a_wrong_mapping_is_flagged_with_the_fitting_field_as_its_fix(
    catalog: Catalog,
    slug: str,
    first: tuple[str, str],
    segment: str,
    field: str,
    fix: str,
) -> None:
    doc = doc_for(
        catalog,
        slug,
        first,
        (segment, field),
        send_mobile_ids=True,
        custom_identifiers=("phone",),
    )
    (finding,) = findings(doc, catalog, "IDS312")
    assert finding.severity is Severity.WARNING
    assert (finding.row, finding.field) == (1, "destination")
    assert finding.fix == FindingFix(row=1, field="destination", value=fix, label=f"Use {fix}")
    spec = catalog.destination(slug)
    assert spec is not None
    fitting = spec.field(fix)
    assert fitting is not None
    assert f"Map it to {fitting.display} instead" in finding.message
    assert finding.basis == "House rule"
    assert finding.to_json()["fix"] == {
        "row": 2,
        "field": "destination",
        "value": fix,
        "label": f"Use {fix}",
    }
    # Nothing else is wrong with the document: the check still passes apart from it.
    assert [f.code for f in validate(doc, catalog) if f.is_error] == []


def test_a_wrong_mapping_is_never_an_error_and_check_would_still_exit_0(
    catalog: Catalog,
) -> None:
    doc = doc_for(catalog, FACEBOOK, ("email", "FN"))
    assert problems(doc, catalog) == {"IDS312": Severity.WARNING}


@pytest.mark.parametrize(
    ("slug", "rows"),
    [
        (FACEBOOK, [("email", "EMAIL")]),
        (FACEBOOK, [("email", "EMAIL"), ("phone", "PHONE")]),
        # One identifier on two platforms shares Facebook's one mobile ID key.
        (FACEBOOK, [("ios.idfa", "MADID"), ("android.idfa", "MADID")]),
        (FACEBOOK, [("email", "EMAIL"), ("first_name", "FN"), ("zip", "ZIP")]),
        (FACEBOOK_ACTIONS, [("email", "email")]),
        (FACEBOOK_ACTIONS, [("email", "email"), ("phone", "phone")]),
        (FACEBOOK_ACTIONS, [("email", "email"), ("first_name", "first_name")]),
        (FACEBOOK_ACTIONS, [("email", "email"), ("zip", "postal_code"), ("city", "city")]),
        # Unknown kinds raise nothing, whatever the field.
        (FACEBOOK, [("email", "EMAIL"), ("loyalty_tier", "FN")]),
        (FACEBOOK_ACTIONS, [("email", "email"), ("loyalty_tier", "first_name")]),
    ],
    ids=lambda value: value if isinstance(value, str) else ",".join(f"{s}>{d}" for s, d in value),
)
def test_a_sensible_mapping_is_not_flagged(
    catalog: Catalog, slug: str, rows: list[tuple[str, str]]
) -> None:
    """The issue-17 case: email → email and phone → phone on Facebook (Actions) pass."""
    customs = tuple(s for s, _ in rows if catalog.identifier(s) is None)
    doc = doc_for(catalog, slug, *rows, send_mobile_ids=True, custom_identifiers=customs)
    assert problems(doc, catalog) == {}


@pytest.mark.parametrize(
    ("slug", "rows"),
    [
        (GOOGLE, [("email", "email"), ("phone", "phone")]),
        (GOOGLE, [("ios.idfa", "mobile_advertising_id")]),
        ("actions-klaviyo", [("email", "email"), ("phone", "phone")]),
        ("first-party-dv360", [("email", "email"), ("phone", "phone")]),
        (SNAP, [("ios.idfa", "ios_idfa"), ("android.idfa", "android_idfa")]),
        ("actions-tiktok-audiences", [("email", "email"), ("phone", "phone")]),
        ("actions-sendgrid-audiences", [("email", "email"), ("phone", "phone")]),
        ("actions-salesforce-marketing-cloud", [("user_id", "contactKey")]),
        ("braze", [("user_id", "external_id"), ("email", "email")]),
        # A field the catalog does not know is the person's own choice.
        ("actions-salesforce", [("email", "Email__c")]),
        ("destination-function", [("email", "anything"), ("ios.idfa", "madid")]),
    ],
)
def test_sensible_mappings_on_other_destinations_are_not_flagged(
    catalog: Catalog, slug: str, rows: list[tuple[str, str]]
) -> None:
    doc = doc_for(catalog, slug, *rows, send_mobile_ids=True, custom_identifiers=("phone",))
    assert "IDS312" not in {f.code for f in validate(doc, catalog)}


@pytest.mark.parametrize(
    ("slug", "row", "fix"),
    [
        ("actions-klaviyo", ("phone", "email"), "phone"),
        ("actions-klaviyo", ("email", "firstName"), "email"),
        (SNAP, ("ios.idfa", "email"), "ios_idfa"),
        ("actions-tiktok-audiences", ("email", "phone"), "email"),
    ],
)
def test_wrong_mappings_on_free_destinations_are_flagged_too(
    catalog: Catalog, slug: str, row: tuple[str, str], fix: str
) -> None:
    doc = doc_for(catalog, slug, row, send_mobile_ids=True, custom_identifiers=("phone",))
    (finding,) = findings(doc, catalog, "IDS312")
    assert finding.fix is not None and finding.fix.value == fix


def test_a_wrong_mapping_without_a_field_of_its_kind_says_so(catalog: Catalog) -> None:
    # Klaviyo has no field for a mobile advertising ID.
    doc = doc_for(
        catalog,
        "actions-klaviyo",
        ("email", "email"),
        ("ios.idfa", "phone"),
        send_mobile_ids=True,
    )
    (finding,) = findings(doc, catalog, "IDS312")
    assert "Klaviyo (Actions) has no field for a mobile advertising ID" in finding.message
    assert finding.fix is None


def test_the_wrong_mapping_finding_links_the_page_that_defines_the_field(
    catalog: Catalog,
) -> None:
    (facebook,) = findings(doc_for(catalog, FACEBOOK, ("email", "FN")), catalog, "IDS312")
    assert facebook.reference == sources.FACEBOOK_TRAIT_KEYS
    klaviyo = catalog.destination("actions-klaviyo")
    assert klaviyo is not None
    (free,) = findings(
        doc_for(catalog, "actions-klaviyo", ("email", "firstName")), catalog, "IDS312"
    )
    assert free.reference == klaviyo.docs_url


# --- the corrections ---------------------------------------------------------------------


def test_google_matches_on_a_mobile_id_without_an_email_row(catalog: Catalog) -> None:
    doc = doc_for(
        catalog,
        GOOGLE,
        ("ios.idfa", "mobile_advertising_id"),
        ("phone", "phone"),
        send_mobile_ids=True,
        custom_identifiers=("phone",),
    )
    assert problems(doc, catalog) == {}


def test_google_without_a_matcher_is_an_error(catalog: Catalog) -> None:
    doc = doc_for(catalog, GOOGLE, ("phone", "phone"), custom_identifiers=("phone",))
    (finding,) = findings(doc, catalog, "IDS112")
    assert finding.severity is Severity.ERROR
    assert "email, ios.idfa or android.idfa" in finding.message


def test_google_extra_identifier_mapped_elsewhere_warns_with_phone_as_the_fix(
    catalog: Catalog,
) -> None:
    doc = doc_for(catalog, GOOGLE, ("email", "email"), ("phone", ""), custom_identifiers=("phone",))
    assert problems(doc, catalog) == {"IDS311": Severity.WARNING}
    (finding,) = findings(doc, catalog, "IDS311")
    assert finding.row == 1
    assert finding.fix == FindingFix(row=1, field="destination", value="phone", label="Use phone")
    assert finding.source == sources.GOOGLE_REMARKETING_DOC
    # Mapped to another of Google's keys: the same warning (and the kind mismatch).
    other = doc_for(
        catalog,
        GOOGLE,
        ("email", "email"),
        ("phone", "mobile_advertising_id"),
        custom_identifiers=("phone",),
    )
    (again,) = findings(other, catalog, "IDS311")
    assert again.fix is not None and again.fix.value == "phone"
    assert not [f for f in validate(other, catalog) if f.is_error]


def test_google_crm_id_warns_and_never_refuses(catalog: Catalog) -> None:
    doc = doc_for(catalog, GOOGLE, ("email", "email"), ("user_id", "crm_id"))
    found = validate(doc, catalog)
    assert not [f for f in found if f.is_error]
    (finding,) = [f for f in found if f.code == "IDS310"]
    assert finding.severity is Severity.WARNING
    assert "(email, phone, mobile_advertising_id)" in finding.message
    assert "IDS110" not in {f.code for f in found}


def test_google_old_mobile_id_key_only_warns(catalog: Catalog) -> None:
    doc = doc_for(catalog, GOOGLE, ("ios.idfa", "mobile_id"), send_mobile_ids=True)
    (finding,) = findings(doc, catalog, "IDS310")
    assert finding.fix is not None and finding.fix.value == "mobile_advertising_id"
    assert not [f for f in validate(doc, catalog) if f.is_error]


def test_google_one_extra_identifier_at_most(catalog: Catalog) -> None:
    doc = doc_for(
        catalog,
        GOOGLE,
        ("email", "email"),
        ("phone", "phone"),
        ("android.idfa", "mobile_advertising_id"),
        send_mobile_ids=True,
        custom_identifiers=("phone",),
    )
    (finding,) = findings(doc, catalog, "IDS113")
    assert (finding.severity, finding.row) == (Severity.ERROR, 2)


def test_send_mobile_ids_is_a_warning(catalog: Catalog) -> None:
    doc = doc_for(catalog, FACEBOOK, ("email", "EMAIL"), ("ios.idfa", "MADID"))
    assert problems(doc, catalog) == {"IDS109": Severity.WARNING}
    on = doc.replace(send_mobile_ids=True)
    assert problems(on, catalog) == {}


def test_snap_ignores_send_mobile_ids(catalog: Catalog) -> None:
    doc = doc_for(catalog, SNAP, ("email", "email"), ("ios.idfa", "ios_idfa"))
    assert "IDS109" not in {f.code for f in validate(doc, catalog)}
    assert problems(doc, catalog) == {}


def test_a_key_outside_classic_facebooks_documented_keys_only_warns(catalog: Catalog) -> None:
    doc = doc_for(catalog, FACEBOOK, ("email", "EMAIL"), ("user_id", "EXTERN_ID"))
    (finding,) = findings(doc, catalog, "IDS110")
    assert (finding.severity, finding.row, finding.basis) == (
        Severity.WARNING,
        1,
        SEGMENT_RECOMMENDATION,
    )
    assert "'EXTERN_ID' is not one of the keys Segment's page documents" in finding.message
    assert finding.source == sources.FACEBOOK_TRAIT_KEYS
    assert not [f for f in validate(doc, catalog) if f.is_error]


@pytest.mark.parametrize(
    ("segment", "schema_key", "read_key"),
    [("email", "EMAIL", "email"), ("phone", "PHONE", "phone"), ("first_name", "FN", "first_name")],
)
def test_facebooks_schema_key_on_the_actions_destination_warns_with_the_key_it_reads(
    catalog: Catalog, segment: str, schema_key: str, read_key: str
) -> None:
    rows = [("email", "email")] if segment != "email" else []
    doc = doc_for(
        catalog,
        FACEBOOK_ACTIONS,
        *rows,
        (segment, schema_key),
        custom_identifiers=("phone", "first_name"),
    )
    (finding,) = findings(doc, catalog, "IDS110")
    assert finding.severity is Severity.WARNING
    assert finding.row == len(rows)
    assert f"'{schema_key}' is not a key Facebook Custom Audiences (Actions)'s default" in (
        finding.message
    )
    assert f"traits.{read_key}" in finding.message
    assert finding.fix == FindingFix(
        row=len(rows), field="destination", value=read_key, label=f"Use {read_key}"
    )
    assert not [f for f in validate(doc, catalog) if f.is_error]


def test_facebook_empty_field_warns_and_offers_its_key(catalog: Catalog) -> None:
    (finding,) = findings(doc_for(catalog, FACEBOOK, ("email", "")), catalog, "IDS111")
    assert finding.severity is Severity.WARNING
    assert finding.fix is not None and finding.fix.value == "EMAIL"


def test_default_setup_text_names_the_destinations_own_identifiers(catalog: Catalog) -> None:
    from idsync.core.model import Setup

    for slug, expected in (
        (
            FACEBOOK,
            "all values of email, ios.idfa and android.idfa to Facebook Custom Audiences",
        ),
        (
            GOOGLE,
            "the last added email, ios.idfa or android.idfa value, whichever the list "
            "matches on, to Google Ads Remarketing Lists",
        ),
        ("braze", "all values of email and user_id to Braze (classic)"),
    ):
        doc = doc_for(catalog, slug, setup=Setup.DEFAULT)
        (finding,) = findings(doc, catalog, "IDS905")
        assert expected in finding.message, slug
