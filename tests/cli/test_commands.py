"""`idsync export | diff | schema | catalog | rules | --version` and the error guard."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from idsync import __version__
from idsync.catalog import load_catalog
from idsync.core.model import IdentifierRow, Setup, Strategy, document_json_schema
from idsync.core.rules import RULES
from idsync.storage.documents import dump_document
from tests.helpers.cli import run
from tests.helpers.documents import (
    CLEAN,
    JOURNEY,
    MOBILE_WITHOUT_TOGGLE,
    ROW_ERROR,
    row_line,
    write,
)

# --- export ----------------------------------------------------------------------------


def test_export_document_prints_the_canonical_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "messy.json"
    path.write_text(json.dumps(CLEAN.to_json_data()), encoding="utf-8")
    result = run(capsys, "export", str(path))
    assert result.code == 0
    assert result.out.encode("utf-8") == dump_document(CLEAN)


def test_export_create_body(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "clean.json", CLEAN)
    result = run(capsys, "export", str(path), "--as", "create-body")
    assert result.code == 0
    assert json.loads(result.out) == {
        "destination": {"id": "dst_1", "type": "destination"},
        "idSyncConfiguration": [{"externalId": "email", "strategy": "last", "mapTo": "EMAIL"}],
    }


def test_export_update_body_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = MOBILE_WITHOUT_TOGGLE.replace(send_mobile_ids=True)
    path = write(tmp_path / "mobile.json", doc)
    out = tmp_path / "out" / "body.json"
    out.parent.mkdir()
    result = run(capsys, "export", str(path), "--as", "update-body", "-o", str(out))
    assert (result.code, result.out, result.err) == (0, "", "")
    assert json.loads(out.read_text(encoding="utf-8")) == {
        "idSyncConfiguration": [
            {"externalId": "email", "strategy": "last", "mapTo": "EMAIL"},
            {"externalId": "ios.idfa", "strategy": "all", "mapTo": "MADID"},
        ]
    }
    assert out.read_bytes().endswith(b"}\n")


def test_every_export_is_kept_in_history_as_the_window_keeps_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from idsync.storage.history import HistoryEvent, HistoryStore

    path = write(tmp_path / "clean.json", CLEAN)
    out = tmp_path / "body.json"
    assert run(capsys, "export", str(path), "--as", "update-body", "-o", str(out)).code == 0
    assert run(capsys, "export", str(path)).code == 0
    exports = [e for e in HistoryStore().entries() if e.event is HistoryEvent.EXPORT]
    assert sorted(e.detail for e in exports) == [
        "Document exported to standard output",
        f"Update body exported to {out}",
    ]
    assert all(HistoryStore().load(e) == CLEAN for e in exports)


@pytest.mark.parametrize(
    ("doc", "kind", "fragment"),
    [
        (JOURNEY, "create-body", "Journey steps have no ID Sync field"),
        (JOURNEY, "update-body", "Journey steps have no ID Sync field"),
        (CLEAN.replace(setup=Setup.DEFAULT), "update-body", "Default Setup"),
    ],
)
def test_export_of_an_unpushable_document_exits_1_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], doc: object, kind: str, fragment: str
) -> None:
    path = write(tmp_path / "doc.json", doc)  # type: ignore[arg-type]
    result = run(capsys, "export", str(path), "--as", kind)
    assert result.code == 1
    assert result.out == ""
    assert len(result.err_lines) == 1
    assert result.err.startswith(f"{path}: cannot export {kind}: ")
    assert fragment in result.err


def test_export_of_an_unreadable_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(capsys, "export", str(tmp_path / "nope.json"))
    assert result.code == 2
    assert result.err_lines == [
        f"{tmp_path / 'nope.json'}: could not open: no such file — check the path."
    ]


def test_export_into_a_missing_folder_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "clean.json", CLEAN)
    out = tmp_path / "missing" / "out.json"
    result = run(capsys, "export", str(path), "-o", str(out))
    assert result.code == 2
    assert "the folder does not exist" in result.err
    assert len(result.err_lines) == 1


# --- diff ------------------------------------------------------------------------------


def test_diff_of_equal_documents_exits_0_silently(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = write(tmp_path / "a.json", CLEAN)
    b = write(tmp_path / "b.json", CLEAN)
    result = run(capsys, "diff", str(a), str(b))
    assert (result.code, result.out, result.err) == (0, "", "")


def test_diff_lists_field_and_row_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changed = CLEAN.replace(name="Facebook all emails", send_mobile_ids=True)
    changed = changed.with_rows(
        [
            IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.ALL),
            IdentifierRow(segment="phone", destination="PHONE", strategy=Strategy.LAST),
        ]
    )
    a = write(tmp_path / "a.json", CLEAN)
    b = write(tmp_path / "b.json", changed)
    result = run(capsys, "diff", str(a), str(b))
    assert result.code == 1
    assert result.out_lines == [
        "- name: 'Facebook email' -> 'Facebook all emails'",
        "- send_mobile_ids: off -> on",
        "- row 1 strategy: last -> all",
        "- row 2 added: phone -> PHONE (last)",
    ]


def test_diff_with_an_unreadable_side_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = write(tmp_path / "a.json", CLEAN)
    b = tmp_path / "b.json"
    b.write_text("[]", encoding="utf-8")
    result = run(capsys, "diff", str(a), str(b))
    assert result.code == 2
    assert result.err.startswith(f"{b}: holds a list")


# --- schema ----------------------------------------------------------------------------


def test_schema_command_prints_a_valid_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "schema")
    assert result.code == 0
    schema = json.loads(result.out)
    assert schema == document_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] and schema["title"]
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_accepts_written_documents_and_rejects_bad_ones() -> None:
    validator = jsonschema.Draft202012Validator(document_json_schema())
    for doc in (CLEAN, MOBILE_WITHOUT_TOGGLE, ROW_ERROR, JOURNEY):
        validator.validate(json.loads(dump_document(doc)))
    good = json.loads(dump_document(CLEAN))
    for bad in (
        {**good, "version": 3},
        {**good, "version": 1},  # older versions are migrated on reading, never written
        {**good, "setup": "sometimes"},
        {key: value for key, value in good.items() if key != "format"},
        {**good, "identifiers": [{"segment": "email", "strategy": "never"}]},
        {**good, "target": {"kind": "store"}},
        {**good, "target": {"space_id": "spa_1"}},  # the reader needs the kind
        {**good, "extra": True},
    ):
        assert not validator.is_valid(bad), bad


# --- catalog / rules / version ---------------------------------------------------------


def test_catalog_lists_every_destination_and_identifier(
    capsys: pytest.CaptureFixture[str],
) -> None:
    catalog = load_catalog()
    both = run(capsys, "catalog")
    assert both.code == 0
    assert both.out_lines[0] == "Destinations:"
    assert "Identifiers:" in both.out_lines
    destinations = run(capsys, "catalog", "destinations").out_lines
    assert [line.split()[0] for line in destinations] == [d.slug for d in catalog.destinations]
    identifiers = run(capsys, "catalog", "identifiers").out_lines
    assert [line.split()[0] for line in identifiers] == [i.id for i in catalog.identifiers]
    facebook = next(
        line for line in destinations if line.startswith("personas-facebook-custom-audiences ")
    )
    assert "EMAIL" in facebook and "MADID" in facebook
    function = next(line for line in destinations if line.startswith("destination-function "))
    assert "not in Segment's catalog" in function


def test_catalog_json(capsys: pytest.CaptureFixture[str]) -> None:
    catalog = load_catalog()
    data = json.loads(run(capsys, "catalog", "identifiers", "--format", "json").out)
    assert list(data) == ["identifiers"]
    assert [item["id"] for item in data["identifiers"]] == [i.id for i in catalog.identifiers]
    assert {item["id"]: item["kind"] for item in data["identifiers"]}["email"] == "email"


def test_catalog_json_shows_segments_slugs(capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(run(capsys, "catalog", "destinations", "--format", "json").out)
    assert list(data) == ["destinations"]
    by_slug = {item["slug"]: item for item in data["destinations"]}
    assert by_slug["adwords-remarketing-lists"]["segment_slug"] == "adwords-remarketing-lists"
    assert by_slug["destination-function"]["segment_slug"] is None
    google = by_slug["adwords-remarketing-lists"]
    assert google["constraints"]["matcher_identifiers"] == ["email", "ios.idfa", "android.idfa"]
    assert google["default_identifiers"] == ["email", "ios.idfa", "android.idfa"]


def test_rules_lists_every_code(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "rules")
    assert result.code == 0
    rule_lines = [line for line in result.out_lines if not line.startswith(" ")]
    assert [line.split()[0] for line in rule_lines] == sorted(RULES)
    # Each rule says what it rests on, and where that is written.
    for code in sorted(RULES):
        line = next(line for line in rule_lines if line.startswith(code))
        assert RULES[code].basis in line
        following = result.out_lines[result.out_lines.index(line) + 1]
        assert following.strip() == f"source: {RULES[code].source}"
    as_json = json.loads(run(capsys, "rules", "--format", "json").out)
    assert {row["code"]: row["severity"] for row in as_json} == {
        code: info.severity.value for code, info in RULES.items()
    }
    for row in as_json:
        assert {"code", "name", "severity", "summary", "source"} <= set(row)
        assert row["source"] == RULES[row["code"]].source


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "--version")
    assert (result.code, result.out.strip()) == (0, f"idsync {__version__}")


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "--help")
    assert result.code == 0
    assert "check" in result.out and "Exit codes" in result.out


# --- usage mistakes and the guard ------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["check"], "the following arguments are required: PATH"),
        (["export", "x.json", "--as", "yaml"], "invalid choice: 'yaml'"),
        (["catalog", "--bogus"], "unrecognized arguments: --bogus"),
        (["no-such-thing"], "no-such-thing: no such file or command"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str
) -> None:
    result = run(capsys, *argv)
    assert result.code == 2
    assert len(result.err_lines) == 1
    assert result.err.startswith("idsync")
    assert fragment in result.err
    assert "usage:" not in result.err


def test_unexpected_exception_becomes_one_internal_error_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing in the app raises here on purpose; break one collaborator to reach the guard.
    def broken() -> dict[str, object]:
        raise RuntimeError("schema generator exploded")

    import idsync.cli.documents

    monkeypatch.setattr(idsync.cli.documents, "document_json_schema", broken)
    result = run(capsys, "schema")
    assert result.code == 3
    assert result.err_lines == [
        "idsync: internal error: RuntimeError: schema generator exploded (please report)"
    ]
    assert "Traceback" not in result.err


def test_export_of_a_body_with_error_findings_is_refused_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "wrong.json", ROW_ERROR)
    out = tmp_path / "body.json"
    refused = run(capsys, "export", str(path), "--as", "update-body", "-o", str(out))
    assert refused.code == 1
    assert refused.out == ""
    assert refused.err_lines[0].startswith(
        f"{path}: cannot export update-body: the document has 1 error"
    )
    assert refused.err_lines[1].startswith(f"{path}:{row_line(path, 2)}:5: IDS104 error:")
    assert not out.exists()

    forced = run(capsys, "export", str(path), "--as", "update-body", "--force", "-o", str(out))
    assert forced.code == 0, forced.err
    assert [item["externalId"] for item in json.loads(out.read_text())["idSyncConfiguration"]] == [
        "email",
        "",
    ]


def test_export_of_a_body_with_only_warnings_is_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # IDS109 is a warning: a mobile ID row with Send Mobile IDs off no longer blocks export.
    path = write(tmp_path / "mobile.json", MOBILE_WITHOUT_TOGGLE)
    out = tmp_path / "body.json"
    result = run(capsys, "export", str(path), "--as", "update-body", "-o", str(out))
    assert result.code == 0, result.err
    assert [item["externalId"] for item in json.loads(out.read_text())["idSyncConfiguration"]] == [
        "email",
        "ios.idfa",
    ]


def test_export_of_the_document_itself_is_allowed_with_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "wrong.json", ROW_ERROR)
    result = run(capsys, "export", str(path))
    assert result.code == 0
    assert result.out.encode() == path.read_bytes()


def test_a_folder_beside_a_file_says_how_to_review_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A folder alone opens the review workspace (tests/cli/test_gui_and_extensions.py);
    # beside a file it cannot, and the message says both ways to review it.
    doc = write(tmp_path / "clean.json", CLEAN)
    result = run(capsys, str(doc), str(tmp_path))
    assert result.code == 2
    assert result.err_lines == [
        f"idsync: {tmp_path} is a folder: open it on its own (`idsync {tmp_path}`) to review "
        f"every document in it, or run `idsync check {tmp_path}`"
    ]


def test_the_names_the_window_is_told_apart_by_are_the_parsers_commands() -> None:
    from idsync.cli.names import COMMAND_NAMES
    from idsync.cli.parser import build_parser, command_names

    assert list(COMMAND_NAMES) == command_names(build_parser())
