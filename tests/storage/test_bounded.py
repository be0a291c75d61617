"""The one bounded reader: special files refused unopened, sizes capped, a BOM read the
same way everywhere, and what breaks Python's JSON parser turned into a clear error."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from idsync.catalog import CatalogError, load_catalog_from, shipped_catalog_dir
from idsync.catalog.loader import IDENTIFIERS_FILE
from idsync.core.model import AudienceTarget, DestinationRef, IdSyncDocument
from idsync.resources import resource_path
from idsync.storage import bounded
from idsync.storage.autosave import AutosaveError, RecoverySession, read_recovery
from idsync.storage.bounded import (
    MAX_JSON_DEPTH,
    MAX_STATE_BYTES,
    Problem,
    ReadError,
    parse_json,
    read_bytes,
    read_json,
)
from idsync.storage.damage import take_reports
from idsync.storage.documents import DocumentError, dump_document, read_document
from idsync.storage.profiles import ProfileLoadError, read_profile
from idsync.storage.settings import Settings, load_settings, save_settings, settings_path

pytestmark = pytest.mark.timeout(60)  # a FIFO read that blocks fails here, not at 300 s

DOCUMENT = IdSyncDocument(
    name="Bounded",
    target=AudienceTarget(space_id="spa_1", audience_id="aud_1"),
    destination=DestinationRef(slug="facebook-custom-audiences", instance_id="dst_1"),
)
PROFILE = resource_path("profiles", "returning-customer.json")


def fifo(path: Path) -> Path:
    os.mkfifo(path)  # no writer, ever
    return path


def dev_zero(path: Path) -> Path:
    os.symlink("/dev/zero", path)
    return path


SPECIALS: dict[str, Callable[[Path], Path]] = {"FIFO": fifo, "/dev/zero": dev_zero}


# --- the reader itself --------------------------------------------------------------------


@pytest.mark.parametrize("special", sorted(SPECIALS))
def test_special_files_are_refused_before_reading(special: str, tmp_path: Path) -> None:
    path = SPECIALS[special](tmp_path / "x.json")
    with pytest.raises(ReadError) as caught:
        read_bytes(path, MAX_STATE_BYTES)
    assert caught.value.problem is Problem.NOT_A_FILE
    expected = "a named pipe (FIFO)" if special == "FIFO" else "a device"
    assert str(caught.value) == f"it is {expected}, not a file"


def test_a_folder_a_loop_and_a_missing_file(tmp_path: Path) -> None:
    loop = tmp_path / "loop.json"
    os.symlink(loop.name, loop)
    problems = {}
    for path in (tmp_path, loop, tmp_path / "gone.json"):
        with pytest.raises(ReadError) as caught:
            read_bytes(path, 10)
        problems[path] = (caught.value.problem, str(caught.value))
    assert problems[tmp_path] == (Problem.NOT_A_FILE, "it is a folder, not a file")
    assert problems[loop] == (Problem.CANNOT_OPEN, "it is a symbolic link that leads in a loop")
    assert problems[tmp_path / "gone.json"][0] is Problem.MISSING


def test_the_cap_is_inclusive(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(b"x" * 10)
    assert read_bytes(path, 10) == b"x" * 10
    with pytest.raises(ReadError) as caught:
        read_bytes(path, 9)
    assert caught.value.problem is Problem.TOO_BIG and caught.value.size == 10


def test_a_file_whose_size_lies_is_cut_at_the_cap_plus_one() -> None:
    # /proc files say 0 bytes and still have content: the read itself must stop.
    status = Path("/proc/self/status")
    if not status.exists() or status.stat().st_size != 0:
        pytest.skip("needs a Linux /proc file that reports size 0")
    with pytest.raises(ReadError) as caught:
        read_bytes(status, 16)
    assert caught.value.problem is Problem.TOO_BIG and caught.value.size is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[" * 100_000 + "]" * 100_000, Problem.TOO_DEEP),
        ("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1), Problem.TOO_DEEP),
        ('{"n": ' + "9" * 5000 + "}", Problem.NUMBER_TOO_LONG),
        ("4" * 4301, Problem.NUMBER_TOO_LONG),
        ("", Problem.EMPTY),
        (" \n\t\u3000", Problem.EMPTY),
        ('{"a": }', Problem.NOT_JSON),
    ],
)
def test_json_that_defeats_the_parser_is_a_read_error(text: str, problem: Problem) -> None:
    with pytest.raises(ReadError) as caught:
        parse_json(text)
    assert caught.value.problem is problem


def test_the_depth_limit_itself_is_still_read() -> None:
    depth = MAX_JSON_DEPTH
    assert parse_json("[" * depth + "]" * depth) is not None


def test_strict_json_refuses_duplicates_and_nan() -> None:
    assert parse_json('{"a": 1, "a": 2}') == {"a": 2}
    for text, words in (('{"a": 1, "a": 2}', "appears twice"), ("[NaN]", "NaN")):
        with pytest.raises(ReadError, match=words):
            parse_json(text, strict=True)


def test_strict_json_names_the_first_key_written_twice() -> None:
    # Read in order, the first key that comes again is the one named, wherever it is.
    text = '{"rows": [{"a": 1, "b": 2, "b": 3, "a": 4}], "c": 0}'
    with pytest.raises(ReadError, match="the key 'b' appears twice in one object"):
        parse_json(text, strict=True)
    assert parse_json('{"a": {"a": {"a": 1}}, "b": [{"a": 2}, {"a": 3}]}', strict=True)


def test_strict_json_words_syntax_errors_as_plain_json_does() -> None:
    # Strict parsing reuses one decoder; a second mark left after the first is dropped
    # still gets json's own words about it.
    for text in ("\ufeff{}", '{"a": 1,}', "", "[1] 2", '{"a": "b\x01"}'):
        with pytest.raises(ReadError) as plain:
            parse_json(text)
        with pytest.raises(ReadError) as strict:
            parse_json(text, strict=True)
        assert (strict.value.problem, str(strict.value)) == (plain.value.problem, str(plain.value))
    assert parse_json('{"a": [{"b": 1}], "c": {"d": null}}', strict=True) == {
        "a": [{"b": 1}],
        "c": {"d": None},
    }


def test_running_out_of_memory_is_a_read_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Really exhausting memory cannot be done safely in a test run.
    def exhausted(*_args: object, **_kwargs: object) -> object:
        raise MemoryError

    monkeypatch.setattr(bounded.json, "loads", exhausted)
    with pytest.raises(ReadError) as caught:
        parse_json("[1]")
    assert caught.value.problem is Problem.OUT_OF_MEMORY


def test_a_bom_is_dropped_and_positions_count_it(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b'\xef\xbb\xbf{"a": 1}')
    assert read_json(path, 100) == {"a": 1}
    path.write_bytes(b'\xef\xbb\xbf{"a": "\xff"}')
    with pytest.raises(ReadError) as caught:
        read_json(path, 100)
    assert (caught.value.line, caught.value.column, caught.value.byte) == (1, 11, 0xFF)


# --- every reader, with a FIFO and with a symlink to /dev/zero ----------------------------


@pytest.mark.parametrize("special", sorted(SPECIALS))
def test_documents(special: str, tmp_path: Path) -> None:
    path = SPECIALS[special](tmp_path / "doc.json")
    with pytest.raises(DocumentError) as caught:
        read_document(path)
    kind = "a named pipe (FIFO)" if special == "FIFO" else "a device"
    assert str(caught.value) == (
        f"{path}: could not open: it is {kind}, not a document file — check the path."
    )


@pytest.mark.parametrize("special", sorted(SPECIALS))
def test_profiles(special: str, tmp_path: Path) -> None:
    path = SPECIALS[special](tmp_path / "profile.json")
    with pytest.raises(ProfileLoadError) as caught:
        read_profile(path)
    assert caught.value.message.startswith("Cannot read profile.json: it is a")


@pytest.mark.parametrize("special", sorted(SPECIALS))
def test_settings(special: str) -> None:
    SPECIALS[special](settings_path())
    assert load_settings() == Settings()
    [report] = take_reports()
    assert "not a file" in report.message


@pytest.mark.parametrize("special", sorted(SPECIALS))
def test_recovery_files(special: str, tmp_path: Path) -> None:
    path = SPECIALS[special](tmp_path / "autosave-1-x.json")
    with pytest.raises(AutosaveError, match="not a file"):
        read_recovery(path)


@pytest.mark.parametrize("special", sorted(SPECIALS))
def test_the_catalog(special: str, tmp_path: Path) -> None:
    folder = tmp_path / "catalog"
    shutil.copytree(shipped_catalog_dir(), folder)
    (folder / IDENTIFIERS_FILE).unlink()
    SPECIALS[special](folder / IDENTIFIERS_FILE)
    with pytest.raises(CatalogError, match=r"cannot be read .*not a file"):
        load_catalog_from(folder)


# --- a byte-order mark, read the same way by every reader ---------------------------------

BOM = b"\xef\xbb\xbf"


def test_every_reader_accepts_a_bom(tmp_path: Path) -> None:
    document = tmp_path / "doc.json"
    document.write_bytes(BOM + dump_document(DOCUMENT))
    assert read_document(document) == DOCUMENT

    profile = tmp_path / "profile.json"
    profile.write_bytes(BOM + PROFILE.read_bytes())
    assert read_profile(profile) == read_profile(PROFILE)

    save_settings(Settings(last_step="review"))
    settings_path().write_bytes(BOM + settings_path().read_bytes())
    assert load_settings().last_step == "review"

    session = RecoverySession.begin()
    recovery = session.write(DOCUMENT, None)
    recovery.write_bytes(BOM + recovery.read_bytes())
    kept = read_recovery(recovery)
    assert kept is not None and kept.document == DOCUMENT
    session.close()

    folder = tmp_path / "catalog"
    shutil.copytree(shipped_catalog_dir(), folder)
    identifiers = folder / IDENTIFIERS_FILE
    identifiers.write_bytes(BOM + identifiers.read_bytes())
    assert load_catalog_from(folder).identifiers

    assert take_reports() == []


def test_a_profile_with_a_number_over_the_digit_limit_is_refused(tmp_path: Path) -> None:
    data = json.loads(PROFILE.read_text(encoding="utf-8"))
    text = json.dumps(data).replace('"data"', '"count": ' + "7" * 4301 + ', "data"', 1)
    path = tmp_path / "profile.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileLoadError, match="too many digits"):
        read_profile(path)
