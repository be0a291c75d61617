"""`idsync diff A B --format json`: the same diff as the text, machine-readable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from idsync.core.model import IdentifierRow, Strategy
from tests.helpers.cli import run
from tests.helpers.documents import CLEAN, write


def test_json_diff_matches_the_text_diff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = write(tmp_path / "a.json", CLEAN)
    changed = CLEAN.with_rows(
        [
            IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.ALL),
            IdentifierRow(segment="phone", destination="PHONE", strategy=Strategy.LAST),
        ]
    ).replace(name="Renamed")
    b = write(tmp_path / "b.json", changed)
    text = run(capsys, "diff", str(a), str(b))
    result = run(capsys, "diff", str(a), str(b), "--format", "json")
    assert result.code == text.code == 1
    data = json.loads(result.out)
    assert data["text"] == text.out_lines
    assert (data["old"], data["new"], data["same"]) == (str(a), str(b), False)
    assert data["fields"] == [{"field": "name", "old": "'Facebook email'", "new": "'Renamed'"}]
    changed_row, added_row = data["rows"]
    assert changed_row["kind"] == "changed"
    assert (changed_row["old_row"], changed_row["new_row"]) == (1, 1)
    assert changed_row["fields"] == [{"field": "strategy", "old": "last", "new": "all"}]
    assert added_row == {
        "kind": "added", "old_row": None, "new_row": 2, "old": None,
        "new": {"segment": "phone", "destination": "PHONE", "strategy": "last"},
        "fields": [], "moved": False,
    }


def test_json_diff_of_the_same_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = write(tmp_path / "a.json", CLEAN)
    result = run(capsys, "diff", "--format", "json", str(a), str(a))
    assert result.code == 0
    data = json.loads(result.out)
    assert data["same"] is True and data["rows"] == [] and data["fields"] == []


def test_diff_needs_two_files_without_live(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = write(tmp_path / "a.json", CLEAN)
    result = run(capsys, "diff", str(a))
    assert result.code == 2
    assert "needs two documents" in result.err
