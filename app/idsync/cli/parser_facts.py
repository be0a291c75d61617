"""What the command line offers, read from the argparse parser: the commands, their
options, arguments and help. Shell completion (``completion``) and the man page
(``manpage``) are written from this, so both follow the parser as it changes.

argparse has no public way to list a parser's arguments; this reads its ``_actions``
(never changes them), as ``parser.command_names`` does.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass


@dataclass(frozen=True)
class Option:
    flags: tuple[str, ...]
    help: str
    metavar: str | None  # None: a switch that takes no value
    choices: tuple[str, ...]


@dataclass(frozen=True)
class Positional:
    name: str
    help: str
    many: bool  # takes one or more (or zero or more)
    optional: bool
    choices: tuple[str, ...]


@dataclass(frozen=True)
class Command:
    name: str
    summary: str
    description: str
    epilog: str
    options: tuple[Option, ...]
    positionals: tuple[Positional, ...]


def _help(action: argparse.Action) -> str:
    text = action.help or ""
    return "" if text == argparse.SUPPRESS else text


def _choices(action: argparse.Action) -> tuple[str, ...]:
    return tuple(str(choice) for choice in action.choices or ())


def options(parser: argparse.ArgumentParser) -> tuple[Option, ...]:
    found = []
    for action in parser._actions:
        if not action.option_strings or action.help == argparse.SUPPRESS:
            continue
        takes_value = action.nargs != 0
        metavar = None
        if takes_value:
            metavar = str(action.metavar or action.dest.upper())
        found.append(Option(tuple(action.option_strings), _help(action), metavar,
                            _choices(action)))
    return tuple(found)


def positionals(parser: argparse.ArgumentParser) -> tuple[Positional, ...]:
    found = []
    for action in parser._actions:
        if action.option_strings or isinstance(action, argparse._SubParsersAction):
            continue
        name = str(action.metavar or action.dest)
        found.append(Positional(
            name, _help(action), many=action.nargs in ("+", "*"),
            optional=action.nargs in ("?", "*"), choices=_choices(action),
        ))
    return tuple(found)


def commands(parser: argparse.ArgumentParser) -> tuple[Command, ...]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            summaries = {choice.dest: _help(choice) for choice in action._choices_actions}
            return tuple(
                Command(
                    name=name,
                    summary=summaries.get(name, ""),
                    description=sub.description or "",
                    epilog=sub.epilog or "",
                    options=options(sub),
                    positionals=positionals(sub),
                )
                for name, sub in action.choices.items()
            )
    return ()
