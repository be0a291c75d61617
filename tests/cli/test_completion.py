"""`idsync completion bash|zsh|fish`: scripts written from the parser that complete every
command, option and fixed choice, checked by running bash's completion for real."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from idsync.cli.completion import script
from idsync.cli.names import COMMAND_NAMES
from tests.helpers.cli import run


def complete(tmp_path: Path, line: str) -> list[str]:
    """What bash offers for ``line`` (the cursor at its end), with the script loaded."""
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    source = tmp_path / "idsync.bash"
    source.write_text(script("bash"), encoding="utf-8")
    words = line.split(" ")
    program = (
        f"source {source}\n"
        f"COMP_WORDS=({' '.join(repr(word) for word in words)})\n"
        f"COMP_CWORD={len(words) - 1}\n"
        "_idsync\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    result = subprocess.run(
        [bash, "--norc", "--noprofile", "-c", program], capture_output=True, text=True,
        cwd=tmp_path, check=False,
    )
    assert result.returncode == 0, result.stderr
    return [word for word in result.stdout.splitlines() if word]


def test_bash_completes_every_command(tmp_path: Path) -> None:
    assert complete(tmp_path, "idsync ") == list(COMMAND_NAMES)
    assert complete(tmp_path, "idsync ch") == ["check"]
    assert complete(tmp_path, "idsync --v") == ["--version"]


def test_bash_completes_a_commands_options_and_their_choices(tmp_path: Path) -> None:
    assert complete(tmp_path, "idsync check --f") == ["--format"]
    assert complete(tmp_path, "idsync check --format ") == ["text", "json", "sarif", "github"]
    assert complete(tmp_path, "idsync check --format s") == ["sarif"]
    assert complete(tmp_path, "idsync push a.json --region ") == ["us", "eu"]
    assert complete(tmp_path, "idsync catalog ") == ["destinations", "identifiers"]
    assert complete(tmp_path, "idsync completion ") == ["bash", "zsh", "fish"]


def test_bash_leaves_file_arguments_to_file_name_completion(tmp_path: Path) -> None:
    # An empty reply: `complete -o default` then completes file names.
    assert complete(tmp_path, "idsync check ") == []
    assert complete(tmp_path, "idsync check --report ") == []
    assert "complete -o default -F _idsync idsync" in script("bash")


def test_bash_reads_the_script_without_a_syntax_error(tmp_path: Path) -> None:
    bash = shutil.which("bash") or pytest.skip("bash is not installed")
    path = tmp_path / "idsync.bash"
    path.write_text(script("bash"), encoding="utf-8")
    result = subprocess.run([bash, "-n", str(path)], capture_output=True, text=True)
    assert (result.returncode, result.stderr) == (0, "")


def test_zsh_runs_the_bash_completion_through_bashcompinit() -> None:
    text = script("zsh")
    assert text.startswith("#compdef idsync\n")
    assert "autoload -U +X bashcompinit && bashcompinit\n" in text
    assert script("bash") in text
    zsh = shutil.which("zsh")
    if zsh is not None:
        result = subprocess.run([zsh, "-n", "-c", text], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def test_fish_lists_every_command_and_the_choices_of_each_option() -> None:
    text = script("fish")
    for name in COMMAND_NAMES:
        assert f"complete -c idsync -n __fish_use_subcommand -a {name} " in text
    assert (
        "complete -c idsync -n '__fish_seen_subcommand_from check' -l format "
        "-x -a 'text json sarif github'"
    ) in text
    assert "complete -c idsync -n '__fish_seen_subcommand_from check' -s q -l quiet " in text
    # A quote in a description is escaped for fish.
    assert "-d 'show program\\'s version number and exit'" in text
    fish = shutil.which("fish")
    if fish is not None:
        result = subprocess.run([fish, "--no-execute", "-c", text], capture_output=True)
        assert result.returncode == 0, result.stderr


def test_the_command_prints_the_script(capsys: pytest.CaptureFixture[str]) -> None:
    for shell in ("bash", "zsh", "fish"):
        result = run(capsys, "completion", shell)
        assert (result.code, result.out, result.err) == (0, script(shell), "")
    refused = run(capsys, "completion", "tcsh")
    assert refused.code == 2
    assert "invalid choice: 'tcsh'" in refused.err


def test_check_completes_its_rule_options_and_offers_the_codes(tmp_path: Path) -> None:
    from idsync.core.rules import RULES

    assert complete(tmp_path, "idsync check --s") == ["--select", "--strict"]
    assert complete(tmp_path, "idsync check --no-s") == ["--no-strict"]
    assert complete(tmp_path, "idsync check --select ") == [*sorted(RULES), "ALL"]
    assert complete(tmp_path, "idsync check --ignore IDS10") == sorted(
        code for code in RULES if code.startswith("IDS10")
    )
    assert complete(tmp_path, "idsync check --config ") == [], "a file name"
    fish = script("fish")
    assert "-l select -x -a 'IDS101 " in fish and "-l strict -l no-strict" in fish
