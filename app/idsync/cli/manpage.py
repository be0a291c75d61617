"""The ``idsync(1)`` man page, written from the parser (``parser_facts``): every command
with its description, arguments and options. ``scripts/render_manpage.py`` keeps
``docs/man/idsync.1`` current with it; the wheel installs that file as
``share/man/man1/idsync.1``.
"""

from __future__ import annotations

import argparse
import re

from idsync import APP_NAME, HOMEPAGE, __version__
from idsync.cli.output import PROG
from idsync.cli.parser_facts import Command, Option, Positional, commands, options


def escape(text: str) -> str:
    """Text for roff: backslashes and hyphens escaped, no line starting with a control
    character."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join("\\&" + line if line[:1] in (".", "'") else line
                     for line in text.splitlines())


def _option_heading(option: Option) -> str:
    flags = ", ".join(f"\\fB{escape(flag)}\\fR" for flag in option.flags)
    if option.metavar is None:
        return flags
    value = "{" + ",".join(option.choices) + "}" if option.choices else option.metavar
    return f"{flags} \\fI{escape(value)}\\fR"


def _option(option: Option) -> list[str]:
    return [".TP", _option_heading(option), escape(option.help or "")]


def _positional(positional: Positional) -> list[str]:
    help_text = positional.help
    if positional.choices:
        help_text = (help_text + " " if help_text else "") + "One of: " + ", ".join(
            positional.choices) + "."
    return [".TP", f"\\fI{escape(positional.name)}\\fR", escape(help_text or "")]


def _synopsis(command: Command) -> str:
    parts = [f"\\fB{PROG} {escape(command.name)}\\fR"]
    for option in command.options:
        if option.flags[0] in ("-h", "--help"):
            continue
        flag = escape(option.flags[-1])
        parts.append(f"[\\fB{flag}\\fR]" if option.metavar is None
                     else f"[\\fB{flag}\\fR \\fI{escape(option.metavar)}\\fR]")
    for positional in command.positionals:
        name = f"\\fI{escape(positional.name)}\\fR" + ("..." if positional.many else "")
        parts.append(f"[{name}]" if positional.optional else name)
    return " ".join(parts)


def _command(command: Command) -> list[str]:
    lines = [".SS " + escape(command.name), _synopsis(command), ".PP"]
    lines.append(escape(command.description or command.summary or ""))
    lines += [line for positional in command.positionals for line in _positional(positional)]
    lines += [line for option in command.options if option.flags[0] not in ("-h", "--help")
              for line in _option(option)]
    if command.epilog:
        lines += [".PP", escape(command.epilog)]
    return lines


def render(parser: argparse.ArgumentParser) -> str:
    listed = commands(parser)
    epilog = parser.epilog or ""
    exit_status = re.sub(r"^Exit codes:\s*", "", epilog)
    lines = [
        f'.TH {PROG.upper()} 1 "" "{escape(PROG)} {__version__}" "{APP_NAME}"',
        ".SH NAME",
        f"{PROG} \\- {escape((parser.description or '').split('. ')[0].rstrip('.'))}",
        ".SH SYNOPSIS",
        f"\\fB{PROG}\\fR [\\fIFILE\\fR | \\fIFOLDER\\fR]",
        ".br",
        f"\\fB{PROG}\\fR \\fICOMMAND\\fR [\\fIOPTIONS\\fR] [\\fIARGUMENTS\\fR]",
        ".SH DESCRIPTION",
        escape(parser.description or ""),
        ".SH OPTIONS",
    ]
    lines += [line for option in options(parser) for line in _option(option)]
    lines.append(".SH COMMANDS")
    for command in listed:
        lines += _command(command)
    if exit_status:
        lines += [".SH EXIT STATUS", escape(exit_status)]
    lines += [".SH SEE ALSO", escape(HOMEPAGE)]
    return "\n".join(lines) + "\n"
