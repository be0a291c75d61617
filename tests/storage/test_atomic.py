"""Atomic writes and the modes they give: documents and exports as any program would
(0666 narrowed by the umask), an overwritten file keeps its mode, the app's own files
are private (0600) whatever the umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from idsync.core.model import IdSyncDocument
from idsync.storage.atomic import atomic_write_bytes, is_temp_name
from idsync.storage.autosave import RecoverySession
from idsync.storage.documents import write_document, write_export
from idsync.storage.history import HistoryStore
from idsync.storage.settings import Settings, save_settings, settings_path
from tests.helpers.umask import umask


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(("mask", "expected"), [(0o000, 0o666), (0o022, 0o644), (0o077, 0o600)])
def test_a_new_document_or_export_gets_the_umasks_mode(
    tmp_path: Path, mask: int, expected: int
) -> None:
    with umask(mask):
        write_document(tmp_path / "doc.json", IdSyncDocument())
        write_export(tmp_path / "body.json", b"{}\n")
    assert mode(tmp_path / "doc.json") == expected
    assert mode(tmp_path / "body.json") == expected


@pytest.mark.parametrize("mask", [0o000, 0o022])
def test_an_overwritten_document_keeps_its_mode(tmp_path: Path, mask: int) -> None:
    path = tmp_path / "doc.json"
    write_document(path, IdSyncDocument())
    path.chmod(0o640)
    with umask(mask):
        write_document(path, IdSyncDocument(name="Changed"))
    assert mode(path) == 0o640


@pytest.mark.parametrize("mask", [0o000, 0o022])
def test_the_apps_own_files_are_private_whatever_the_umask(tmp_path: Path, mask: int) -> None:
    with umask(mask):
        save_settings(Settings())
        session = RecoverySession.begin()
        recovery = session.write(IdSyncDocument(), None)
        store = HistoryStore()
        store.record(IdSyncDocument(), "save", source_path=tmp_path / "a.json")
        assert [mode(p) for p in (settings_path(), recovery, store.database)] == [0o600] * 3
        assert mode(session.lock_path) == 0o600
        session.close()


def test_settings_an_older_version_left_readable_become_private() -> None:
    save_settings(Settings())
    settings_path().chmod(0o644)
    save_settings(Settings(last_step="review"))
    assert mode(settings_path()) == 0o600


def test_a_failed_write_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "doc.json"
    path.write_bytes(b"old")

    def refuse(_src: object, _dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PermissionError):
        atomic_write_bytes(path, b"new")
    assert os.listdir(tmp_path) == ["doc.json"] and path.read_bytes() == b"old"


def test_temp_files_are_named_so_they_can_be_recognised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    real_replace = os.replace

    def watch(src: str, dst: str) -> None:
        seen.append(Path(src).name)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", watch)
    atomic_write_bytes(tmp_path / "doc.json", b"{}")
    [name] = seen
    assert name.startswith(".doc.json.") and name.endswith(".tmp") and is_temp_name(name)
