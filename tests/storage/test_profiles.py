"""Sample profiles on disk: the one reader behind the strategy preview and `idsync preview`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from idsync.resources import resource_path
from idsync.storage.profiles import MAX_PROFILE_BYTES, ProfileLoadError, read_profile

RETURNING = resource_path("profiles", "returning-customer.json")


def test_a_shipped_profile_reads_every_item() -> None:
    identities = read_profile(RETURNING)
    data = json.loads(RETURNING.read_text(encoding="utf-8"))["data"]
    assert [(item.type, item.value) for item in identities.items] == [
        (entry["type"], entry["id"]) for entry in data
    ]


def test_unreadable_profile_files_get_a_message_that_names_them(tmp_path: Path) -> None:
    latin = tmp_path / "latin1.json"
    latin.write_bytes('{"data": [{"id": "jos\xe9@example.com"}]}'.encode("latin-1"))
    with pytest.raises(ProfileLoadError, match=r"Cannot use latin1\.json: it is not UTF-8"):
        read_profile(latin)
    missing = tmp_path / "gone.json"
    with pytest.raises(ProfileLoadError, match=r"Cannot read gone\.json"):
        read_profile(missing)
    bare = tmp_path / "bare-list.json"
    bare.write_text(json.dumps([{"id": "x", "type": "email", "created_at": "yesterday"}]))
    with pytest.raises(ProfileLoadError, match=r"bare-list\.json.*\[0\].*created_at"):
        read_profile(bare)


def test_broken_json_is_located_by_line_and_column(tmp_path: Path) -> None:
    garbled = tmp_path / "garbled.json"
    text = '{"data": [\n  {"id": "x",,}\n]}'
    garbled.write_text(text, encoding="utf-8")
    with pytest.raises(json.JSONDecodeError) as decoding:
        json.loads(text)
    with pytest.raises(ProfileLoadError) as caught:
        read_profile(garbled)
    where = f"line {decoding.value.lineno}, column {decoding.value.colno}"
    message = caught.value.message
    assert message.startswith(f"Cannot use garbled.json: it is not valid JSON ({where}")
    # The reason is the same words without the file, for a line that starts with the path.
    assert caught.value.reason.startswith(f"it is not valid JSON ({where}")
    assert "garbled.json" not in caught.value.reason


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    huge = tmp_path / "export.json"
    with huge.open("wb") as handle:
        handle.truncate(MAX_PROFILE_BYTES + 1)  # sparse: no 20 MB actually written
    with pytest.raises(ProfileLoadError, match=r"export\.json: it is larger than 20 MB"):
        read_profile(huge)


def test_json_nested_too_deeply_is_a_message_not_a_crash(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    with pytest.raises(ProfileLoadError, match=r"deep\.json: it is nested too deeply"):
        read_profile(deep)


def test_a_folder_cannot_be_read_and_the_reason_says_so(tmp_path: Path) -> None:
    with pytest.raises(ProfileLoadError) as caught:
        read_profile(tmp_path)
    assert caught.value.message.startswith(f"Cannot read {tmp_path.name}:")
    assert caught.value.reason.startswith("cannot read the profile: ")


def test_an_item_without_a_type_names_its_place_in_the_list(tmp_path: Path) -> None:
    untyped = tmp_path / "untyped.json"
    good = {"id": "a@example.com", "type": "email", "created_at": "2024-01-02T03:04:05Z"}
    untyped.write_text(
        json.dumps({"data": [good, {"id": "x", "created_at": "2024-01-01T00:00:00Z"}]}),
        encoding="utf-8",
    )
    with pytest.raises(ProfileLoadError) as caught:
        read_profile(untyped)
    assert caught.value.message.startswith("Cannot use untyped.json: ")
    assert "data[1]" in caught.value.reason and "'type'" in caught.value.reason
