"""``idsync``: the headless commands, and the door to the desktop editor.

Never imports Qt at module level: ``check``, ``diff``, ``export`` and friends must run on a
CI machine without a display or PySide6. The editor is imported only when it is launched.

Exit codes: 0 clean / same, 1 error findings / differences / cannot export, 2 unreadable
input or a usage error, 3 internal error. Every failure is one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Final, NoReturn

import app.clock  # noqa: F401  (starts the self-test clock where /proc cannot tell)
from app import __version__
from app.core.api_mapping import NotPushable
from app.core.catalog import Catalog
from app.core.findings import Finding
from app.core.model import IdSyncDocument
from app.core.schema import document_json_schema
from app.core.wording import plural
from app.storage.documents import DocumentError, dump_document, read_document, write_export
from app.storage.exports import ExportKind, body_text, record_export

PROG: Final = "idsync"
SELF_TEST: Final = "--self-test"
SELF_TEST_EXAMPLE: Final = ("examples", "facebook-custom-audiences.json")
EXIT_OK: Final = 0
EXIT_FINDINGS: Final = 1
EXIT_UNREADABLE: Final = 2
EXIT_INTERNAL: Final = 3

Handler = Callable[[argparse.Namespace], int]


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage mistakes as one line instead of usage text + exit."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{message} (see `{self.prog} --help`)")


# --- entry point -----------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        code = _run(args)
        _report_damaged_state()
        return code
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except BrokenPipeError:
        # The reader went away (`idsync catalog | head`): stop quietly.
        _silence_stdout()
        return EXIT_FINDINGS
    except Exception as exc:
        _error(f"internal error: {type(exc).__name__}: {exc} (please report)")
        return EXIT_INTERNAL


def _report_damaged_state() -> None:
    """Files of the app's own that a command found damaged and set aside, once each."""
    from app.storage.damage import report_lines, take_reports

    for line in report_lines(take_reports()):
        _error(line)


def _run(argv: list[str]) -> int:
    parser = build_parser()
    commands = _command_names(parser)
    if argv and argv[0] == SELF_TEST:
        return _self_test(argv[1:], parser)
    gui_paths = _gui_request(argv, commands)
    if gui_paths is not None:
        return _launch_gui(gui_paths, parser)
    if argv and not argv[0].startswith("-") and argv[0] not in commands:
        # Looks like "open these files", but one of them is not a file.
        wrong = next(arg for arg in argv if not Path(arg).is_file())
        if Path(wrong).is_dir():
            _error(
                f"{wrong} is a folder: open it on its own (`{PROG} {wrong}`) to review every "
                f"document in it, or run `{PROG} check {wrong}`"
            )
        else:
            _error(f"{wrong}: no such file or command (see `{PROG} --help`)")
        return EXIT_UNREADABLE
    try:
        namespace = parser.parse_args(argv)
    except _UsageError as exc:
        _error(str(exc))
        return EXIT_UNREADABLE
    except SystemExit as exc:  # --help and --version end here
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    handler: Handler = namespace.handler
    return handler(namespace)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Draft, check, compare and export Segment Engage ID Sync configurations. "
        "Run without arguments (or with a document path) to open the desktop editor.",
        epilog="Exit codes: 0 clean, 1 error findings / differences / not exportable, "
        "2 unreadable input or usage error, 3 internal error.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        SELF_TEST,
        nargs="?",
        metavar="FILE",
        help="start the window (honours QT_QPA_PLATFORM), open FILE or a shipped example, "
        "validate, paint once, print one JSON line of timings and findings, and exit",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    from app.cli.review import CHECK_DESCRIPTION, add_check_arguments

    check = subparsers.add_parser(
        "check",
        help="check documents (files or folders of *.json) like a linter",
        description=CHECK_DESCRIPTION,
    )
    add_check_arguments(check)
    check.set_defaults(handler=_cmd_check)

    export = subparsers.add_parser(
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
    export.set_defaults(handler=_cmd_export)

    from app.cli.review import DIFF_DESCRIPTION, add_diff_arguments

    diff = subparsers.add_parser(
        "diff",
        help="compare two documents (or one with its live connection) field by field and row "
        "by row",
        description=DIFF_DESCRIPTION,
    )
    add_diff_arguments(diff)
    diff.set_defaults(handler=_cmd_diff)

    schema = subparsers.add_parser("schema", help="print the JSON Schema of the document format")
    schema.set_defaults(handler=_cmd_schema)

    catalog = subparsers.add_parser(
        "catalog", help="list the destinations and identifiers the app knows"
    )
    catalog.add_argument(
        "section", nargs="?", choices=("destinations", "identifiers"), default=None
    )
    catalog.add_argument("--format", choices=("text", "json"), default="text")
    catalog.set_defaults(handler=_cmd_catalog)

    rules = subparsers.add_parser("rules", help="list the rule codes that check reports")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.set_defaults(handler=_cmd_rules)

    preview_cmd = subparsers.add_parser(
        "preview",
        help="show what each row would send for a sample profile",
        description="Read a Profile API external_ids response (JSON) and show, per row, the "
        "values First added / Last added / All would pick and how many events each row causes.",
    )
    preview_cmd.add_argument("file", metavar="FILE", help="ID Sync document")
    preview_cmd.add_argument("profile", metavar="PROFILE", help="external_ids response (.json)")
    preview_cmd.set_defaults(handler=_cmd_preview)

    history = subparsers.add_parser(
        "history",
        help="list the versions kept at each save, export and push, or print one",
        description="List the kept versions of FILE's document (its connection, or the "
        "file), or of every document with --all or without FILE, newest first. "
        "--show N prints version N of that list as a document.",
    )
    history.add_argument("file", nargs="?", metavar="FILE", help="ID Sync document")
    history.add_argument("--all", action="store_true", help="list every document's versions")
    history.add_argument(
        "--show", metavar="N", help="print version N (1 = newest) of the list as a document"
    )
    history.set_defaults(handler=_cmd_history)

    from app.cli import push

    push.register(subparsers)
    return parser


def _command_names(parser: argparse.ArgumentParser) -> set[str]:
    return set(_ordered_command_names(parser))


def _ordered_command_names(parser: argparse.ArgumentParser) -> list[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices)
    return []


# --- the editor ------------------------------------------------------------------------


def _gui_request(argv: list[str], commands: set[str]) -> list[str] | None:
    """The files to open when the arguments ask for the editor, else None."""
    if not argv:
        return []
    if argv[0].startswith("-") or argv[0] in commands:
        return None
    if all(Path(arg).is_file() for arg in argv):
        return list(argv)
    if len(argv) == 1 and Path(argv[0]).is_dir():
        return list(argv)  # a folder opens in the review workspace (app/ui/workspace)
    return None


def _launch_gui(paths: list[str], parser: argparse.ArgumentParser) -> int:
    problem = _no_display_problem(parser)
    if problem is not None:
        _error(problem)
        return EXIT_UNREADABLE
    try:
        from app.ui.application import run_gui
    except ImportError as exc:
        _error(_gui_import_problem(exc))
        return EXIT_UNREADABLE
    return int(run_gui(paths))


def _no_display_problem(parser: argparse.ArgumentParser) -> str | None:
    """Why the window cannot open here, before Qt is loaded, or None.

    On Linux without DISPLAY or WAYLAND_DISPLAY, Qt would try X11 anyway, wait, and then
    blame a missing system library. QT_QPA_PLATFORM set means the person chose a platform
    (offscreen, vnc, ...) and knows what they are doing.
    """
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    headless = ", ".join(_ordered_command_names(parser))
    return (
        "the window needs a graphical session, and there is none here (neither DISPLAY nor "
        f"WAYLAND_DISPLAY is set). The headless commands work without one: {headless} "
        f"(see `{PROG} --help`). To open the window on a machine without a screen, run it "
        f"on a virtual display: `xvfb-run {PROG}`."
    )


def _self_test(argv: list[str], parser: argparse.ArgumentParser) -> int:
    """``idsync --self-test [FILE]``: see app/ui/self_test.py for what it prints."""
    if len(argv) > 1 or (argv and argv[0].startswith("-")):
        _error(f"usage: {PROG} {SELF_TEST} [FILE]")
        return EXIT_UNREADABLE
    problem = _no_display_problem(parser)
    if problem is not None:
        _error(f"self-test: {problem}")
        return EXIT_UNREADABLE
    if argv:
        path = Path(argv[0])
    else:
        from app.resources import resource_path

        path = resource_path(*SELF_TEST_EXAMPLE)
    try:
        read_document(path)
    except DocumentError as exc:
        _error(f"self-test: {exc}")
        return EXIT_UNREADABLE
    try:
        from app.ui.self_test import SelfTestError, run_self_test
    except ImportError as exc:
        _error(_gui_import_problem(exc))
        return EXIT_UNREADABLE
    try:
        report = run_self_test(path)
    except SelfTestError as exc:
        _error(f"self-test failed: {exc}")
        return EXIT_INTERNAL
    _out(json.dumps(report, ensure_ascii=False))
    return EXIT_OK


def _gui_import_problem(exc: ImportError) -> str:
    text = str(exc)
    if "shared object" in text or "DLL load failed" in text or "libGL" in text:
        return (
            f"the desktop editor cannot start: Qt could not load a system library ({text}); "
            "install the Qt system libraries (see the README). The CLI commands still work."
        )
    top = (exc.name or "").split(".")[0]
    if top in ("PySide6", "shiboken6"):
        return (
            "the desktop editor needs PySide6: run `pip install PySide6-Essentials`. "
            f"The CLI commands (`{PROG} check`, `{PROG} export` ...) work without it."
        )
    return (
        f"the desktop editor is not available in this installation ({text}). "
        f"The CLI commands still work: see `{PROG} --help`."
    )


# --- check -----------------------------------------------------------------------------


def _cmd_check(args: argparse.Namespace) -> int:
    from app.cli.review import run_check

    return run_check(args, out=_out, report=_report, load_catalog=_load_catalog)


def _finding_line(path: str, finding: Finding) -> str:
    from app.cli.review import finding_line

    return finding_line(path, finding)


def _load_catalog() -> Catalog | None:
    from app.catalog import load_catalog

    try:
        return load_catalog()
    except Exception as exc:
        _error(f"the shipped destination catalog cannot be loaded ({exc}); reinstall the app")
        return None


def _validate(doc: IdSyncDocument, catalog: Catalog) -> list[Finding]:
    from app.core.rules import validate

    return validate(doc, catalog)


# --- export / diff / schema ------------------------------------------------------------


def _cmd_export(args: argparse.Namespace) -> int:
    from app.review.checked import read_located

    try:
        doc, positions = read_located(args.file)
    except DocumentError as exc:
        _report(str(exc))
        return EXIT_UNREADABLE
    kind = ExportKind(args.export_as)
    if kind is not ExportKind.DOCUMENT:
        catalog = _load_catalog()
        if catalog is None:
            return EXIT_INTERNAL
        errors = [f for f in positions.locate(_validate(doc, catalog)) if f.is_error]
        if errors and not args.force:
            _report(
                f"{args.file}: cannot export {args.export_as}: the document has "
                f"{plural(len(errors), 'error')} that Segment would reject or that break "
                f"the limits; fix them (see `{PROG} check {args.file}`) or pass --force"
            )
            for finding in errors:
                _report(_finding_line(args.file, finding))
            return EXIT_FINDINGS
    try:
        data = body_text(kind, doc).encode("utf-8")
    except NotPushable as exc:
        _report(f"{args.file}: cannot export {args.export_as}: {exc}")
        return EXIT_FINDINGS
    if args.output:
        try:
            write_export(args.output, data)
        except DocumentError as exc:
            _report(str(exc))
            return EXIT_UNREADABLE
    else:
        _out_bytes(data)
    _keep_export(doc, kind, args.file, args.output)
    return EXIT_OK


def _keep_export(doc: IdSyncDocument, kind: ExportKind, source: str, output: str | None) -> None:
    """Every export is kept in history, as the window keeps its exports; the export has
    happened, so a history that cannot keep it costs a warning, never the exit code."""
    from app.storage.history import HistoryStore, history_failure_reason

    try:
        record_export(HistoryStore(), doc, kind, source_path=source, written_to=output)
    except (OSError, UnicodeEncodeError) as exc:
        _error(f"warning: exported, but history could not keep it ({history_failure_reason(exc)})")


def _cmd_diff(args: argparse.Namespace) -> int:
    from app.cli.review import run_diff

    return run_diff(args, out=_out, report=_report, error=_error)


def _cmd_schema(args: argparse.Namespace) -> int:
    _out(json.dumps(document_json_schema(), indent=2, ensure_ascii=False))
    return EXIT_OK


def _cmd_preview(args: argparse.Namespace) -> int:
    from app.core.preview import preview_in_catalog
    from app.storage.profiles import ProfileLoadError, read_profile

    try:
        doc = read_document(args.file)
    except DocumentError as exc:
        _report(str(exc))
        return EXIT_UNREADABLE
    try:
        identities = read_profile(Path(args.profile))
    except ProfileLoadError as exc:
        _report(f"{args.profile}: {exc.reason}")
        return EXIT_UNREADABLE
    catalog = _load_catalog()
    if catalog is None:
        return EXIT_INTERNAL
    result = preview_in_catalog(doc, identities, catalog)
    _out(result.render_text().rstrip("\n"))
    return EXIT_OK


# --- history ---------------------------------------------------------------------------


def _cmd_history(args: argparse.Namespace) -> int:
    from app.storage.damage import StateFile, damaged_entries_note, take_reports
    from app.storage.history import HistoryError, HistoryStore
    from app.storage.leftovers import remove_stale_leftovers

    number: int | None = None
    if args.show is not None:
        try:
            number = int(args.show)
        except ValueError:
            number = 0
        if number < 1:
            _error(f"history --show: {args.show!r} is not a version number (1 = newest)")
            return EXIT_UNREADABLE
    try:
        store = HistoryStore()
    except OSError as exc:
        _error(f"history: the history folder cannot be used: {exc.strerror or exc}")
        return EXIT_UNREADABLE
    remove_stale_leftovers()
    if args.file and not args.all:
        try:
            doc = read_document(args.file)
        except DocumentError as exc:
            _report(str(exc))
            return EXIT_UNREADABLE
        entries = store.entries_for(doc, Path(args.file))
        scope = f"{args.file}'s document"
    else:
        entries = store.entries()
        scope = "any document"
    damaged = take_reports(StateFile.HISTORY)
    if damaged:
        _error(f"history: {damaged_entries_note(len(damaged))}")
    if number is not None:
        if number > len(entries):
            _error(
                f"history --show: there is no version {number}: {plural(len(entries), 'version')} "
                f"of {scope} (see `{PROG} history`)"
            )
            return EXIT_UNREADABLE
        try:
            shown = store.load(entries[number - 1])
        except HistoryError as exc:
            _error(f"history: {exc}")
            return EXIT_UNREADABLE
        _out_bytes(dump_document(shown))
        return EXIT_OK
    if not entries:
        _error(f"no history of {scope} yet: versions are kept as you save, export and push")
        return EXIT_OK
    for index, entry in enumerate(entries, start=1):
        when = entry.recorded_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        detail = entry.detail or (str(entry.source_path) if entry.source_path else "")
        _out(f"{index:>3}  {when}  {entry.event.value:<6}  {entry.where}  {detail}".rstrip())
    return EXIT_OK


# --- catalog / rules -------------------------------------------------------------------


def _cmd_catalog(args: argparse.Namespace) -> int:
    catalog = _load_catalog()
    if catalog is None:
        return EXIT_INTERNAL
    sections = [args.section] if args.section else ["destinations", "identifiers"]
    if args.format == "json":
        data = catalog.model_dump(mode="json")
        _out(json.dumps({name: data[name] for name in sections}, indent=2, ensure_ascii=False))
        return EXIT_OK
    for index, section in enumerate(sections):
        if len(sections) > 1:
            if index:
                _out("")
            _out(f"{section.capitalize()}:")
        lines = (
            _destination_lines(catalog) if section == "destinations" else _identifier_lines(catalog)
        )
        for line in lines:
            _out(line)
    return EXIT_OK


def _destination_lines(catalog: Catalog) -> Iterator[str]:
    width = max((len(spec.slug) for spec in catalog.destinations), default=0)
    for spec in catalog.destinations:
        details = [spec.kind.value]
        if spec.segment_slug is None:
            details.append("not in Segment's catalog")
        if spec.identifier_mode == "preset":
            details.append("keys: " + ", ".join(spec.accepted_keys()))
        if spec.supports_mobile_ids:
            details.append("mobile IDs")
        yield f"{spec.slug:<{width}}  {spec.name} ({'; '.join(details)})"


def _identifier_lines(catalog: Catalog) -> Iterator[str]:
    width = max((len(spec.id) for spec in catalog.identifiers), default=0)
    for spec in catalog.identifiers:
        flags = [
            flag
            for flag, on in (("mobile ad ID", spec.mobile_ad_id), ("legacy", spec.legacy))
            if on
        ]
        suffix = f" [{', '.join(flags)}]" if flags else ""
        yield f"{spec.id:<{width}}  {spec.description}{suffix}"


def _cmd_rules(args: argparse.Namespace) -> int:
    from app.core.rules import RULES

    infos = sorted(RULES.values(), key=lambda info: info.code)
    if args.format == "json":
        _out(json.dumps([info.to_json() for info in infos], indent=2, ensure_ascii=False))
        return EXIT_OK
    name_width = max((len(info.name) for info in infos), default=0)
    for info in infos:
        _out(
            f"{info.code}  {info.severity.value:<7}  {info.basis:<13}  "
            f"{info.name:<{name_width}}  {info.summary}"
        )
        _out(f"{'':6}  source: {info.source}")
    return EXIT_OK


# --- output ----------------------------------------------------------------------------



def _out(line: str) -> None:
    _write_text(sys.stdout, line + "\n")


def _error(message: str) -> None:
    _write_text(sys.stderr, f"{PROG}: {message}\n")


def _report(line: str) -> None:
    """A problem with one input file: the line starts with its path, like a compiler's."""
    _write_text(sys.stderr, line + "\n")


def _write_text(stream: Any, text: str) -> None:
    try:
        stream.write(text)
    except UnicodeEncodeError:
        # A console that cannot show every character still gets the line.
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.write(text.encode(encoding, errors="backslashreplace").decode(encoding))


def _out_bytes(data: bytes) -> None:
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        _write_text(sys.stdout, data.decode("utf-8"))
        return
    sys.stdout.flush()
    buffer.write(data)
    buffer.flush()


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
