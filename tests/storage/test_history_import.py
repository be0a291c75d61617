"""The JSON-entry history of earlier versions, imported into the database once: every
entry kept, the old folder renamed only after the import is committed, nothing twice."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import pytest

from idsync.core.model import Strategy
from idsync.storage.damage import StateFile, take_reports
from idsync.storage.history import HistoryEvent, HistoryStore, history_key
from idsync.storage.history_import import IMPORTED_SUFFIX
from tests.helpers.damage import DAMAGE
from tests.helpers.history import START, connected, draft, write_legacy_entry
from tests.helpers.killed_save import kill_after_first_line

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def legacy(idsync_home: Path, tmp_path: Path) -> Path:
    """Three entries of one connection, one of a draft's file, as an earlier version kept
    them (with a cache file beside them, as it had)."""
    folder = idsync_home / "data" / "history"
    key = history_key(connected(), None)
    for minutes, strategy, event in (
        (0, Strategy.FIRST, "save"), (1, Strategy.LAST, "push"), (2, Strategy.ALL, "export")
    ):
        write_legacy_entry(
            folder / "aud-1", connected(strategy=strategy), key=key, event=event,
            when=START + timedelta(minutes=minutes), source_path=str(tmp_path / "a.json"),
            detail=f"detail {minutes}",
        )
    source = tmp_path / "draft.json"
    write_legacy_entry(
        folder / "draft", draft(), key=history_key(draft(), source),
        when=START + timedelta(minutes=3), source_path=str(source),
    )
    (folder / "aud-1" / ".index.json").write_text("{}", encoding="utf-8")
    return folder


def test_the_earlier_store_is_imported_once_and_kept_aside(legacy: Path) -> None:
    store = HistoryStore()
    entries = store.entries()
    assert [entry.event for entry in entries] == [
        HistoryEvent.SAVE, HistoryEvent.EXPORT, HistoryEvent.PUSH, HistoryEvent.SAVE,
    ]
    assert [entry.recorded_at for entry in entries] == [
        START + timedelta(minutes=n) for n in (3, 2, 1, 0)
    ]
    assert entries[1].detail == "detail 2" and entries[1].name == "Iterable sync"
    assert store.load(entries[1]) == connected(strategy=Strategy.ALL)
    assert store.load(entries[0]) == draft()
    assert not legacy.exists()
    kept = legacy.with_name("history" + IMPORTED_SUFFIX)
    assert sorted(path.name for path in kept.iterdir()) == ["aud-1", "draft"]
    assert HistoryStore().entries() == entries, "imported once"
    assert take_reports() == []


def test_a_folder_that_comes_back_adds_only_what_is_new(legacy: Path) -> None:
    first = HistoryStore().entries()
    imported = legacy.with_name("history" + IMPORTED_SUFFIX)
    imported.rename(legacy)  # an older version of the app ran again, and saved once more
    write_legacy_entry(
        legacy / "aud-1", connected("aud_1", Strategy.LAST), key=first[1].key,
        when=START + timedelta(minutes=9),
    )
    again = HistoryStore().entries()
    assert len(again) == len(first) + 1
    assert again[1:] == first
    assert legacy.with_name("history" + IMPORTED_SUFFIX).is_dir() and not legacy.exists()


def test_entries_of_one_identity_at_the_same_microsecond_are_both_kept(
    idsync_home: Path,
) -> None:
    folder = idsync_home / "data" / "history" / "aud-1"
    key = history_key(connected(), None)
    write_legacy_entry(folder, connected(), key=key, when=START, event="save")
    write_legacy_entry(folder, connected(strategy=Strategy.ALL), key=key, when=START,
                       event="push")
    entries = HistoryStore().entries()
    assert sorted(entry.event.value for entry in entries) == ["push", "save"]
    assert len({entry.recorded_at for entry in entries}) == 2


@pytest.mark.timeout(60)
@pytest.mark.parametrize("damage", ["FIFO", "folder", "invalid UTF-8", "deep nesting",
                                    "truncated JSON", "wrong shape"])
def test_damaged_entries_are_set_aside_and_the_rest_imported(
    legacy: Path, damage: str
) -> None:
    broken = legacy / "aud-1" / "20200101T000000.000000Z-save.json"
    DAMAGE[damage](broken)
    assert len(HistoryStore().entries()) == 4
    [report] = take_reports()
    assert report.kind is StateFile.HISTORY and report.path == broken
    kept = legacy.with_name("history" + IMPORTED_SUFFIX) / "aud-1"
    assert report.aside is not None
    assert os.path.lexists(kept / report.aside.name), "moved aside, then kept with the folder"


@pytest.mark.parametrize(
    ("member", "value", "reason"),
    [
        ("event", "zap", "event 'zap' is not one of save, export, push"),
        ("recorded_at", "yesterday", "recorded_at 'yesterday' is not a date and time"),
        ("key", 7, "key the number 7 is not text"),
        ("document", [], "document a list is not an object"),
        ("detail", "\ud800", "detail holds text that cannot be saved"),
    ],
)
def test_an_entry_that_does_not_fit_is_set_aside_with_the_member_named(
    idsync_home: Path, member: str, value: object, reason: str
) -> None:
    path = write_legacy_entry(
        idsync_home / "data" / "history" / "x", draft(), key="untitled", when=START
    )
    envelope = json.loads(path.read_text(encoding="utf-8"))
    envelope[member] = value
    path.write_text(json.dumps(envelope), encoding="utf-8")
    assert HistoryStore().entries() == []
    [report] = take_reports()
    assert report.path == path and reason in report.message


def test_an_entry_of_a_newer_version_is_skipped_and_kept(legacy: Path) -> None:
    newer = legacy / "aud-1" / "20990101T000000.000000Z-save.json"
    newer.write_text('{"format": "idsync-history", "version": 9}', encoding="utf-8")
    assert len(HistoryStore().entries()) == 4
    assert take_reports() == []
    assert (legacy.with_name("history" + IMPORTED_SUFFIX) / "aud-1" / newer.name).is_file()


def test_an_entry_with_a_byte_order_mark_is_imported(idsync_home: Path) -> None:
    path = write_legacy_entry(
        idsync_home / "data" / "history" / "x", draft(), key="untitled", when=START
    )
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    [entry] = HistoryStore().entries()
    assert HistoryStore().load(entry) == draft()


_IMPORTER = """
import os, sys

def paused(src, dst):
    # The import is committed; the kill comes before the folder is renamed.
    print("committed", flush=True)
    sys.stdin.read()

os.rename = paused

from idsync.storage.history import HistoryStore
print(len(HistoryStore().entries()), flush=True)
"""


def test_an_import_killed_before_the_rename_is_confirmed_at_the_next_start(
    legacy: Path, idsync_home: Path
) -> None:
    line = kill_after_first_line(_IMPORTER, home=idsync_home)
    assert line == "committed"
    assert legacy.is_dir(), "kept where it was: the import was not confirmed"
    assert len(HistoryStore().entries()) == 4, "committed once, not imported twice"
    assert not legacy.exists()
    assert legacy.with_name("history" + IMPORTED_SUFFIX).is_dir()
