"""Recovery files: one per session, owned through a lock; only the files of sessions that
are gone are offered; damaged ones are moved aside and reported, never silently lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from idsync.core.model import IdentifierRow, IdSyncDocument, JourneyTarget, Strategy
from idsync.storage.autosave import (
    AUTOSAVE_FORMAT,
    LEGACY_FILE_NAME,
    AutosaveError,
    RecoverySession,
    claim_orphans,
    read_recovery,
)
from idsync.storage.damage import StateFile, take_reports
from idsync.storage.paths import state_dir
from tests.helpers.locks import lock_is_held
from tests.helpers.recovery import leave_crashed_recovery

ROOT = Path(__file__).resolve().parents[2]


def draft(name: str = "Draft") -> IdSyncDocument:
    return IdSyncDocument(
        name=name,
        target=JourneyTarget(space_id="spa_1", journey_id="jou_1", step="Send"),
        identifiers=(IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.ALL),),
    )


def test_no_file_means_nothing_to_recover() -> None:
    assert claim_orphans() == []


def test_round_trip_keeps_document_and_original_path(idsync_home: Path, tmp_path: Path) -> None:
    original = tmp_path / "config.json"
    path = leave_crashed_recovery(draft(), original)
    assert path.parent == idsync_home / "state"
    [orphan] = claim_orphans()
    assert orphan.path == path
    assert orphan.recovery.document == draft()
    assert orphan.recovery.original_path == original
    assert orphan.recovery.saved_at is not None


def test_a_new_document_has_no_original_path() -> None:
    leave_crashed_recovery(draft(), None)
    [orphan] = claim_orphans()
    assert orphan.recovery.original_path is None


def test_a_live_sessions_file_is_never_offered() -> None:
    alive = RecoverySession.begin()
    alive.write(draft("Still open"), None)
    assert claim_orphans() == []
    assert alive.path.exists()
    alive.close()


def test_two_sessions_have_separate_files_and_locks() -> None:
    first, second = RecoverySession.begin(), RecoverySession.begin()
    assert first.path != second.path and first.lock_path != second.lock_path
    first.write(draft("First"), None)
    second.write(draft("Second"), None)
    second.close()  # a clean close takes only its own file
    assert not second.path.exists() and not second.lock_path.exists()
    assert read_recovery(first.path) is not None
    assert lock_is_held(first.lock_path)
    first.close()
    assert sorted(os.listdir(state_dir())) == []


def test_newest_orphan_comes_first_and_each_is_claimed_once() -> None:
    older = leave_crashed_recovery(draft("Older"))
    payload = json.loads(older.read_text(encoding="utf-8"))
    payload["saved_at"] = "2001-01-01T00:00:00+00:00"
    older.write_text(json.dumps(payload), encoding="utf-8")
    leave_crashed_recovery(draft("Newer"))
    orphans = claim_orphans()
    assert [o.recovery.document.name for o in orphans] == ["Newer", "Older"]
    # While claimed (a window is asking about them), another start does not offer them.
    assert claim_orphans() == []
    orphans[0].discard()
    orphans[1].release()
    [left] = claim_orphans()
    assert left.recovery.document.name == "Older"
    left.discard()
    assert os.listdir(state_dir()) == []


def test_an_older_versions_shared_file_is_offered_too() -> None:
    session = RecoverySession.begin()
    legacy = state_dir() / LEGACY_FILE_NAME
    session.write(draft(), None).rename(legacy)  # same content; the old, shared name
    session.close()
    [orphan] = claim_orphans()
    assert orphan.path == legacy
    orphan.discard()
    assert not legacy.exists()


def test_lock_files_of_sessions_that_never_autosaved_are_removed() -> None:
    lone = state_dir() / "autosave-0-killed.lock"
    lone.write_text("12345\n", encoding="ascii")  # its process is gone: nobody locks it
    alive = RecoverySession.begin()  # its lock file has no recovery file yet either
    assert claim_orphans() == []
    assert not lone.exists()
    assert alive.lock_path.exists()
    alive.close()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"{ not json", "not valid JSON"),
        (b'{"format": "something-else"}', "not a recovery file this app wrote"),
        (
            b'{"format": "idsync-autosave", "document": {"format": "idsync-config", '
            b'"version": 1, "identifiers": [{"segment": "email", "strategy": "often"}]}}',
            "no usable document",
        ),
    ],
)
def test_damaged_files_raise_a_clear_error(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "autosave-1-x.json"
    path.write_bytes(content)
    with pytest.raises(AutosaveError) as caught:
        read_recovery(path)
    assert words in caught.value.reason
    assert str(path) in str(caught.value)


def test_a_recovery_file_from_before_format_2_is_migrated() -> None:
    path = leave_crashed_recovery(draft())
    payload = json.loads(path.read_text(encoding="utf-8"))
    payload["document"]["version"] = 1
    payload["document"]["destination"] = {
        "slug": "google-ads-remarketing-lists",
        "name": "Google Ads Remarketing Lists",
        "instance_id": "ii_1",
    }
    payload["document"]["identifiers"] = [
        {"segment": "ios.idfa", "destination": "mobile_id", "strategy": "last"}
    ]
    path.write_text(json.dumps(payload), encoding="utf-8")
    document = read_recovery(path).document
    assert document.version == 2
    assert document.destination is not None
    assert document.destination.slug == "adwords-remarketing-lists"
    assert document.identifiers[0].destination == "mobile_advertising_id"


def test_a_damaged_orphan_is_moved_aside_and_reported() -> None:
    path = leave_crashed_recovery(draft())
    path.write_text("{ not json", encoding="utf-8")
    assert claim_orphans() == []
    [report] = take_reports(StateFile.RECOVERY)
    assert report.path == path and report.aside is not None
    assert report.aside.read_text(encoding="utf-8") == "{ not json"
    assert report.aside.name.startswith(f"{path.name}.damaged-")
    assert os.listdir(state_dir()) == [report.aside.name]  # its lock is gone too
    assert claim_orphans() == [] and take_reports() == []  # reported once


def test_file_is_private_readable_json_with_the_document_inline() -> None:
    session = RecoverySession.begin()
    session.write(draft(), None)
    payload = json.loads(session.path.read_text(encoding="utf-8"))
    assert payload["format"] == AUTOSAVE_FORMAT
    assert payload["document"]["name"] == "Draft"
    assert session.path.stat().st_mode & 0o777 == 0o600
    assert session.lock_path.stat().st_mode & 0o777 == 0o600
    assert session.lock_path.read_text(encoding="ascii").strip() == str(os.getpid())
    session.close()


_HOLDER = """
import sys
from idsync.core.model import IdSyncDocument
from idsync.storage.autosave import RecoverySession
from tests.helpers.locks import lock_is_held

session = RecoverySession.begin()
session.write(IdSyncDocument(name="Other process"), None)
print(session.path, flush=True)
sys.stdin.read()  # stays alive (holding the lock) until the test is done with it
"""


def test_a_file_of_a_live_process_is_left_alone_until_that_process_is_killed(
    idsync_home: Path,
) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER],
        cwd=ROOT,
        env={**os.environ, "IDSYNC_HOME": str(idsync_home)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        path = Path(holder.stdout.readline().strip())
        assert path.exists()
        assert claim_orphans() == []
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
        [orphan] = claim_orphans()
        assert orphan.path == path
        assert orphan.recovery.document.name == "Other process"
        orphan.discard()
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
        if holder.stdin is not None:
            holder.stdin.close()
        if holder.stdout is not None:
            holder.stdout.close()


@pytest.mark.parametrize("make", [os.mkdir, os.mkfifo], ids=["folder", "fifo"])
def test_a_non_file_where_the_lock_should_be_is_set_aside_and_the_work_offered(
    make: object,
) -> None:
    path = leave_crashed_recovery(draft("Lost work"))
    lock = path.with_name(path.name.removesuffix(".json") + ".lock")
    assert callable(make)
    make(lock)
    [orphan] = claim_orphans()
    assert orphan.recovery.document.name == "Lost work"
    [report] = take_reports()
    assert report.kind is StateFile.LOCK and report.path == lock
    assert report.aside is not None and report.aside.name.startswith(f"{lock.name}.damaged-")
    assert "not a file" in report.message and "a new one is made" in report.message
    orphan.discard()
    assert claim_orphans() == [] and take_reports() == []  # reported once
    assert os.listdir(state_dir()) == [report.aside.name]


def test_a_lone_folder_where_a_lock_should_be_is_set_aside_once() -> None:
    lock = state_dir() / "autosave-0-gone.lock"
    lock.mkdir()
    assert claim_orphans() == []
    [report] = take_reports(StateFile.LOCK)
    assert report.aside is not None and report.aside.is_dir()
    assert claim_orphans() == [] and take_reports() == []


def test_a_time_or_path_it_cannot_use_is_taken_as_unknown(tmp_path: Path) -> None:
    path = tmp_path / "autosave-1-x.json"
    session = RecoverySession.begin()
    session.write(draft("Kept"), tmp_path / "kept.json")
    payload = json.loads(session.path.read_text(encoding="utf-8"))
    session.close()
    payload |= {"saved_at": "yesterday", "original_path": 3, "written_by": "a later version"}
    path.write_text(json.dumps(payload), encoding="utf-8")
    recovery = read_recovery(path)
    assert recovery is not None
    assert (recovery.document.name, recovery.saved_at, recovery.original_path) == (
        "Kept",
        None,
        None,
    )
