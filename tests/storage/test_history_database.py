"""The history's database file damaged in every way a kept file can be: set aside as
NAME.damaged-<time> (with its WAL), reported once, and a new history started; one of a
newer version of the app is left alone."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest

from idsync.storage.damage import StateFile, take_reports
from idsync.storage.history import HistoryStore
from idsync.storage.history_database import (
    SCHEMA_VERSION,
    as_os_error,
    forget_connection,
    is_damage,
)
from tests.helpers.damage import DAMAGE, DAMAGE_KINDS
from tests.helpers.history import connected, ticking_clock


@pytest.fixture
def database(idsync_home: Path) -> Path:
    return idsync_home / "state" / "history.sqlite3"


def _the_one_report(database: Path) -> None:
    [report] = take_reports()
    assert report.kind is StateFile.HISTORY_DATABASE
    assert report.path == database
    assert report.aside is not None and report.aside.name.startswith("history.sqlite3.damaged-")
    assert "a new, empty history was started" in report.message


@pytest.mark.timeout(60)  # a FIFO in its place must not hang the store
@pytest.mark.parametrize("damage", DAMAGE_KINDS)
def test_a_damaged_database_is_set_aside_and_a_new_one_started(
    damage: str, database: Path, tmp_path: Path
) -> None:
    database.parent.mkdir(parents=True, exist_ok=True)
    DAMAGE[damage](database)
    if damage == "empty":
        # An empty file is an empty database: nothing is damaged, nothing to report.
        assert HistoryStore().entries() == []
        assert take_reports() == []
        return
    store = HistoryStore(clock=ticking_clock())
    entry = store.record(connected(), "save", source_path=tmp_path / "a.json")
    assert store.entries() == [entry]
    _the_one_report(database)
    assert HistoryStore().entries() == [entry]
    assert take_reports() == [], "reported once"


def test_its_wal_goes_aside_with_it(database: Path, tmp_path: Path) -> None:
    store = HistoryStore(clock=ticking_clock())
    store.record(connected(), "save", source_path=tmp_path / "a.json")
    forget_connection(database)
    wal = database.with_name(database.name + "-wal")
    wal.write_bytes(b"a write-ahead log of the old file")
    DAMAGE["folder"](database)
    fresh = HistoryStore(clock=ticking_clock())
    assert fresh.entries() == []
    [report] = take_reports()
    assert report.aside is not None and report.aside.is_dir()
    aside_wal = report.aside.with_name(report.aside.name + "-wal")
    assert aside_wal.read_bytes() == b"a write-ahead log of the old file"
    assert not wal.exists() or wal.read_bytes() != aside_wal.read_bytes()
    assert fresh.record(connected("aud_2"), "save", source_path=None).key.endswith("aud_2/dst_1")


def test_a_database_corrupted_under_an_open_connection_is_set_aside(
    database: Path, tmp_path: Path
) -> None:
    store = HistoryStore(clock=ticking_clock())
    for audience in ("aud_1", "aud_2", "aud_3"):
        store.record(connected(audience), "save", source_path=None)
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(database.read_bytes())
    page = 4096
    data[page : page * 2] = b"\xa5" * page  # a page of the tables overwritten
    database.write_bytes(bytes(data))
    forget_connection(database)
    again = HistoryStore(clock=ticking_clock())
    assert again.entries() == []
    _the_one_report(database)
    assert again.record(connected("aud_9"), "save", source_path=None).name == "Iterable sync"


def test_another_programs_database_is_set_aside(database: Path) -> None:
    database.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
    connection.close()
    assert HistoryStore().entries() == []
    _the_one_report(database)


def test_a_database_of_a_newer_version_is_left_alone(database: Path) -> None:
    HistoryStore().entries()
    forget_connection(database)
    with sqlite3.connect(database) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    with pytest.raises(OSError, match="newer version"):
        HistoryStore().record(connected(), "save", source_path=None)
    assert take_reports() == []
    assert database.is_file()


@pytest.mark.parametrize(
    ("message", "damage", "number"),
    [
        ("file is not a database", True, errno.EIO),
        ("database disk image is malformed", True, errno.EIO),
        ("database or disk is full", False, errno.ENOSPC),
        ("database is locked", False, errno.EIO),
    ],
)
def test_an_error_without_its_code_is_told_by_sqlites_words(
    message: str, damage: bool, number: int
) -> None:
    # Python 3.10's sqlite3 exceptions carry no sqlite_errorcode: the words must do.
    error = sqlite3.DatabaseError(message)
    assert not hasattr(error, "sqlite_errorcode")
    assert is_damage(error) is damage
    assert as_os_error(error).errno == number
