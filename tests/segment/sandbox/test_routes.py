"""idsync.segment.sandbox.routes: the sandbox answers as Segment's Public API does, checked
against the SDK's models (the required-field table in tests/helpers/sdk_models.py), over
loopback."""

from __future__ import annotations

import socket
from typing import Any

import httpx
import pytest

from idsync.segment.client import ALPHA_MEDIA_TYPE as ALPHA
from idsync.segment.sandbox import Sandbox
from tests.helpers.sandbox import first_error
from tests.helpers.sdk_models import missing_fields

SPACE = "spa_example_marketing"
AUDIENCE = "aud_example_high_value"
CONNECTIONS = f"/spaces/{SPACE}/audiences/{AUDIENCE}/destination-connections"


def data_of(response: httpx.Response, model: str) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    assert missing_fields(data, model) == []
    return data


def assert_envelope(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/json"
    payload = response.json()
    assert set(payload) == {"errors"}
    assert missing_fields(payload, "RequestErrorEnvelope", "body") == []
    first: dict[str, Any] = payload["errors"][0]
    assert isinstance(first.get("message"), str) and first["message"]
    return first


def test_the_required_field_table_catches_a_missing_field() -> None:
    audience = {"id": "aud_1", "computeCadence": {}}
    missing = missing_fields(audience, "AudienceSummaryWithAudienceTypeAndLookback")
    assert "data.createdBy" in missing and "data.computeCadence.type" in missing


def test_spaces_and_audiences_carry_every_required_field(http: httpx.Client) -> None:
    data_of(http.get("/spaces"), "ListSpacesAlphaOutput")
    audiences = data_of(http.get(f"/spaces/{SPACE}/audiences"), "ListAudiencesAlphaOutput")
    first = audiences["audiences"][0]
    assert first["computeCadence"]["type"] in ("BATCH", "REALTIME")
    assert first["definition"]["query"]


def test_a_connection_id_is_an_integration_id_apart_from_its_destination_id(
    http: httpx.Client,
) -> None:
    listed = data_of(http.get(CONNECTIONS), "ListDestinationsFromAudienceAlphaOutput")
    destinations = data_of(http.get("/destinations"), "ListDestinationsV1Output")
    workspace_ids = {d["id"] for d in destinations["destinations"]}
    for connection in listed["connections"]:
        assert connection["id"].startswith("ii_")
        assert connection["destinationId"] != connection["id"]
        assert connection["destinationId"] in workspace_ids
        assert not connection["destinationId"].startswith("ii_")


def test_create_takes_the_destination_id_and_answers_the_connection_id(
    sandbox: Sandbox, http: httpx.Client
) -> None:
    body = {"destination": {"id": "dst_example_webhooks", "type": "destination"}}
    created = data_of(http.post(CONNECTIONS, json=body), "AddDestinationToAudienceAlphaOutput")
    connection_id = created["connection"]["id"]
    assert connection_id.startswith("ii_")
    stored = sandbox.state.connection(SPACE, AUDIENCE, connection_id)
    assert stored is not None and stored["destinationId"] == "dst_example_webhooks"
    # The connection's own id is not a destination: creating with it finds nothing.
    again = http.post(
        CONNECTIONS, json={"destination": {"id": connection_id, "type": "destination"}}
    )
    assert_envelope(again, 404)


def test_update_and_remove_take_the_connection_id_not_the_destination_id(
    sandbox: Sandbox, http: httpx.Client
) -> None:
    entries = [{"externalId": "email", "strategy": "first", "mapTo": "EMAIL"}]
    by_destination = http.patch(
        f"{CONNECTIONS}/dst_example_facebook", json={"idSyncConfiguration": entries}
    )
    assert_envelope(by_destination, 404)
    updated = http.patch(
        f"{CONNECTIONS}/ii_high_value_facebook", json={"idSyncConfiguration": entries}
    )
    data = data_of(updated, "UpdateDestinationForAudienceAlphaOutput")
    assert data["destination"]["id"] == "ii_high_value_facebook"
    assert_envelope(http.delete(f"{CONNECTIONS}/dst_example_facebook"), 404)
    removed = data_of(
        http.delete(f"{CONNECTIONS}/ii_high_value_facebook"),
        "RemoveDestinationFromAudienceAlphaOutput",
    )
    assert removed["status"] == "SUCCESS"
    assert sandbox.state.connection(SPACE, AUDIENCE, "ii_high_value_facebook") is None


def test_patch_naming_neither_field_is_400_as_the_spec_says(http: httpx.Client) -> None:
    error = assert_envelope(http.patch(f"{CONNECTIONS}/ii_high_value_facebook", json={}), 400)
    assert "idSyncConfiguration" in error["message"]
    assert "connectionSettings" in error["message"]


def test_supported_destinations_come_keyed_by_id(http: httpx.Client) -> None:
    data = data_of(
        http.get(f"/spaces/{SPACE}/audienceType/USERS/supported-destinations"),
        "ListSupportedDestinationsFromAudienceAlphaOutput",
    )
    assert data["destinations"]
    for key, destination in data["destinations"].items():
        assert destination["id"] == key


def test_list_destinations_pages_through_the_workspace(http: httpx.Client) -> None:
    seen: list[str] = []
    params = {"pagination.count": "5"}
    while True:
        data = data_of(http.get("/destinations", params=params), "ListDestinationsV1Output")
        seen += [d["id"] for d in data["destinations"]]
        following = data["pagination"]["next"]
        if not following:
            break
        params = {"pagination.count": "5", "pagination.cursor": following}
    assert len(seen) == len(set(seen)) == 12
    assert "dst_example_facebook" in seen and "dst_mobile_facebook" in seen


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/nowhere", 404),
        ("GET", f"/spaces/{SPACE}/audiences/aud_none/destination-connections", 404),
        ("PUT", f"{CONNECTIONS}/ii_high_value_facebook", 405),
        ("POST", "/destinations", 405),
        ("DELETE", "/spaces", 405),
        ("OPTIONS", "/spaces", 405),
        ("FROB", "/spaces", 405),
    ],
)
def test_every_error_uses_the_envelope(
    http: httpx.Client, method: str, path: str, status: int
) -> None:
    assert_envelope(http.request(method, path), status)


def test_a_method_not_allowed_says_which_are(http: httpx.Client) -> None:
    response = http.put(f"{CONNECTIONS}/ii_high_value_facebook", json={})
    assert_envelope(response, 405)
    assert response.headers["Allow"] == "PATCH, DELETE"


def test_head_gets_headers_only_and_the_connection_stays_usable(http: httpx.Client) -> None:
    head = http.head("/spaces")
    assert head.status_code == 405 and head.content == b""
    assert http.get("/spaces").status_code == 200


def test_body_errors_use_the_envelope(sandbox: Sandbox, http: httpx.Client) -> None:
    url = f"{CONNECTIONS}/ii_high_value_facebook"
    assert_envelope(http.patch(url, content=b"{not json"), 400)
    assert_envelope(http.patch(url, content=b"{}", headers={"Content-Type": "text/plain"}), 415)
    assert_envelope(http.patch(url, json={"idSyncConfiguration": "email"}), 422)
    assert_envelope(
        http.post(
            CONNECTIONS, json={"destination": {"id": "dst_example_facebook", "type": "destination"}}
        ),
        409,
    )
    assert_envelope(httpx.get(f"{sandbox.url}/spaces", trust_env=False), 401)
    sandbox.fail_next(1, status=503)
    assert_envelope(http.get("/spaces"), 503)


def test_a_malformed_request_line_is_answered_in_the_envelope(sandbox: Sandbox) -> None:
    with socket.create_connection((sandbox.host, sandbox.port)) as raw:
        raw.sendall(b"GARBAGE\r\n\r\n")
        answer = b""
        while chunk := raw.recv(4096):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.") and b" 400 " in head.split(b"\r\n")[0]
    response = httpx.Response(400, content=body, headers={"Content-Type": "application/json"})
    assert missing_fields(response.json(), "RequestErrorEnvelope", "body") == []


# --- paging, bodies and paths ---------------------------------------------------------


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
    assert first_error(response)["field"] == field


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
    assert first_error(response)["field"] == field
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
    assert "dst_nowhere" in first_error(response)["message"]


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
