"""`idsync history`: list the kept versions newest first, print one, refuse bad numbers."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from idsync.core.model import IdentifierRow, Strategy
from idsync.storage.documents import dump_document
from idsync.storage.history import HistoryStore
from idsync.storage.history_database import forget_connection
from tests.helpers.cli import run
from tests.helpers.damage import DAMAGE
from tests.helpers.documents import CLEAN, write
from tests.helpers.history import write_legacy_entry
from tests.helpers.killed_save import kill_during_save

START = datetime(2025, 3, 1, 9, 30, tzinfo=timezone.utc)
OTHER = CLEAN.replace(name="Other", destination=None)


def clock() -> Callable[[], datetime]:
    times = iter(START + timedelta(minutes=n) for n in range(100))
    return lambda: next(times)


@pytest.fixture
def kept(tmp_path: Path) -> Path:
    """CLEAN saved, then changed and pushed; an unrelated document saved last."""
    path = write(tmp_path / "clean.json", CLEAN)
    store = HistoryStore(clock=clock())
    store.record(CLEAN, "save", source_path=path)
    all_rows = CLEAN.with_rows(
        [IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.ALL)]
    )
    store.record(
        all_rows, "push", source_path=path, detail="pushed to spa_1/aud_1 (dst_1): written"
    )
    store.record(OTHER, "save", source_path=tmp_path / "other.json")
    return path


def local(minutes: int) -> str:
    return (START + timedelta(minutes=minutes)).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def test_history_of_a_file_lists_its_versions_newest_first(
    kept: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(capsys, "history", str(kept))
    assert result.code == 0, result.err
    assert result.out_lines == [
        f"  1  {local(1)}  push    spa_1/aud_1 → dst_1  pushed to spa_1/aud_1 (dst_1): written",
        f"  2  {local(0)}  save    spa_1/aud_1 → dst_1  {kept}",
    ]


def test_history_all_lists_every_document(
    kept: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (("history", "--all"), ("history",), ("history", "--all", str(kept))):
        result = run(capsys, *argv)
        assert result.code == 0
        assert len(result.out_lines) == 3
        assert result.out_lines[0].split()[0:4] == ["1", *local(2).split(), "save"]
        assert str(tmp_path / "other.json") in result.out_lines[0]


def test_history_show_prints_the_canonical_document(
    kept: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(capsys, "history", str(kept), "--show", "2")
    assert result.code == 0
    assert result.out.encode("utf-8") == dump_document(CLEAN)
    newest = run(capsys, "history", "--show", "1")
    assert newest.out.encode("utf-8") == dump_document(OTHER)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("0", "'0' is not a version number"),
        ("two", "'two' is not a version number"),
        ("3", "there is no version 3: 2 versions of"),
    ],
)
def test_a_bad_version_number_is_one_line_and_exit_2(
    kept: Path, capsys: pytest.CaptureFixture[str], value: str, fragment: str
) -> None:
    result = run(capsys, "history", str(kept), "--show", value)
    assert result.code == 2
    assert result.out == ""
    assert len(result.err_lines) == 1
    assert fragment in result.err


def test_an_unreadable_file_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "history", str(tmp_path / "missing.json"))
    assert result.code == 2
    assert result.err_lines == [f"{tmp_path / 'missing.json'}: could not open: no such file — "
                                "check the path."]


def test_an_empty_history_says_how_it_fills(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "history")
    assert (result.code, result.out) == (0, "")
    assert "versions are kept as you save, export and push" in result.err


def test_an_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "history", "--everything")
    assert result.code == 2
    assert len(result.err_lines) == 1


# --- damaged entries ---------------------------------------------------------------------


@pytest.mark.timeout(60)  # a FIFO among the entries must not hang the import
def test_damaged_entries_of_the_earlier_store_are_skipped_counted_once_and_the_rest_listed(
    kept: Path, idsync_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = idsync_home / "data" / "history" / "earlier"
    write_legacy_entry(folder, OTHER, key="untitled", when=START - timedelta(days=1))
    for name, damage in (("fifo", "FIFO"), ("zero", "device"), ("utf8", "invalid UTF-8"),
                         ("deep", "deep nesting"), ("digits", "huge integer")):
        DAMAGE[damage](folder / f"20200101T000000.000000Z-{name}.json")
    result = run(capsys, "history", "--all")
    assert result.code == 0, result.err
    assert len(result.out_lines) == 4
    assert result.err_lines == [
        "idsync: history: 5 damaged entries skipped "
        "(moved aside as NAME.damaged-<time>)"
    ]
    again = run(capsys, "history", "--all")
    assert (again.code, len(again.out_lines), again.err) == (0, 4, "")
    shown = run(capsys, "history", "--show", "4")
    assert shown.code == 0 and shown.out.encode("utf-8") == dump_document(OTHER)


def test_a_damaged_database_is_set_aside_said_once_and_a_new_history_started(
    kept: Path, idsync_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = idsync_home / "state" / "history.sqlite3"
    forget_connection(database)
    database.write_bytes(b"\x00garbage" * 1000)
    result = run(capsys, "history", "--all")
    assert result.code == 0
    assert result.out == ""
    assert len(result.err_lines) == 2
    assert "versions are kept as you save, export and push" in result.err_lines[0]
    assert result.err_lines[1].startswith(f"idsync: The history database {database} cannot be")
    assert "a new, empty history was started" in result.err_lines[1]
    assert len(list(database.parent.glob("history.sqlite3.damaged-*"))) == 1
    again = run(capsys, "history", "--all")
    assert (again.code, again.out, "database" in again.err) == (0, "", False)


def test_stale_temp_files_of_killed_saves_are_removed(
    kept: Path, idsync_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    temp = kill_during_save("settings", kept, idsync_home)
    assert run(capsys, "history").code == 0
    assert not temp.exists()


# --- export --------------------------------------------------------------------------------


def test_history_export_writes_a_version_as_a_readable_json_file(
    kept: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "version-2.json"
    result = run(capsys, "history", "export", "2", str(kept), "-o", str(target))
    assert result.code == 0, result.err
    assert result.out == ""
    assert result.err_lines == [f"idsync: version 2 of {kept}'s document written to {target}"]
    text = target.read_text(encoding="utf-8")
    assert text.startswith('{\n  "format": "idsync-history",\n')
    envelope = json.loads(text)
    assert envelope["event"] == "save"
    assert envelope["recorded_at"] == START.isoformat(timespec="microseconds")
    assert envelope["source_path"] == str(kept)
    assert envelope["key"] == "audience:spa_1/aud_1/dst_1"
    assert (json.dumps(envelope["document"], indent=2, ensure_ascii=False) + "\n").encode(
        "utf-8"
    ) == dump_document(CLEAN)
    assert envelope["sha256"] == hashlib.sha256(dump_document(CLEAN)).hexdigest()


def test_history_export_without_output_prints_the_newest_of_all(
    kept: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(capsys, "history", "export", "1")
    assert result.code == 0, result.err
    envelope = json.loads(result.out)
    assert envelope["document"]["name"] == "Other"
    assert envelope["event"] == "save"
    pushed = json.loads(run(capsys, "history", "export", "1", str(kept)).out)
    assert pushed["detail"] == "pushed to spa_1/aud_1 (dst_1): written"


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (("0",), "history export: '0' is not a version number"),
        (("9",), "history export: there is no version 9: 3 versions of any document"),
        ((), "the following arguments are required: N"),
        (("1", "--everything"), "unrecognized arguments: --everything"),
    ],
)
def test_history_export_refuses_what_it_cannot_do_in_one_line(
    kept: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], fragment: str
) -> None:
    result = run(capsys, "history", "export", *argv)
    assert result.code == 2
    assert result.out == ""
    assert len(result.err_lines) == 1
    assert fragment in result.err


def test_history_export_to_a_folder_that_is_not_there_says_so(
    kept: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "missing" / "v.json"
    result = run(capsys, "history", "export", "1", "-o", str(target))
    assert result.code == 2
    assert len(result.err_lines) == 1 and str(target) in result.err
    assert not target.exists()
