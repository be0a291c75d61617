"""The man page is written from the parser, names every command and option, reads
cleanly with groff and is current in docs/man/ (tests/test_packaging.py: the wheel
installs it)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from idsync import __version__
from idsync.cli.manpage import escape, render
from idsync.cli.parser import build_parser
from idsync.cli.parser_facts import commands

ROOT = Path(__file__).resolve().parents[2]


def test_every_command_and_option_is_in_the_man_page() -> None:
    page = render(build_parser())
    assert page.startswith(f'.TH IDSYNC 1 "" "idsync {__version__}"')
    for command in commands(build_parser()):
        assert f"\n.SS {escape(command.name)}\n" in page
        for option in command.options:
            if option.flags[0] != "-h":
                assert f"\\fB{escape(option.flags[-1])}\\fR" in page, option
    assert "\n.SH EXIT STATUS\n0 clean, 1 error findings" in page


def test_roff_control_characters_are_escaped() -> None:
    assert escape("a-b \\n") == "a\\-b \\en"
    assert escape(".hidden\n'also") == "\\&.hidden\n\\&'also"


def test_groff_reads_the_man_page_without_a_warning(tmp_path: Path) -> None:
    groff = shutil.which("groff")
    if groff is None:
        pytest.skip("groff is not installed")
    page = tmp_path / "idsync.1"
    page.write_text(render(build_parser()), encoding="utf-8")
    result = subprocess.run(
        [groff, "-man", "-Tutf8", "-ww", "-z", str(page)], capture_output=True, text=True
    )
    assert (result.returncode, result.stderr) == (0, "")


def test_the_shipped_man_page_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "render_manpage.py"), "--check"],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
