"""The history's caches (per-key index, usage journal, sources map): used by saves and
listings, and rebuilt from the entry files when missing, damaged or out of step."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from app.core.model import Strategy
from app.storage.damage import StateFile, take_reports
from app.storage.history import INDEX_LAG, HistoryEntry, HistoryStore
from app.storage.history_index import INDEX_NAME, SOURCES_NAME, USAGE_NAME, read_usage
from tests.helpers.damage import DAMAGE as FILE_DAMAGE
from tests.helpers.damage import DAMAGE_KINDS
from tests.helpers.history import connected, draft, ticking_clock


def replace_with_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


DAMAGE: dict[str, Callable[[Path], None]] = {
    "invalid JSON": lambda path: path.write_text("{ not json", encoding="utf-8"),
    "wrong shape": lambda path: path.write_text(
        json.dumps({"format": "idsync-history-index", "version": 1, "key": None,
                    "entries": ["only", "three", "values"], "skipped": []}),
        encoding="utf-8",
    ),
    "a list": lambda path: path.write_text("[1, 2]", encoding="utf-8"),
    "deep": lambda path: path.write_text("[" * 5000 + "]" * 5000, encoding="utf-8"),
    "huge": lambda path: path.write_bytes(b" " * (6 * 1024 * 1024)),
    "a folder": lambda path: replace_with_folder(path),
    "outside names": lambda path: path.write_text(
        json.dumps({"format": "idsync-history-index", "version": 1, "key": "k",
                    "entries": ["../../x.json", "save", "2025-03-01T09:30:00.000000+00:00",
                                None, None, "", "", "", 1], "skipped": []}),
        encoding="utf-8",
    ),
}


@pytest.fixture
def store(tmp_path: Path) -> HistoryStore:
    return HistoryStore(tmp_path / "history", clock=ticking_clock())


def three_versions(store: HistoryStore, tmp_path: Path) -> list[HistoryEntry]:
    return [
        store.record(connected(strategy=s), "save", source_path=tmp_path / "a.json")
        for s in (Strategy.FIRST, Strategy.LAST, Strategy.ALL)
    ]


def indexed_names(index: Path) -> list[str]:
    raw = json.loads(index.read_text(encoding="utf-8"))
    assert raw["format"] == "idsync-history-index"
    names: list[str] = raw["entries"][0::9]
    return names


def test_a_save_writes_the_index_beside_the_entries(store: HistoryStore, tmp_path: Path) -> None:
    made = three_versions(store, tmp_path)
    index = made[0].path.parent / INDEX_NAME
    raw = json.loads(index.read_text(encoding="utf-8"))
    assert raw["format"] == "idsync-history-index" and raw["key"] == made[0].key
    assert indexed_names(index)[-1] == made[0].path.name
    assert index.stat().st_mode & 0o777 == 0o600
    assert store.entries(made[0].key) == list(reversed(made))


def test_the_index_file_lags_a_few_saves_and_catches_up(
    store: HistoryStore, tmp_path: Path
) -> None:
    def save(number: int) -> HistoryEntry:
        doc = connected().replace(name=f"v{number}")
        return store.record(doc, "save", source_path=tmp_path / "a.json")

    made = [save(number) for number in range(INDEX_LAG)]
    index = made[0].path.parent / INDEX_NAME
    # The first save wrote the file; the next ones are in memory only, INDEX_LAG - 1 at most.
    assert indexed_names(index) == [made[0].path.name]
    assert store.entries(made[0].key) == list(reversed(made))
    made.append(save(INDEX_LAG))
    assert indexed_names(index) == [entry.path.name for entry in reversed(made)]


def test_another_process_sees_every_save_through_a_lagging_index(
    store: HistoryStore, tmp_path: Path
) -> None:
    made = three_versions(store, tmp_path)
    index = made[0].path.parent / INDEX_NAME
    assert indexed_names(index) == [made[0].path.name]
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from app.storage.history import HistoryStore\n"
        "store = HistoryStore(Path(sys.argv[1]))\n"
        "print(json.dumps([e.path.name for e in store.entries(sys.argv[2])]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(store.root), made[0].key],
        capture_output=True, text=True, check=True, timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    names = [entry.path.name for entry in reversed(made)]
    assert json.loads(done.stdout) == names
    assert indexed_names(index) == names  # and it wrote the index afresh


def test_an_index_file_another_process_replaced_is_brought_up_to_date_at_the_next_save(
    store: HistoryStore, tmp_path: Path
) -> None:
    made = three_versions(store, tmp_path)
    index = made[0].path.parent / INDEX_NAME
    stale = index.read_bytes()
    index.unlink()
    index.write_bytes(stale)  # a new file, as another process's write is
    store.record(connected(audience="aud_1").replace(name="after"), "save",
                 source_path=tmp_path / "a.json")
    assert indexed_names(index) == [entry.path.name for entry in reversed(made)]


def test_repeat_detection_and_the_per_key_cap_go_through_the_index(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history", max_per_key=2, clock=ticking_clock())
    made = three_versions(store, tmp_path)
    assert not made[0].path.exists()
    again = store.record(connected(strategy=Strategy.ALL), "save", source_path=tmp_path / "a.json")
    assert again == made[2]
    assert store.entries(made[0].key) == [made[2], made[1]]


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_index_is_rebuilt_and_the_listing_is_right(
    store: HistoryStore, tmp_path: Path, damage: str
) -> None:
    made = three_versions(store, tmp_path)
    index = made[0].path.parent / INDEX_NAME
    DAMAGE[damage](index)
    assert store.entries(made[0].key) == list(reversed(made))
    assert take_reports() == [], "a rebuilt cache is not a damaged entry"
    assert not (tmp_path / "x.json").exists()
    newer = store.record(connected(), "save", source_path=tmp_path / "a.json")
    assert store.entries(made[0].key) == [newer, *reversed(made)]


def test_a_missing_index_is_rebuilt(store: HistoryStore, tmp_path: Path) -> None:
    made = three_versions(store, tmp_path)
    (made[0].path.parent / INDEX_NAME).unlink()
    again = store.record(connected(strategy=Strategy.ALL), "save", source_path=tmp_path / "a.json")
    assert again == made[2], "the repeat is still found"
    assert (made[0].path.parent / INDEX_NAME).is_file()


def test_an_entry_added_or_removed_behind_the_index_is_noticed(
    store: HistoryStore, tmp_path: Path
) -> None:
    made = three_versions(store, tmp_path)
    folder = made[0].path.parent
    # Another process (or an older version of the app) adds one entry and removes another.
    added = folder / "20990101T000000.000000Z-save.json"
    envelope = json.loads(made[2].path.read_text(encoding="utf-8"))
    envelope["recorded_at"] = "2099-01-01T00:00:00.000000+00:00"
    envelope["detail"] = "from elsewhere"
    added.write_text(json.dumps(envelope), encoding="utf-8")
    made[0].path.unlink()
    listed = store.entries(made[0].key)
    assert [entry.path for entry in listed] == [added, made[2].path, made[1].path]
    assert listed[0].detail == "from elsewhere"
    # A damaged one added behind its back is set aside and reported, as always.
    (folder / "20980101T000000.000000Z-save.json").write_text("{", encoding="utf-8")
    assert len(store.entries()) == 3
    assert [report.kind for report in take_reports()] == [StateFile.HISTORY]


def test_the_usage_journal_counts_saves_and_is_recounted_when_damaged(
    store: HistoryStore, tmp_path: Path
) -> None:
    made = three_versions(store, tmp_path)
    sizes = sum(entry.path.stat().st_size for entry in made)
    usage = read_usage(store.root / USAGE_NAME)
    assert usage is not None and usage.total == sizes
    (store.root / USAGE_NAME).write_text("garbage\n", encoding="utf-8")
    newer = store.record(connected(), "save", source_path=tmp_path / "a.json")
    usage = read_usage(store.root / USAGE_NAME)
    assert usage is not None and usage.total == sizes + newer.path.stat().st_size


def test_the_size_cap_holds_with_a_missing_usage_journal(tmp_path: Path) -> None:
    probe = HistoryStore(root=tmp_path / "probe", clock=ticking_clock())
    size = probe.record(connected(), "save", source_path=None).path.stat().st_size
    store = HistoryStore(tmp_path / "history", max_total_bytes=int(size * 2.5),
                         clock=ticking_clock())
    oldest = store.record(connected("aud_1"), "save", source_path=None)
    store.record(connected("aud_2"), "save", source_path=None)
    (store.root / USAGE_NAME).unlink()
    store.record(connected("aud_3"), "save", source_path=None)
    assert len(store.entries()) == 2 and not oldest.path.exists()


@pytest.mark.parametrize("damage", ["missing", "invalid JSON", "stale"])
def test_the_sources_map_finds_a_files_entries_under_other_keys(
    store: HistoryStore, tmp_path: Path, damage: str
) -> None:
    path = tmp_path / "a.json"
    early = store.record(draft(), "save", source_path=path)
    later = store.record(connected(), "save", source_path=path)
    store.record(draft("Other"), "save", source_path=tmp_path / "b.json")
    sources = store.root / SOURCES_NAME
    if damage == "missing":
        sources.unlink()
    elif damage == "invalid JSON":
        sources.write_text("{", encoding="utf-8")
    else:  # written before the draft's folder existed (a save lost in a race)
        raw = json.loads(sources.read_text(encoding="utf-8"))
        folder = early.path.parent.name
        raw["folders"].remove(folder)
        raw["sources"] = {k: [f for f in v if f != folder] for k, v in raw["sources"].items()}
        sources.write_text(json.dumps(raw), encoding="utf-8")
    assert store.entries_for(connected(), path) == [later, early]
    assert store.entries_for(connected(), path) == [later, early]
    raw = json.loads(sources.read_text(encoding="utf-8"))
    assert early.path.parent.name in raw["sources"][str(path)]


def test_a_listing_of_every_document_reads_indexes_not_entries(
    store: HistoryStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = three_versions(store, tmp_path)
    store.record(draft(), "save", source_path=tmp_path / "b.json")
    import app.storage.history as history

    def no_entry_reads(path: Path) -> None:
        raise AssertionError(f"read an entry file: {path}")

    monkeypatch.setattr(history, "_read_entry", no_entry_reads)
    assert len(store.entries()) == 4
    assert store.entries_for(connected(), tmp_path / "a.json") == list(reversed(made))
    store.record(connected(), "save", source_path=tmp_path / "a.json")


def test_an_index_another_process_rewrote_is_read_again(tmp_path: Path) -> None:
    """This process remembers the index it wrote by its file's identity; another process
    that saves meanwhile writes a new index file, which is read afresh here."""
    import subprocess
    import sys

    store = HistoryStore(tmp_path)
    source = tmp_path / "doc.json"
    store.record(draft("one"), "save", source_path=source)
    assert [e.name for e in store.entries_for(draft(), source)] == ["one"]
    script = (
        "import sys; from pathlib import Path; from app.storage.history import HistoryStore; "
        "from tests.helpers.history import draft; "
        "HistoryStore(Path(sys.argv[1])).record(draft('two'), 'save', "
        "source_path=Path(sys.argv[2]))"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run(
        [sys.executable, "-c", script, str(tmp_path), str(source)], cwd=root, check=True
    )
    assert [e.name for e in store.entries_for(draft(), source)] == ["two", "one"]


def test_a_save_after_a_save_of_this_process_does_not_list_the_folder(
    store: HistoryStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first save starts the usage journal: a save that writes the journal afresh
    # leaves no view to trust (a line of another process may have been lost in between).
    first = store.record(connected(), "save", source_path=tmp_path / "a.json")
    first_listed = store.record(connected(strategy=Strategy.FIRST), "save",
                                source_path=tmp_path / "a.json")

    def no_listing(self: HistoryStore, folder: Path, key: str | None) -> None:
        raise AssertionError(f"listed {folder}")

    monkeypatch.setattr(HistoryStore, "_folder_index", no_listing)
    second = store.record(connected(strategy=Strategy.ALL), "save",
                          source_path=tmp_path / "a.json")
    again = store.record(connected(strategy=Strategy.ALL), "save",
                         source_path=tmp_path / "a.json")
    assert again == second, "the repeat is found in the view the last save left"
    monkeypatch.undo()
    assert store.entries(first.key) == [second, first_listed, first]


def test_a_save_of_another_process_in_between_is_seen_by_the_next_save(
    store: HistoryStore, tmp_path: Path
) -> None:
    path = tmp_path / "a.json"
    mine = store.record(connected(), "save", source_path=path)
    script = (
        "import sys; from pathlib import Path; from app.core.model import Strategy; "
        "from app.storage.history import HistoryStore; "
        "from tests.helpers.history import connected; "
        "HistoryStore(Path(sys.argv[1])).record(connected(strategy=Strategy.ALL), 'save', "
        "source_path=Path(sys.argv[2]))"
    )
    subprocess.run([sys.executable, "-c", script, str(store.root), str(path)],
                   cwd=Path(__file__).resolve().parents[2], check=True, timeout=60)
    theirs = store.entries(mine.key)[0]
    assert theirs != mine
    # The same document again is a repeat of the other process's entry, not a new one.
    assert store.record(connected(strategy=Strategy.ALL), "save", source_path=path) == theirs
    newer = store.record(connected(), "save", source_path=path)
    assert store.entries(mine.key) == [newer, theirs, mine]
    usage = read_usage(store.root / USAGE_NAME)
    sizes = sum(entry.path.stat().st_size for entry in (mine, theirs, newer))
    assert usage is not None and usage.total == sizes, "their line is counted, not lost"


def test_an_entry_a_person_adds_between_two_saves_is_seen_by_the_next_save(
    store: HistoryStore, tmp_path: Path
) -> None:
    made = three_versions(store, tmp_path)
    folder = made[0].path.parent
    added = folder / "20990101T000000.000000Z-save.json"
    envelope = json.loads(made[0].path.read_text(encoding="utf-8"))
    envelope["recorded_at"] = "2099-01-01T00:00:00.000000+00:00"
    added.write_text(json.dumps(envelope), encoding="utf-8")
    # A folder's times are kept as finely as its file system does: make sure they moved,
    # as they do on any file system once its clock has ticked.
    when = folder.stat().st_mtime_ns
    os.utime(folder, ns=(when, when + 1_000_000_000))
    again = store.record(connected(strategy=Strategy.FIRST), "save",
                         source_path=tmp_path / "a.json")
    assert again.path == added, "the newest entry is the one added behind the save's back"


@pytest.mark.parametrize("damage", DAMAGE_KINDS)
def test_a_damaged_usage_journal_between_two_saves_is_written_afresh(
    store: HistoryStore, tmp_path: Path, damage: str
) -> None:
    made = three_versions(store, tmp_path)
    journal = store.root / USAGE_NAME
    FILE_DAMAGE[damage](journal)
    newer = store.record(connected(), "save", source_path=tmp_path / "a.json")
    assert store.entries(made[0].key) == [newer, *reversed(made)]
    if damage != "folder":  # a folder in its place cannot be replaced: it stays uncounted
        usage = read_usage(journal)
        sizes = sum(entry.path.stat().st_size for entry in (*made, newer))
        assert usage is not None and usage.total == sizes
