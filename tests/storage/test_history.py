"""The local history: entries kept in a real SQLite database under IDSYNC_HOME, listed
newest first per identity, repeats not duplicated, old entries dropped, two processes
saving at once both kept."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from idsync.core.model import (
    DestinationRef,
    JourneyTarget,
    Strategy,
)
from idsync.storage.documents import dump_document
from idsync.storage.history import (
    MAX_DETAIL_CHARS,
    HistoryError,
    HistoryEvent,
    HistoryStore,
    history_key,
    key_label,
    push_detail,
)
from tests.helpers.history import START, connected, draft, ticking_clock


@pytest.fixture
def store() -> HistoryStore:
    return HistoryStore(clock=ticking_clock())


def test_the_default_database_is_in_the_state_folder(idsync_home: Path) -> None:
    assert HistoryStore().database == idsync_home / "state" / "history.sqlite3"


def test_record_list_load_round_trip(store: HistoryStore, tmp_path: Path) -> None:
    doc = connected()
    source = tmp_path / "sync.json"
    entry = store.record(doc, "save", source_path=source)

    assert store.database.is_file()
    assert entry.event is HistoryEvent.SAVE
    assert entry.recorded_at == START
    assert entry.source_path == source
    assert entry.name == "Iterable sync"
    assert store.entries() == [entry]
    assert store.entries(entry.key) == [entry]
    assert store.load(entry) == doc


def test_an_entry_exports_as_an_envelope_around_the_document(
    store: HistoryStore, tmp_path: Path
) -> None:
    doc = connected()
    entry = store.record(doc, HistoryEvent.EXPORT, source_path=tmp_path / "a.json",
                         detail="Create body exported to /x/body.json")
    envelope = json.loads(store.entry_json(entry))
    assert envelope["format"] == "idsync-history"
    assert envelope["event"] == "export"
    assert envelope["recorded_at"] == "2025-03-01T09:30:00.000000+00:00"
    assert envelope["source_path"] == str(tmp_path / "a.json")
    assert envelope["detail"] == "Create body exported to /x/body.json"
    assert envelope["sha256"] == entry.digest
    assert (json.dumps(envelope["document"], indent=2) + "\n").encode() == dump_document(doc)


def test_entries_are_newest_first(store: HistoryStore, tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    first = store.record(connected(strategy=Strategy.FIRST), "save", source_path=path)
    second = store.record(connected(strategy=Strategy.ALL), "export", source_path=path)
    third = store.record(connected(strategy=Strategy.LAST), "push", source_path=None)
    assert store.entries(first.key) == [third, second, first]
    assert [store.load(e).identifiers[0].strategy for e in store.entries()] == [
        Strategy.LAST, Strategy.ALL, Strategy.FIRST,
    ]


def test_a_clock_that_stands_still_or_steps_back_keeps_the_order(tmp_path: Path) -> None:
    readings = iter([START, START, START - timedelta(hours=1)])
    store = HistoryStore(clock=lambda: next(readings))
    saved = [
        store.record(connected(strategy=strategy), "save", source_path=tmp_path / "a.json")
        for strategy in (Strategy.FIRST, Strategy.LAST, Strategy.ALL)
    ]
    assert store.entries(saved[0].key) == list(reversed(saved))
    assert len({entry.recorded_at for entry in saved}) == 3


def test_saving_the_same_document_twice_keeps_one_entry(
    store: HistoryStore, tmp_path: Path
) -> None:
    path = tmp_path / "a.json"
    first = store.record(connected(), "save", source_path=path)
    again = store.record(connected(), "save", source_path=path)
    assert again == first
    assert len(store.entries()) == 1


def test_a_change_another_event_or_another_file_is_a_new_entry(
    store: HistoryStore, tmp_path: Path
) -> None:
    path = tmp_path / "a.json"
    store.record(connected(), "save", source_path=path)
    store.record(connected(), "push", source_path=path)
    store.record(connected(), "save", source_path=path)  # not consecutive with the first save
    store.record(connected(), "save", source_path=tmp_path / "copy.json")
    store.record(connected(strategy=Strategy.ALL), "save", source_path=tmp_path / "copy.json")
    assert [e.event.value for e in store.entries()] == ["save", "save", "save", "push", "save"]


def test_the_connection_ids_group_saves_and_pushes(store: HistoryStore, tmp_path: Path) -> None:
    saved = store.record(connected(), "save", source_path=tmp_path / "one.json")
    pushed = store.record(connected(strategy=Strategy.ALL), "push", source_path=None)
    elsewhere = store.record(connected(strategy=Strategy.FIRST), "save",
                             source_path=tmp_path / "other-folder" / "two.json")
    other_audience = store.record(connected("aud_2"), "save", source_path=tmp_path / "one.json")

    assert saved.key == pushed.key == elsewhere.key == "audience:spa_1/aud_1/dst_1"
    assert key_label(saved.key) == "spa_1/aud_1 → dst_1"
    assert store.entries(saved.key) == [elsewhere, pushed, saved]
    assert store.entries(other_audience.key) == [other_audience]


def test_without_ids_the_file_is_the_identity(store: HistoryStore, tmp_path: Path) -> None:
    a = tmp_path / "a.json"
    first = store.record(draft(), "save", source_path=a)
    spelled_otherwise = tmp_path / "sub" / ".." / "a.json"
    same_file = store.record(draft("Renamed"), "save", source_path=spelled_otherwise)
    other_file = store.record(draft(), "save", source_path=tmp_path / "b.json")
    assert first.key == same_file.key == history_key(draft(), a)
    assert first.key.startswith("file:")
    assert key_label(first.key) == str(a)
    assert store.entries(first.key) == [same_file, first]
    assert store.entries(other_file.key) == [other_file]
    assert history_key(draft(), None) == "untitled"
    assert key_label("untitled") == "Untitled"


def test_a_journey_is_keyed_by_space_journey_step_and_destination() -> None:
    doc = connected().replace(
        target=JourneyTarget(space_id="spa_1", journey_id="jou_1", step="Welcome")
    )
    assert history_key(doc, None) == "journey:spa_1/jou_1/Welcome/dst_1"
    missing_step = doc.replace(target=JourneyTarget(space_id="spa_1", journey_id="jou_1"))
    assert history_key(missing_step, Path("/x/a.json")).startswith("file:")


def test_entries_for_a_document_include_its_file_before_it_had_ids(
    store: HistoryStore, tmp_path: Path
) -> None:
    path = tmp_path / "a.json"
    early = store.record(draft(), "save", source_path=path)
    later = store.record(connected(), "save", source_path=path)
    unrelated = store.record(draft("Other"), "save", source_path=tmp_path / "b.json")
    assert store.entries_for(connected(), path) == [later, early]
    assert unrelated not in store.entries_for(connected(), path)
    assert store.entries_for(connected(), None) == [later]


def test_retention_keeps_the_newest_per_document(tmp_path: Path) -> None:
    store = HistoryStore(max_per_key=3, clock=ticking_clock())
    other = store.record(draft(), "save", source_path=tmp_path / "other.json")
    made = [
        store.record(connected(strategy=s), "save", source_path=None)
        for s in (Strategy.FIRST, Strategy.LAST, Strategy.ALL, Strategy.FIRST, Strategy.LAST)
    ]
    kept = store.entries(made[0].key)
    assert kept == list(reversed(made[-3:]))
    with pytest.raises(HistoryError, match="is gone"):
        store.load(made[0])
    assert store.entries(other.key) == [other], "another document's entries are not touched"


def test_the_total_size_cap_drops_the_oldest_of_any_document() -> None:
    size = len(dump_document(connected("aud_1")))
    store = HistoryStore(max_total_bytes=int(size * 2.5), clock=ticking_clock())
    oldest = store.record(connected("aud_1"), "save", source_path=None)
    middle = store.record(connected("aud_2"), "save", source_path=None)
    newest = store.record(connected("aud_3"), "save", source_path=None)
    assert store.entries() == [newest, middle]
    with pytest.raises(HistoryError, match="is gone"):
        store.load(oldest)
    assert store.entries(oldest.key) == []


def test_the_database_is_private_and_in_wal_mode(store: HistoryStore, tmp_path: Path) -> None:
    store.record(connected(), "save", source_path=tmp_path / "a.json")
    assert store.database.stat().st_mode & 0o777 == 0o600
    assert store.database.parent.stat().st_mode & 0o777 == 0o700
    wal = store.database.with_name(store.database.name + "-wal")
    assert wal.stat().st_mode & 0o777 == 0o600
    with sqlite3.connect(store.database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        plan = " ".join(
            str(row) for row in connection.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM entries WHERE key = ? "
                "ORDER BY recorded_at DESC", ("k",)
            )
        )
    assert "entries_by_key_time" in plan


def test_loading_an_entry_whose_document_went_bad_says_so(
    store: HistoryStore, tmp_path: Path
) -> None:
    entry = store.record(connected(), "save", source_path=tmp_path / "a.json")
    envelope = json.loads(dump_document(connected()))
    envelope["identifiers"][0]["strategy"] = "sometimes"
    with sqlite3.connect(store.database) as connection:
        connection.execute(
            "UPDATE documents SET body = ? WHERE id = ?",
            (json.dumps(envelope).encode(), entry.id),
        )
    with pytest.raises(HistoryError, match=r"no usable document.*strategy"):
        store.load(entry)


def test_an_entry_of_an_older_document_format_loads_migrated(
    store: HistoryStore, tmp_path: Path
) -> None:
    doc = connected().replace(destination=DestinationRef(
                slug="actions-klaviyo", name="Klaviyo", instance_id="dst_1"
            ))
    entry = store.record(doc, "save", source_path=tmp_path / "k.json")
    raw = json.loads(dump_document(doc))
    raw["version"] = 1
    raw["destination"]["slug"] = "klaviyo"  # the version-1 slug
    with sqlite3.connect(store.database) as connection:
        connection.execute(
            "UPDATE documents SET body = ? WHERE id = ?", (json.dumps(raw).encode(), entry.id)
        )
    assert store.load(entry) == doc


def test_a_history_folder_that_cannot_be_written_raises_oserror(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the history's folder should be", encoding="utf-8")
    store = HistoryStore(blocker / "history.sqlite3")
    with pytest.raises(OSError):
        store.record(connected(), "save", source_path=None)
    with pytest.raises(OSError):
        store.entries()


def test_details_are_one_short_line(store: HistoryStore) -> None:
    entry = store.record(connected(), "push", source_path=None, detail="a\nb\r\n  c" + "x" * 1000)
    assert "\n" not in entry.detail
    assert entry.detail.startswith("a b c")
    assert len(entry.detail) == MAX_DETAIL_CHARS


def test_a_push_detail_holds_only_where_it_went_and_the_result(store: HistoryStore) -> None:
    detail = push_detail(
        base_url="https://api.segmentapis.com",
        space_id="spa_x",
        audience_id="aud_y",
        connection_id="con_z",
        result="applied and verified",
    )
    assert detail == (
        "pushed to spa_x/aud_y (con_z) at https://api.segmentapis.com: applied and verified"
    )
    # The builder takes nothing but where and a result: there is no parameter a token or
    # a response could come in through.
    with pytest.raises(TypeError):
        push_detail(  # type: ignore[call-arg]
            base_url="", space_id="spa_x", audience_id="aud_y", connection_id="con_z",
            result="ok", token="sgp_secret",
        )
    entry = store.record(connected(), "push", source_path=None, detail=detail)
    text = store.entry_json(entry).decode("utf-8")
    assert "token" not in text.casefold()
    assert set(json.loads(text)) == {
        "format", "version", "recorded_at", "event", "key", "source_path", "detail",
        "sha256", "document",
    }


def test_the_same_push_to_two_workspaces_is_two_entries(store: HistoryStore) -> None:
    doc = connected()
    for base_url in ("https://api.segmentapis.com", "https://eu1.api.segmentapis.com"):
        detail = push_detail(
            base_url=base_url, space_id="s", audience_id="a", connection_id="c", result="applied"
        )
        store.record(doc, "push", source_path=None, detail=detail)
    assert len(store.entries()) == 2


# --- two processes at once ---------------------------------------------------------------

_SAVER = """
import sys
from pathlib import Path
from idsync.core.model import AudienceTarget, IdSyncDocument
from idsync.storage.history import HistoryStore

who, count, start = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
while not start.exists():
    pass
store = HistoryStore()
for n in range(count):
    shared = IdSyncDocument(name=f"{who} {n}")  # one identity for both: the untitled key
    store.record(shared, "save", source_path=None)
    own = IdSyncDocument(name=f"{who} {n}", target=AudienceTarget(space_id=who))
    store.record(own, "export", source_path=Path(f"/x/{who}.json"))
"""


@pytest.mark.timeout(120)
def test_two_processes_saving_at_once_lose_nothing(idsync_home: Path, tmp_path: Path) -> None:
    count = 40
    start = tmp_path / "go"
    root = Path(__file__).resolve().parents[2]
    savers = [
        subprocess.Popen(
            [sys.executable, "-c", _SAVER, who, str(count), str(start)],
            cwd=root, env={**os.environ, "IDSYNC_HOME": str(idsync_home)},
            stderr=subprocess.PIPE, text=True,
        )
        for who in ("left", "right")
    ]
    start.touch()  # both begin together, after their imports
    for saver in savers:
        _, err = saver.communicate(timeout=100)
        assert saver.returncode == 0, err
    entries = HistoryStore().entries()
    names = sorted(entry.name for entry in entries if entry.event is HistoryEvent.SAVE)
    assert names == sorted(f"{who} {n}" for who in ("left", "right") for n in range(count))
    assert len([entry for entry in entries if entry.event is HistoryEvent.EXPORT]) == 2 * count
    untitled = HistoryStore().entries("untitled")
    times = [entry.recorded_at for entry in untitled]
    assert times == sorted(set(times), reverse=True), "one identity's times stay distinct"
