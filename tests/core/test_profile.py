"""idsync.core.profile: a Profile API external_ids response read into records, and every
misfit named by its item and key."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from idsync.core.profile import (
    ExternalId,
    ProfileFormatError,
    parse_external_ids,
    parse_timestamp,
)
from tests.helpers.profiles import item, response

UTC = timezone.utc


# --- parsing -------------------------------------------------------------------------


def test_bare_list_and_extra_keys_are_accepted() -> None:
    ids = parse_external_ids(
        [
            {
                "id": "a@example.com",
                "type": " email ",
                "created_at": "2024-01-01T00:00:00Z",
                "encoding": None,
                "future_field": {"x": 1},
            },
        ]
    )
    (only,) = ids.items
    assert (only.type, only.value, only.encoding, only.source_id) == (
        "email",
        "a@example.com",
        "",
        "",
    )
    wrapped = parse_external_ids({"data": [], "cursor": None, "meta": 1})
    assert wrapped.items == ()


def test_all_fields_are_kept() -> None:
    (only,) = parse_external_ids([item("email", "a@example.com", "2024-01-01T00:00:00Z")]).items
    assert only == ExternalId(
        type="email",
        value="a@example.com",
        created_at=datetime(2024, 1, 1, tzinfo=UTC),
        source_id="src1",
        collection="users",
        encoding="none",
        first_message_id="msg-1",
    )


NANO_BASE = datetime(2024, 5, 1, 12, 30, 0, 123456, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "utc", "extra_ns"),
    [
        ("2024-05-01T12:30:00Z", datetime(2024, 5, 1, 12, 30, tzinfo=UTC), 0),
        ("2024-05-01t12:30:00z", datetime(2024, 5, 1, 12, 30, tzinfo=UTC), 0),
        ("2024-05-01 12:30:00", datetime(2024, 5, 1, 12, 30, tzinfo=UTC), 0),
        ("2024-05-01T12:30:00.5Z", datetime(2024, 5, 1, 12, 30, 0, 500000, tzinfo=UTC), 0),
        ("2024-05-01T12:30:00,25Z", datetime(2024, 5, 1, 12, 30, 0, 250000, tzinfo=UTC), 0),
        ("2024-05-01T12:30:00.123456789Z", NANO_BASE, 789),
        ("2024-05-01T12:30:00.1234567891Z", NANO_BASE, 789),
        ("2024-05-01T14:30:00+02:00", datetime(2024, 5, 1, 12, 30, tzinfo=UTC), 0),
        ("2024-05-01T07:00:00-0530", datetime(2024, 5, 1, 12, 30, tzinfo=UTC), 0),
    ],
)
def test_timestamps_in_iso_8601_forms(text: str, utc: datetime, extra_ns: int) -> None:
    moment, extra = parse_timestamp(text)
    assert moment == utc
    assert moment.utcoffset() is not None
    assert extra == extra_ns


def test_external_id_refuses_a_naive_time() -> None:
    with pytest.raises(ValueError, match="time zone"):
        ExternalId(type="email", value="a", created_at=datetime(2024, 1, 1))


@pytest.mark.parametrize(
    ("data", "index", "field", "words"),
    [
        ("a string", None, None, "JSON object with a 'data' list"),
        (42, None, None, "got the number 42"),
        ({"cursor": {}}, None, None, "no 'data' list"),
        ({"data": {"id": "x"}}, None, "data", "must be a list"),
        (
            {"error": {"code": "not_found", "message": "Profile not found"}},
            None,
            None,
            "error response (not_found: Profile not found)",
        ),
        ({"data": [item("email", "a", "2024-01-01T00:00:00Z"), "oops"]}, 1, None, "data[1]"),
        ({"data": [{"id": "a", "created_at": "2024-01-01T00:00:00Z"}]}, 0, "type", "no 'type'"),
        ({"data": [{"type": "email", "created_at": "2024-01-01T00:00:00Z"}]}, 0, "id", "no 'id'"),
        (
            [item("email", "a", "2024-01-01T00:00:00Z"), {"type": "email", "id": "b"}],
            1,
            "created_at",
            "[1] has no 'created_at'",
        ),
        ([item("email", 5, "2024-01-01T00:00:00Z")], 0, "id", "must be a string; got the number 5"),
        (
            [item("email", "a", 1700000000)],
            0,
            "created_at",
            "must be a string; got the number 1700000000",
        ),
        ([item("email", "a", "  ")], 0, "created_at", "'created_at' is empty"),
        (
            [item("email", "a", "2024-01-01T00:00:00Z"), item("email", "b", "2024-01-01", id=3)],
            1,
            "id",
            "[1]: 'id' must be a string; got the number 3",
        ),
        ([item("email", "   ", "2024-01-01T00:00:00Z")], 0, "id", "'id' is empty"),
        ([item("", "a", "2024-01-01T00:00:00Z")], 0, "type", "'type' is empty"),
        ([item("email", "a", None)], 0, "created_at", "no 'created_at'"),
        (
            [item("email", "a", "2024-01-01T00:00:00Z", source_id=7)],
            0,
            "source_id",
            "'source_id' must be a string or absent",
        ),
    ],
)
def test_malformed_input_names_the_item_and_field(
    data: object, index: int | None, field: str | None, words: str
) -> None:
    with pytest.raises(ProfileFormatError) as caught:
        parse_external_ids(data)
    assert caught.value.index == index
    assert caught.value.field == field
    assert words in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        "yesterday",
        "2024-01-01",
        "2024-13-01T00:00:00Z",
        "2024-02-30T00:00:00Z",
        "2024-01-01T25:00:00Z",
        "2024-01-01T00:00:60Z",
        "2024-01-01T00:00:00+24:00",
        "2024-01-01T00:00:00+02:75",
        "1700000000",
        "",
    ],
)
def test_unparseable_created_at_names_the_item(text: str) -> None:
    good = item("email", "a@example.com", "2024-01-01T00:00:00Z")
    with pytest.raises(ProfileFormatError) as caught:
        parse_external_ids(response(good, good, item("email", "b@example.com", text)))
    assert (caught.value.index, caught.value.field) == (2, "created_at")
    assert "data[2]" in str(caught.value)
    if text:
        assert "ISO-8601" in str(caught.value)
