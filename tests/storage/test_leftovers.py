"""No leftovers: temp files of saves killed half-way are removed at the next start (or,
in a person's own folder, at the next save of the same file), and only those."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from idsync.core.model import IdSyncDocument
from idsync.storage.atomic import is_temp_name, remove_stale_temp_files
from idsync.storage.autosave import claim_orphans
from idsync.storage.documents import write_document
from idsync.storage.leftovers import remove_stale_leftovers
from idsync.storage.paths import state_dir
from tests.helpers.killed_save import HOUR, SAVE_KINDS, kill_during_save


def _temps(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if is_temp_name(path.name)]


@pytest.mark.parametrize("kind", SAVE_KINDS)
def test_a_save_killed_half_way_leaves_nothing_after_the_next_start(
    kind: str, idsync_home: Path, tmp_path: Path
) -> None:
    documents = tmp_path / "documents"
    documents.mkdir()
    target = documents / "config.json"
    temp = kill_during_save(kind, target, idsync_home)

    if kind == "document":
        # The person's folder is not swept at start; the next save of that file cleans it.
        assert remove_stale_leftovers() == 0 and temp.exists()
        write_document(target, IdSyncDocument(name="Saved"))
        assert sorted(os.listdir(documents)) == ["config.json"]
        return
    assert remove_stale_leftovers() == 1
    assert claim_orphans() == []  # a killed session's lone lock file goes too
    assert _temps(idsync_home) == []
    assert not any(path.name.endswith(".lock") for path in state_dir().iterdir())


def test_fresh_temp_files_and_other_files_are_kept(tmp_path: Path) -> None:
    now = time.time()
    stale = tmp_path / ".doc.json.abcd1234.tmp"
    fresh = tmp_path / ".doc.json.efgh5678.tmp"  # a save in progress in another window
    other = tmp_path / ".doc.json.tmp"  # not our naming
    mine = tmp_path / "notes.abcd1234.tmp"  # not hidden: not ours either
    for path in (stale, fresh, other, mine):
        path.write_text("x", encoding="utf-8")
    os.utime(stale, (now - HOUR - 1, now - HOUR - 1))
    os.utime(other, (now - HOUR - 1, now - HOUR - 1))
    os.utime(mine, (now - HOUR - 1, now - HOUR - 1))
    assert remove_stale_temp_files(tmp_path, now=now) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.name for p in (fresh, other, mine)
    )


def test_in_a_persons_folder_only_the_saved_files_own_temp_files_go(tmp_path: Path) -> None:
    aged = time.time() - HOUR - 60
    own = tmp_path / ".config.json.abcd1234.tmp"
    someone_elses = tmp_path / ".report.txt.abcd1234.tmp"
    for path in (own, someone_elses):
        path.write_text("x", encoding="utf-8")
        os.utime(path, (aged, aged))
    write_document(tmp_path / "config.json", IdSyncDocument())
    assert not own.exists() and someone_elses.exists()


def test_a_symlink_or_folder_named_like_a_temp_file_is_left_alone(tmp_path: Path) -> None:
    aged = time.time() - HOUR - 60
    target = tmp_path / "precious.txt"
    target.write_text("keep", encoding="utf-8")
    link = tmp_path / ".a.json.abcd1234.tmp"
    os.symlink(target, link)
    folder = tmp_path / ".b.json.abcd1234.tmp"
    folder.mkdir()
    for path in (link, folder):
        os.utime(path, (aged, aged), follow_symlinks=False)
    assert remove_stale_temp_files(tmp_path) == 0
    assert link.is_symlink() and folder.is_dir() and target.exists()
