"""The sandbox's own contract, spoken to with plain HTTP over loopback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.segment.client import ALPHA_MEDIA_TYPE as ALPHA
from app.segment.sandbox import Sandbox
from tests.helpers.keyrings import TokenRegistry

SPACE = "spa_example_marketing"
AUDIENCE = "aud_example_high_value"
CONNECTIONS = f"/spaces/{SPACE}/audiences/{AUDIENCE}/destination-connections"


def _first_error(response: httpx.Response) -> dict[str, Any]:
    payload = response.json()
    assert set(payload) == {"errors"}
    error: dict[str, Any] = payload["errors"][0]
    return error


def test_missing_or_wrong_token_gets_401_envelope(sandbox: Sandbox) -> None:
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": sandbox.token}):
        response = httpx.get(f"{sandbox.url}/spaces", headers=headers, trust_env=False)
        assert response.status_code == 401
        assert _first_error(response)["type"] == "unauthorized"


def test_pagination_walks_every_item_once(http: httpx.Client) -> None:
    seen: list[str] = []
    params: dict[str, str] = {"pagination.count": "4"}
    pages = 0
    while True:
        data = http.get(f"/spaces/{SPACE}/audiences", params=params).json()["data"]
        pages += 1
        seen.extend(a["id"] for a in data["audiences"])
        assert data["pagination"]["totalEntries"] == 6
        if not data["pagination"]["next"]:
            break
        params = {"pagination.count": "4", "pagination.cursor": data["pagination"]["next"]}
    assert pages == 2
    assert len(seen) == len(set(seen)) == 6


def test_bracket_pagination_spelling_is_accepted(http: httpx.Client) -> None:
    data = http.get("/spaces", params={"pagination[count]": "1"}).json()["data"]
    assert len(data["spaces"]) == 1
    assert data["pagination"]["next"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"pagination.count": "0"}, "pagination.count"),
        ({"pagination.count": "201"}, "pagination.count"),
        ({"pagination.count": "x"}, "pagination.count"),
        ({"pagination.count": "5", "pagination.cursor": "garbage!"}, "pagination.cursor"),
    ],
)
def test_bad_pagination_is_422_with_field(
    http: httpx.Client, params: dict[str, str], field: str
) -> None:
    response = http.get(f"/spaces/{SPACE}/audiences", params=params)
    assert response.status_code == 422
    assert _first_error(response)["field"] == field


@pytest.mark.parametrize(
    ("entries", "field"),
    [
        ([{"externalId": f"e{i}", "strategy": "all"} for i in range(6)], "idSyncConfiguration"),
        ([{"externalId": "email", "strategy": "LATEST"}], "idSyncConfiguration[0].strategy"),
        ([{"strategy": "last"}], "idSyncConfiguration[0].externalId"),
        ([{"externalId": "", "strategy": "last"}], "idSyncConfiguration[0].externalId"),
        ([{"externalId": "email", "strategy": "last", "mapTo": 3}], "idSyncConfiguration[0].mapTo"),
        ("email", "idSyncConfiguration"),
    ],
)
def test_invalid_id_sync_is_422_with_field(
    sandbox: Sandbox, http: httpx.Client, entries: object, field: str
) -> None:
    before = sandbox.state.connection(SPACE, AUDIENCE, "ii_high_value_facebook")
    response = http.patch(
        f"{CONNECTIONS}/ii_high_value_facebook", json={"idSyncConfiguration": entries}
    )
    assert response.status_code == 422
    assert _first_error(response)["field"] == field
    assert sandbox.state.connection(SPACE, AUDIENCE, "ii_high_value_facebook") == before


def test_patch_replaces_and_empty_array_keeps(sandbox: Sandbox, http: httpx.Client) -> None:
    url = f"{CONNECTIONS}/ii_high_value_facebook"
    new = [{"externalId": "phone", "strategy": "first", "mapTo": "PHONE"}]
    assert http.patch(url, json={"idSyncConfiguration": new}).status_code == 200
    assert (
        http.patch(url, json={"idSyncConfiguration": []}).json()["data"]["idSyncConfiguration"]
        == new
    )
    stored = sandbox.state.connection(SPACE, AUDIENCE, "ii_high_value_facebook")
    assert stored is not None and stored["idSyncConfiguration"] == new


def test_patch_without_either_field_is_400(http: httpx.Client) -> None:
    response = http.patch(f"{CONNECTIONS}/ii_high_value_facebook", json={})
    assert response.status_code == 400


def test_create_without_config_stores_the_default(sandbox: Sandbox, http: httpx.Client) -> None:
    response = http.post(
        CONNECTIONS, json={"destination": {"id": "dst_example_webhooks", "type": "destination"}}
    )
    assert response.status_code == 200
    data = response.json()["data"]
    assert [e["externalId"] for e in data["idSyncConfiguration"]] == ["email", "user_id"]
    assert sandbox.state.connection(SPACE, AUDIENCE, data["connection"]["id"]) is not None


def test_create_for_unknown_destination_is_404(http: httpx.Client) -> None:
    response = http.post(
        CONNECTIONS, json={"destination": {"id": "dst_nowhere", "type": "destination"}}
    )
    assert response.status_code == 404
    assert "dst_nowhere" in _first_error(response)["message"]


def test_wrong_media_type_and_bad_json(sandbox: Sandbox) -> None:
    url = f"{sandbox.url}{CONNECTIONS}/ii_high_value_facebook"
    auth = {"Authorization": f"Bearer {sandbox.token}"}
    text = httpx.patch(url, content=b"{}", headers={**auth, "Content-Type": "text/plain"})
    assert text.status_code == 415
    broken = httpx.patch(url, content=b"{not json", headers={**auth, "Content-Type": ALPHA})
    assert broken.status_code == 400


def test_unknown_path_and_method(http: httpx.Client) -> None:
    assert http.get("/nowhere").status_code == 404
    assert http.put(f"{CONNECTIONS}/ii_high_value_facebook", json={}).status_code == 405


def test_rate_limit_answers_429_with_retry_after(sandbox: Sandbox, http: httpx.Client) -> None:
    sandbox.set_rate_limit(3, 30.0)
    statuses = [http.get("/spaces").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    limited = http.get("/spaces")
    assert 1 <= int(limited.headers["Retry-After"]) <= 30
    data = _first_error(limited)["data"]
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


def test_requests_are_recorded_without_the_token(sandbox: Sandbox, http: httpx.Client) -> None:
    http.get("/spaces")
    recorded = sandbox.requests[-1]
    assert (recorded.method, recorded.path, recorded.status) == ("GET", "/spaces", 200)
    assert sandbox.token not in repr(sandbox.requests)


def test_idsync_sandbox_command_prints_url_and_token_and_stops_on_ctrl_c(
    secrets_used: TokenRegistry, idsync_home: Path
) -> None:
    token = secrets_used.add("sbx_cli_test_token")
    root = Path(__file__).resolve().parents[2]
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "sandbox", "--token", token],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "IDSYNC_HOME": str(idsync_home)},
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        second = process.stdout.readline()
        assert first.startswith("Segment API sandbox running at http://127.0.0.1:")
        assert second.strip() == f"Token: {token}"
        url = first.rsplit(" ", 1)[1].strip()
        response = httpx.get(
            f"{url}/spaces", headers={"Authorization": f"Bearer {token}"}, trust_env=False
        )
        assert response.status_code == 200
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
        if process.stderr is not None:
            process.stderr.close()


def _facebook(sandbox: Sandbox) -> list[dict[str, Any]]:
    found = sandbox.state.find_connection(SPACE, AUDIENCE, "dst_example_facebook")
    assert found is not None
    return list(found["idSyncConfiguration"])


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
