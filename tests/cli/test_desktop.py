"""`idsync install-desktop`: the entry (starting this idsync, one document each), icons,
metainfo and MIME type under $XDG_DATA_HOME or a prefix, and `--uninstall`."""

from __future__ import annotations

import sys
from configparser import ConfigParser
from pathlib import Path

import pytest

from idsync import DESKTOP_ID
from idsync.cli.desktop import exec_line
from tests.helpers.cli import run

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def entry_exec(path: Path) -> str:
    parser = ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]["Exec"]


def expected_files(share: Path) -> set[Path]:
    files = {
        share / "applications" / f"{DESKTOP_ID}.desktop",
        share / "metainfo" / f"{DESKTOP_ID}.metainfo.xml",
        share / "mime" / "packages" / f"{DESKTOP_ID}.xml",
        share / "icons" / "hicolor" / "scalable" / "apps" / f"{DESKTOP_ID}.svg",
    }
    files |= {share / "icons" / "hicolor" / f"{n}x{n}" / "apps" / f"{DESKTOP_ID}.png"
              for n in SIZES}
    return files


def test_install_puts_every_file_under_xdg_data_home(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    share = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(share))
    program = tmp_path / "bin" / "idsync"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    result = run(capsys, "install-desktop", "--exec", str(program))
    assert result.code == 0, result.err
    files = expected_files(share)
    assert all(path.is_file() for path in files)
    assert {Path(line.removeprefix("installed ")) for line in result.out_lines} == files
    assert entry_exec(share / "applications" / f"{DESKTOP_ID}.desktop") == f"{program} %f"


def test_a_relative_xdg_data_home_is_ignored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", "relative/data")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    result = run(capsys, "install-desktop", "--exec", "idsync")
    assert result.code == 0, result.err
    assert (tmp_path / ".local" / "share" / "applications" / f"{DESKTOP_ID}.desktop").is_file()
    assert not (tmp_path / "relative").exists()


def test_prefix_installs_under_prefix_share_with_a_plain_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(capsys, "install-desktop", "--prefix", str(tmp_path), "--exec", "idsync")
    assert result.code == 0, result.err
    assert all(path.is_file() for path in expected_files(tmp_path / "share"))
    entry = tmp_path / "share" / "applications" / f"{DESKTOP_ID}.desktop"
    assert entry_exec(entry) == "idsync %f"


def test_without_exec_the_entry_starts_the_idsync_that_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    script = Path(sys.prefix, "bin", "idsync")
    monkeypatch.setattr(sys, "argv", [str(script), "install-desktop"])
    result = run(capsys, "install-desktop", "--prefix", str(tmp_path))
    assert result.code == 0, result.err
    entry = tmp_path / "share" / "applications" / f"{DESKTOP_ID}.desktop"
    assert entry_exec(entry) == f"{script.absolute()} %f"


def test_a_missing_program_is_refused_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere" / "idsync"
    result = run(capsys, "install-desktop", "--prefix", str(tmp_path), "--exec", str(missing))
    assert result.code == 2
    assert result.err == f"idsync: install-desktop: {missing} is not a file: pass --exec PATH\n"
    assert not (tmp_path / "share").exists()


def test_an_unwritable_place_is_one_line_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A file where the share folder would be (a read-only folder would not stop root).
    (tmp_path / "share").write_text("not a folder", encoding="utf-8")
    result = run(capsys, "install-desktop", "--prefix", str(tmp_path), "--exec", "idsync")
    assert result.code == 2
    assert result.err.startswith(f"idsync: install-desktop: cannot write under {tmp_path}")
    assert len(result.err_lines) == 1


def test_uninstall_removes_what_install_put_and_nothing_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    share = tmp_path / "share"
    neighbour = share / "applications" / "other.desktop"
    neighbour.parent.mkdir(parents=True)
    neighbour.write_text("[Desktop Entry]\n", encoding="utf-8")
    assert run(capsys, "install-desktop", "--prefix", str(tmp_path), "--exec", "idsync").code == 0
    result = run(capsys, "install-desktop", "--prefix", str(tmp_path), "--uninstall")
    assert result.code == 0
    assert len(result.out_lines) == len(expected_files(share))
    assert [p for p in share.rglob(f"{DESKTOP_ID}*")] == []
    assert neighbour.is_file()


@pytest.mark.parametrize(
    ("program", "line"),
    [
        ("/opt/idsync/idsync", "Exec=/opt/idsync/idsync %f"),
        ("/home/a b/idsync", 'Exec="/home/a b/idsync" %f'),
        # The spec's own examples: a literal $ is written \\$, a literal backslash \\\\.
        ('/x/$HOME/idsync', 'Exec="/x/\\\\$HOME/idsync" %f'),
        ('/x/a\\b/idsync', 'Exec="/x/a\\\\\\\\b/idsync" %f'),
        ('/x/"q"/idsync', 'Exec="/x/\\\\"q\\\\"/idsync" %f'),
    ],
)
def test_the_exec_line_quotes_what_the_spec_reserves(program: str, line: str) -> None:
    assert exec_line(program) == line
