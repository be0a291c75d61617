"""``idsync push`` end to end: real files, the real CLI entry point, the sandbox over loopback."""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest

from idsync.cli import main
from idsync.core.model import IdentifierRow, IdSyncDocument, Strategy
from idsync.resources import resource_path
from idsync.segment.sandbox import Sandbox
from idsync.storage.documents import read_document, write_document
from idsync.storage.secrets import TOKEN_ENV_VAR, TokenStore
from tests.helpers.keyrings import MemoryKeyring, TokenRegistry

pytestmark = pytest.mark.usefixtures("token_never_leaks")

SPACE = "spa_example_marketing"
AUDIENCE = "aud_example_high_value"


class Cli:
    def __init__(
        self, capsys: pytest.CaptureFixture[str], sandbox: Sandbox, secrets: TokenRegistry
    ) -> None:
        self.capsys = capsys
        self.sandbox = sandbox
        self.secrets = secrets
        self.out = ""
        self.err = ""

    def __call__(self, *args: str) -> int:
        code = main(["push", "--base-url", self.sandbox.url, *args])
        captured = self.capsys.readouterr()
        self.out, self.err = captured.out, captured.err
        for token in self.secrets.tokens:
            assert token not in self.out and token not in self.err
        assert "internal error" not in self.err
        return code


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str],
    sandbox: Sandbox,
    secrets_used: TokenRegistry,
    monkeypatch: pytest.MonkeyPatch,
) -> Cli:
    monkeypatch.setenv(TOKEN_ENV_VAR, sandbox.token)
    return Cli(capsys, sandbox, secrets_used)


def _example(name: str) -> IdSyncDocument:
    return read_document(resource_path("examples", f"{name}.json"))


@pytest.fixture
def facebook(tmp_path: Path) -> Path:
    """The shipped Facebook example: an update of the sandbox's seeded connection."""
    path = tmp_path / "facebook.json"
    write_document(path, _example("facebook-custom-audiences"))
    return path


@pytest.fixture
def google(tmp_path: Path) -> Path:
    """The shipped Google example: not connected in the sandbox yet, so a create."""
    path = tmp_path / "google.json"
    write_document(path, _example("google-ads-remarketing-lists"))
    return path


def _writes(sandbox: Sandbox) -> int:
    return sandbox.count(method="POST") + sandbox.count(method="PATCH")


def test_without_yes_it_plans_and_writes_nothing(
    cli: Cli, facebook: Path, google: Path, sandbox: Sandbox
) -> None:
    assert cli(str(facebook), str(google)) == 10
    assert "plan: update (PATCH" in cli.out
    assert "plan: create (POST" in cli.out
    assert '"idSyncConfiguration": [' in cli.out
    assert "row 3 added: ios.idfa -> MADID (all)" in cli.out
    assert "Run again with --yes to apply 2 changes" in cli.out
    assert "about five minutes" in cli.out and "not resynced" in cli.out
    assert "Send Mobile IDs is not part of the request" in cli.out
    assert _writes(sandbox) == 0


def test_dry_run_never_writes_even_with_yes(cli: Cli, facebook: Path, sandbox: Sandbox) -> None:
    assert cli("--dry-run", "--yes", str(facebook)) == 10
    assert "Dry run: nothing was written" in cli.out
    assert _writes(sandbox) == 0


def test_yes_applies_and_a_second_run_finds_nothing_to_do(
    cli: Cli, facebook: Path, google: Path, sandbox: Sandbox
) -> None:
    assert cli("--yes", str(facebook), str(google)) == 0
    assert cli.out.count("result: Pushed to") == 2
    assert cli.out.count("✓ Live configuration matches") == 2
    stored = sandbox.state.find_connection(SPACE, AUDIENCE, "dst_example_facebook")
    assert stored is not None
    assert [e["externalId"] for e in stored["idSyncConfiguration"]] == [
        r.segment for r in read_document(facebook).identifiers
    ]
    assert sandbox.state.find_connection(SPACE, AUDIENCE, "dst_example_google_ads") is not None

    writes = _writes(sandbox)
    assert cli("--yes", str(facebook), str(google)) == 0
    assert cli.out.count("result: No change needed") == 2
    assert _writes(sandbox) == writes


def test_error_findings_refuse_without_any_request(
    cli: Cli, tmp_path: Path, sandbox: Sandbox
) -> None:
    doc = _example("facebook-custom-audiences")
    rows = tuple(
        IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.ALL) for _ in range(6)
    )
    path = tmp_path / "too-many.json"
    write_document(path, doc.with_rows(rows))
    assert cli("--yes", str(path)) == 1
    assert "plan: refused" in cli.out
    assert "IDS" in cli.out  # the finding codes are the reasons
    assert sandbox.count() == 0


def test_journey_is_refused(cli: Cli, tmp_path: Path, sandbox: Sandbox) -> None:
    path = tmp_path / "journey.json"
    write_document(path, _example("journey-step"))
    assert cli("--yes", str(path)) == 1
    assert "Journey" in cli.out
    assert "journey jou_example_onboarding" in cli.out
    assert sandbox.count() == 0


def test_unreadable_file_is_exit_2_and_the_rest_still_runs(
    cli: Cli, tmp_path: Path, facebook: Path
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "idsync-config",\n  "version": 1,,\n}')
    assert cli(str(broken), str(facebook)) == 2
    assert f"{broken}:2:" in cli.err
    assert "plan: update" in cli.out


def test_api_failure_is_exit_3_and_rerun_continues(
    cli: Cli, facebook: Path, google: Path, sandbox: Sandbox
) -> None:
    sandbox.fail_next(1, status=500, method="PATCH")
    assert cli("--yes", str(facebook), str(google)) == 3
    assert "result: Not applied" in cli.out
    assert "with HTTP 500" in cli.out
    assert "Not applied yet as far as Segment shows; it may still apply" in cli.out
    assert cli("--yes", str(facebook), str(google)) == 0
    assert "result: Pushed to" in cli.out and "result: No change needed" in cli.out


def test_no_token_is_exit_3_with_what_to_do(
    cli: Cli, facebook: Path, monkeypatch: pytest.MonkeyPatch, sandbox: Sandbox
) -> None:
    monkeypatch.delenv(TOKEN_ENV_VAR)
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())  # type: ignore[no-untyped-call]
    try:
        assert cli(str(facebook)) == 3
    finally:
        keyring.set_keyring(previous)
    assert TOKEN_ENV_VAR in cli.err
    assert sandbox.count() == 0


def test_token_from_the_keyring(
    cli: Cli, facebook: Path, monkeypatch: pytest.MonkeyPatch, sandbox: Sandbox
) -> None:
    monkeypatch.delenv(TOKEN_ENV_VAR)
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        TokenStore(sandbox.url).save(sandbox.token)
        assert cli(str(facebook)) == 10
    finally:
        keyring.set_keyring(previous)
    assert "plan: update" in cli.out


def test_wrong_token_is_exit_3(
    cli: Cli, facebook: Path, monkeypatch: pytest.MonkeyPatch, secrets_used: TokenRegistry
) -> None:
    monkeypatch.setenv(TOKEN_ENV_VAR, secrets_used.add("sbx_revoked_token_abc"))
    assert cli("--yes", str(facebook)) == 3
    assert "token was refused" in cli.out


def test_one_template_to_many_audiences(cli: Cli, facebook: Path, sandbox: Sandbox) -> None:
    targets = ["aud_cart_abandoners", "aud_churn_risk", "aud_lapsed_buyers"]
    assert cli("--yes", "--audiences", ",".join(targets), str(facebook)) == 0
    assert f"[3/3] {facebook} -> aud_lapsed_buyers" in cli.out
    assert "3 targets: 3 applied." in cli.out
    expected = [r.segment for r in read_document(facebook).identifiers]
    for audience in targets:
        stored = sandbox.state.find_connection(SPACE, audience, "dst_example_facebook")
        assert stored is not None
        assert [e["externalId"] for e in stored["idSyncConfiguration"]] == expected


def test_audiences_takes_one_file(cli: Cli, facebook: Path, google: Path) -> None:
    assert cli("--audiences", "a,b", str(facebook), str(google)) == 2
    assert "one template file" in cli.err


def test_space_and_audience_overrides(cli: Cli, facebook: Path, sandbox: Sandbox) -> None:
    assert cli("--yes", "--audience", "aud_newsletter", str(facebook)) == 0
    assert sandbox.state.find_connection(SPACE, "aud_newsletter", "dst_example_facebook")
    assert cli("--space", "spa_nowhere", str(facebook)) == 3
    assert "spa_nowhere" in cli.out


def test_json_format(cli: Cli, facebook: Path, google: Path) -> None:
    assert cli("--format", "json", str(facebook), str(google)) == 10
    report = json.loads(cli.out)
    assert report["mode"] == "plan"
    assert [i["status"] for i in report["items"]] == ["pending", "pending"]
    assert [i["method"] for i in report["items"]] == ["PATCH", "POST"]
    assert report["items"][0]["body"]["idSyncConfiguration"][0]["externalId"] == "email"
    assert report["exit_code"] == 10
    assert {n["code"] for n in report["notes"]} >= {"new-data-only", "no-resync"}


def test_plain_http_to_a_remote_host_is_refused(
    capsys: pytest.CaptureFixture[str], facebook: Path
) -> None:
    assert main(["push", "--base-url", "http://api.example.com", str(facebook)]) == 2
    assert "unencrypted" in capsys.readouterr().err


def test_help_documents_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["push", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "0 everything applied or already in place, 10 changes pending" in text
    assert "1 refused" in text and "3 failed" in text and "130 cancelled" in text
    assert "4 applied but the connection read back differs from what was sent" in text


def test_applied_pushes_are_kept_in_the_local_history(
    cli: Cli, facebook: Path, google: Path, sandbox: Sandbox
) -> None:
    from idsync.storage.history import HistoryEvent, HistoryStore

    assert cli("--dry-run", "--yes", str(facebook)) == 10
    assert HistoryStore().entries() == []

    assert cli("--yes", str(facebook), str(google)) == 0
    pushes = [e for e in HistoryStore().entries() if e.event is HistoryEvent.PUSH]
    assert len(pushes) == 2
    details = sorted(e.detail for e in pushes)
    assert details[0].startswith(f"pushed to {SPACE}/{AUDIENCE} (")
    assert all(f"at {cli.sandbox.url}: applied and verified" in d for d in details)
    kept = [HistoryStore().load(e).destination for e in pushes]
    assert sorted(d.slug for d in kept if d is not None) == [
        "adwords-remarketing-lists",
        "personas-facebook-custom-audiences",
    ]


def test_a_lost_answer_after_an_applied_write_is_applied_and_exits_0(
    cli: Cli, google: Path, sandbox: Sandbox
) -> None:
    from idsync.segment.sandbox import LostAnswer
    from idsync.storage.history import HistoryEvent, HistoryStore

    sandbox.lose_answer_after_apply(LostAnswer.STATUS_503, method="POST")
    assert cli("--yes", str(google)) == 0
    assert "result: Pushed to" in cli.out
    assert "Segment's answer was lost, so the connection was read back" in cli.out
    assert sandbox.count(method="POST") == 1
    pushes = [e for e in HistoryStore().entries() if e.event is HistoryEvent.PUSH]
    assert [e.detail.rpartition(": ")[2] for e in pushes] == [
        "applied (answer lost, confirmed by reading back)"
    ]
    # The next run finds the version in place, and history already has it.
    assert cli("--yes", str(google)) == 0
    assert "result: No change needed" in cli.out


def test_a_lost_answer_after_a_write_that_was_not_applied_exits_3_and_says_re_run(
    cli: Cli, facebook: Path, sandbox: Sandbox
) -> None:
    sandbox.fail_next(1, status=502, method="PATCH")
    assert cli("--yes", str(facebook)) == 3
    assert "result: Not applied" in cli.out
    assert "holds what it held before" in cli.out
    assert "Not applied yet as far as Segment shows; it may still apply" in cli.out


def test_dry_run_exit_codes_say_whether_changes_are_pending(
    cli: Cli, facebook: Path, sandbox: Sandbox
) -> None:
    assert cli("--dry-run", str(facebook)) == 10
    assert cli("--yes", str(facebook)) == 0
    assert cli("--dry-run", str(facebook)) == 0
    assert "result: No change needed" in cli.out


def test_a_damaged_history_never_fails_an_applied_push(
    cli: Cli, facebook: Path, sandbox: Sandbox
) -> None:
    from idsync.storage.paths import history_database

    history_database().write_bytes(b"garbage where the history database should be " * 100)
    assert cli("--yes", str(facebook)) == 0
    assert "result: Pushed to" in cli.out
    assert sandbox.count(method="PATCH") == 1
    assert "The history database" in cli.err and "a new, empty history was started" in cli.err


def test_an_unwritable_history_is_a_note_not_a_failure(
    cli: Cli, facebook: Path, sandbox: Sandbox
) -> None:
    from idsync.storage.paths import history_database

    folder = history_database().parent
    for leftover in folder.iterdir():
        leftover.unlink()
    folder.rmdir()
    folder.write_text("a file where the state folder should be")
    assert cli("--yes", str(facebook)) == 0
    assert "History could not keep this version" in cli.out
    assert sandbox.count(method="PATCH") == 1


def _push_results() -> list[str]:
    from idsync.storage.history import HistoryEvent, HistoryStore

    return [
        e.detail.rpartition(": ")[2]
        for e in HistoryStore().entries()
        if e.event is HistoryEvent.PUSH
    ]


def test_a_change_right_after_the_plan_stops_the_write_exits_1_and_names_it(
    cli: Cli, facebook: Path, sandbox: Sandbox
) -> None:
    # Someone edits the connection in Segment the moment the plan has been read.
    changed = [{"externalId": "email", "strategy": "first", "mapTo": "EMAIL"}]
    sandbox.after_next(
        lambda state: state.set_id_sync(SPACE, AUDIENCE, "dst_example_facebook", changed),
        method="GET",
    )
    assert cli("--yes", str(facebook)) == 1
    assert "result: Not pushed: the live connection changed" in cli.out
    assert "Changed since the plan: row 2 removed: phone -> PHONE (all)" in cli.out
    assert "row 1 strategy: last -> first" in cli.out
    assert _writes(sandbox) == 0
    stored = sandbox.state.find_connection(SPACE, AUDIENCE, "dst_example_facebook")
    assert stored is not None and stored["idSyncConfiguration"] == changed
    assert _push_results() == []


def test_segment_storing_other_rows_exits_4_and_history_says_applied_differs(
    cli: Cli, facebook: Path, sandbox: Sandbox
) -> None:
    sandbox.store_other_rows([{"externalId": "email", "strategy": "all"}], method="PATCH")
    assert cli("--yes", str(facebook)) == 4
    assert f"result: Pushed to {SPACE}/{AUDIENCE}, but the live configuration differs" in cli.out
    assert "✗ Segment took the push but the live configuration differs" in cli.out
    assert "1 target: 1 applied-differs." in cli.out
    assert "(exit code 4)" in cli.out
    assert _push_results() == ["applied, differs"]


def test_a_late_apply_after_a_504_then_a_re_run_makes_one_connection(
    cli: Cli, google: Path, sandbox: Sandbox
) -> None:
    sandbox.apply_late(method="POST", status=504, after_requests=2)
    assert cli("--yes", str(google)) == 3
    assert "Not applied yet as far as Segment shows; it may still apply" in cli.out
    assert "nothing is applied twice" not in cli.out
    assert _push_results() == ["not applied yet (answer lost; it may still apply)"]

    assert cli("--yes", str(google)) == 0
    assert "result: No change needed" in cli.out
    assert "is now settled in History: applied" in cli.out
    connections = sandbox.state.connections[(SPACE, AUDIENCE)]
    google_ads = [c for c in connections if c["destinationId"] == "dst_example_google_ads"]
    assert len(google_ads) == 1
    assert sandbox.count(method="POST") == 1
    assert _push_results()[0].startswith("applied (settled by a later read;")


def test_an_unknown_push_is_kept_then_settled_in_place_by_the_next_run(
    cli: Cli, google: Path, sandbox: Sandbox
) -> None:
    from idsync.segment.sandbox import LostAnswer

    # The create is applied, its answer dropped, and every read after it fails.
    sandbox.lose_answer_after_apply(LostAnswer.DROP, method="POST")
    sandbox.after_next(
        lambda state: sandbox.fail_next(10, status=500, method="GET"), method="GET", count=2
    )
    assert cli("--yes", str(google)) == 3
    assert "result: Unknown whether the push was applied" in cli.out
    assert _push_results() == ["unknown (answer lost, could not read back)"]

    sandbox.clear_faults()
    assert cli("--yes", str(google)) == 0
    assert "is now settled in History: applied" in cli.out
    assert _push_results() == [
        "applied (settled by a later read; it was unknown (answer lost, could not read back))"
    ]


def test_a_refused_token_names_the_region_and_the_workspace(
    cli: Cli, facebook: Path, monkeypatch: pytest.MonkeyPatch, secrets_used: TokenRegistry
) -> None:
    monkeypatch.setenv(TOKEN_ENV_VAR, secrets_used.add("sbx_other_workspace_token"))
    assert cli("--yes", str(facebook)) == 3
    assert "token was refused (HTTP 401)" in cli.out
    assert "US and EU workspaces have separate tokens" in cli.out
    assert f"the workspace that holds audience {AUDIENCE} in space {SPACE}" in cli.out


def test_every_error_of_segments_envelope_is_shown(
    cli: Cli, facebook: Path, sandbox: Sandbox
) -> None:
    sandbox.fail_next(
        1,
        status=422,
        method="PATCH",
        errors=[
            ("idSyncConfiguration[0].mapTo is not allowed here", "idSyncConfiguration[0].mapTo"),
            ("connectionSettings.sendMobileIds is required", "connectionSettings"),
        ],
    )
    assert cli("--yes", str(facebook)) == 3
    assert "in field idSyncConfiguration[0].mapTo (HTTP 422)" in cli.out
    assert (
        "Segment said: idSyncConfiguration[0].mapTo is not allowed here (field "
        "idSyncConfiguration[0].mapTo); connectionSettings.sendMobileIds is required (field "
        "connectionSettings)." in cli.out
    )


def test_four_rows_using_all_are_refused_before_any_request(
    cli: Cli, tmp_path: Path, sandbox: Sandbox
) -> None:
    doc = _example("facebook-custom-audiences")
    rows = tuple(
        IdentifierRow(segment=name, destination=target, strategy=Strategy.ALL)
        for name, target in (("email", "EMAIL"), ("phone", "PHONE"), ("ios.idfa", "MADID"),
                             ("android.idfa", "MADID"))
    )
    path = tmp_path / "four-all.json"
    write_document(path, doc.with_rows(rows))
    assert cli("--yes", str(path)) == 1
    assert "IDS101" in cli.out
    assert sandbox.count() == 0


def test_two_connections_to_one_destination_are_flagged_and_only_one_is_updated(
    cli: Cli, facebook: Path, sandbox: Sandbox
) -> None:
    # A second connection to the same destination, made outside this app.
    sandbox.state.connect(
        SPACE,
        AUDIENCE,
        "dst_example_facebook",
        [{"externalId": "email", "strategy": "last"}],
        connection_id="ii_made_elsewhere",
    )
    assert cli("--yes", str(facebook)) == 0
    assert (
        f"Audience {AUDIENCE} has 2 connections to destination dst_example_facebook "
        "(ii_high_value_facebook, ii_made_elsewhere)" in cli.out
    )
    assert "The push updates ii_high_value_facebook only" in cli.out
    assert sandbox.count(method="PATCH") == 1 and sandbox.count(method="POST") == 0
    elsewhere = sandbox.state.connection(SPACE, AUDIENCE, "ii_made_elsewhere")
    assert elsewhere is not None
    assert elsewhere["idSyncConfiguration"] == [{"externalId": "email", "strategy": "last"}]
