"""`idsync check` over the shipped examples: every invalid example is reported with the
error its file is named after, every example in warnings/ with exactly the warning its
file is named after (and no error), and every valid one passes on its own."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from idsync.resources import resource_path
from tests.helpers.cli import run

EXAMPLES = resource_path("examples")
INVALID = sorted((EXAMPLES / "invalid").glob("*.json"))
WARNINGS = sorted((EXAMPLES / "warnings").glob("*.json"))
VALID = sorted(EXAMPLES.glob("*.json"))
ROOT = Path(__file__).resolve().parents[2]
# PATH:LINE:COL: CODE SEVERITY: MESSAGE
LINE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<code>IDS\d{3}) (?P<severity>\w+): \S"
)


def _codes_by_path(lines: list[str], severity: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for line in lines:
        match = LINE.match(line)
        if match and match["severity"] == severity:
            found.setdefault(match["path"], set()).add(match["code"])
    return found


def _error_codes_by_path(lines: list[str]) -> dict[str, set[str]]:
    return _codes_by_path(lines, "error")


def test_the_examples_are_there() -> None:
    assert len(INVALID) >= 5
    assert len(WARNINGS) >= 10
    assert len(VALID) >= 5
    assert all(re.match(r"IDS\d{3}-", path.name) for path in INVALID + WARNINGS)


def test_checking_the_examples_folder_reports_each_invalid_file_by_its_code(
    capsys: pytest.CaptureFixture[str],
) -> None:
    result = run(capsys, "check", str(EXAMPLES))
    assert result.code == 1
    assert result.err == ""
    errors = _error_codes_by_path(result.out_lines)
    for path in INVALID:
        code = path.name[:6]
        assert code in errors.get(str(path), set()), f"{path.name}: no {code} error line"
    assert set(errors) == {str(path) for path in INVALID}, "only the invalid files have errors"
    warnings = _codes_by_path(result.out_lines, "warning")
    for path in WARNINGS:
        assert warnings.get(str(path)) == {path.name[:6]}, path.name
    assert not {str(path) for path in VALID} & set(warnings), "valid files have no warnings"
    error_lines = [line for line in result.out_lines if " error: " in line]
    assert result.out_lines[-1].startswith(
        f"{len(INVALID) + len(WARNINGS) + len(VALID)} files checked: "
        f"{len(error_lines)} errors, "
    )


@pytest.mark.parametrize("path", WARNINGS, ids=lambda p: p.name)
def test_each_warning_example_warns_for_its_own_code_and_exits_0(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(capsys, "check", "--quiet", str(path))
    assert result.code == 0, result.out
    assert result.err == ""
    parsed = [LINE.match(line) for line in result.out_lines]
    assert all(match is not None for match in parsed), result.out
    assert {m["severity"] for m in parsed if m is not None} == {"warning"}
    assert {m["code"] for m in parsed if m is not None} == {path.name[:6]}


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_each_invalid_example_exits_1_with_only_its_own_error(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(capsys, "check", "--quiet", str(path))
    assert result.code == 1
    assert _error_codes_by_path(result.out_lines) == {str(path): {path.name[:6]}}


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_each_valid_example_passes_alone(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(capsys, "check", str(path))
    assert result.code == 0
    assert result.err == ""
    assert result.out_lines, "the info findings and summary are printed"
    parsed = [LINE.match(line) for line in result.out_lines[:-1]]
    assert all(match is not None for match in parsed), result.out
    assert [m["severity"] for m in parsed if m is not None and m["severity"] != "info"] == []
    assert result.out_lines[-1].startswith("1 file checked: 0 errors, 0 warnings")


def test_the_installed_command_exits_1_on_the_examples_folder() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "idsync", "check", "--quiet", str(EXAMPLES)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 1, completed.stderr
    assert completed.stderr == ""
    assert set(_error_codes_by_path(completed.stdout.splitlines())) == {
        str(path) for path in INVALID
    }


def test_a_damaged_example_is_reported_at_its_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (EXAMPLES / "journey-step.json").read_text(encoding="utf-8")
    damaged = tmp_path / "journey-step.json"
    damaged.write_text(text.replace('"kind": "journey"', '"kind": "campaign"', 1), "utf-8")
    line = next(
        number
        for number, content in enumerate(damaged.read_text("utf-8").splitlines(), start=1)
        if '"campaign"' in content
    )
    column = damaged.read_text("utf-8").splitlines()[line - 1].index('"campaign"') + 1

    result = run(capsys, "check", str(damaged))

    assert result.code == 2
    assert result.err_lines == [
        f"{damaged}:{line}:{column}: target.kind: 'campaign' is not one of audience, journey "
        "— use one of them"
    ]
