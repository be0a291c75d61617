"""The sandbox refuses what the app's rules call a Segment limit, and nothing else: the
app's rule table and the sandbox are held to the same verdicts over loopback, so "try it
in the sandbox" can never pass where the app itself would refuse (or the other way)."""

from __future__ import annotations

import itertools

import httpx
import pytest

from idsync.catalog import load_catalog
from idsync.core.api_mapping import create_body, update_body
from idsync.core.model import (
    AudienceTarget,
    DestinationRef,
    IdentifierRow,
    IdSyncDocument,
    Strategy,
)
from idsync.core.rules import validate
from idsync.core.rules.codes import RULES
from idsync.core.rules.limits import MAX_ALL_ROWS, MAX_ROWS
from idsync.segment.sandbox import Sandbox
from idsync.segment.sandbox.state import (
    EXAMPLE_SPACE,
    MAX_ALL_ENTRIES,
    MAX_ID_SYNC_ENTRIES,
    SandboxState,
)

# The rules that say "Segment refuses this" about the ID Sync list (their codes' names).
LIMIT_RULES = {"too-many-all": "IDS101", "too-many-rows": "IDS102"}
AUDIENCE = "aud_churn_risk"
CONNECTED = "aud_example_high_value"
FACEBOOK = "dst_example_facebook"
# Identifiers the Facebook destination takes, so only the limits decide.
IDENTIFIERS = (
    ("email", "EMAIL"),
    ("phone", "PHONE"),
    ("ios.idfa", "MADID"),
    ("android.idfa", "MADID"),
    ("user_id", "EXTERN_ID"),
    ("first_name", "FN"),
    ("last_name", "LN"),
)


def document(all_count: int, other_count: int) -> IdSyncDocument:
    strategies = [Strategy.ALL] * all_count + [Strategy.LAST] * other_count
    rows = tuple(
        IdentifierRow(segment=segment, destination=destination, strategy=strategy)
        for (segment, destination), strategy in zip(IDENTIFIERS, strategies, strict=False)
    )
    return IdSyncDocument(
        name="Limits",
        target=AudienceTarget(space_id=EXAMPLE_SPACE, audience_id=AUDIENCE),
        destination=DestinationRef(
            slug="personas-facebook-custom-audiences",
            name="Facebook Custom Audiences",
            instance_id=FACEBOOK,
        ),
        identifiers=rows,
    )


CASES = [
    (all_count, other_count)
    for all_count, other_count in itertools.product(range(6), range(4))
    if 1 <= all_count + other_count <= len(IDENTIFIERS)
]


def test_the_limits_are_the_same_numbers() -> None:
    assert (MAX_ALL_ENTRIES, MAX_ID_SYNC_ENTRIES) == (MAX_ALL_ROWS, MAX_ROWS)
    assert {rule.name for rule in RULES.values()} >= set(LIMIT_RULES)
    assert {RULES[code].name: code for code in LIMIT_RULES.values()} == LIMIT_RULES


@pytest.mark.parametrize(("all_count", "other_count"), CASES)
def test_the_sandbox_refuses_exactly_what_the_rules_call_a_segment_limit(
    sandbox: Sandbox, http: httpx.Client, all_count: int, other_count: int
) -> None:
    doc = document(all_count, other_count)
    findings = validate(doc, load_catalog())
    app_limits = sorted({f.code for f in findings if f.code in LIMIT_RULES.values()})
    created = http.post(
        f"/spaces/{EXAMPLE_SPACE}/audiences/{AUDIENCE}/destination-connections",
        json=create_body(doc),
    )
    updated = http.patch(
        f"/spaces/{EXAMPLE_SPACE}/audiences/{CONNECTED}/destination-connections/"
        "ii_high_value_facebook",
        json=update_body(doc),
    )
    for answer in (created, updated):
        if app_limits:
            assert answer.status_code == 422, (all_count, other_count, app_limits)
            errors = answer.json()["errors"]
            # One error per limit broken, each in Segment's envelope with its field.
            assert len(errors) == len(app_limits)
            assert all(e["field"] == "idSyncConfiguration" for e in errors)
            assert all(set(e) == {"type", "message", "field"} for e in errors)
        else:
            assert answer.status_code == 200, (all_count, other_count, answer.text)


def test_every_problem_of_a_body_is_listed(sandbox: Sandbox, http: httpx.Client) -> None:
    entries = [{"externalId": f"id{i}", "strategy": "all"} for i in range(6)]
    entries.append({"externalId": "", "strategy": "newest"})
    answer = http.post(
        f"/spaces/{EXAMPLE_SPACE}/audiences/{AUDIENCE}/destination-connections",
        json={
            "destination": {"id": FACEBOOK, "type": "destination"},
            "idSyncConfiguration": entries,
        },
    )
    assert answer.status_code == 422
    fields = [e["field"] for e in answer.json()["errors"]]
    assert fields == [
        "idSyncConfiguration",
        "idSyncConfiguration",
        "idSyncConfiguration[6].externalId",
        "idSyncConfiguration[6].strategy",
    ]
    assert sandbox.state.find_connection(EXAMPLE_SPACE, AUDIENCE, FACEBOOK) is None


def test_set_id_sync_changes_a_connection_as_someone_else_would() -> None:
    state = SandboxState.seeded()
    rows = [{"externalId": "email", "strategy": "first"}]
    state.set_id_sync(EXAMPLE_SPACE, CONNECTED, FACEBOOK, rows)
    found = state.find_connection(EXAMPLE_SPACE, CONNECTED, FACEBOOK)
    assert found is not None and found["idSyncConfiguration"] == rows
    with pytest.raises(KeyError):
        state.set_id_sync(EXAMPLE_SPACE, AUDIENCE, FACEBOOK, rows)
