"""Every write the commands make is checked: a full disk or a write error is one line
naming the stream and a non-zero exit, a reader that went away a quiet exit 141; and
nothing a document holds reaches the terminal as a control sequence."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from idsync.core.model import IdentifierRow, Strategy
from tests.helpers.cli import run
from tests.helpers.documents import CLEAN, ROW_ERROR, write

ROOT = Path(__file__).resolve().parents[2]
ON_LINUX = pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
# A terminal acts on these: set the title, ring, clear the screen (CSI in C1), reorder text.
HOSTILE = "email\x1b]0;pwned\x07\x9b2J\u202e\u200b"


def _idsync(*args: str, stdout: int, **kwargs: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "idsync", *args], cwd=ROOT, stdout=stdout,
        stderr=subprocess.PIPE, **kwargs,  # type: ignore[call-overload]
    )


@ON_LINUX
@pytest.mark.parametrize(
    "command",
    [("check", "--format", "sarif"), ("check", "--format", "json"), ("check",),
     ("catalog",), ("diff",), ("export",)],
    ids=lambda command: "-".join(command),
)
def test_a_full_disk_on_stdout_is_one_line_and_a_non_zero_exit(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    wrong = str(write(tmp_path / "wrong.json", ROW_ERROR))
    clean = str(write(tmp_path / "clean.json", CLEAN))
    files = {"catalog": [], "diff": [clean, wrong], "export": [wrong]}.get(command[0], [wrong])
    with open("/dev/full", "wb") as full:
        process = _idsync(*command, *files, stdout=full.fileno(),
                          env={**os.environ, "IDSYNC_HOME": str(tmp_path / "home")})
        _out, err = process.communicate(timeout=120)
    assert process.returncode == 2
    assert err.decode() == "idsync: cannot write to stdout: No space left on device\n"


@pytest.mark.parametrize("command", [("catalog",), ("rules",), ("check", "--format", "sarif")])
def test_a_reader_that_went_away_ends_the_command_quietly(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    wrong = str(write(tmp_path / "wrong.json", ROW_ERROR))
    files = [wrong] if command[0] == "check" else []
    read_end, write_end = os.pipe()
    os.close(read_end)  # `| head -1` that has read its line and gone
    process = _idsync(*command, *files, stdout=write_end)
    os.close(write_end)
    _out, err = process.communicate(timeout=120)
    assert process.returncode == 141
    assert err == b""


def _limit_file_size() -> None:
    # A file may grow to 1 kB only: a full disk for the files this process writes.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="POSIX file size limits")
@pytest.mark.parametrize("option", ["--report", "-o"])
def test_a_full_disk_on_an_output_file_is_one_line_naming_it(
    tmp_path: Path, option: str
) -> None:
    rows = [IdentifierRow(segment="email", destination=f"FIELD_{n}", strategy=Strategy.ALL)
            for n in range(40)]
    big = str(write(tmp_path / "big.json", CLEAN.with_rows(rows)))
    target = tmp_path / "out.file"
    command = ("check", big, "--report") if option == "--report" else ("export", big, "-o")
    process = _idsync(*command, str(target), stdout=subprocess.PIPE,
                      preexec_fn=_limit_file_size,
                      env={**os.environ, "IDSYNC_HOME": str(tmp_path / "home")})
    _out, err = process.communicate(timeout=120)
    assert process.returncode == 2
    [line] = err.decode().splitlines()
    assert str(target) in line and "too large" in line.lower()
    assert not target.exists()
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]


# --- one sanitiser -----------------------------------------------------------------------


def _hostile_pair(tmp_path: Path) -> tuple[str, str]:
    row = IdentifierRow(segment=HOSTILE, destination=f"E{HOSTILE}", strategy=Strategy.ALL)
    old = write(tmp_path / "old.json", CLEAN.replace(name=HOSTILE))
    new = write(tmp_path / "new.json", CLEAN.with_rows([*CLEAN.identifiers, row]))
    return str(old), str(new)


def _no_control(text: str) -> None:
    assert all(line.isprintable() for line in text.splitlines()), text


def test_diff_shows_control_characters_as_escapes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = _hostile_pair(tmp_path)
    result = run(capsys, "diff", old, new)
    assert result.code == 1
    _no_control(result.out)
    assert "email\\u001b]0;pwned\\u0007\\u009b2J\\u202e\\u200b" in result.out
    as_json = run(capsys, "diff", "--format", "json", old, new)
    _no_control(as_json.out)
    # JSON escapes: the value read back is the document's own text.
    assert json.loads(as_json.out)["rows"][-1]["new"]["segment"] == HOSTILE


def test_check_and_its_formats_show_control_characters_as_escapes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _old, new = _hostile_pair(tmp_path)
    hostile_name = tmp_path / f"a{HOSTILE}.json"
    Path(new).rename(hostile_name)
    for args in ((), ("--format", "json"), ("--format", "sarif"), ("--format", "github")):
        result = run(capsys, "check", *args, str(hostile_name))
        _no_control(result.out)
        _no_control(result.err)
        assert "\\u001b" in result.out


def test_preview_shows_control_characters_as_escapes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from idsync.resources import resource_path

    row = IdentifierRow(segment="email", destination=f"E{HOSTILE}", strategy=Strategy.ALL)
    doc = write(tmp_path / "doc.json", CLEAN.with_rows([row]))
    result = run(capsys, "preview", str(doc), str(resource_path("profiles",
                                                               "returning-customer.json")))
    assert result.code == 0, result.err
    _no_control(result.out)
    assert "\\u202e" in result.out


def test_history_lists_a_hostile_file_name_as_escapes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = write(tmp_path / "doc.json", CLEAN)
    out = tmp_path / f"body{HOSTILE}.json"
    assert run(capsys, "export", str(doc), "-o", str(out)).code == 0
    result = run(capsys, "history", "--all")
    assert result.code == 0, result.err
    _no_control(result.out)
    assert "\\u001b" in result.out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_an_output_that_is_a_pipe_is_written_into_not_replaced(tmp_path: Path) -> None:
    wrong = str(write(tmp_path / "wrong.json", ROW_ERROR))
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    process = _idsync("export", wrong, "-o", str(fifo), stdout=subprocess.PIPE,
                      env={**os.environ, "IDSYNC_HOME": str(tmp_path / "home")})
    with open(fifo, "rb") as reader:
        written = reader.read()
    _out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert json.loads(written)["name"] == ROW_ERROR.name
    assert fifo.is_fifo()


@ON_LINUX
def test_a_full_device_as_the_output_file_is_one_line_naming_it(tmp_path: Path) -> None:
    wrong = str(write(tmp_path / "wrong.json", ROW_ERROR))
    process = _idsync("export", wrong, "-o", "/dev/full", stdout=subprocess.PIPE,
                      env={**os.environ, "IDSYNC_HOME": str(tmp_path / "home")})
    _out, err = process.communicate(timeout=120)
    assert process.returncode == 2
    assert err.decode() == "/dev/full: could not write: No space left on device.\n"
    assert Path("/dev/full").is_char_device()


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_a_document_printed_on_a_terminal_has_nothing_the_terminal_acts_on(
    tmp_path: Path,
) -> None:
    row = IdentifierRow(segment="email", destination=f"E{HOSTILE}", strategy=Strategy.ALL)
    doc = str(write(tmp_path / "doc.json", CLEAN.with_rows([row])))
    env = {**os.environ, "IDSYNC_HOME": str(tmp_path / "home")}
    primary, secondary = os.openpty()
    process = _idsync("export", doc, stdout=secondary, env=env)
    os.close(secondary)
    shown = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the terminal's other side closed: all is read
            break
        if not chunk:
            break
        shown += chunk
    os.close(primary)
    _out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    text = shown.decode("utf-8").replace("\r\n", "\n")
    assert all(line.isprintable() for line in text.splitlines())
    assert json.loads(text)["identifiers"][0]["destination"] == f"E{HOSTILE}"
    # Through a pipe the bytes are the document's own.
    piped = subprocess.run([sys.executable, "-m", "idsync", "export", doc], cwd=ROOT, env=env,
                           capture_output=True, check=True)
    assert piped.stdout == Path(doc).read_bytes()
