"""`idsync` window mode without a graphical session, and `idsync --self-test`, run as a
person runs them: a real process with its own environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from idsync import __version__
from idsync.resources import resource_path

ROOT = Path(__file__).resolve().parents[2]
GRAPHICS = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in GRAPHICS and k != "PYTHONPATH"}
    env["IDSYNC_HOME"] = str(tmp_path / "home")
    env.update(extra)
    return env


def _idsync(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    # `python -m idsync` is what the `idsync` script runs; cwd elsewhere, so the checkout's
    # files are found through the installed package, not by accident.
    return subprocess.run(
        [sys.executable, "-m", "idsync", *args],
        cwd=tmp_path,
        env=_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check is Linux's")
@pytest.mark.parametrize("args", [(), ("{example}",)])
def test_without_a_graphical_session_the_window_says_what_works_instead(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    example = str(resource_path("examples", "journey-step.json"))
    result = _idsync(tmp_path, *(a.format(example=example) for a in args))
    assert result.returncode == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("idsync: the window needs a graphical session")
    for command in ("check", "export", "diff", "push"):
        assert f" {command}," in line
    assert "`xvfb-run idsync`" in line


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check is Linux's")
def test_the_no_display_answer_comes_before_qt_is_loaded(tmp_path: Path) -> None:
    script = (
        "import sys; from idsync.cli import main; code = main([]);"
        "print(code, 'PySide6' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout.split() == ["2", "False"]


def test_self_test_opens_the_shipped_example_and_prints_one_json_line(tmp_path: Path) -> None:
    result = _idsync(tmp_path, "--self-test", QT_QPA_PLATFORM="offscreen")
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    report = json.loads(line)
    assert report["self_test"] == "ok"
    assert report["version"] == __version__
    assert report["platform"] == "offscreen"
    assert Path(report["file"]) == resource_path("examples", "facebook-custom-audiences.json")
    assert 0 < report["first_paint_s"] <= report["ready_s"]
    assert report["clock"] in ("process-start", "first-import")
    if sys.platform.startswith("linux"):
        assert report["rss_mb"] > 0
    assert report["findings"] == {"error": 0, "warning": 0, "info": len(report["codes"])}
    # Its own throwaway home: nothing is left in the one the environment names.
    assert not (tmp_path / "home").exists()


def test_self_test_counts_the_findings_of_the_given_file(tmp_path: Path) -> None:
    invalid = resource_path("examples", "invalid", "IDS101-too-many-all.json")
    result = _idsync(tmp_path, "--self-test", str(invalid), QT_QPA_PLATFORM="offscreen")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    # Four rows use All: one IDS101 finding names them all.
    assert report["findings"]["error"] == 1
    assert "IDS101" in report["codes"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [(None, "no such file"), ("{\n", ":2:1: ")],
    ids=["missing", "broken-json"],
)
def test_self_test_of_an_unreadable_file_is_one_line_and_exit_2(
    tmp_path: Path, content: str | None, expected: str
) -> None:
    bad = tmp_path / "bad.json"
    if content is not None:
        bad.write_text(content)
    result = _idsync(tmp_path, "--self-test", str(bad), QT_QPA_PLATFORM="offscreen")
    assert result.returncode == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"idsync: self-test: {bad}")
    assert expected in line


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check is Linux's")
def test_self_test_without_a_graphical_session_says_so(tmp_path: Path) -> None:
    result = _idsync(tmp_path, "--self-test")
    assert result.returncode == 2
    assert "the window needs a graphical session" in result.stderr


def test_self_test_takes_at_most_one_file(tmp_path: Path) -> None:
    result = _idsync(tmp_path, "--self-test", "a.json", "b.json", QT_QPA_PLATFORM="offscreen")
    assert result.returncode == 2
    assert result.stderr == "idsync: usage: idsync --self-test [FILE]\n"
