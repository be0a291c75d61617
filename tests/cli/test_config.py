"""`idsync check`'s settings kept in a project (app/idsync/cli/config.py): `[tool.idsync]` of a
pyproject.toml or an idsync.toml, found from the checked folder upwards; the command line
wins; an unusable file is one line and exit 2."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers.cli import run
from tests.helpers.documents import CLEAN, MOBILE_WITHOUT_TOGGLE, write


def _project(tmp_path: Path) -> Path:
    """A project with a document that has a warning (IDS109) and notes, one folder down."""
    write(tmp_path / "configs" / "mobile.json", MOBILE_WITHOUT_TOGGLE)
    return tmp_path / "configs"


def _codes(lines: list[str]) -> set[str]:
    return {line.split(": ")[1].split()[0] for line in lines if ": IDS" in line}


def test_idsync_toml_above_the_checked_folder_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _project(tmp_path)
    (tmp_path / "idsync.toml").write_text('ignore = ["IDS9"]\nstrict = true\n')
    result = run(capsys, "check", str(folder))
    assert _codes(result.out_lines) == {"IDS109"}
    assert result.code == 1, "strict: the warning fails the check"
    assert result.out_lines[-1].endswith("(--strict: warnings fail)")


def test_pyproject_tool_idsync_is_read_and_one_without_it_passed_by(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _project(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.idsync]\nselect = ["IDS90"]\n')
    (folder / "pyproject.toml").write_text('[project]\nname = "other"\n')
    result = run(capsys, "check", str(folder / "mobile.json"))
    assert result.code == 0
    assert _codes(result.out_lines) and all(
        code.startswith("IDS90") for code in _codes(result.out_lines)
    )


def test_idsync_toml_comes_before_pyproject_in_the_same_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _project(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.idsync]\nselect = ["IDS90"]\n')
    (tmp_path / "idsync.toml").write_text('select = ["IDS109"]\n')
    assert _codes(run(capsys, "check", str(folder)).out_lines) == {"IDS109"}


def test_the_command_line_wins_option_by_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _project(tmp_path)
    (tmp_path / "idsync.toml").write_text(
        'select = ["IDS90"]\nignore = ["IDS109"]\nstrict = true\n'
    )
    result = run(capsys, "check", "--select", "IDS1", "--ignore", "IDS2", "--no-strict",
                 str(folder))
    assert (_codes(result.out_lines), result.code) == ({"IDS109"}, 0)
    # Only --select given: the file's ignore and strict still hold.
    result = run(capsys, "check", "--select", "IDS1,IDS9", str(folder))
    assert "IDS109" not in _codes(result.out_lines) and result.code == 0


def test_config_names_the_file_to_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _project(tmp_path)
    (tmp_path / "idsync.toml").write_text('select = ["IDS90"]\n')
    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_text('select = ["IDS1"]\nstrict = true\n')
    result = run(capsys, "check", "--config", str(elsewhere), str(folder))
    assert (_codes(result.out_lines), result.code) == ({"IDS109"}, 1)


def test_stdin_looks_for_settings_from_the_current_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    (tmp_path / "idsync.toml").write_text('select = ["IDS109"]\n')
    data = write(tmp_path / "mobile.json", MOBILE_WITHOUT_TOGGLE).read_bytes()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    result = run(capsys, "check", "-q", "-")
    assert result.out_lines and all(line.startswith("-:") for line in result.out_lines)
    assert _codes(result.out_lines) == {"IDS109"}


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("idsync.toml", "select = [IDS1\n", "not valid TOML: "),
        ("idsync.toml", 'selct = ["IDS1"]\n', "selct is not a known key — use select, ignore"),
        ("idsync.toml", 'select = "IDS1"\n', "select: 'IDS1' is not a list of rule codes"),
        ("idsync.toml", 'strict = "yes"\n', "strict: 'yes' is not true or false"),
        ("idsync.toml", 'ignore = ["IDS7"]\n', "ignore: IDS7 names no rule code"),
        ("pyproject.toml", '[tool]\nidsync = 3\n', "[tool.idsync] is not a table"),
        ("pyproject.toml", '[tool.idsync]\nstrict = 1\n',
         "[tool.idsync]: strict: the number 1 is not true or false"),
    ],
)
def test_an_unusable_settings_file_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, expected: str
) -> None:
    folder = _project(tmp_path)
    settings = tmp_path / name
    settings.write_text(text)
    result = run(capsys, "check", str(folder))
    assert (result.code, result.out) == (2, "")
    [line] = result.err_lines
    assert line.startswith(f"idsync: {settings}") and expected in line, line


def test_unknown_codes_on_the_command_line_and_a_missing_config_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "clean.json", CLEAN)
    result = run(capsys, "check", "--ignore", "IDS1,XYZ", str(path))
    assert (result.code, result.out) == (2, "")
    assert result.err_lines == [
        "idsync: --ignore: XYZ names no rule code (see `idsync rules`; a prefix such as "
        "IDS3, or ALL, is allowed)"
    ]
    missing = tmp_path / "none.toml"
    result = run(capsys, "check", "--config", str(missing), str(path))
    assert result.code == 2
    assert result.err_lines == [f"idsync: {missing}: cannot read it: no such file"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_idsync_toml_is_refused_without_waiting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _project(tmp_path)
    os.mkfifo(tmp_path / "fifo.toml")
    result = run(capsys, "check", "--config", str(tmp_path / "fifo.toml"), str(folder))
    assert result.code == 2
    assert "cannot read it: it is a named pipe (FIFO), not a file" in result.err
