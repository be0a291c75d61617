"""Inputs that used to hang or crash the commands: each is exit 2 and one line now."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.cli import run
from tests.helpers.damage import DAMAGE
from tests.helpers.documents import CLEAN, write

pytestmark = pytest.mark.timeout(60)  # a FIFO read that blocks fails here, not at 300 s

UNREADABLE = ["FIFO", "device", "symlink loop", "deep nesting", "deep objects", "huge integer",
              "invalid UTF-8"]


@pytest.mark.parametrize("damage", UNREADABLE)
@pytest.mark.parametrize("command", ["check", "export", "diff"])
def test_a_damaged_document_is_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: str, command: str
) -> None:
    bad = tmp_path / "bad.json"
    DAMAGE[damage](bad)
    argv = [command, str(bad)]
    if command == "diff":
        argv.append(str(write(tmp_path / "good.json", CLEAN)))
    result = run(capsys, *argv)
    assert result.code == 2, result.err
    assert [line for line in result.err_lines if line.startswith(str(bad))] == result.err_lines[:1]
    assert "internal error" not in result.err


def test_a_folder_with_a_fifo_among_its_documents_checks_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "docs" / "good.json", CLEAN)
    DAMAGE["FIFO"](tmp_path / "docs" / "pipe.json")
    result = run(capsys, "check", str(tmp_path / "docs"))
    assert result.code == 2
    assert result.err_lines == [
        f"{tmp_path / 'docs' / 'pipe.json'}: could not open: it is a named pipe (FIFO), "
        "not a document file — check the path."
    ]
    assert "2 files checked" in result.out
