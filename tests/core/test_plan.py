"""The push plan: pure decisions from the live connection and the local document."""

from __future__ import annotations

from typing import Any

import pytest

from idsync.catalog import load_catalog
from idsync.core.api_mapping import (
    DEFAULT_SETUP_UPDATE,
    JOURNEY_HAS_NO_API,
    NEW_DATA_ONLY,
    NO_RESYNC,
    SEND_MOBILE_IDS_NOT_SENT,
)
from idsync.core.diff import RowChangeKind
from idsync.core.findings import Area, Finding, Severity
from idsync.core.model import (
    AudienceTarget,
    DestinationRef,
    IdentifierRow,
    IdSyncDocument,
    JourneyTarget,
    Setup,
    Strategy,
)
from idsync.core.plan import PlanAction, make_plan
from idsync.core.rules import validate

ROWS = (
    IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.LAST),
    IdentifierRow(segment="phone", destination="PHONE", strategy=Strategy.ALL),
)


def _doc(**changes: Any) -> IdSyncDocument:
    doc = IdSyncDocument(
        target=AudienceTarget(space_id="spa_1", audience_id="aud_1"),
        destination=DestinationRef(
            slug="personas-facebook-custom-audiences",
            name="Facebook Custom Audiences",
            instance_id="dst_fb",
        ),
        identifiers=ROWS,
    )
    return doc.replace(**changes)


def _live(entries: list[dict[str, str]] | None, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"id": "ii_1", "destinationId": "dst_fb", "enabled": True}
    if entries is not None:
        data["idSyncConfiguration"] = entries
    data.update(extra)
    return data


LIVE_SAME = [
    {"externalId": "email", "strategy": "last", "mapTo": "EMAIL"},
    {"externalId": "phone", "strategy": "all", "mapTo": "PHONE"},
]


def test_no_connection_plans_a_create_with_the_full_body() -> None:
    plan = make_plan(_doc(), None)
    assert plan.action is PlanAction.CREATE
    assert plan.method == "POST"
    assert plan.writes
    assert plan.body == {
        "destination": {"id": "dst_fb", "type": "destination"},
        "idSyncConfiguration": LIVE_SAME,
    }
    assert [c.kind for c in plan.changes] == [RowChangeKind.ADDED, RowChangeKind.ADDED]
    assert plan.connection_id is None
    assert (plan.space_id, plan.audience_id, plan.destination_id) == ("spa_1", "aud_1", "dst_fb")


def test_matching_live_connection_is_unchanged() -> None:
    plan = make_plan(_doc(), _live(LIVE_SAME))
    assert plan.action is PlanAction.UNCHANGED
    assert not plan.writes and plan.method is None
    assert plan.changes == ()
    assert plan.connection_id == "ii_1"
    # Timing and resync notes only matter when something is written.
    assert NEW_DATA_ONLY not in plan.notes and NO_RESYNC not in plan.notes


def test_one_changed_strategy_plans_an_update_sending_every_row() -> None:
    live = [dict(LIVE_SAME[0], strategy="first"), LIVE_SAME[1]]
    plan = make_plan(_doc(), _live(live))
    assert plan.action is PlanAction.UPDATE
    assert plan.method == "PATCH"
    # PATCH replaces the array: the unchanged row is sent too.
    assert plan.body == {"idSyncConfiguration": LIVE_SAME}
    assert len(plan.changes) == 1
    change = plan.changes[0]
    assert change.kind is RowChangeKind.CHANGED
    assert [(f.field, f.old, f.new) for f in change.fields] == [("strategy", "first", "last")]
    assert plan.live_rows is not None and plan.live_rows[0].strategy is Strategy.FIRST
    assert NEW_DATA_ONLY in plan.notes and NO_RESYNC in plan.notes


def test_removed_row_and_missing_map_to_are_changes() -> None:
    live = [{"externalId": "email", "strategy": "last"}, *LIVE_SAME[1:], LIVE_SAME[0]]
    plan = make_plan(_doc(), _live(live))
    assert plan.action is PlanAction.UPDATE
    kinds = sorted(c.kind.value for c in plan.changes)
    assert "removed" in kinds


def test_order_matters() -> None:
    plan = make_plan(_doc(), _live(list(reversed(LIVE_SAME))))
    assert plan.action is PlanAction.UPDATE


def test_error_findings_refuse_with_their_messages() -> None:
    error = Finding(
        code="IDS001",
        severity=Severity.ERROR,
        message="Too many rows use All.",
        area=Area.IDENTIFIERS,
        row=3,
    )
    warning = Finding(
        code="IDS500", severity=Severity.WARNING, message="Just so you know.", area=Area.PUSH
    )
    plan = make_plan(_doc(), _live(LIVE_SAME), [warning, error])
    assert plan.action is PlanAction.REFUSED
    assert plan.reasons == ("IDS001 (row 4): Too many rows use All.",)
    assert plan.body is None and not plan.writes
    assert "Cannot push" in plan.summary


def test_only_warnings_do_not_refuse() -> None:
    warning = Finding(
        code="IDS500", severity=Severity.WARNING, message="Just so you know.", area=Area.PUSH
    )
    assert make_plan(_doc(), None, [warning]).action is PlanAction.CREATE


def test_real_rule_errors_refuse() -> None:
    doc = _doc(
        identifiers=tuple(
            IdentifierRow(segment=f"custom{i}", destination="EXTERN_ID", strategy=Strategy.ALL)
            for i in range(6)
        )
    )
    findings = validate(doc, load_catalog())
    plan = make_plan(doc, None, findings)
    assert plan.action is PlanAction.REFUSED
    assert len(plan.reasons) == sum(1 for f in findings if f.is_error) >= 1


def test_real_rule_warnings_do_not_refuse() -> None:
    # A mobile ID with Send Mobile IDs off is a reminder (IDS109), never a refusal.
    doc = _doc(
        identifiers=(
            *ROWS,
            IdentifierRow(segment="ios.idfa", destination="MADID", strategy=Strategy.LAST),
        ),
        custom_identifiers=("phone",),
    )
    findings = validate(doc, load_catalog())
    assert "IDS109" in {f.code for f in findings}
    assert not [f for f in findings if f.is_error]
    assert make_plan(doc, None, findings).action is PlanAction.CREATE


def test_live_connection_to_the_same_segment_slug_is_planned() -> None:
    live = _live(LIVE_SAME, metadata={"slug": "personas-facebook-custom-audiences"})
    assert make_plan(_doc(), live).action is PlanAction.UNCHANGED


def test_live_connection_whose_slug_is_another_destination_is_refused() -> None:
    plan = make_plan(_doc(), _live(LIVE_SAME, metadata={"slug": "adwords-remarketing-lists"}))
    assert plan.action is PlanAction.REFUSED
    assert "adwords-remarketing-lists" in plan.reasons[0]
    assert "personas-facebook-custom-audiences" in plan.reasons[0]
    assert plan.body is None and not plan.writes


def test_journey_is_refused_with_export_advice() -> None:
    doc = _doc(target=JourneyTarget(space_id="spa_1", journey_id="jou_1", step="Email"))
    plan = make_plan(doc, None)
    assert plan.action is PlanAction.REFUSED
    assert "Journey" in plan.reasons[0]
    assert JOURNEY_HAS_NO_API in plan.notes


def test_missing_audience_id_is_refused() -> None:
    plan = make_plan(_doc(target=AudienceTarget(space_id="spa_1")), None)
    assert plan.action is PlanAction.REFUSED
    assert "audience id" in plan.reasons[0]


def test_missing_instance_id_is_refused() -> None:
    doc = _doc(destination=DestinationRef(slug="personas-facebook-custom-audiences"))
    plan = make_plan(doc, None)
    assert plan.action is PlanAction.REFUSED
    assert "instance id" in plan.reasons[0]


def test_default_setup_creates_without_a_list() -> None:
    plan = make_plan(_doc(setup=Setup.DEFAULT, identifiers=()), None)
    assert plan.action is PlanAction.CREATE
    assert plan.body == {"destination": {"id": "dst_fb", "type": "destination"}}
    assert plan.new_rows == ()
    assert DEFAULT_SETUP_UPDATE in plan.notes


def test_default_setup_over_a_customized_connection_is_refused() -> None:
    plan = make_plan(_doc(setup=Setup.DEFAULT), _live(LIVE_SAME))
    assert plan.action is PlanAction.REFUSED
    assert "Default Setup" in plan.reasons[0]
    assert DEFAULT_SETUP_UPDATE in plan.notes


def test_default_setup_over_a_default_connection_is_unchanged() -> None:
    plan = make_plan(_doc(setup=Setup.DEFAULT), _live(None))
    assert plan.action is PlanAction.UNCHANGED


def test_connection_without_a_list_gets_an_update_to_customized() -> None:
    plan = make_plan(_doc(), _live(None))
    assert plan.action is PlanAction.UPDATE
    assert plan.live_rows == ()


def test_unreadable_live_connection_is_refused() -> None:
    plan = make_plan(_doc(), _live([{"externalId": "email", "strategy": "sometimes"}]))
    assert plan.action is PlanAction.REFUSED
    assert "could not be read" in plan.reasons[0]


def test_live_connection_of_another_destination_is_refused() -> None:
    plan = make_plan(_doc(), _live(LIVE_SAME, destinationId="dst_other"))
    assert plan.action is PlanAction.REFUSED
    assert "dst_other" in plan.reasons[0]


@pytest.mark.parametrize("send_mobile_ids", [True, False])
def test_send_mobile_ids_note(send_mobile_ids: bool) -> None:
    plan = make_plan(_doc(send_mobile_ids=send_mobile_ids), None)
    assert (SEND_MOBILE_IDS_NOT_SENT in plan.notes) is send_mobile_ids
