"""The Public API's answers read laxly: a member of an unexpected type is taken as absent,
never a failure, and the whole object is kept as ``raw``."""

from __future__ import annotations

from idsync.segment.models import Audience, Connection, Space, WriteResult


def test_a_connection_reads_its_members_by_their_api_names() -> None:
    answer = {
        "id": "ii_1",
        "destinationId": "dest_1",
        "enabled": True,
        "metadata": {"name": "Facebook Custom Audiences", "slug": "facebook-custom-audiences"},
        "idSyncConfiguration": [{"externalId": "email", "strategy": "last"}],
        "connectionSettings": {"sendMobileIds": False},
        "addedLater": 1,
    }
    connection = Connection.from_json(answer)
    assert (connection.id, connection.destination_id) == ("ii_1", "dest_1")
    assert connection.name == "Facebook Custom Audiences"
    assert connection.slug == "facebook-custom-audiences"
    assert connection.enabled is True
    assert connection.id_sync_configuration == ({"externalId": "email", "strategy": "last"},)
    assert connection.connection_settings == {"sendMobileIds": False}
    assert connection.raw == answer and connection.raw is not answer


def test_members_of_an_unexpected_type_are_taken_as_absent() -> None:
    connection = Connection.from_json(
        {
            "id": 7,
            "name": "Own name",
            "enabled": "false",
            "metadata": "not an object",
            "idSyncConfiguration": [{"externalId": "email"}, "stray", 3],
            "connectionSettings": [],
        }
    )
    assert connection.id == "" and connection.slug == ""
    assert connection.name == "Own name", "the top-level name wins over the metadata's"
    assert connection.enabled is False
    assert connection.id_sync_configuration == ({"externalId": "email"},)
    assert connection.connection_settings is None
    assert Connection.from_json({"idSyncConfiguration": "none"}).id_sync_configuration is None


def test_an_audience_keeps_its_own_space_or_takes_the_one_it_was_listed_in() -> None:
    listed = Audience.listed({"id": "aud_1", "audienceType": ""}, "spa_1")
    assert (listed.space_id, listed.audience_type) == ("spa_1", "USERS")
    own = Audience.listed({"id": "aud_2", "spaceId": "spa_2", "audienceType": "ACCOUNTS"}, "x")
    assert (own.space_id, own.audience_type) == ("spa_2", "ACCOUNTS")


def test_a_write_result_finds_its_connection_id_in_either_answer_shape() -> None:
    added = WriteResult.from_json({"connection": {"id": "ii_new"}, "idSyncConfiguration": []})
    updated = WriteResult.from_json({"destination": {"id": "ii_old"}})
    assert (added.connection_id, added.id_sync_configuration) == ("ii_new", ())
    assert (updated.connection_id, updated.id_sync_configuration) == ("ii_old", None)
    assert WriteResult.from_json({"connection": None}).connection_id == ""


def test_a_space_with_nulls_reads_as_empty_text() -> None:
    space = Space.from_json({"id": "spa_1", "slug": None, "name": "Marketing"})
    assert (space.id, space.slug, space.name) == ("spa_1", "", "Marketing")
