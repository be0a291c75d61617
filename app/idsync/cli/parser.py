"""The command line: every command's arguments and the module that runs it.

Building the parser imports nothing but argparse and the small region list, so
``idsync --help`` answers at once; a command's module (and httpx, the model, the catalog)
is imported only when that command runs (``handler`` names it as ``module:function``).
"""

from __future__ import annotations

import argparse
from typing import Final, NoReturn, TypeAlias

from idsync import __version__
from idsync.cli.names import SELF_TEST
from idsync.cli.output import PROG
from idsync.segment.regions import Region

CHECK_FORMATS: Final = ("text", "json", "sarif", "github")
DIFF_FORMATS: Final = ("text", "json")
COMPLETION_SHELLS: Final = ("bash", "zsh", "fish")
RULE_CODES: Final = "CODES"
"""The metavar of the options that take rule codes: completion offers the codes there."""

CHECK_DESCRIPTION: Final = (
    "Check documents against the ID Sync rules. Text output lines read "
    "PATH:LINE:COL: CODE SEVERITY: MESSAGE, 1-based: a row's finding where the row's "
    "object opens, a field's where its key is, a finding about the whole document at "
    "line 1, column 1; --format json also gives the row (1-based). PATH '-' reads the "
    "document from standard input (named '-' in the output). Unreadable files are "
    "reported on stderr and the rest are still checked. Large folders are checked on "
    "every core. --select, --ignore and --strict may be kept in [tool.idsync] of a "
    "pyproject.toml or at the top of an idsync.toml (select = [\"IDS1\"], ignore = "
    "[\"IDS905\"], strict = true), found from the folder the paths share upwards; the "
    "command line wins. Exit 0 clean, 1 error findings (or warnings with --strict), "
    "2 unreadable input or an unusable settings file."
)

DIFF_DESCRIPTION: Final = (
    "Show what changes from A to B, or with --live from A's live connection to A. "
    "Exit 0 when they are the same, 1 when not, 2 unreadable input, 3 the live connection "
    "could not be read."
)

PUSH_EXIT_HELP: Final = (
    "exit codes: 0 everything applied or already in place, 10 changes pending (--dry-run, "
    "or without --yes), 1 refused (error findings, not pushable, or the live connection "
    "changed since the plan: re-run), 2 unreadable input or usage error, 3 failed "
    "(network, API, no token, not applied or not yet, unknown), 4 applied but the "
    "connection read back differs from what was sent, 130 cancelled"
)


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    """argparse that reports usage mistakes as one line instead of usage text + exit."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see `{self.prog} --help`)")


_Commands: TypeAlias = "argparse._SubParsersAction[Parser]"


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog=PROG,
        description="Draft, check, compare and export Segment Engage ID Sync configurations. "
        "Run without arguments (or with a document path, or a folder to review) to open the "
        "desktop editor.",
        epilog="Exit codes: 0 clean, 1 error findings / differences / not exportable, "
        "2 unreadable input, unwritable output or usage error, 3 internal error, "
        "141 the reader of the output went away (push: see `idsync push -h`).",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        SELF_TEST,
        nargs="?",
        metavar="FILE",
        help="start the window (honours QT_QPA_PLATFORM), open FILE or a shipped example, "
        "validate, paint once, print one JSON line of timings and findings, and exit",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _check(commands)
    _export(commands)
    _diff(commands)
    schema = commands.add_parser("schema", help="print the JSON Schema of the document format")
    schema.set_defaults(handler="idsync.cli.documents:run_schema")
    _catalog(commands)
    rules = commands.add_parser("rules", help="list the rule codes that check reports")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.set_defaults(handler="idsync.cli.documents:run_rules")
    _preview(commands)
    _history(commands)
    _push(commands)
    _sandbox(commands)
    _install_desktop(commands)
    _completion(commands)
    return parser


def command_names(parser: argparse.ArgumentParser) -> list[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices)
    return []


def _check(commands: _Commands) -> None:
    check = commands.add_parser(
        "check",
        help="check documents (files or folders of *.json) like a linter",
        description=CHECK_DESCRIPTION,
    )
    check.add_argument(
        "paths", nargs="+", metavar="PATH", help="document file or folder; - for stdin"
    )
    check.add_argument(
        "--format",
        choices=CHECK_FORMATS,
        default="text",
        help="text (PATH:LINE:COL: CODE SEVERITY: MESSAGE), json, sarif (SARIF 2.1.0 for "
        "code scanning) or github (workflow commands that annotate a pull request: errors "
        "first, then warnings, then one notice per file holding its notes)",
    )
    check.add_argument(
        "--select",
        action="append",
        metavar=RULE_CODES,
        help="report only these rules: codes or prefixes, comma-separated (IDS1,IDS301; "
        "ALL for every rule)",
    )
    check.add_argument(
        "--ignore",
        action="append",
        metavar=RULE_CODES,
        help="leave these rules out: codes or prefixes, comma-separated (the longest "
        "prefix that matches a code decides between --select and --ignore)",
    )
    check.add_argument(
        "--strict",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="warnings fail the check too (exit 1); --no-strict overrides a settings file",
    )
    check.add_argument(
        "--config",
        metavar="FILE",
        help="read the settings from FILE (an idsync.toml, or a pyproject.toml's "
        "[tool.idsync]) instead of looking for one",
    )
    check.add_argument(
        "-q", "--quiet", action="store_true", help="hide info findings and the summary line"
    )
    check.add_argument(
        "--report",
        metavar="FILE.html",
        help="also write a self-contained HTML review report (totals, rows, findings with "
        "their sources, the exact API bodies) to hand on or print",
    )
    check.add_argument(
        "--jobs",
        type=int,
        default=0,
        metavar="N",
        help="worker processes for large folders (default: one per core; 1: none)",
    )
    check.set_defaults(handler="idsync.cli.review:check")


def _export(commands: _Commands) -> None:
    export = commands.add_parser(
        "export",
        help="write a document, or the API request body built from it",
        description="Export a document in its canonical form, or the body of the Public "
        "API request (create: Add Destination to Audience; update: Update Destination).",
    )
    export.add_argument("file", metavar="FILE")
    export.add_argument(
        "--as",
        dest="export_as",
        choices=("document", "create-body", "update-body"),
        default="document",
    )
    export.add_argument("-o", "--output", metavar="OUT", help="write here instead of stdout")
    export.add_argument(
        "--force",
        action="store_true",
        help="export an API body even when the document has error findings",
    )
    export.set_defaults(handler="idsync.cli.documents:run_export")


def _diff(commands: _Commands) -> None:
    diff = commands.add_parser(
        "diff",
        help="compare two documents (or one with its live connection) field by field and row "
        "by row",
        description=DIFF_DESCRIPTION,
    )
    diff.add_argument("old", metavar="A", help="document (with --live: the only one)")
    diff.add_argument("new", metavar="B", nargs="?", help="document to compare A with")
    diff.add_argument("--format", choices=DIFF_FORMATS, default="text")
    diff.add_argument(
        "--live",
        action="store_true",
        help="compare A's live connection in Segment (read only) with A: what a push of A "
        "would change",
    )
    where = diff.add_mutually_exclusive_group()
    where.add_argument(
        "--region", choices=[r.value for r in Region], default=None, help="with --live"
    )
    where.add_argument("--base-url", metavar="URL", help="with --live: a custom API base URL")
    diff.add_argument(
        "--timeout", type=float, default=20.0, metavar="SECONDS", help="with --live"
    )
    diff.set_defaults(handler="idsync.cli.review:diff")


def _catalog(commands: _Commands) -> None:
    catalog = commands.add_parser(
        "catalog", help="list the destinations and identifiers the app knows"
    )
    catalog.add_argument(
        "section", nargs="?", choices=("destinations", "identifiers"), default=None
    )
    catalog.add_argument("--format", choices=("text", "json"), default="text")
    catalog.set_defaults(handler="idsync.cli.documents:run_catalog")


def _preview(commands: _Commands) -> None:
    preview = commands.add_parser(
        "preview",
        help="show what each row would send for a sample profile",
        description="Read a Profile API external_ids response (JSON) and show, per row, the "
        "values First added / Last added / All would pick and how many events each row causes.",
    )
    preview.add_argument("file", metavar="FILE", help="ID Sync document")
    preview.add_argument("profile", metavar="PROFILE", help="external_ids response (.json)")
    preview.set_defaults(handler="idsync.cli.documents:run_preview")


HISTORY_EXPORT: Final = "export"


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    """The command line's arguments; ``history export`` has a parser of its own (a
    subcommand beside ``history``'s optional FILE would take FILE for a subcommand)."""
    if argv[:2] == ["history", HISTORY_EXPORT]:
        return _history_export_parser().parse_args(argv[2:])
    return build_parser().parse_args(argv)


def _history(commands: _Commands) -> None:
    history = commands.add_parser(
        "history",
        help="list the versions kept at each save, export and push, print or export one",
        description="List the kept versions of FILE's document (its connection, or the "
        "file), or of every document with --all or without FILE, newest first. "
        "--show N prints version N of that list as a document. "
        f"`{PROG} history {HISTORY_EXPORT} N [FILE] [--all] [-o PATH]` writes version N as "
        "a readable JSON file: when and how it was kept, around the document.",
    )
    history.add_argument("file", nargs="?", metavar="FILE", help="ID Sync document")
    history.add_argument("--all", action="store_true", help="list every document's versions")
    history.add_argument(
        "--show", metavar="N", help="print version N (1 = newest) of the list as a document"
    )
    history.set_defaults(handler="idsync.cli.history:run_history")


def _history_export_parser() -> Parser:
    export = Parser(
        prog=f"{PROG} history {HISTORY_EXPORT}",
        description="Write version N of the list `idsync history [FILE] [--all]` shows as a "
        "readable JSON file: the time, event, file and detail it was kept with, its sha256, "
        "and the document as kept.",
    )
    export.add_argument("number", metavar="N", help="the version (1 = newest)")
    export.add_argument("file", nargs="?", metavar="FILE", help="ID Sync document")
    export.add_argument("--all", action="store_true", help="N counts every document's versions")
    export.add_argument(
        "-o", "--output", metavar="PATH", help="the file to write (default: standard output)"
    )
    export.set_defaults(handler="idsync.cli.history:run_history_export")
    return export


def _push(commands: _Commands) -> None:
    push = commands.add_parser(
        "push",
        help="push documents to Segment (plan first; writes only with --yes)",
        description="Read each live connection, show the plan (create / update / no change) "
        "with the row diff and the exact body, and write only with --yes. Re-running after "
        "a failure is safe: live state is read again, so applied items show no change.",
        epilog=PUSH_EXIT_HELP,
    )
    push.add_argument("files", nargs="+", metavar="FILE", help="ID Sync documents (.json)")
    where = push.add_mutually_exclusive_group()
    where.add_argument(
        "--region",
        choices=[r.value for r in Region],
        default=None,
        help="Segment region (default: us)",
    )
    where.add_argument(
        "--base-url",
        metavar="URL",
        help="custom API base URL (https, or http on localhost for the sandbox)",
    )
    push.add_argument("--space", metavar="ID", help="use this space id instead of the file's")
    audience = push.add_mutually_exclusive_group()
    audience.add_argument(
        "--audience", metavar="ID", help="use this audience id instead of the file's"
    )
    audience.add_argument(
        "--audiences",
        metavar="ID,ID...",
        help="apply one template FILE to each of these audiences",
    )
    push.add_argument("--dry-run", action="store_true", help="plan only; never writes")
    push.add_argument("--yes", action="store_true", help="write the planned changes")
    push.add_argument("--format", choices=["text", "json"], default="text")
    push.add_argument(
        "--timeout", type=float, default=20.0, metavar="SECONDS", help="per-request timeout"
    )
    push.set_defaults(handler="idsync.cli.push:run_push")


def _sandbox(commands: _Commands) -> None:
    sandbox = commands.add_parser(
        "sandbox",
        help="run a local stand-in for the Segment API (try push without an account)",
        description="Serve the documented endpoints on 127.0.0.1 with sample data until "
        "Ctrl-C; prints the URL and the token it accepts.",
    )
    sandbox.add_argument(
        "--port", type=int, default=0, help="port on 127.0.0.1 (default: any free port)"
    )
    sandbox.add_argument(
        "--token", default=None, help="token the sandbox accepts (default: a new random one)"
    )
    sandbox.set_defaults(handler="idsync.segment.sandbox:run")


def _install_desktop(commands: _Commands) -> None:
    desktop = commands.add_parser(
        "install-desktop",
        help="put the app in the desktop's menu (entry, icons, metainfo, document type)",
        description="Install the desktop entry (starting this idsync), the icons, the "
        "AppStream metainfo and the MIME type of ID Sync documents under $XDG_DATA_HOME "
        "(default ~/.local/share), or under PREFIX/share with --prefix.",
    )
    desktop.add_argument(
        "--exec", dest="program", metavar="PROGRAM", default=None,
        help="the idsync the entry starts (default: this one)",
    )
    desktop.add_argument(
        "--prefix", default=None, help="install under PREFIX/share (e.g. /usr/local, /app)"
    )
    desktop.add_argument("--uninstall", action="store_true", help="remove the installed files")
    desktop.set_defaults(handler="idsync.cli.desktop:run_install_desktop")


def _completion(commands: _Commands) -> None:
    completion = commands.add_parser(
        "completion",
        help="print a shell completion script (bash, zsh or fish)",
        description="Print the completion script for SHELL, written from this parser: "
        "`idsync completion bash > ~/.local/share/bash-completion/completions/idsync`, "
        "`idsync completion zsh > \"${fpath[1]}/_idsync\"`, "
        "`idsync completion fish > ~/.config/fish/completions/idsync.fish`.",
    )
    completion.add_argument("shell", metavar="SHELL", choices=COMPLETION_SHELLS)
    completion.set_defaults(handler="idsync.cli.completion:run_completion")
