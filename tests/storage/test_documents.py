"""Reading and writing documents: byte-stable round trips and one-line errors."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from idsync.core.model import (
    AudienceTarget,
    DestinationRef,
    IdentifierRow,
    IdSyncDocument,
    JourneyTarget,
    Strategy,
)
from idsync.storage.documents import (
    MAX_DOCUMENT_BYTES,
    DocumentError,
    dump_document,
    parse_document,
    read_document,
    write_document,
)
from tests.helpers.readonly import only_entries, read_only_folder
from tests.helpers.strategies import damaged_documents, documents, json_values

CANONICAL = """{
  "format": "idsync-config",
  "version": 2,
  "name": "Café loyalty → Facebook",
  "notes": "",
  "target": {
    "kind": "audience",
    "space_id": "spa_1",
    "audience_id": "aud_1"
  },
  "destination": {
    "slug": "personas-facebook-custom-audiences",
    "name": "Facebook Custom Audiences",
    "kind": "destination",
    "instance_id": "dst_1"
  },
  "setup": "customized",
  "send_mobile_ids": true,
  "custom_identifiers": [
    "phone"
  ],
  "identifiers": [
    {
      "segment": "email",
      "destination": "EMAIL",
      "strategy": "last"
    },
    {
      "segment": "ios.idfa",
      "destination": "MADID",
      "strategy": "all"
    }
  ]
}
"""


def _doc() -> IdSyncDocument:
    return IdSyncDocument(
        name="Café loyalty → Facebook",
        target=AudienceTarget(space_id="spa_1", audience_id="aud_1"),
        destination=DestinationRef(
            slug="personas-facebook-custom-audiences",
            name="Facebook Custom Audiences",
            instance_id="dst_1",
        ),
        send_mobile_ids=True,
        custom_identifiers=("phone",),
        identifiers=(
            IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.LAST),
            IdentifierRow(segment="ios.idfa", destination="MADID", strategy=Strategy.ALL),
        ),
    )


def _error(data: bytes | str, source: str = "facebook.json") -> DocumentError:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with pytest.raises(DocumentError) as caught:
        parse_document(raw, source)
    return caught.value


# --- canonical form and round trips ----------------------------------------------------


def test_canonical_bytes_are_fixed() -> None:
    assert dump_document(_doc()) == CANONICAL.encode("utf-8")


def test_read_then_write_gives_identical_bytes(tmp_path: Path) -> None:
    source = tmp_path / "facebook.json"
    source.write_bytes(CANONICAL.encode("utf-8"))
    copy = tmp_path / "copy.json"
    write_document(copy, read_document(source))
    assert copy.read_bytes() == source.read_bytes()
    assert read_document(copy) == _doc()


def test_a_version_1_file_is_read_migrated_and_written_as_version_2(tmp_path: Path) -> None:
    source = tmp_path / "facebook.json"
    old = CANONICAL.replace('"version": 2', '"version": 1').replace(
        '"personas-facebook-custom-audiences"', '"facebook-custom-audiences"'
    )
    source.write_bytes(old.encode("utf-8"))
    doc = read_document(source)
    assert doc == _doc()
    copy = tmp_path / "copy.json"
    write_document(copy, doc)
    assert copy.read_bytes() == CANONICAL.encode("utf-8")
    assert source.read_bytes() == old.encode("utf-8"), "reading never rewrites the file"


def test_write_replaces_an_existing_file_and_keeps_no_temp_files(tmp_path: Path) -> None:
    path = tmp_path / "doc.json"
    path.write_text("old", encoding="utf-8")
    write_document(path, _doc())
    assert path.read_bytes() == CANONICAL.encode("utf-8")
    assert only_entries(tmp_path) == ["doc.json"]


@given(documents)
def test_any_valid_document_round_trips(doc: IdSyncDocument) -> None:
    data = dump_document(doc)
    again = parse_document(data, "generated.json")
    assert again == doc
    assert dump_document(again) == data


@settings(max_examples=25)
@given(documents)
def test_any_valid_document_round_trips_through_a_file(
    tmp_path_factory: pytest.TempPathFactory, doc: IdSyncDocument
) -> None:
    path = tmp_path_factory.mktemp("roundtrip") / "doc.json"
    write_document(path, doc)
    assert read_document(path) == doc


@given(st.binary(max_size=300))
def test_arbitrary_bytes_give_a_document_or_a_document_error(data: bytes) -> None:
    _parse_or_clean_error(data)


@given(json_values)
def test_arbitrary_json_gives_a_document_or_a_document_error(value: object) -> None:
    _parse_or_clean_error(json.dumps(value).encode("utf-8"))


@given(damaged_documents())
def test_damaged_documents_give_a_document_or_a_field_error(data: dict[str, object]) -> None:
    _parse_or_clean_error(json.dumps(data, ensure_ascii=False).encode("utf-8"))


def _parse_or_clean_error(data: bytes) -> None:
    try:
        doc = parse_document(data, "fuzz.json")
    except DocumentError as exc:
        message = str(exc)
        assert message.startswith("fuzz.json")
        assert "\n" not in message
        assert exc.reason and exc.reason in message
    else:
        assert isinstance(doc, IdSyncDocument)


# --- what the model would take is refused before it -------------------------------------

def _current(members: str = "") -> str:
    """A version 2 document's text: the header, then ``members``."""
    return '{"format": "idsync-config", "version": 2' + members + "}"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"format": "idsync-config", "version": 2.0}', "is not a version number"),
        ('{"format": "idsync-config", "version": 2e0}', "is not a version number"),
        (_current(', "name": "a", "name": "b"'), "appears twice"),
        (_current(', "identifiers": [{"segment": "email", "segment": "phone"}]'), "appears twice"),
        (_current(', "destination": {"slug": "x", "slug": "y"}'), "appears twice"),
    ],
)
def test_what_pydantic_would_take_is_refused_before_the_model(text: str, words: str) -> None:
    IdSyncDocument.model_validate_json(text)  # pydantic alone takes it (the last key wins)
    error = _error(text)
    assert words in str(error)


# --- error messages --------------------------------------------------------------------


def test_syntax_error_names_line_and_column() -> None:
    text = '{\n  "format": "idsync-config",\n  "version":1 "name": "x"\n}\n'
    error = _error(text)
    assert str(error) == (
        "facebook.json:3:15: Expecting ',' delimiter — fix the JSON and open it again."
    )
    assert (error.path, error.line, error.column, error.field) == ("facebook.json", 3, 15, None)


def test_invalid_strategy_names_the_field_and_the_choices() -> None:
    text = (
        '{"format": "idsync-config", "version": 2, "identifiers": ['
        '{"segment": "email"}, {"segment": "phone"}, '
        '{"segment": "user_id", "strategy": "sometimes"}]}'
    )
    error = _error(text)
    column = text.index('"sometimes"') + 1
    assert str(error) == (
        f"facebook.json:1:{column}: identifiers[2].strategy: 'sometimes' is not one of "
        "first, last, all — use one of them"
    )
    assert error.field == "identifiers[2].strategy"
    assert (error.line, error.column) == (1, column)


@pytest.mark.parametrize(
    ("body", "field", "fragment"),
    [
        ('"send_mobile_ids": "yes"', "send_mobile_ids", "'yes' is not true or false"),
        ('"name": 12', "name", "the number 12 is not text"),
        ('"target": {"kind": "store"}', "target.kind", "'store' is not one of audience, journey"),
        ('"target": {"space_id": "s"}', "target.kind", "is missing"),
        ('"target": {"kind": "journey", "step": 3}', "target.step", "is not text"),
        ('"destination": {"name": "x"}', "destination.slug", "is required but missing"),
        ('"identifiers": [{"segment": "email", "mapTo": "E"}]', "identifiers[0].mapTo",
         "is not a known field"),
        ('"identifiers": {"segment": "email"}', "identifiers", "an object is not a list"),
        ('"identifiers": ["email"]', "identifiers[0]", "'email' is not an object"),
        ('"setup": "Customized"', "setup", "'Customized' is not one of default, customized"),
    ],
)
def test_invalid_types_name_the_field(body: str, field: str, fragment: str) -> None:
    error = _error('{"format": "idsync-config", "version": 2, ' + body + "}")
    assert error.field == field
    assert str(error).startswith(f"facebook.json:1:{error.column}: {field}: ")
    assert fragment in error.reason


def test_several_problems_are_counted_in_one_line() -> None:
    error = _error('{"format": "idsync-config", "version": 2, "name": 1, "notes": 2, "x": 3}')
    assert str(error).endswith("(and 2 more problems)")
    assert "\n" not in str(error)


def test_newer_version_is_refused_with_the_update_hint() -> None:
    error = _error('{"format": "idsync-config", "version": 3, "whatever": []}')
    assert str(error) == (
        "facebook.json:1:29: was written by a newer version (format 3); this app reads up "
        "to 2 — update the app."
    )


@pytest.mark.parametrize(
    ("member", "expected"),
    [
        ('"format": "idsync-document"', "3:3: format: 'idsync-document' is not"),
        ('"format": "idsync-config",\n  "version": "2"', "4:3: version: '2' is not a version"),
        ('"format": "idsync-config",\n  "version": null', "4:3: version: null is not a version"),
        ('"format": "idsync-config",\n  "version": -1', "4:3: version: -1 is not a document"),
        ('"format": "idsync-config",\n  "version": 7', "4:3: was written by a newer version"),
    ],
)
def test_a_wrong_header_is_placed_at_its_member(member: str, expected: str) -> None:
    # As the model's misfits are: PATH:LINE:COL at the member's key, so an editor jumps there.
    error = _error("{\n  \"name\": \"x\",\n  " + member + "\n}\n")
    assert str(error).startswith(f"facebook.json:{expected}")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"version": 2}', '"format": "idsync-config" is missing'),
        ('{"idSyncConfiguration": []}', "looks like an API request body"),
        ('{"format": "other", "version": 2}', "format: 'other' is not 'idsync-config'"),
        ('{"format": "idsync-config"}', 'version: is missing — add "version": 2.'),
        ('{"format": "idsync-config", "version": true}', "version: true is not a version"),
        ('{"format": "idsync-config", "version": "1"}', "version: '1' is not a version"),
        ('{"format": "idsync-config", "version": -2}', "version: -2 is not a document version"),
        ('{"format": "idsync-config", "version": 0}', "version 0 is older than this app"),
        ("[1, 2]", "holds a list, not an ID Sync document"),
        ('"text"', "holds 'text', not an ID Sync document"),
        ("", "is empty"),
        ("  \n", "is empty"),
        ('{"a": 1, "a": 2}', "the key 'a' appears twice"),
        ('{"a": NaN}', "NaN is not valid JSON"),
        ('{"format": "idsync-config", "version": 2, "name": "\\ud800"}', "unpaired UTF-16"),
        ("[" * 50_000, "nested too deeply"),
    ],
)
def test_header_and_shape_errors(text: str, expected: str) -> None:
    error = _error(text)
    assert expected in str(error)
    assert str(error).startswith("facebook.json")


def test_a_lone_surrogate_escape_is_pointed_at() -> None:
    text = '{"format": "idsync-config", "version": 2,\n "name": "ok \\ud83d\\ude00 \\udc00"}'
    error = _error(text)
    assert (error.line, error.column) == (2, 27)  # the low half alone, not the pair before
    assert "unpaired UTF-16 surrogate escape" in str(error)


def test_not_utf8_names_the_position_of_the_bad_byte() -> None:
    error = _error(b'{\n  "name": "caf\xe9"\n}')
    assert str(error) == (
        "facebook.json:2:15: is not UTF-8 text (byte 0xe9) — save it as UTF-8 and open it again."
    )


def test_a_utf8_byte_order_mark_is_accepted() -> None:
    doc = parse_document(b"\xef\xbb\xbf" + CANONICAL.encode("utf-8"), "bom.json")
    assert doc == _doc()


def test_too_big_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with open(path, "wb") as handle:
        handle.truncate(MAX_DOCUMENT_BYTES + 1)  # sparse: no 5 MB actually written
    with pytest.raises(DocumentError) as caught:
        read_document(path)
    assert str(caught.value).startswith(f"{path}: is too big (5.0 MB)")
    assert "up to 5 MB" in str(caught.value)


def test_exactly_the_size_limit_is_still_read(tmp_path: Path) -> None:
    data = CANONICAL.encode("utf-8")
    padded = data + b" " * (MAX_DOCUMENT_BYTES - len(data))
    path = tmp_path / "padded.json"
    path.write_bytes(padded)
    assert read_document(path) == _doc()


def test_too_big_bytes_are_refused() -> None:
    error = _error(b" " * (MAX_DOCUMENT_BYTES + 1))
    assert "is too big" in str(error)


# --- operating system errors -----------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.json"
    with pytest.raises(DocumentError) as caught:
        read_document(path)
    assert str(caught.value) == f"{path}: could not open: no such file — check the path."


def test_folder_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentError) as caught:
        read_document(tmp_path)
    assert "it is a folder, not a file" in str(caught.value)


def test_saving_into_a_missing_folder(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "doc.json"
    with pytest.raises(DocumentError) as caught:
        write_document(path, _doc())
    assert "the folder does not exist" in str(caught.value)
    assert not path.parent.exists()


def test_failed_write_into_read_only_folder_keeps_the_old_file(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    path = folder / "doc.json"
    path.write_bytes(b"old contents")
    with read_only_folder(folder), pytest.raises(DocumentError) as caught:
        write_document(path, _doc())
    assert "permission denied" in str(caught.value)
    assert str(caught.value).startswith(str(path))
    assert path.read_bytes() == b"old contents"
    assert only_entries(folder) == ["doc.json"]


def test_full_disk_keeps_the_old_file_and_removes_the_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A full disk cannot be produced here; fsync is where a full disk surfaces on write-back.
    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    path = tmp_path / "doc.json"
    path.write_bytes(b"old contents")
    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(DocumentError) as caught:
        write_document(path, _doc())
    assert "the disk is full" in str(caught.value)
    assert "previous file is unchanged" in str(caught.value)
    assert path.read_bytes() == b"old contents"
    assert only_entries(tmp_path) == ["doc.json"]


def test_journey_document_round_trips(tmp_path: Path) -> None:
    doc = IdSyncDocument(
        target=JourneyTarget(space_id="spa", journey_id="jou", step="Send email"),
        identifiers=(IdentifierRow(segment="email"),),
    )
    path = tmp_path / "journey.json"
    write_document(path, doc)
    assert read_document(path) == doc
