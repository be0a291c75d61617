"""``idsync completion bash|zsh|fish``: a completion script for the shell, written from
the parser (``parser_facts``), so it knows every command, option and fixed choice.

    idsync completion bash > ~/.local/share/bash-completion/completions/idsync
    idsync completion zsh > "${fpath[1]}/_idsync"
    idsync completion fish > ~/.config/fish/completions/idsync.fish

Where an option takes rule codes (``--select``, ``--ignore``) the shell offers them;
where an argument takes a file, or a value with no fixed choices, it completes file
names.
"""

from __future__ import annotations

import argparse
import shlex

from idsync.cli.output import EXIT_OK, PROG, out
from idsync.cli.parser import RULE_CODES, build_parser
from idsync.cli.parser_facts import Command, Option, commands, options


def _offered(option: Option) -> tuple[str, ...]:
    """The values to offer after ``option``: its choices, or every rule code (and ALL)."""
    if option.metavar == RULE_CODES:
        # Seam "command": the rule table, only for the completion script.
        from idsync.core.rules.codes import RULES
        from idsync.review.selection import ALL

        return (*sorted(RULES), ALL)
    return option.choices


def _words(items: list[str] | tuple[str, ...]) -> str:
    return shlex.quote(" ".join(items))


def _value_cases(opts: tuple[Option, ...], indent: str) -> list[str]:
    """bash ``case "$prev"`` branches: fixed choices, or files (an empty reply: the
    ``-o default`` of ``complete`` then completes file names)."""
    lines = []
    for option in opts:
        if option.metavar is None:
            continue
        pattern = "|".join(option.flags)
        if _offered(option):
            reply = f'COMPREPLY=($(compgen -W {_words(_offered(option))} -- "$cur"))'
            lines.append(f"{indent}{pattern}) {reply}; return ;;")
        else:
            lines.append(f"{indent}{pattern}) return ;;")
    return lines


def _bash_command(command: Command) -> list[str]:
    flags = [flag for option in command.options for flag in option.flags]
    lines = [f"        {command.name})", '            case "$prev" in']
    lines += _value_cases(command.options, "                ")
    lines += ["            esac"]
    lines += [
        '            if [[ "$cur" == -* ]]; then',
        f'                COMPREPLY=($(compgen -W {_words(flags)} -- "$cur")); return',
        "            fi",
    ]
    choices = [c for positional in command.positionals for c in positional.choices]
    if choices:
        lines.append(f'            COMPREPLY=($(compgen -W {_words(choices)} -- "$cur"))')
    lines.append("            ;;")
    return lines


def bash_script(parser: argparse.ArgumentParser) -> str:
    listed = commands(parser)
    top = options(parser)
    top_flags = [flag for option in top for flag in option.flags]
    names = [command.name for command in listed]
    lines = [
        f"# bash completion for {PROG} (written by `{PROG} completion bash`)",
        f"_{PROG}() {{",
        "    local cur prev command i",
        '    cur="${COMP_WORDS[COMP_CWORD]}"',
        '    prev="${COMP_WORDS[COMP_CWORD-1]}"',
        '    command=""',
        "    for ((i = 1; i < COMP_CWORD; i++)); do",
        '        case "${COMP_WORDS[i]}" in',
        "            -*) ;;",
        '            *) command="${COMP_WORDS[i]}"; break ;;',
        "        esac",
        "    done",
        '    if [[ -z "$command" ]]; then',
        '        case "$prev" in',
        *_value_cases(top, "            "),
        "        esac",
        '        if [[ "$cur" == -* ]]; then',
        f'            COMPREPLY=($(compgen -W {_words(top_flags)} -- "$cur"))',
        "        else",
        "            # A command, or a document or folder to open in the window.",
        f'            COMPREPLY=($(compgen -W {_words(names)} -- "$cur"))',
        "        fi",
        "        return",
        "    fi",
        '    case "$command" in',
    ]
    for command in listed:
        lines += _bash_command(command)
    lines += [
        "    esac",
        "}",
        f"complete -o default -F _{PROG} {PROG}",
    ]
    return "\n".join(lines) + "\n"


def zsh_script(parser: argparse.ArgumentParser) -> str:
    # zsh runs the bash function through its bash-completion layer (bashcompinit).
    return (
        f"#compdef {PROG}\n"
        f"# zsh completion for {PROG} (written by `{PROG} completion zsh`)\n"
        "autoload -U +X bashcompinit && bashcompinit\n" + bash_script(parser)
    )


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fish_option(condition: str, option: Option) -> str:
    parts = [f"complete -c {PROG} -n {_fish_quote(condition)}"]
    for flag in option.flags:
        if flag.startswith("--"):
            parts.append(f"-l {flag[2:]}")
        else:
            parts.append(f"-s {flag[1:]}")
    if option.metavar is not None:
        offered = _offered(option)
        parts.append(f"-x -a {_fish_quote(' '.join(offered))}" if offered else "-r -F")
    if option.help:
        parts.append(f"-d {_fish_quote(option.help)}")
    return " ".join(parts)


def fish_script(parser: argparse.ArgumentParser) -> str:
    listed = commands(parser)
    lines = [f"# fish completion for {PROG} (written by `{PROG} completion fish`)"]
    for option in options(parser):
        lines.append(_fish_option("__fish_use_subcommand", option))
    for command in listed:
        lines.append(
            f"complete -c {PROG} -n __fish_use_subcommand -a {command.name}"
            + (f" -d {_fish_quote(command.summary)}" if command.summary else "")
        )
    for command in listed:
        condition = f"__fish_seen_subcommand_from {command.name}"
        for option in command.options:
            lines.append(_fish_option(condition, option))
        for positional in command.positionals:
            if positional.choices:
                lines.append(
                    f"complete -c {PROG} -n {_fish_quote(condition)} -f "
                    f"-a {_fish_quote(' '.join(positional.choices))}"
                )
    return "\n".join(lines) + "\n"


def script(shell: str) -> str:
    parser = build_parser()
    writers = {"bash": bash_script, "zsh": zsh_script, "fish": fish_script}
    return writers[shell](parser)


def run_completion(args: argparse.Namespace) -> int:
    out(script(args.shell).rstrip("\n"))
    return EXIT_OK
