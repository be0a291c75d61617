"""Issue 7 against the shipped catalog: every rule names its source, house rules only warn,
the mapping rule flags wrong mappings and nothing else, and the corrections hold (Google's
matcher is email OR a mobile ID, Send Mobile IDs warns, unpublished key lists never refuse).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.catalog import load_catalog
from app.core import sources
from app.core.catalog import Catalog
from app.core.findings import Finding, FindingFix, Severity
from app.core.model import (
    IdSyncDocument,
)
from app.core.rules import RULES, validate
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
    assert info.basis == ("House rule" if info.source == sources.HOUSE else "Segment limit")
    assert info.to_json() == {
        "code": code,
        "name": info.name,
        "severity": info.severity.value,
        "area": info.area.value,
        "summary": info.summary,
        "source": info.source,
        "basis": info.basis,
    }


def test_house_rules_never_refuse_unless_the_api_would_reject() -> None:
    # IDS201/IDS202: an id with spaces or '/' breaks the request path, so the API rejects it.
    house_errors = {
        code
        for code, info in RULES.items()
        if info.source == sources.HOUSE and info.severity is Severity.ERROR
    }
    assert house_errors == {"IDS201", "IDS202"}


def test_the_sourced_limits_stay_errors() -> None:
    for code in ("IDS101", "IDS102", "IDS110"):
        assert RULES[code].severity is Severity.ERROR, code
        assert RULES[code].source != sources.HOUSE, code
    assert RULES["IDS110"].source == sources.FACEBOOK_SCHEMA_KEYS
    assert RULES["IDS101"].source == sources.ID_SYNC_DOC
    assert RULES["IDS102"].source == sources.API_CREATE_INPUT


@pytest.mark.parametrize(
    "code", ["IDS103", "IDS105", "IDS106", "IDS107", "IDS108", "IDS109", "IDS111"]
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
    # IDS112 fires for Facebook and for Google; each finding should link its own
    # destination's page (the catalog's constraints.source), not the other one's.
    for slug in (FACEBOOK, GOOGLE):
        spec = catalog.destination(slug)
        assert spec is not None and spec.constraints.source
        (finding,) = findings(doc_for(catalog, slug, ("user_id", "")), catalog, "IDS112")
        assert spec.constraints.source in (finding.source, finding.reference), slug


# --- the mapping rule (IDS312), both directions -----------------------------------------


@pytest.mark.parametrize(
    ("segment", "field", "fix"),
    [
        ("email", "EXTERN_ID", "EMAIL"),
        ("email", "FN", "EMAIL"),
        ("android.idfa", "ZIP", "MADID"),
        ("ios.idfa", "PHONE", "MADID"),
        ("user_id", "EMAIL", "EXTERN_ID"),
        ("phone", "EMAIL", "PHONE"),
    ],
)
@pytest.mark.parametrize("slug", [FACEBOOK, FACEBOOK_ACTIONS])
def test_a_wrong_mapping_is_flagged_with_the_fitting_field_as_its_fix(
    catalog: Catalog, slug: str, segment: str, field: str, fix: str
) -> None:
    doc = doc_for(
        catalog,
        slug,
        ("email", "EMAIL") if segment != "email" else ("android.idfa", "MADID"),
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
    doc = doc_for(catalog, FACEBOOK, ("email", "EXTERN_ID"))
    assert problems(doc, catalog) == {"IDS312": Severity.WARNING}


@pytest.mark.parametrize(
    "rows",
    [
        [("email", "EMAIL")],
        [("email", "EMAIL"), ("phone", "PHONE")],
        [("ios.idfa", "MADID"), ("android.idfa", "MADID")],
        [("email", "EMAIL"), ("user_id", "EXTERN_ID")],
        [("email", "EMAIL"), ("crm_id", "EXTERN_ID")],
        [("email", "EMAIL"), ("anonymous_id", "EXTERN_ID")],
        [("email", "EMAIL"), ("first_name", "FN"), ("zip", "ZIP")],
        # Unknown kinds raise nothing, whatever the field.
        [("email", "EMAIL"), ("loyalty_tier", "FN")],
        [("email", "EMAIL"), ("loyalty_tier", "EMAIL")],
    ],
    ids=lambda rows: ",".join(f"{s}>{d}" for s, d in rows),
)
@pytest.mark.parametrize("slug", [FACEBOOK, FACEBOOK_ACTIONS])
def test_a_sensible_mapping_is_not_flagged(
    catalog: Catalog, slug: str, rows: list[tuple[str, str]]
) -> None:
    customs = tuple(s for s, _ in rows if catalog.identifier(s) is None)
    doc = doc_for(catalog, slug, *rows, send_mobile_ids=True, custom_identifiers=customs)
    assert problems(doc, catalog) == {}


@pytest.mark.parametrize(
    ("slug", "rows"),
    [
        (GOOGLE, [("email", "email"), ("phone", "phone")]),
        (GOOGLE, [("ios.idfa", "mobile_advertising_id")]),
        ("actions-klaviyo", [("email", "email"), ("phone", "phone_number")]),
        ("actions-klaviyo", [("user_id", "external_id")]),
        (SNAP, [("ios.idfa", "ios_idfa"), ("android.idfa", "android_idfa")]),
        ("actions-tiktok-audiences", [("email", "email"), ("ios.idfa", "advertising_id")]),
        ("actions-sendgrid-audiences", [("email", "email"), ("phone", "phone_number_id")]),
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
        ("actions-klaviyo", ("phone", "email"), "phone_number"),
        ("actions-klaviyo", ("email", "external_id"), "email"),
        (SNAP, ("ios.idfa", "email"), "ios_idfa"),
        ("actions-tiktok-audiences", ("email", "advertising_id"), "email"),
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
        ("ios.idfa", "phone_number"),
        send_mobile_ids=True,
    )
    (finding,) = findings(doc, catalog, "IDS312")
    assert "Klaviyo (Actions) has no field for a mobile advertising ID" in finding.message
    assert finding.fix is None


def test_the_wrong_mapping_finding_links_the_page_that_defines_the_field(
    catalog: Catalog,
) -> None:
    (facebook,) = findings(doc_for(catalog, FACEBOOK, ("email", "FN")), catalog, "IDS312")
    assert facebook.reference == sources.FACEBOOK_SCHEMA_KEYS
    klaviyo = catalog.destination("actions-klaviyo")
    assert klaviyo is not None
    (free,) = findings(
        doc_for(catalog, "actions-klaviyo", ("email", "external_id")), catalog, "IDS312"
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


def test_facebook_keys_are_enforced(catalog: Catalog) -> None:
    for slug in (FACEBOOK, FACEBOOK_ACTIONS):
        doc = doc_for(catalog, slug, ("email", "EMAIL"), ("user_id", "FOO"))
        (finding,) = findings(doc, catalog, "IDS110")
        assert finding.severity is Severity.ERROR
        assert finding.row == 1
        assert "'FOO' is not a" in finding.message
        assert finding.source == sources.FACEBOOK_SCHEMA_KEYS
        assert finding.fix is not None and finding.fix.value == "EXTERN_ID"


def test_facebook_empty_field_warns_and_offers_its_key(catalog: Catalog) -> None:
    (finding,) = findings(doc_for(catalog, FACEBOOK, ("email", "")), catalog, "IDS111")
    assert finding.severity is Severity.WARNING
    assert finding.fix is not None and finding.fix.value == "EMAIL"


def test_default_setup_text_names_the_destinations_own_identifiers(catalog: Catalog) -> None:
    from app.core.model import Setup

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
