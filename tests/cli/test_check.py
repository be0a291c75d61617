"""`idsync check`: linter output (PATH:LINE:COL), JSON output, stdin, rule selection,
--strict and exit codes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from idsync.core import sources
from tests.helpers.cli import run
from tests.helpers.documents import (
    BROKEN_JSON,
    CLEAN,
    MOBILE_WITHOUT_TOGGLE,
    ROW_ERROR,
    row_line,
    write,
)


def test_clean_document_exits_0_with_only_info(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "clean.json", CLEAN)
    result = run(capsys, "check", str(path))
    assert result.code == 0
    assert result.err == ""
    findings = result.out_lines[:-1]
    assert findings, "info findings are shown by default"
    # Document-level findings sit on line 1, column 1, where `%f:%l:%c:` matchers read them.
    assert all(line.startswith(f"{path}:1:1: IDS9") and " info: " in line for line in findings)
    assert result.out_lines[-1] == f"1 file checked: 0 errors, 0 warnings, {len(findings)} info"


def test_quiet_hides_info_and_the_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "clean.json", CLEAN)
    result = run(capsys, "check", "--quiet", str(path))
    assert (result.code, result.out, result.err) == (0, "", "")


def test_error_finding_exits_1_with_row_and_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "wrong.json", ROW_ERROR)
    result = run(capsys, "check", "-q", str(path))
    assert result.code == 1
    assert len(result.out_lines) == 1
    line = result.out_lines[0]
    # The column is where the row's object opens (`    {` in a written document).
    assert line.startswith(f"{path}:{row_line(path, 2)}:5: IDS104 error: ")
    assert "The Segment identifier is empty" in line


def test_warnings_alone_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Send Mobile IDs is a setting this app cannot push: a reminder, never a refusal.
    path = write(tmp_path / "mobile.json", MOBILE_WITHOUT_TOGGLE)
    result = run(capsys, "check", "-q", str(path))
    assert result.code == 0
    assert len(result.out_lines) == 1
    line = result.out_lines[0]
    assert line.startswith(f"{path}:{row_line(path, 2)}:5: IDS109 warning: ")
    assert "Send Mobile IDs" in line


def test_folders_are_searched_recursively_for_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "a" / "clean.json", CLEAN)
    write(tmp_path / "a" / "b" / "wrong.json", ROW_ERROR)
    (tmp_path / "a" / "notes.txt").write_text("not json")
    hidden = tmp_path / "a" / ".git"
    hidden.mkdir()
    (hidden / "broken.json").write_bytes(BROKEN_JSON)
    result = run(capsys, "check", "-q", str(tmp_path / "a"))
    assert result.code == 1
    assert [line.split(":")[0] for line in result.out_lines] == [
        str(tmp_path / "a" / "b" / "wrong.json")
    ]
    summary = run(capsys, "check", str(tmp_path / "a")).out_lines[-1]
    assert summary.startswith("2 files checked: 1 error, 0 warnings")


def test_bad_file_is_reported_on_stderr_and_the_rest_is_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_bytes(BROKEN_JSON)
    wrong = write(tmp_path / "wrong.json", ROW_ERROR)
    result = run(capsys, "check", "-q", str(broken), str(wrong))
    assert result.code == 2
    assert result.err_lines == [
        f"{broken}:5:3: Expecting ',' delimiter — fix the JSON and open it again."
    ]
    assert result.out_lines[0].startswith(f"{wrong}:{row_line(wrong, 2)}:5: IDS104 error:")


def test_missing_path_and_empty_folder_are_unreadable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    clean = write(tmp_path / "clean.json", CLEAN)
    result = run(capsys, "check", "-q", str(tmp_path / "nope.json"), str(empty), str(clean))
    assert result.code == 2
    assert result.err_lines == [
        f"{tmp_path / 'nope.json'}: no such file or folder",
        f"{empty}: no .json files in this folder",
    ]


def test_the_same_file_twice_is_checked_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "wrong.json", ROW_ERROR)
    result = run(capsys, "check", "-q", str(path), str(tmp_path))
    assert len(result.out_lines) == 1


def test_json_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.json"
    broken.write_bytes(BROKEN_JSON)
    wrong = write(tmp_path / "wrong.json", ROW_ERROR)
    result = run(capsys, "check", "--format", "json", str(broken), str(wrong))
    assert result.code == 2
    report = json.loads(result.out)
    first, second = report["files"]
    assert first["path"] == str(broken) and not first["readable"]
    assert (first["error"]["line"], first["error"]["column"]) == (5, 3)
    assert first["findings"] == []
    assert second["readable"] and second["error"] is None
    errors = [f for f in second["findings"] if f["severity"] == "error"]
    assert errors == [
        {
            "code": "IDS104",
            "severity": "error",
            "message": errors[0]["message"],
            "area": "identifiers",
            "row": 2,
            "line": row_line(wrong, 2),
            "column": 5,
            "field": "segment",
            "source": sources.API_ID_SYNC_ENTRY,
            "basis": "Segment limit",
        }
    ]
    summary = report["summary"]
    assert (summary["files"], summary["unreadable"], summary["errors"]) == (2, 1, 1)
    assert summary["info"] == sum(f["severity"] == "info" for f in second["findings"]) > 0


def test_json_format_quiet_leaves_out_info(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "clean.json", CLEAN)
    report = json.loads(run(capsys, "check", "--format", "json", "-q", str(path)).out)
    assert report["files"][0]["findings"] == []
    assert report["summary"]["info"] == 0


@pytest.mark.parametrize("output", ["text", "github"])
def test_a_large_folder_checked_by_workers_reports_like_one_process(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], output: str
) -> None:
    """Past PARALLEL_FROM files the work is shared among processes, which print-ready
    lines come back from; the output is the same, byte for byte and in the same order,
    as checking them one by one: findings, unreadable files and the exit code."""
    from idsync.review.checked import PARALLEL_FROM

    root = Path(__file__).resolve().parents[2]
    examples = sorted((root / "resources" / "examples").rglob("*.json"))
    for n in range(PARALLEL_FROM + 25):
        source = examples[n % len(examples)]
        target = tmp_path / f"batch-{n // 100}" / f"{n:04d}-{source.name}"
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(source.read_bytes())
    damaged = {
        "0000-broken.json": BROKEN_JSON,
        "0150-not-utf8.json": b'{"format": "idsync-config", "name": "\xff"}',
        "0300-empty.json": b"",
        "0450-a-list.json": b"[1, 2]",
    }
    for n, (name, data) in enumerate(damaged.items()):
        (tmp_path / f"batch-{n}" / name).write_bytes(data)

    alone = run(capsys, "check", "--format", output, "--jobs", "1", str(tmp_path))
    shared = run(capsys, "check", "--format", output, "--jobs", "2", str(tmp_path))

    assert (shared.code, shared.out, shared.err) == (alone.code, alone.out, alone.err)
    assert alone.code == 2  # the damaged files: unreadable wins over error findings
    assert len(alone.err_lines) == len(damaged)
    if output == "text":
        assert f"{PARALLEL_FROM + 25 + len(damaged)} files checked" in alone.out_lines[-1]
        assert " IDS104 error: " in alone.out
    else:
        assert "::error file=" in alone.out and "title=IDS104" in alone.out


def _long_table(tmp_path: Path) -> Path:
    """300 rows of undeclared identifiers: an error (too many rows) and a warning on most."""
    from idsync.core.model import IdentifierRow

    rows = [IdentifierRow(segment=f"trait_{n}", destination=f"F{n}") for n in range(300)]
    return write(tmp_path / "long.json", CLEAN.with_rows(rows))


def test_findings_beyond_the_cap_are_one_line_in_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from idsync.review.checked import MAX_FINDINGS_PER_FILE

    path = _long_table(tmp_path)
    text = run(capsys, "check", str(path))
    assert text.code == 1
    *findings, more, summary = text.out_lines
    assert len(findings) == MAX_FINDINGS_PER_FILE
    assert more.startswith(f"{path}:1:1: and ") and "more findings not shown (" in more
    omitted = int(more.split(" and ")[1].split()[0])
    counted = summary.split(": ")[1].split(", ")
    assert sum(int(part.split()[0]) for part in counted) == MAX_FINDINGS_PER_FILE + omitted

    as_json = json.loads(run(capsys, "check", "--format", "json", str(path)).out)
    [entry] = as_json["files"]
    assert len(entry["findings"]) == MAX_FINDINGS_PER_FILE
    assert entry["more_findings"]["count"] == omitted
    totals = as_json["summary"]
    assert totals["errors"] + totals["warnings"] + totals["info"] == len(findings) + omitted

    sarif = json.loads(run(capsys, "check", "--format", "sarif", str(path)).out)
    [sarif_run] = sarif["runs"]
    assert len(sarif_run["results"]) == MAX_FINDINGS_PER_FILE
    [note] = sarif_run["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "note" and note["message"]["text"].startswith(f"and {omitted} more")

    github = run(capsys, "check", "--format", "github", str(path)).out_lines
    *annotations, folded, github_summary = github
    assert len(annotations) == sum(not line.startswith("::notice") for line in findings)
    assert all(line.startswith(("::error ", "::warning ")) for line in annotations)
    assert folded.startswith("::notice file=") and f"and {omitted} more" in folded
    assert github_summary.startswith("1 file checked: ")


def test_quiet_with_a_report_keeps_the_notes_in_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean = write(tmp_path / "clean.json", CLEAN)
    target = tmp_path / "report.html"
    result = run(capsys, "check", "-q", str(clean), "--report", str(target))
    assert result.code == 0 and result.out == ""
    html = target.read_text(encoding="utf-8")
    assert "No findings" not in html
    assert "sev-info" in html and "IDS901" in html


# --- standard input -----------------------------------------------------------------------


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_dash_reads_the_document_from_stdin_in_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = write(tmp_path / "wrong.json", ROW_ERROR)
    mobile = write(tmp_path / "mobile.json", MOBILE_WITHOUT_TOGGLE)
    _stdin(monkeypatch, wrong.read_bytes())
    result = run(capsys, "check", "-q", str(mobile), "-", "-")
    assert result.code == 1
    assert result.out_lines == [
        f"{mobile}:{row_line(mobile, 2)}:5: IDS109 warning: "
        + result.out_lines[0].split(" warning: ")[1],
        f"-:{row_line(wrong, 2)}:5: IDS104 error: " + result.out_lines[1].split(" error: ")[1],
    ], "stdin is read once, named '-', between the files as given"


def test_stdin_that_is_not_a_document_is_unreadable_like_a_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _stdin(monkeypatch, BROKEN_JSON)
    result = run(capsys, "check", "-")
    assert result.code == 2
    assert result.err_lines == ["-:5:3: Expecting ',' delimiter — fix the JSON and open it again."]
    _stdin(monkeypatch, b"")
    assert run(capsys, "check", "-").err_lines[0].startswith("-: ")


def test_stdin_is_bounded_like_a_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from idsync.storage.bounded import MAX_DOCUMENT_BYTES

    stream = io.BytesIO(b" " * (MAX_DOCUMENT_BYTES * 3))
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(stream))
    result = run(capsys, "check", "--format", "json", "-")
    assert result.code == 2
    [entry] = json.loads(result.out)["files"]
    assert entry["path"] == "-" and "is too big" in entry["error"]["message"]
    assert stream.tell() <= MAX_DOCUMENT_BYTES + 1, "the rest of the stream is never read"


def test_stdin_through_a_real_pipe(tmp_path: Path) -> None:
    wrong = write(tmp_path / "wrong.json", ROW_ERROR)
    completed = subprocess.run(
        [sys.executable, "-m", "idsync", "check", "--format", "sarif", "-"],
        input=wrong.read_bytes(),
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
    )
    assert completed.returncode == 1, completed.stderr
    [sarif_run] = json.loads(completed.stdout)["runs"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in sarif_run["results"]}
    assert uris == {"-"}


# --- rule selection and --strict --------------------------------------------------------


def test_select_and_ignore_take_codes_and_prefixes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = write(tmp_path / "wrong.json", ROW_ERROR)

    def codes(*options: str) -> tuple[int, set[str]]:
        result = run(capsys, "check", *options, str(wrong))
        return result.code, {line.split(": ")[1].split()[0] for line in result.out_lines[:-1]}

    everything = codes()
    assert "IDS104" in everything[1] and any(c.startswith("IDS9") for c in everything[1])
    assert codes("--ignore", "IDS104") == (0, everything[1] - {"IDS104"})
    assert codes("--select", "ids9") == (0, {c for c in everything[1] if c.startswith("IDS9")})
    assert codes("--select", "IDS1", "--select", "IDS901") == (1, {"IDS104", "IDS901"})
    assert codes("--select", "IDS9", "--ignore", "IDS901")[1] == {
        c for c in everything[1] if c.startswith("IDS9") and c != "IDS901"
    }
    summary = run(capsys, "check", "--ignore", "ALL", str(wrong)).out_lines
    assert summary == ["1 file checked: 0 errors, 0 warnings, 0 info"]


def test_strict_fails_on_warnings_but_not_on_notes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mobile = write(tmp_path / "mobile.json", MOBILE_WITHOUT_TOGGLE)
    clean = write(tmp_path / "clean.json", CLEAN)
    assert run(capsys, "check", "-q", str(mobile)).code == 0
    strict = run(capsys, "check", "--strict", str(mobile))
    assert strict.code == 1
    assert strict.out_lines[-1] == (
        "1 file checked: 0 errors, 1 warning, "
        f"{len(strict.out_lines) - 2} info (--strict: warnings fail)"
    )
    assert run(capsys, "check", "--strict", str(clean)).code == 0
    # An ignored warning does not fail it.
    assert run(capsys, "check", "--strict", "--ignore", "IDS109", str(mobile)).code == 0
    for output in ("json", "sarif", "github"):
        assert run(capsys, "check", "--strict", "--format", output, str(mobile)).code == 1
