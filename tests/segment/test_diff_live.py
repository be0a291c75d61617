"""`idsync diff FILE --live`: a read-only comparison with the live connection, over
loopback against the sandbox, with the push command's endpoint and token resolution."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from idsync.cli import main
from idsync.core.model import IdentifierRow, IdSyncDocument, JourneyTarget, Strategy
from idsync.resources import resource_path
from idsync.segment.sandbox import Sandbox
from idsync.storage.documents import read_document, write_document
from idsync.storage.secrets import TOKEN_ENV_VAR
from tests.helpers.cli import Result

SPACE = "spa_example_marketing"
AUDIENCE = "aud_example_high_value"


def _example(name: str) -> IdSyncDocument:
    return read_document(resource_path("examples", f"{name}.json"))


def _diff(capsys: pytest.CaptureFixture[str], sandbox: Sandbox, *args: str) -> Result:
    capsys.readouterr()
    code = main(["diff", "--live", "--base-url", sandbox.url, *args])
    captured = capsys.readouterr()
    assert sandbox.token not in captured.out + captured.err
    assert "internal error" not in captured.err
    return Result(code, captured.out, captured.err)


@pytest.fixture(autouse=True)
def token(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TOKEN_ENV_VAR, sandbox.token)


def _writes(sandbox: Sandbox) -> int:
    return sandbox.count(method="POST") + sandbox.count(method="PATCH")


def test_live_diff_shows_what_a_push_would_change_and_writes_nothing(
    tmp_path: Path, sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "facebook.json"
    write_document(path, _example("facebook-custom-audiences"))
    result = _diff(capsys, sandbox, str(path))
    assert result.code == 1, result.err
    assert "- row 3 added: ios.idfa -> MADID (all)" in result.out_lines
    as_json = _diff(capsys, sandbox, "--format", "json", str(path))
    data = json.loads(as_json.out)
    assert data["same"] is False and data["new"] == str(path)
    assert data["old"].startswith(f"live: {SPACE}/{AUDIENCE}")
    added = [row for row in data["rows"] if row["kind"] == "added"]
    assert {"segment": "ios.idfa", "destination": "MADID", "strategy": "all"} in [
        row["new"] for row in added
    ]
    assert data["fields"] == [], "only what Segment stores is compared"
    assert _writes(sandbox) == 0
    assert sandbox.count(method="GET") >= 2


def test_live_diff_of_a_matching_file_is_empty(
    tmp_path: Path, sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    stored = sandbox.state.find_connection(SPACE, AUDIENCE, "dst_example_facebook")
    assert stored is not None
    rows = [
        IdentifierRow(
            segment=entry["externalId"],
            destination=entry.get("mapTo") or "",
            strategy=Strategy(entry["strategy"]),
        )
        for entry in stored["idSyncConfiguration"]
    ]
    path = tmp_path / "same.json"
    write_document(path, _example("facebook-custom-audiences").with_rows(rows))
    result = _diff(capsys, sandbox, str(path))
    assert (result.code, result.out) == (0, "")


def test_live_diff_says_why_it_cannot_compare(
    tmp_path: Path, sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    google = tmp_path / "google.json"
    write_document(google, _example("google-ads-remarketing-lists"))
    result = _diff(capsys, sandbox, str(google))
    assert result.code == 1
    assert "not connected to this audience" in result.err
    journey = tmp_path / "journey.json"
    doc = _example("facebook-custom-audiences")
    write_document(
        journey,
        doc.replace(target=JourneyTarget(space_id=SPACE, journey_id="j", step="s")),
    )
    result = _diff(capsys, sandbox, str(journey))
    assert result.code == 2
    assert "journey steps have no ID Sync API" in result.err


def test_live_diff_without_a_token_says_what_to_do(
    tmp_path: Path, sandbox: Sandbox, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(TOKEN_ENV_VAR)
    path = tmp_path / "facebook.json"
    write_document(path, _example("facebook-custom-audiences"))
    result = _diff(capsys, sandbox, str(path))
    assert result.code == 3
    assert TOKEN_ENV_VAR in result.err
    assert sandbox.count() == 0


def test_live_takes_one_file(
    tmp_path: Path, sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "facebook.json"
    write_document(path, _example("facebook-custom-audiences"))
    result = _diff(capsys, sandbox, str(path), str(path))
    assert result.code == 2
    assert "give only A" in result.err
