"""idsync.segment.sandbox.faults: each switchable fault as a client meets it over loopback."""

from __future__ import annotations

from typing import Any

import httpx

from idsync.segment.sandbox import Sandbox
from tests.helpers.sandbox import first_error

SPACE = "spa_example_marketing"
AUDIENCE = "aud_example_high_value"
CONNECTIONS = f"/spaces/{SPACE}/audiences/{AUDIENCE}/destination-connections"


def _facebook(sandbox: Sandbox) -> list[dict[str, Any]]:
    found = sandbox.state.find_connection(SPACE, AUDIENCE, "dst_example_facebook")
    assert found is not None
    return list(found["idSyncConfiguration"])


def test_rate_limit_answers_429_with_retry_after(sandbox: Sandbox, http: httpx.Client) -> None:
    sandbox.set_rate_limit(3, 30.0)
    statuses = [http.get("/spaces").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    limited = http.get("/spaces")
    assert 1 <= int(limited.headers["Retry-After"]) <= 30
    data = first_error(limited)["data"]
    assert 0 < data["msBeforeNext"] <= 30_000
    sandbox.set_rate_limit(None)
    assert http.get("/spaces").status_code == 200


def test_queued_faults_hit_only_their_method(sandbox: Sandbox, http: httpx.Client) -> None:
    sandbox.fail_next(1, status=503, method="PATCH")
    assert http.get("/spaces").status_code == 200
    response = http.patch(
        f"{CONNECTIONS}/ii_high_value_facebook",
        json={"idSyncConfiguration": [{"externalId": "email", "strategy": "all"}]},
    )
    assert response.status_code == 503
    assert http.get("/spaces").status_code == 200


def test_a_late_write_is_answered_504_and_applied_before_a_later_request(
    sandbox: Sandbox, http: httpx.Client
) -> None:
    before = _facebook(sandbox)
    entries = [{"externalId": "email", "strategy": "first"}]
    sandbox.apply_late(method="PATCH", status=504, after_requests=2)
    answer = http.patch(
        f"{CONNECTIONS}/ii_high_value_facebook", json={"idSyncConfiguration": entries}
    )
    assert answer.status_code == 504
    assert set(answer.json()) == {"errors"}
    assert http.get(CONNECTIONS).status_code == 200
    assert _facebook(sandbox) == before, "not applied yet after one request"
    listed = http.get(CONNECTIONS).json()["data"]["connections"]
    assert _facebook(sandbox) == entries, "applied before the second request was handled"
    assert any(c["idSyncConfiguration"] == entries for c in listed)


def test_a_late_create_into_a_connected_audience_is_refused_not_doubled(
    sandbox: Sandbox, http: httpx.Client
) -> None:
    body = {"destination": {"id": "dst_example_braze", "type": "destination"}}
    path = f"/spaces/{SPACE}/audiences/aud_churn_risk/destination-connections"
    sandbox.apply_late(method="POST", after_requests=2)
    assert http.post(path, json=body).status_code == 504
    # Connected meanwhile by another write; the late one then conflicts.
    assert http.post(path, json=body).status_code == 200
    http.get(path)
    connections = sandbox.state.connections[(SPACE, "aud_churn_risk")]
    assert [c["destinationId"] for c in connections] == ["dst_example_braze"]


def test_store_other_rows_answers_200_with_what_it_stored(
    sandbox: Sandbox, http: httpx.Client
) -> None:
    other = [{"externalId": "email", "strategy": "all"}]
    sandbox.store_other_rows(other, method="PATCH")
    sent = [{"externalId": "phone", "strategy": "last"}]
    answer = http.patch(f"{CONNECTIONS}/ii_high_value_facebook", json={"idSyncConfiguration": sent})
    assert answer.status_code == 200
    assert answer.json()["data"]["idSyncConfiguration"] == other
    assert _facebook(sandbox) == other
    # Once only.
    http.patch(f"{CONNECTIONS}/ii_high_value_facebook", json={"idSyncConfiguration": sent})
    assert _facebook(sandbox) == sent


def test_after_next_changes_the_state_once_the_request_is_answered(
    sandbox: Sandbox, http: httpx.Client
) -> None:
    changed = [{"externalId": "email", "strategy": "first"}]
    sandbox.after_next(
        lambda state: state.set_id_sync(SPACE, AUDIENCE, "dst_example_facebook", changed),
        method="GET",
    )
    first = http.get(CONNECTIONS).json()["data"]["connections"]
    assert all(c["idSyncConfiguration"] != changed for c in first)
    second = http.get(CONNECTIONS).json()["data"]["connections"]
    assert any(c["idSyncConfiguration"] == changed for c in second)


def test_queued_faults_can_list_several_errors(sandbox: Sandbox, http: httpx.Client) -> None:
    sandbox.fail_next(1, status=422, errors=[("one", "a"), ("two", None)])
    errors = http.get(CONNECTIONS).json()["errors"]
    assert errors == [
        {"type": "RequestError", "message": "one", "field": "a"},
        {"type": "RequestError", "message": "two"},
    ]
