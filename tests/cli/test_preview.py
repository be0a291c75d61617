"""`idsync preview`: the strategy preview for a sample profile, and its bad inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from idsync.resources import resource_path
from tests.helpers.cli import run
from tests.helpers.damage import DAMAGE

FACEBOOK = resource_path("examples", "facebook-custom-audiences.json")
PROFILE = resource_path("profiles", "returning-customer.json")


def test_preview_shows_each_row_and_the_event_total(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "preview", str(FACEBOOK), str(PROFILE))
    assert result.code == 0, result.err
    assert result.out_lines[0].startswith("Strategy preview (Customized Setup):")
    assert any(line.startswith("1. email -> EMAIL | Last added") for line in result.out_lines)
    # Last added picks the newest of the profile's three emails.
    emails = [
        item for item in json.loads(PROFILE.read_text())["data"] if item["type"] == "email"
    ]
    newest = max(emails, key=lambda item: item["created_at"])["id"]
    assert f"sends {newest}" in result.out


def test_malformed_profile_says_where(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "profile.json"
    broken.write_text('{"data": [}', encoding="utf-8")
    result = run(capsys, "preview", str(FACEBOOK), str(broken))
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith(f"{broken}: it is not valid JSON (line 1, column 11:")


def test_profile_item_without_type_names_the_item(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "p.json"
    item = {"id": "x", "created_at": "2024-01-01T00:00:00Z"}
    bad.write_text(json.dumps({"data": [item]}), encoding="utf-8")
    result = run(capsys, "preview", str(FACEBOOK), str(bad))
    assert result.code == 2
    assert "type" in result.err


def test_missing_profile_file_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(capsys, "preview", str(FACEBOOK), str(tmp_path / "nope.json"))
    assert result.code == 2
    missing = tmp_path / "nope.json"
    assert result.err.strip() == f"{missing}: cannot read the profile: No such file or directory"


def test_a_profile_nested_too_deeply_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    result = run(capsys, "preview", str(FACEBOOK), str(deep))
    assert result.code == 2
    assert result.out == ""
    assert result.err.strip() == (
        f"{deep}: it is nested too deeply to be a Profile API response. Use another file."
    )


def test_a_profile_with_a_number_over_the_digit_limit_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = tmp_path / "long.json"
    profile.write_text('{"count": ' + "4" * 4301 + ', "data": []}', encoding="utf-8")
    result = run(capsys, "preview", str(FACEBOOK), str(profile))
    assert result.code == 2
    assert result.err_lines == [
        f"{profile}: it holds a number with too many digits to be a Profile API response. "
        "Use another file."
    ]


def test_a_profile_with_a_byte_order_mark_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = tmp_path / "bom.json"
    profile.write_bytes(b"\xef\xbb\xbf" + PROFILE.read_bytes())
    result = run(capsys, "preview", str(FACEBOOK), str(profile))
    assert result.code == 0, result.err


@pytest.mark.timeout(60)
@pytest.mark.parametrize("damage", ["FIFO", "device"])
def test_a_profile_that_is_not_a_file_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: str
) -> None:
    profile = tmp_path / "profile.json"
    DAMAGE[damage](profile)
    result = run(capsys, "preview", str(FACEBOOK), str(profile))
    assert result.code == 2
    assert len(result.err_lines) == 1
    assert result.err.startswith(f"{profile}: cannot read the profile: it is a")
