"""Document <-> Public API bodies."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from idsync.core.api_mapping import (
    DEFAULT_SETUP_UPDATE,
    JOURNEY_HAS_NO_API,
    SEND_MOBILE_IDS_NOT_SENT,
    ConnectionFormatError,
    NotPushable,
    api_limitations,
    create_body,
    rows_from_connection,
    update_body,
)
from idsync.core.model import (
    AudienceTarget,
    DestinationRef,
    IdentifierRow,
    IdSyncDocument,
    JourneyTarget,
    Setup,
    Strategy,
)
from tests.helpers.strategies import rows as generated_rows

FB = DestinationRef(slug="facebook-custom-audiences", instance_id="dst_fb")
ROWS = (
    IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.LAST),
    IdentifierRow(segment="phone", destination="", strategy=Strategy.ALL),
    IdentifierRow(segment="ios.idfa", destination="MADID", strategy=Strategy.FIRST),
)


def _doc(**changes: Any) -> IdSyncDocument:
    base = IdSyncDocument(
        target=AudienceTarget(space_id="spa", audience_id="aud"),
        destination=FB,
        identifiers=ROWS,
    )
    return base.replace(**changes)


EXPECTED_ENTRIES = [
    {"externalId": "email", "strategy": "last", "mapTo": "EMAIL"},
    {"externalId": "phone", "strategy": "all"},
    {"externalId": "ios.idfa", "strategy": "first", "mapTo": "MADID"},
]


def test_create_body_for_customized_setup() -> None:
    assert create_body(_doc()) == {
        "destination": {"id": "dst_fb", "type": "destination"},
        "idSyncConfiguration": EXPECTED_ENTRIES,
    }


def test_create_body_for_default_setup_leaves_the_choice_to_segment() -> None:
    body = create_body(_doc(setup=Setup.DEFAULT))
    assert body == {"destination": {"id": "dst_fb", "type": "destination"}}


def test_create_body_never_sends_connection_settings() -> None:
    doc = _doc(send_mobile_ids=True)
    assert "connectionSettings" not in create_body(doc)
    assert SEND_MOBILE_IDS_NOT_SENT in api_limitations(doc)
    assert SEND_MOBILE_IDS_NOT_SENT not in api_limitations(_doc(send_mobile_ids=False))


def test_instance_id_is_trimmed() -> None:
    doc = _doc(destination=FB.replace(instance_id="  dst_fb \n"))
    assert create_body(doc)["destination"]["id"] == "dst_fb"


def test_update_body_carries_the_complete_array() -> None:
    assert update_body(_doc()) == {"idSyncConfiguration": EXPECTED_ENTRIES}


@pytest.mark.parametrize("build", [create_body, update_body])
@pytest.mark.parametrize(
    ("changes", "reason", "fragment"),
    [
        ({"target": JourneyTarget(space_id="s", journey_id="j", step="x")}, "journey",
         "Journey steps have no ID Sync field"),
        ({"destination": None}, "no-destination", "No destination is chosen"),
        ({"destination": FB.replace(instance_id="  ")}, "no-instance-id",
         "instance id is empty"),
        ({"identifiers": ()}, "no-rows", "add at least one"),
    ],
)
def test_not_pushable(
    build: Any, changes: dict[str, Any], reason: str, fragment: str
) -> None:
    with pytest.raises(NotPushable) as caught:
        build(_doc(**changes))
    assert caught.value.reason == reason
    assert fragment in str(caught.value)


def test_default_setup_cannot_be_an_update() -> None:
    with pytest.raises(NotPushable) as caught:
        update_body(_doc(setup=Setup.DEFAULT))
    assert caught.value.reason == "default-setup"
    assert "empty list" in str(caught.value)
    assert DEFAULT_SETUP_UPDATE in api_limitations(_doc(setup=Setup.DEFAULT))


def test_journey_limitation_is_listed() -> None:
    journey = _doc(target=JourneyTarget(space_id="s", journey_id="j", step="1"))
    assert JOURNEY_HAS_NO_API in api_limitations(journey)
    assert api_limitations(_doc()) == ()


def test_rows_from_a_simple_destination() -> None:
    connection = {
        "id": "ii_123",
        "destinationId": "dst_fb",
        "enabled": True,
        "idSyncConfiguration": [
            {"externalId": "email", "strategy": "last", "mapTo": "EMAIL"},
            {"externalId": "phone", "strategy": "all"},
            {"externalId": "ios.idfa", "strategy": "FIRST", "mapTo": "MADID"},
            {"externalId": "user_id", "strategy": "last", "mapTo": None},
        ],
    }
    assert rows_from_connection(connection) == (
        *ROWS,
        IdentifierRow(segment="user_id", destination="", strategy=Strategy.LAST),
    )


@pytest.mark.parametrize("connection", [{}, {"idSyncConfiguration": None}])
def test_no_configuration_means_no_rows(connection: dict[str, Any]) -> None:
    assert rows_from_connection(connection) == ()


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("email", "idSyncConfiguration should be a list, got the text 'email'"),
        ({"externalId": "email"}, "idSyncConfiguration should be a list, got an object"),
        ([3], "idSyncConfiguration[0] should be an object, got the number 3"),
        ([{"strategy": "last"}], "idSyncConfiguration[0].externalId should be text, got null"),
        ([{"externalId": "email", "strategy": "sometimes"}],
         "idSyncConfiguration[0].strategy 'sometimes' is not one of first, last, all"),
        ([{"externalId": "email"}],
         "idSyncConfiguration[0].strategy should be one of first, last, all, got null"),
        ([{"externalId": "email", "strategy": "last", "mapTo": 5}],
         "idSyncConfiguration[0].mapTo should be text, got the number 5"),
    ],
)
def test_malformed_connections_are_explained(config: object, message: str) -> None:
    with pytest.raises(ConnectionFormatError) as caught:
        rows_from_connection({"idSyncConfiguration": config})
    assert str(caught.value) == message


@given(st.lists(generated_rows, min_size=1, max_size=6).map(tuple))
def test_update_body_reads_back_as_the_same_rows(rows: tuple[IdentifierRow, ...]) -> None:
    body = update_body(_doc(identifiers=rows))
    assert rows_from_connection(dict(body)) == rows
