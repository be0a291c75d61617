"""The bodies of ``idsync check`` and ``idsync diff``: kept out of the CLI's entry module
so it only declares the arguments (``add_check_arguments`` / ``add_diff_arguments``) and
calls :func:`run_check` / :func:`run_diff` with its output functions.

Never imports Qt.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Final, NamedTuple

from idsync.cli.output import error, out, report
from idsync.core.findings import Finding, Severity
from idsync.core.wording import plural
from idsync.review.checked import (
    CheckedFile,
    check_files,
    check_rendered,
    expand_paths,
    reviewed_folder,
)
from idsync.storage.documents import DocumentError, read_document, write_export

if TYPE_CHECKING:
    # Each output format, and diff, imports its own module when it is asked for.
    from idsync.core.catalog import Catalog
    from idsync.core.model import IdSyncDocument

EXIT_OK: Final = 0
EXIT_FINDINGS: Final = 1
EXIT_UNREADABLE: Final = 2
EXIT_INTERNAL: Final = 3

Write = Callable[[str], None]
LoadCatalog = Callable[[], "Catalog | None"]


# --- check -------------------------------------------------------------------------------


def check(args: argparse.Namespace) -> int:
    """``idsync check``: each file is reported as it is checked (text; github prints its
    errors so and keeps warnings and notes for after them), so a folder of any size runs
    in flat memory; json, sarif and --report need every result first and keep only
    findings (the report also the documents)."""
    # Seam "command": only this command or output format needs it.
    from idsync.cli.common import load_catalog_or_none

    return run_check(
        args, out=out, report=report, load_catalog=load_catalog_or_none, error=error
    )


def run_check(
    args: argparse.Namespace,
    *,
    out: Write,
    report: Write,
    load_catalog: LoadCatalog,
    error: Write = error,
) -> int:
    # Seam "command": check's options and the rule table, for check only.
    from idsync.cli.config import ConfigError, check_options
    from idsync.core.rules.codes import RULES

    try:
        options = check_options(args, sorted(RULES))
    except ConfigError as problem:
        error(str(problem))
        return EXIT_UNREADABLE
    selection = options.selection
    files, missing = expand_paths(args.paths)
    for line in missing:
        report(line)
    catalog = load_catalog() if files else None
    if files and catalog is None:
        return EXIT_INTERNAL
    keep = bool(getattr(args, "report", None))
    jobs = getattr(args, "jobs", 0)
    collect = keep or args.format in ("json", "sarif")
    checked: list[CheckedFile] = []
    reports: Iterator[Report]
    if catalog is None:
        reports = iter(())
    elif collect:
        # The report always has the notes: -q quiets the terminal, never what is handed on.
        results = check_files(
            files,
            catalog,
            quiet=args.quiet and not keep,
            jobs=jobs,
            keep_documents=keep,
            selection=selection,
        )
        reports = _collecting(results, checked, quiet=args.quiet)
    else:
        render = _github_report if args.format == "github" else _text_report
        reports = check_rendered(
            files, catalog, render, quiet=args.quiet, jobs=jobs, selection=selection
        )
    if args.format == "github":
        # Seam "command": only this command or output format needs it.
        from idsync.review.annotations import github_commands

        # Errors first: GitHub shows the first few annotations of each kind in a step.
        for line in github_commands((), missing):
            out(line)
    counts = {severity: 0 for severity in Severity}
    unreadable = len(missing)
    warnings_later: list[str] = []
    notes_last: list[str] = []
    for part in reports:
        unreadable += part.unreadable
        counts[Severity.ERROR] += part.errors
        counts[Severity.WARNING] += part.warnings
        counts[Severity.INFO] += part.notes
        for to_stderr, text in part.output:
            (report if to_stderr else out)(text)
        warnings_later += part.warnings_later
        notes_last += part.notes_last
    for text in (*warnings_later, *notes_last):
        out(text)
    shown = [result.without_notes() for result in checked] if args.quiet else checked
    if args.format == "json":
        out(json.dumps(_check_json(shown, unreadable), indent=2, ensure_ascii=False))
    elif args.format == "sarif":
        # Seam "command": only this command or output format needs it.
        from idsync.review.annotations import sarif_log

        out(json.dumps(sarif_log(shown, missing), indent=2, ensure_ascii=False))
    elif args.format == "text":
        if collect:
            for result in shown:
                for line in _text_lines(result):
                    out(line)
        if not args.quiet:
            out(summary_line(len(files), counts, unreadable, strict=options.strict))
    elif args.format == "github":
        notices = len(notes_last)
        if collect:  # with --report: every result is at hand, in the same order
            # Seam "command": only this command or output format needs it.
            from idsync.review.annotations import github_commands

            for line in github_commands(shown, ()):
                notices += line.startswith("::notice ")
                out(line)
        if not args.quiet:
            folded = ""
            if notices:
                folded = (
                    f" ({plural(counts[Severity.INFO], 'note')} shown as "
                    f"{plural(notices, 'notice')}, one per file)"
                )
            out(summary_line(len(files), counts, unreadable, strict=options.strict) + folded)
    if keep:
        code = _write_report(args.report, checked, missing, report, base=args.paths)
        if code != EXIT_OK:
            return code
    if unreadable:
        return EXIT_UNREADABLE
    if counts[Severity.ERROR] or (options.strict and counts[Severity.WARNING]):
        return EXIT_FINDINGS
    return EXIT_OK


class Report(NamedTuple):
    """What ``check`` says about a run of files: their findings and unreadable files
    counted, and what to print as it goes, in order: ``(True, line)`` for stderr (a file
    that could not be read), ``(False, lines)`` for stdout (findings, joined by newlines).
    ``--format github`` prints its warnings after every error (``warnings_later``) and
    its notes, one line per file, after them (``notes_last``).
    Strings and numbers only: workers build it, and this is all that travels back."""

    errors: int
    warnings: int
    notes: int
    unreadable: int
    output: tuple[tuple[bool, str], ...] = ()
    warnings_later: tuple[str, ...] = ()
    notes_last: tuple[str, ...] = ()


def _report(
    results: Iterable[CheckedFile], lines: Callable[[CheckedFile], list[str]] | None
) -> Report:
    errors = warnings = notes = unreadable = 0
    output: list[tuple[bool, str]] = []
    waiting: list[str] = []
    for result in results:
        if result.error is not None:
            unreadable += 1
            if waiting:
                output.append((False, "\n".join(waiting)))
                waiting = []
            output.append((True, str(result.error)))
        counted = result.counts()
        errors += counted[0]
        warnings += counted[1]
        notes += counted[2]
        if lines is not None:
            waiting += lines(result)
    if waiting:
        output.append((False, "\n".join(waiting)))
    return Report(errors, warnings, notes, unreadable, tuple(output))


def _text_lines(result: CheckedFile) -> list[str]:
    lines = [finding_line(result.path, finding) for finding in result.findings]
    if result.omitted_count:
        lines.append(f"{result.path}:1:1: {result.omitted_note()}")
    return lines


def _text_report(results: Iterable[CheckedFile]) -> Report:
    return _report(results, _text_lines)


def _github_report(results: Iterable[CheckedFile]) -> Report:
    # Seam "command": only this command or output format needs it.
    from idsync.review.annotations import FileAnnotations, file_annotations

    annotated: list[FileAnnotations] = []

    def errors(result: CheckedFile) -> list[str]:
        # The unreadable-file annotation too: on stdout, after the line on stderr.
        annotated.append(file_annotations(result))
        return list(annotated[-1].errors)

    counted = _report(results, errors)
    return counted._replace(
        warnings_later=tuple(line for each in annotated for line in each.warnings),
        notes_last=tuple(each.notes for each in annotated if each.notes is not None),
    )


def _collecting(
    results: Iterable[CheckedFile], checked: list[CheckedFile], *, quiet: bool
) -> Iterator[Report]:
    """Each result kept in ``checked`` (for an output that needs them all), and reported
    with nothing to print yet but its unreadable line; ``quiet`` leaves its notes out of
    the counts."""
    for result in results:
        checked.append(result)
        yield _report([result.without_notes() if quiet else result], None)


def finding_line(path: str, finding: Finding) -> str:
    """``PATH:LINE:COL: CODE severity: message``, as compilers and linters print them: a
    row's finding where the row's object opens, a field's where its key is, the rest
    (and any not read from a file) on line 1, column 1."""
    line, column = finding_place(finding)
    return (
        f"{path}:{line}:{column}: {finding.code} {finding.severity.value}: "
        f"{finding.message}"
    )


def finding_place(finding: Finding) -> tuple[int, int]:
    """The finding's 1-based line and column; 1, 1 for a document-level one."""
    if finding.line is None:
        return 1, 1
    return finding.line, finding.column or 1


def summary_line(
    file_count: int, counts: Mapping[Severity, int], unreadable: int, *, strict: bool = False
) -> str:
    parts = [
        plural(counts[Severity.ERROR], "error"),
        plural(counts[Severity.WARNING], "warning"),
        f"{counts[Severity.INFO]} info",
    ]
    if unreadable:
        parts.append(f"{unreadable} unreadable")
    fails = " (--strict: warnings fail)" if strict and counts[Severity.WARNING] else ""
    return f"{plural(file_count, 'file')} checked: {', '.join(parts)}{fails}"


def _check_json(checked: Sequence[CheckedFile], unreadable: int) -> dict[str, object]:
    files_out: list[dict[str, object]] = []
    for result in checked:
        problem = result.error
        files_out.append(
            {
                "path": result.path,
                "readable": problem is None,
                "error": None
                if problem is None
                else {
                    "message": str(problem),
                    "reason": problem.reason,
                    "line": problem.line,
                    "column": problem.column,
                    "field": problem.field,
                },
                "findings": [_finding_json(f) for f in result.findings],
                "more_findings": _more_json(result),
            }
        )
    summary = {
        "files": len(checked),
        "unreadable": unreadable,
        "errors": sum(c.errors for c in checked),
        "warnings": sum(c.warnings for c in checked),
        "info": sum(c.notes for c in checked),
    }
    return {"files": files_out, "summary": summary}


def _finding_json(finding: Finding) -> dict[str, object]:
    line, column = finding_place(finding)
    return {**finding.to_json(), "line": line, "column": column}


def _more_json(result: CheckedFile) -> dict[str, int] | None:
    """The findings beyond the first :data:`MAX_FINDINGS_PER_FILE`, counted; None if none."""
    if not result.omitted_count:
        return None
    errors, warnings, notes = result.omitted
    return {"count": result.omitted_count, "errors": errors, "warnings": warnings,
            "info": notes}


def _write_report(
    target: str,
    checked: Sequence[CheckedFile],
    missing: Sequence[str],
    report: Write,
    *,
    base: Sequence[str],
) -> int:
    # Seam "command": only this command or output format needs it.
    from idsync.review.report_html import render_report

    html = render_report(
        checked,
        missing=missing,
        generated_at=datetime.now().astimezone(),
        folder=reviewed_folder(base),
    )
    try:
        write_export(target, html.encode("utf-8"))
    except DocumentError as error:
        report(f"{error} (the report was not written)")
        return EXIT_UNREADABLE
    return EXIT_OK


# --- diff --------------------------------------------------------------------------------


def diff(args: argparse.Namespace) -> int:
    return run_diff(args, out=out, report=report, error=error)


def run_diff(args: argparse.Namespace, *, out: Write, report: Write, error: Write) -> int:
    if args.live and args.new is not None:
        error("diff --live compares one document with its live connection: give only A")
        return EXIT_UNREADABLE
    if not args.live and args.new is None:
        error("diff needs two documents, A and B (or one with --live)")
        return EXIT_UNREADABLE
    if not args.live and (args.region or args.base_url):
        error("--region and --base-url go with --live")
        return EXIT_UNREADABLE
    try:
        old_doc = read_document(args.old)
    except DocumentError as exc:
        report(str(exc))
        return EXIT_UNREADABLE
    if args.live:
        live = _read_live(args, old_doc, error)
        if isinstance(live, int):
            return live
        old_label, new_label = live[1], args.old
        before, after = live[0], old_doc
    else:
        try:
            new_doc = read_document(args.new)
        except DocumentError as exc:
            report(str(exc))
            return EXIT_UNREADABLE
        old_label, new_label = args.old, args.new
        before, after = old_doc, new_doc
    # Seam "command": only this command or output format needs it.
    from idsync.core.diff import diff_documents

    # Seam "command": only this command or output format needs it.
    from idsync.review.compare import diff_json

    difference = diff_documents(before, after)
    if args.format == "json":
        out(json.dumps(diff_json(difference, old=old_label, new=new_label), indent=2,
                       ensure_ascii=False))
    else:
        for line in difference.render_text():
            out(line)
    return EXIT_OK if difference.is_empty else EXIT_FINDINGS


def _read_live(
    args: argparse.Namespace, doc: IdSyncDocument, error: Write
) -> tuple[IdSyncDocument, str] | int:
    """The live side, or the exit code after saying why it cannot be read."""
    # Seam "command": only this command or output format needs it.
    from idsync.review.compare import LiveCompareError, live_ids, read_live_side

    # Seam "command": only this command or output format needs it.
    from idsync.segment.client import SegmentClient

    # Seam "command": only this command or output format needs it.
    from idsync.segment.errors import SegmentError

    # Seam "command": only this command or output format needs it.
    from idsync.segment.regions import resolve_base_url

    # Seam "command": only this command or output format needs it.
    from idsync.storage.secrets import TOKEN_ENV_VAR, TokenStore

    if args.timeout <= 0:
        error("--timeout must be a positive number of seconds")
        return EXIT_UNREADABLE
    try:
        live_ids(doc)
        base_url = resolve_base_url(args.region, args.base_url)
    except LiveCompareError as exc:
        error(f"{args.old}: {exc}")
        return EXIT_UNREADABLE
    except SegmentError as exc:
        error(str(exc))
        return EXIT_UNREADABLE
    token = TokenStore(base_url).get()
    if not token:
        error(
            f"No Segment API token for {base_url}. Set {TOKEN_ENV_VAR}, or connect once in "
            "the app (it keeps the token in the system keychain)."
        )
        return EXIT_INTERNAL
    try:
        with SegmentClient(token, base_url=base_url, timeout=args.timeout) as client:
            side = read_live_side(client, doc)
    except LiveCompareError as exc:
        error(f"{args.old}: {exc}")
        return EXIT_FINDINGS
    except SegmentError as exc:
        error(f"the live connection could not be read: {exc}")
        return EXIT_INTERNAL
    return side.document, side.label
