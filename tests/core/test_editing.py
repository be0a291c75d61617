"""idsync.core.editing: changing a row's identifier retargets its field, switching to
Customized Setup starts from the destination's Default Setup, and a finding's one-click
fix puts exactly its value in its cell."""

from __future__ import annotations

import pytest

from idsync.catalog import load_catalog
from idsync.core.catalog import Catalog
from idsync.core.editing import (
    add_row,
    apply_fix,
    change_identifier,
    choose_destination,
    choose_setup,
    choose_target_kind,
    move_row,
    remove_row,
    set_custom_identifiers,
    set_instance_id,
    set_name,
    set_notes,
    set_row_field,
    set_send_mobile_ids,
    set_target_field,
)
from idsync.core.findings import FindingFix, Severity
from idsync.core.model import (
    AudienceTarget,
    DestinationRef,
    IdentifierRow,
    IdSyncDocument,
    JourneyTarget,
    Setup,
    Strategy,
)
from idsync.core.rules import validate

FACEBOOK_ACTIONS = "actions-facebook-custom-audiences"
FACEBOOK = "personas-facebook-custom-audiences"
GOOGLE = "adwords-remarketing-lists"
ALL, LAST = Strategy.ALL, Strategy.LAST


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def doc_for(slug: str | None, *rows: tuple[str, str], **changes: object) -> IdSyncDocument:
    return IdSyncDocument(
        target=AudienceTarget(space_id="spa_1", audience_id="aud_1"),
        destination=DestinationRef(slug=slug, instance_id="ii_1") if slug is not None else None,
        identifiers=tuple(IdentifierRow(segment=s, destination=d, strategy=LAST) for s, d in rows),
    ).replace(**changes)


def pairs(doc: IdSyncDocument) -> list[tuple[str, str]]:
    return [(row.segment, row.destination) for row in doc.identifiers]


# --- plain row edits ----------------------------------------------------------------------


def test_row_edits_return_new_documents() -> None:
    doc = doc_for(FACEBOOK, ("email", "EMAIL"))
    more = add_row(doc, IdentifierRow(segment="user_id", destination="EXTERN_ID"))
    assert pairs(doc) == [("email", "EMAIL")]
    assert pairs(more) == [("email", "EMAIL"), ("user_id", "EXTERN_ID")]
    assert pairs(move_row(more, 1, 0)) == [("user_id", "EXTERN_ID"), ("email", "EMAIL")]
    assert pairs(remove_row(more, 0)) == [("user_id", "EXTERN_ID")]
    assert set_row_field(more, 1, "strategy", "all").identifiers[1].strategy is ALL
    with pytest.raises(IndexError):
        remove_row(doc, 3)


# --- change_identifier -------------------------------------------------------------------


def test_changing_user_id_to_email_on_facebook_moves_the_field_to_email(
    catalog: Catalog,
) -> None:
    doc = doc_for(FACEBOOK, ("phone", "PHONE"))
    changed = change_identifier(doc, 0, "email", catalog)
    assert pairs(changed) == [("email", "EMAIL")]
    assert changed.identifiers[0].strategy is LAST
    assert pairs(doc) == [("phone", "PHONE")], "the old document is untouched"
    actions = doc_for(FACEBOOK_ACTIONS, ("phone", "phone"))
    assert pairs(change_identifier(actions, 0, "email", catalog)) == [("email", "email")]


def test_changing_to_a_mobile_id_gives_madid_never_first_name(catalog: Catalog) -> None:
    doc = doc_for(
        FACEBOOK, ("email", "EMAIL"), ("phone", "PHONE"), ("first_name", "FN"), ("", "")
    )
    changed = change_identifier(doc, 3, "android.idfa", catalog)
    assert changed.identifiers[3].destination == "MADID"
    assert change_identifier(doc, 2, "android.idfa", catalog).identifiers[2].destination == (
        "MADID"
    )


def test_changing_to_an_unknown_identifier_empties_the_field_chosen_for_the_old_one(
    catalog: Catalog,
) -> None:
    doc = doc_for(FACEBOOK, ("email", "EMAIL"))
    assert pairs(change_identifier(doc, 0, "loyalty_tier", catalog)) == [("loyalty_tier", "")]


def test_a_field_the_person_typed_stays(catalog: Catalog) -> None:
    doc = doc_for("actions-salesforce", ("email", "Email__c"))
    assert pairs(change_identifier(doc, 0, "user_id", catalog)) == [("user_id", "Email__c")]
    typed = doc_for("actions-klaviyo", ("email", "my_email_field"))
    assert pairs(change_identifier(typed, 0, "loyalty_tier", catalog)) == [
        ("loyalty_tier", "my_email_field")
    ]


def test_a_field_that_still_fits_stays(catalog: Catalog) -> None:
    doc = doc_for(FACEBOOK, ("user_id", "EXTERN_ID"))
    assert pairs(change_identifier(doc, 0, "crm_id", catalog)) == [("crm_id", "EXTERN_ID")]


def test_changing_the_identifier_on_google_and_klaviyo(catalog: Catalog) -> None:
    google = doc_for(GOOGLE, ("email", "email"))
    assert pairs(change_identifier(google, 0, "ios.idfa", catalog)) == [
        ("ios.idfa", "mobile_advertising_id")
    ]
    # Google's list takes no id of your own: the field empties rather than stay wrong.
    assert pairs(change_identifier(google, 0, "user_id", catalog)) == [("user_id", "")]
    klaviyo = doc_for("actions-klaviyo", ("email", "email"))
    assert pairs(change_identifier(klaviyo, 0, "phone", catalog)) == [("phone", "phone")]


def test_change_identifier_refuses_a_missing_row(catalog: Catalog) -> None:
    with pytest.raises(IndexError):
        change_identifier(doc_for(FACEBOOK), 0, "email", catalog)


def test_no_change_of_identifier_leaves_a_wrong_mapping(catalog: Catalog) -> None:
    spec = catalog.destination(FACEBOOK)
    assert spec is not None
    identifiers = ["email", "user_id", "ios.idfa", "android.idfa", "phone", "crm_id", "zip"]
    for field in spec.fields():
        for old in identifiers:
            for new in identifiers:
                doc = doc_for(
                    FACEBOOK, (old, field.key), send_mobile_ids=True, custom_identifiers=("phone",)
                )
                changed = change_identifier(doc, 0, new, catalog)
                codes = {f.code for f in validate(changed, catalog)}
                assert "IDS312" not in codes, (old, field.key, new, pairs(changed))


# --- choose_setup ------------------------------------------------------------------------


def test_customized_setup_on_a_new_facebook_document_starts_with_email(
    catalog: Catalog,
) -> None:
    doc = doc_for(FACEBOOK, setup=Setup.DEFAULT)
    changed = choose_setup(doc, Setup.CUSTOMIZED, catalog)
    assert changed.setup is Setup.CUSTOMIZED
    # No mobile ID rows while Send Mobile IDs is off: they would only wait for it.
    assert changed.identifiers == (
        IdentifierRow(segment="email", destination="EMAIL", strategy=ALL),
    )


def test_customized_setup_with_send_mobile_ids_on_adds_the_mobile_ids(catalog: Catalog) -> None:
    doc = doc_for(FACEBOOK, setup=Setup.DEFAULT, send_mobile_ids=True)
    changed = choose_setup(doc, Setup.CUSTOMIZED, catalog)
    assert changed.identifiers == (
        IdentifierRow(segment="email", destination="EMAIL", strategy=ALL),
        IdentifierRow(segment="ios.idfa", destination="MADID", strategy=ALL),
        IdentifierRow(segment="android.idfa", destination="MADID", strategy=ALL),
    )


def test_customized_setup_keeps_existing_rows(catalog: Catalog) -> None:
    doc = doc_for(FACEBOOK, ("user_id", "EXTERN_ID"), setup=Setup.DEFAULT)
    changed = choose_setup(doc, Setup.CUSTOMIZED, catalog)
    assert changed.setup is Setup.CUSTOMIZED
    assert pairs(changed) == [("user_id", "EXTERN_ID")]


def test_default_setup_keeps_the_rows(catalog: Catalog) -> None:
    doc = doc_for(FACEBOOK, ("email", "EMAIL"))
    changed = choose_setup(doc, Setup.DEFAULT, catalog)
    assert changed.setup is Setup.DEFAULT
    assert pairs(changed) == [("email", "EMAIL")]
    assert choose_setup(doc_for(FACEBOOK), Setup.DEFAULT, catalog).identifiers == ()


def test_customized_setup_for_google_starts_with_the_last_email(catalog: Catalog) -> None:
    changed = choose_setup(doc_for(GOOGLE, setup=Setup.DEFAULT), Setup.CUSTOMIZED, catalog)
    assert changed.identifiers == (
        IdentifierRow(segment="email", destination="email", strategy=LAST),
    )


def test_customized_setup_for_snap_keeps_mobile_ids_it_sends_anyway(catalog: Catalog) -> None:
    changed = choose_setup(
        doc_for("actions-snap-audiences", setup=Setup.DEFAULT), Setup.CUSTOMIZED, catalog
    )
    assert pairs(changed)[0] == ("email", "email")


def test_customized_setup_for_an_unknown_destination_starts_with_email_and_user_id(
    catalog: Catalog,
) -> None:
    for slug in ("acme-unknown", None):
        changed = choose_setup(doc_for(slug, setup=Setup.DEFAULT), Setup.CUSTOMIZED, catalog)
        assert pairs(changed) == [("email", ""), ("user_id", "")]


@pytest.mark.parametrize("send_mobile_ids", [False, True])
def test_customized_setup_starts_valid_for_every_destination(
    catalog: Catalog, send_mobile_ids: bool
) -> None:
    # "Customized Setup with no rows starts from what Default Setup sends to this
    # destination, so it starts valid": no error and no warning in any catalog entry.
    broken: dict[str, list[str]] = {}
    for spec in catalog.destinations:
        doc = doc_for(spec.slug, setup=Setup.DEFAULT, send_mobile_ids=send_mobile_ids)
        doc = doc.replace(
            destination=DestinationRef(slug=spec.slug, kind=spec.kind, instance_id="i")
        )
        changed = choose_setup(doc, Setup.CUSTOMIZED, catalog)
        assert changed.identifiers, spec.slug
        found = [
            f"{f.code} row {f.row}"
            for f in validate(changed, catalog)
            if f.severity is not Severity.INFO
        ]
        if found:
            broken[spec.slug] = found
    assert broken == {}


# --- apply_fix ---------------------------------------------------------------------------


def test_applying_the_fix_of_a_wrong_mapping_clears_the_warning(catalog: Catalog) -> None:
    doc = doc_for(FACEBOOK, ("email", "EMAIL"), ("android.idfa", "ZIP"), send_mobile_ids=True)
    (finding,) = [f for f in validate(doc, catalog) if f.code == "IDS312"]
    assert finding.fix is not None
    fixed = apply_fix(doc, finding.fix)
    assert pairs(fixed) == [("email", "EMAIL"), ("android.idfa", "MADID")]
    assert [f for f in validate(fixed, catalog) if f.severity is not Severity.INFO] == []


def test_every_offered_fix_removes_its_own_finding(catalog: Catalog) -> None:
    cases = [
        doc_for(FACEBOOK, ("email", "EXTERN_ID")),
        doc_for(FACEBOOK, ("email", "FOO")),
        doc_for(FACEBOOK, ("email", "")),
        doc_for(GOOGLE, ("email", "Email")),
        doc_for(GOOGLE, ("email", "email"), ("phone", ""), custom_identifiers=("phone",)),
        doc_for("actions-klaviyo", ("email", "Email")),
    ]
    for doc in cases:
        fixable = [f for f in validate(doc, catalog) if f.fix is not None]
        assert fixable, pairs(doc)
        for finding in fixable:
            assert finding.fix is not None
            after = validate(apply_fix(doc, finding.fix), catalog)
            assert (finding.code, finding.row) not in {(f.code, f.row) for f in after}, (
                pairs(doc),
                finding.code,
            )


def test_a_fix_never_makes_a_wrong_mapping(catalog: Catalog) -> None:
    # zip typed under 'Email' (not a Facebook key): the fix must not be EMAIL, which
    # the mapping rule would then flag; ZIP is the key that fits a postal code.
    doc = doc_for(FACEBOOK, ("email", "EMAIL"), ("zip", "Email"), custom_identifiers=("zip",))
    (finding,) = [f for f in validate(doc, catalog) if f.code == "IDS110"]
    assert finding.fix is not None
    after = {f.code for f in validate(apply_fix(doc, finding.fix), catalog)}
    assert "IDS312" not in after, finding.fix


def test_a_fix_for_a_row_that_is_gone_changes_nothing() -> None:
    doc = doc_for(FACEBOOK, ("email", "EXTERN_ID"))
    fix = FindingFix(row=3, field="destination", value="EMAIL", label="Use EMAIL")
    assert apply_fix(doc, fix) == doc
    odd = FindingFix(row=0, field="strategy", value="all", label="Use all")
    assert apply_fix(doc, odd) == doc


# -- the Target and Destination steps, and the Event settings' switches ------------------


def test_target_fields_and_kind() -> None:
    doc = doc_for("iterable")
    edited = set_target_field(doc, "target.space_id", "spa_2")
    assert edited.target.space_id == "spa_2" and doc.target.space_id != "spa_2"
    assert set_target_field(edited, "audience_id", " aud_9").target.audience_id == " aud_9"
    with pytest.raises(ValueError):
        set_target_field(doc, "step", "Send")  # an audience target has no step
    journey = choose_target_kind(edited, "journey")
    assert isinstance(journey.target, JourneyTarget) and journey.target.space_id == "spa_2"
    stepped = set_target_field(journey, "step", "Send").target
    assert isinstance(stepped, JourneyTarget) and stepped.step == "Send"
    assert choose_target_kind(journey, "journey") is journey
    back = choose_target_kind(journey, "audience")
    assert isinstance(back.target, AudienceTarget) and back.target.audience_id == ""


def test_name_notes_and_switches() -> None:
    doc = doc_for("iterable")
    assert set_name(doc, "Sync").name == "Sync"
    assert set_notes(doc, "why").notes == "why"
    on = set_send_mobile_ids(doc, True)
    assert on.send_mobile_ids and set_send_mobile_ids(on, True) is on
    custom = set_custom_identifiers(doc, ["crm_id", "loyalty"])
    assert custom.custom_identifiers == ("crm_id", "loyalty")
    assert set_custom_identifiers(custom, ("crm_id", "loyalty")) is custom


def test_choosing_a_destination_never_carries_an_instance_id_over() -> None:
    doc = doc_for("iterable")
    assert doc.destination is not None and doc.destination.instance_id
    chosen = choose_destination(doc, "braze", name="Braze")
    assert chosen.destination == DestinationRef(slug="braze", name="Braze")
    given = choose_destination(doc, "braze", instance_id="dst_1")
    assert given.destination is not None and given.destination.instance_id == "dst_1"
    assert chosen.identifiers == doc.identifiers


def test_instance_id_needs_a_destination() -> None:
    doc = doc_for("iterable")
    edited = set_instance_id(doc, "dst_2")
    assert edited.destination is not None and edited.destination.instance_id == "dst_2"
    bare = doc_for(None)
    assert set_instance_id(bare, "dst_2") is bare
