"""The app's folders: under IDSYNC_HOME for tests, created private (0700)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from idsync.storage.paths import (
    app_folders,
    config_dir,
    ensure_private_folder,
    history_database,
    legacy_history_dir,
    state_dir,
)
from tests.helpers.umask import umask


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("mask", [0o000, 0o022])
def test_folders_the_app_creates_are_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mask: int
) -> None:
    home = tmp_path / "not" / "there" / "yet"
    monkeypatch.setenv("IDSYNC_HOME", str(home))
    with umask(mask):
        made = [config_dir(), state_dir(), history_database().parent]
    for folder in [*made, home, home.parent, home.parent.parent]:
        assert mode(folder) == 0o700, folder


def test_the_history_database_is_in_the_state_folder(idsync_home: Path) -> None:
    assert history_database() == idsync_home / "state" / "history.sqlite3"
    assert not history_database().exists(), "looking it up creates only its folder"
    assert legacy_history_dir() == idsync_home / "data" / "history"
    assert not (idsync_home / "data").exists(), "the earlier store's folder is never made"


def test_an_existing_folder_keeps_its_mode(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    ensure_private_folder(folder)
    assert mode(folder) == 0o755


def test_a_file_in_the_way_is_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "config"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(FileExistsError):
        ensure_private_folder(blocker / "inner")


def test_listing_the_folders_creates_none(idsync_home: Path) -> None:
    assert app_folders() == []
    assert list(idsync_home.iterdir()) == []
    config_dir()
    assert app_folders() == [idsync_home / "config"]
