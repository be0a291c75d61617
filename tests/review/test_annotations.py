"""`idsync check --format sarif` (validated against the official SARIF 2.1.0 schema) and
`--format github` (workflow commands)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from idsync.core.rules import RULES
from idsync.review.annotations import artifact_uri, escape_data, escape_property
from tests.helpers.cli import run
from tests.helpers.documents import BROKEN_JSON, CLEAN, ROW_ERROR, row_line, write

SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)


def _validate(log: object) -> None:
    validator = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert errors == [], "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_sarif_is_valid_and_points_at_the_rows_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = write(tmp_path / "wrong.json", ROW_ERROR)
    broken = tmp_path / "broken.json"
    broken.write_bytes(BROKEN_JSON)
    result = run(capsys, "check", "--format", "sarif", str(wrong), str(broken))
    assert result.code == 2
    log = json.loads(result.out)
    _validate(log)
    assert log["version"] == "2.1.0"
    (run_,) = log["runs"]
    rules = {rule["id"]: rule for rule in run_["tool"]["driver"]["rules"]}
    assert set(rules) == set(RULES)
    assert rules["IDS104"]["helpUri"] == RULES["IDS104"].source
    assert "House rule" in rules["IDS107"]["shortDescription"]["text"]
    assert "helpUri" not in rules["IDS107"], "house rules have no source page"
    (error,) = [r for r in run_["results"] if r["level"] == "error"]
    assert error["ruleId"] == "IDS104"
    assert run_["tool"]["driver"]["rules"][error["ruleIndex"]]["id"] == "IDS104"
    assert "The Segment identifier is empty" in error["message"]["text"]
    location = error["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == Path(wrong).as_uri()
    assert location["region"]["startLine"] == row_line(wrong, 2)
    assert {r["level"] for r in run_["results"]} == {"error", "note"}
    (invocation,) = run_["invocations"]
    assert invocation["executionSuccessful"] is False
    (unreadable,) = invocation["toolExecutionNotifications"]
    assert unreadable["locations"][0]["physicalLocation"]["region"]["startLine"] == 5


def test_sarif_of_clean_files_is_valid_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "configs" / "a b.json", CLEAN)
    result = run(capsys, "check", "-q", "--format", "sarif", "configs")
    assert result.code == 0
    log = json.loads(result.out)
    _validate(log)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_a_broken_log_fails_the_schema() -> None:
    # The schema is really applied: a result without a message is refused.
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
                                          "results": [{"ruleId": "IDS110"}]}]}
    with pytest.raises(AssertionError):
        _validate(bad)


def test_relative_paths_stay_relative_uris() -> None:
    assert artifact_uri("configs/a b.json") == "configs/a%20b.json"
    assert artifact_uri("/tmp/x.json") == "file:///tmp/x.json"
    assert artifact_uri("C:\\work\\x.json") == "file:///C:/work/x.json"


def test_github_commands_annotate_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = write(tmp_path / "wrong.json", ROW_ERROR)
    result = run(capsys, "check", "--format", "github", str(wrong))
    assert result.code == 1
    error, notice, summary = result.out_lines
    assert error.startswith(
        f"::error file={escape_property(str(wrong))},line={row_line(wrong, 2)},col=5,"
        "title=IDS104 (Segment limit)::The Segment identifier is empty"
    )
    # Every note of the file in one notice, at the first note, each on its own line.
    notes = [f for f in json.loads(run(capsys, "check", "--format", "json", str(wrong)).out)
             ["files"][0]["findings"] if f["severity"] == "info"]
    assert len(notes) > 1
    assert notice.startswith(
        f"::notice file={escape_property(str(wrong))},line=1,col=1,title={len(notes)} notes ("
    )
    assert notice.count("%0A") == len(notes) - 1
    assert summary == (
        f"1 file checked: 1 error, 0 warnings, {len(notes)} info "
        f"({len(notes)} notes shown as 1 notice, one per file)"
    )
    quiet = run(capsys, "check", "-q", "--format", "github", str(wrong))
    assert len(quiet.out_lines) == 1, "-q leaves out the notices and the summary"


def test_github_warning_and_unreadable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.helpers.documents import MOBILE_WITHOUT_TOGGLE

    mobile = write(tmp_path / "mobile.json", MOBILE_WITHOUT_TOGGLE)
    broken = tmp_path / "broken.json"
    broken.write_bytes(BROKEN_JSON)
    result = run(capsys, "check", "-q", "--format", "github", str(mobile), str(broken))
    assert result.code == 2
    # Errors first, though the file with the warning was checked first.
    assert result.out_lines[0].startswith(
        f"::error file={broken},line=5,col=3,title=unreadable::"
    )
    assert result.out_lines[1].startswith(
        f"::warning file={mobile},line={row_line(mobile, 2)},col=5,"
    )


def test_github_escaping() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("C:\\a,b:c%\n") == "C%3A\\a%2Cb%3Ac%25%0A"


def test_every_sarif_rule_has_a_full_description_and_help_naming_its_basis_and_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from idsync.core.findings import BASES, source_title
    from idsync.review.annotations import BASIS_MEANING

    assert set(BASIS_MEANING) == set(BASES)
    clean = write(tmp_path / "clean.json", CLEAN)
    log = json.loads(run(capsys, "check", "--format", "sarif", str(clean)).out)
    _validate(log)
    for rule in log["runs"][0]["tool"]["driver"]["rules"]:
        info = RULES[rule["id"]]
        meaning = BASIS_MEANING[info.basis]
        assert rule["fullDescription"]["text"].startswith(info.summary)
        assert meaning in rule["fullDescription"]["text"]
        help_ = rule["help"]
        assert meaning in help_["text"] and meaning in help_["markdown"]
        title = source_title(info.source)
        if info.source.startswith("https://"):
            assert f"Source: {title}, {info.source}" in help_["text"]
            assert f"Source: [{title}]({info.source})" in help_["markdown"]
        else:
            assert f"Source: {title}." in help_["text"]
        assert f"--ignore {info.code}" in help_["markdown"]


def test_every_sarif_result_has_a_region_document_level_ones_at_1_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = write(tmp_path / "wrong.json", ROW_ERROR)
    log = json.loads(run(capsys, "check", "--format", "sarif", str(wrong)).out)
    _validate(log)
    results = log["runs"][0]["results"]
    regions = {
        (r["ruleId"], r["properties"]["row"], r["properties"]["field"]):
        r["locations"][0]["physicalLocation"]["region"]
        for r in results
    }
    assert len(regions) == len(results)
    assert regions[("IDS104", 2, "segment")] == {
        "startLine": row_line(wrong, 2), "startColumn": 5
    }
    # A field's finding where the field's key is: `  "identifiers": [` opens at column 3.
    text = wrong.read_text(encoding="utf-8").splitlines()
    identifiers = next(n for n, line in enumerate(text, 1) if line.startswith('  "identif'))
    assert regions[("IDS907", None, "identifiers")] == {
        "startLine": identifiers, "startColumn": 3
    }
    whole = [region for (_, row, field), region in regions.items() if row is field is None]
    assert whole and all(region == {"startLine": 1, "startColumn": 1} for region in whole)


def test_github_puts_every_error_before_any_warning_and_folds_notes_per_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.helpers.documents import MOBILE_WITHOUT_TOGGLE

    mobile = write(tmp_path / "a-mobile.json", MOBILE_WITHOUT_TOGGLE)
    wrong = write(tmp_path / "b-wrong.json", ROW_ERROR)
    clean = write(tmp_path / "c-clean.json", CLEAN)
    result = run(capsys, "check", "--format", "github", str(tmp_path))
    assert result.code == 1
    kinds = [line.split(" ", 1)[0] for line in result.out_lines[:-1]]
    assert kinds == ["::error", "::warning", "::notice", "::notice", "::notice"]
    assert f"file={wrong}," in result.out_lines[0] and f"file={mobile}," in result.out_lines[1]
    noticed = [line.split(",", 1)[0] for line in result.out_lines[2:5]]
    assert noticed == [f"::notice file={path}" for path in (mobile, wrong, clean)]
    notes = int(result.out_lines[-1].split(" info")[0].rsplit(" ", 1)[1])
    assert result.out_lines[-1].endswith(
        f"({notes} notes shown as 3 notices, one per file)"
    )


def test_github_with_a_report_annotates_as_without(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = write(tmp_path / "docs" / "wrong.json", ROW_ERROR)
    alone = run(capsys, "check", "--format", "github", str(wrong))
    with_report = run(capsys, "check", "--format", "github", str(wrong), "--report",
                      str(tmp_path / "report.html"))
    assert (with_report.code, with_report.out) == (alone.code, alone.out)
    assert (tmp_path / "report.html").is_file()
