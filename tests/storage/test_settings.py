"""Settings file: round trip, damaged files fall back to defaults and are moved aside, the
recent-files list rules (newest first, no duplicates, ten at most, missing files
dropped), and two windows (two processes) merging their writes under a lock."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from idsync.storage.damage import StateFile, take_reports
from idsync.storage.recent import MAX_RECENT_FILES, add_recent, prune_missing, remove_recent
from idsync.storage.settings import Settings, load_settings, save_settings, settings_path


def test_missing_file_gives_defaults() -> None:
    assert not settings_path().exists()
    assert load_settings() == Settings()


def test_settings_round_trip(idsync_home: Path) -> None:
    settings = Settings(
        window_geometry="AdnQywADAAA=",
        splitter_state="AAAA/wAAAAE=",
        last_step="review",
        recent_files=["/tmp/a.json"],
        custom_identifiers=["phone"],
    )
    save_settings(settings)
    assert settings_path().is_relative_to(idsync_home)
    assert load_settings() == settings
    assert json.loads(settings_path().read_text())["version"] == 1


def test_damaged_file_gives_defaults_and_is_moved_aside() -> None:
    settings_path().write_text('{"last_step": "review",')
    assert load_settings() == Settings()
    [aside] = settings_path().parent.glob("settings.json.damaged-*")
    assert aside.read_text() == '{"last_step": "review",'
    assert not settings_path().exists()
    [report] = take_reports()
    assert report.aside == aside and "not valid JSON" in report.message


def test_a_file_that_is_not_an_object_is_set_aside() -> None:
    settings_path().write_text("[1, 2]")
    assert load_settings() == Settings()
    assert list(settings_path().parent.glob("settings.json.damaged-*"))


def test_a_byte_order_mark_is_read_like_any_other_settings_file() -> None:
    settings_path().write_bytes(b"\xef\xbb\xbf" + json.dumps({"last_step": "review"}).encode())
    assert load_settings().last_step == "review"
    assert take_reports() == []


def test_settings_are_private_to_the_account() -> None:
    save_settings(Settings(last_step="review"))
    assert settings_path().stat().st_mode & 0o777 == 0o600


def test_text_that_could_never_be_saved_again_is_dropped() -> None:
    settings_path().write_text(
        '{"last_step": "\\ud800", "recent_files": ["/a.json", "/\\udc00.json"]}'
    )
    settings = load_settings()
    assert settings.last_step == "target"
    assert settings.recent_files == ["/a.json"]
    save_settings(settings)  # and so saving works


def test_a_recent_list_longer_than_ten_is_cut_to_ten() -> None:
    entries = [f"/{n}.json" for n in range(MAX_RECENT_FILES * 50)]
    settings_path().write_text(json.dumps({"recent_files": entries}))
    assert load_settings().recent_files == entries[:MAX_RECENT_FILES]


def test_one_bad_value_costs_only_itself() -> None:
    settings_path().write_text(
        json.dumps({"last_step": 3, "recent_files": ["/a.json", 7], "custom_identifiers": "x",
                    "window_state": "AAA=", "unknown": True})
    )
    settings = load_settings()
    assert settings.last_step == "target"
    assert settings.recent_files == ["/a.json"]
    assert settings.custom_identifiers == []
    assert settings.window_state == "AAA="


def test_remember_identifiers_adds_only_new_names() -> None:
    settings = Settings(custom_identifiers=["phone"])
    assert settings.remember_identifiers(("phone", " loyalty_id ", ""))
    assert settings.custom_identifiers == ["phone", "loyalty_id"]
    assert not settings.remember_identifiers(["phone"])


def test_add_recent_puts_the_file_first_once(tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    recent = add_recent([], a)
    recent = add_recent(recent, b)
    recent = add_recent(recent, tmp_path / "x" / ".." / "a.json")
    assert recent[0].endswith("a.json") and recent[1] == str(b)
    assert len(recent) == 2


def test_add_recent_keeps_at_most_ten(tmp_path: Path) -> None:
    recent: list[str] = []
    for n in range(MAX_RECENT_FILES + 3):
        recent = add_recent(recent, tmp_path / f"{n}.json")
    assert len(recent) == MAX_RECENT_FILES
    assert recent[0] == str(tmp_path / f"{MAX_RECENT_FILES + 2}.json")


def test_prune_and_remove(tmp_path: Path) -> None:
    kept = tmp_path / "kept.json"
    kept.write_text("{}")
    gone = tmp_path / "gone.json"
    assert prune_missing([str(kept), str(gone)]) == [str(kept)]
    assert remove_recent([str(kept), str(gone)], gone) == [str(kept)]


def test_a_file_where_the_config_folder_should_be_gives_defaults_and_a_warning(
    idsync_home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (idsync_home / "config").write_text("not a folder", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="idsync.storage.settings"):
        assert load_settings() == Settings()
    assert "using default settings" in caplog.text
    assert str(idsync_home / "config") in caplog.text


def test_a_passing_read_failure_keeps_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """Too many open files, an I/O error: this attempt failed, not the file, so it stays
    where it is for the next start (only a damaged file is set aside)."""
    import errno

    import idsync.storage.settings as settings_module
    from idsync.storage.bounded import Problem, ReadError

    save_settings(Settings(last_step="review"))
    path = settings_path()

    def fails(*_args: object, **_kwargs: object) -> object:
        raise ReadError(
            Problem.CANNOT_OPEN,
            "it cannot be opened",
            os_error=OSError(errno.EMFILE, "Too many open files"),
        )

    with monkeypatch.context() as patched:
        patched.setattr(settings_module, "read_json", fails)
        assert load_settings() == Settings()
    assert path.exists() and take_reports() == []
    assert load_settings().last_step == "review"


def test_read_errors_tell_damage_from_a_passing_failure() -> None:
    import errno

    from idsync.storage.bounded import Problem, ReadError

    def opening(code: int) -> ReadError:
        return ReadError(Problem.CANNOT_OPEN, "x", os_error=OSError(code, "x"))

    assert opening(errno.EACCES).is_damage and opening(errno.ELOOP).is_damage
    assert not opening(errno.EMFILE).is_damage and not opening(errno.EIO).is_damage
    assert not ReadError(Problem.MISSING, "x").is_damage
    assert not ReadError(Problem.OUT_OF_MEMORY, "x").is_damage
    assert ReadError(Problem.NOT_JSON, "x").is_damage


# --- two windows share the file: merged, not overwritten ------------------------------------


def test_each_window_writes_only_what_it_changed() -> None:
    save_settings(Settings(last_step="review", segment_endpoint="eu"))
    first, second = load_settings(), load_settings()
    first.last_step = "identifiers"
    first.recent_files = add_recent(first.recent_files, "/work/a.json")
    second.segment_endpoint = "us"
    second.recent_files = add_recent(second.recent_files, "/work/b.json")
    save_settings(first)
    save_settings(second)  # closed last: it used to overwrite the first window's part
    on_disk = load_settings()
    assert on_disk.last_step == "identifiers" and on_disk.segment_endpoint == "us"
    assert on_disk.recent_files == ["/work/b.json", "/work/a.json"]
    # The window that wrote last now holds what the other wrote too.
    assert second.last_step == "identifiers"
    assert second.recent_files == on_disk.recent_files


def test_recent_files_opened_removed_and_reopened_in_two_windows_merge() -> None:
    save_settings(Settings(recent_files=["/w/old1.json", "/w/old2.json", "/w/old3.json"]))
    first, second = load_settings(), load_settings()
    first.recent_files = add_recent(first.recent_files, "/w/old3.json")  # reopened
    first.recent_files = remove_recent(first.recent_files, "/w/old2.json")  # gone
    second.recent_files = add_recent(second.recent_files, "/w/new.json")
    save_settings(second)
    save_settings(first)
    assert load_settings().recent_files == ["/w/old3.json", "/w/new.json", "/w/old1.json"]


def test_identifiers_remembered_by_either_window_are_kept() -> None:
    first, second = load_settings(), load_settings()
    first.remember_identifiers(["crm_id"])
    second.remember_identifiers(["loyalty_id", "crm_id"])
    save_settings(first)
    save_settings(second)
    assert load_settings().custom_identifiers == ["crm_id", "loyalty_id"]


_WINDOW_PROCESS = """
import sys
from pathlib import Path
from idsync.storage.settings import load_settings, save_settings

name, rounds, start = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
settings = load_settings()          # one window: its settings live as long as it does
while not start.exists():           # both windows begin together
    pass
for n in range(rounds):
    settings.remember_identifiers([f"{name}_{n}"])
    settings.last_step = f"{name}-step"
    save_settings(settings)
"""


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    rounds = 25
    start = tmp_path / "start"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    windows = [
        subprocess.Popen(
            [sys.executable, "-c", _WINDOW_PROCESS, name, str(rounds), str(start)], env=env
        )
        for name in ("left", "right")
    ]
    start.touch()
    assert [window.wait(timeout=120) for window in windows] == [0, 0]
    remembered = load_settings().custom_identifiers
    expected = {f"{name}_{n}" for name in ("left", "right") for n in range(rounds)}
    assert set(remembered) == expected and len(remembered) == len(expected)
    assert take_reports() == []


def test_a_folder_where_the_settings_lock_should_be_is_set_aside_once() -> None:
    lock = settings_path().with_name("settings.json.lock")
    lock.mkdir()
    save_settings(Settings(last_step="review"))
    assert load_settings().last_step == "review"
    [report] = take_reports()
    assert report.kind is StateFile.LOCK and report.path == lock
    assert report.aside is not None and report.aside.is_dir()
    save_settings(Settings(last_step="target"))
    assert take_reports() == []


@pytest.mark.parametrize("make", [os.mkdir, os.mkfifo], ids=["folder", "fifo"])
def test_a_non_file_where_the_settings_should_be_is_set_aside_once(make: object) -> None:
    assert callable(make)
    make(settings_path())
    assert load_settings() == Settings()
    [report] = take_reports()
    assert report.kind is StateFile.SETTINGS and "not a file" in report.message
    assert report.aside is not None and not report.aside.is_file()
    save_settings(Settings(last_step="review"))
    assert load_settings().last_step == "review" and take_reports() == []
