"""Findings for CI: a SARIF 2.1.0 log for code-scanning tools, and GitHub Actions workflow
commands (``::error file=…,line=…,col=…::message``) for pull-request annotations.

Every result has a place: a row finding where the row's object opens, a field finding
where its key is, a document-level one on line 1, column 1. GitHub shows only the first
few annotations of each kind in a step, so the commands come errors first, then
warnings, then the notes of each file folded into one notice.

Pure functions of checked files; the caller prints them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath, PurePosixPath, PureWindowsPath
from typing import Any, Final
from urllib.parse import quote

from idsync import __version__
from idsync.core.findings import (
    HOUSE_RULE,
    SEGMENT_LIMIT,
    SEGMENT_RECOMMENDATION,
    Finding,
    Severity,
    source_title,
)
from idsync.core.rules.codes import RULES, RuleInfo
from idsync.review.checked import CheckedFile

SARIF_VERSION: Final = "2.1.0"
SARIF_SCHEMA: Final = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
TOOL_NAME: Final = "idsync"
TOOL_URI: Final = "https://segment.com/docs/engage/trait-activation/id-sync/"

_SARIF_LEVEL: Final = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
BASIS_MEANING: Final = {
    SEGMENT_LIMIT: "A Segment limit: the source says Segment refuses it, cannot do it, or "
    "the API rejects it.",
    SEGMENT_RECOMMENDATION: "A Segment recommendation: the source says what Segment or "
    "the destination expects; nothing refuses the rest.",
    HOUSE_RULE: "A house rule: this app's own hygiene check, which no Segment source "
    "states; it only warns.",
}
_GITHUB_COMMAND: Final = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
}


# --- SARIF ------------------------------------------------------------------------------


def sarif_log(files: Sequence[CheckedFile], missing: Sequence[str] = ()) -> dict[str, Any]:
    """One run of ``idsync check``: every rule, every finding, every unreadable input."""
    rules = sorted(RULES.values(), key=lambda info: info.code)
    index = {info.code: position for position, info in enumerate(rules)}
    results = [
        _sarif_result(checked.path, finding, index)
        for checked in files
        for finding in checked.findings
    ]
    notifications = [
        _unreadable_notification(checked) for checked in files if checked.error is not None
    ]
    notifications += [
        {"level": "error", "message": {"text": problem}} for problem in missing
    ]
    omitted = [_omitted_notification(checked) for checked in files if checked.omitted_count]
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "fullName": "ID Sync Configurator (idsync check)",
                        "version": __version__,
                        "informationUri": TOOL_URI,
                        "rules": [_sarif_rule(info) for info in rules],
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not notifications,
                        "toolExecutionNotifications": notifications + omitted,
                    }
                ],
                "results": results,
            }
        ],
    }


def _sarif_rule(info: RuleInfo) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": info.code,
        "name": info.name,
        "shortDescription": {"text": _rule_description(info)},
        "fullDescription": {"text": f"{_sentence(info.summary)} {_meaning(info.basis)}"},
        "help": _rule_help(info),
        "defaultConfiguration": {"level": _SARIF_LEVEL[info.severity]},
        "properties": {"basis": info.basis, "area": info.area.value},
    }
    if info.source.startswith(("http://", "https://")):
        rule["helpUri"] = info.source
    return rule


def _rule_description(info: RuleInfo) -> str:
    if info.basis == HOUSE_RULE:
        return f"{info.summary} (House rule: this app's own check)"
    return f"{info.summary} ({info.basis})"


def _rule_help(info: RuleInfo) -> dict[str, str]:
    """What the rule checks, what it rests on and where that is written, as text and as
    Markdown (the code-scanning page shows the Markdown)."""
    summary = _sentence(info.summary)
    meaning = _meaning(info.basis)
    if info.source.startswith(("http://", "https://")):
        title = source_title(info.source)
        text_source = f"Source: {title}, {info.source}"
        markdown_source = f"Source: [{title}]({info.source})"
    else:
        text_source = markdown_source = f"Source: {source_title(info.source)}."
    return {
        "text": f"{info.code} {info.name}: {summary} Basis: {meaning} {text_source}",
        "markdown": f"**{info.code} {info.name}**: {summary}\n\n"
        f"**Basis**: {meaning}\n\n{markdown_source}\n\n"
        f"`idsync check --ignore {info.code}` leaves it out.",
    }


def _meaning(basis: str) -> str:
    return BASIS_MEANING.get(basis, f"{basis}.")


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else f"{text}."


def _sarif_result(path: str, finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    line, column = _place(finding)
    location: dict[str, Any] = {
        "artifactLocation": {"uri": artifact_uri(path)},
        "region": {"startLine": line, "startColumn": column},
    }
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "level": _SARIF_LEVEL[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": location}],
        "properties": {
            "row": None if finding.row is None else finding.row + 1,
            "field": finding.field,
            "basis": finding.basis,
        },
    }
    if finding.code in index:
        result["ruleIndex"] = index[finding.code]
    return result


def _unreadable_notification(checked: CheckedFile) -> dict[str, Any]:
    error = checked.error
    assert error is not None
    location: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(checked.path)}}
    if error.line is not None:
        location["region"] = {"startLine": error.line, "startColumn": error.column or 1}
    return {
        "level": "error",
        "message": {"text": str(error)},
        "locations": [{"physicalLocation": location}],
    }


def _place(finding: Finding) -> tuple[int, int]:
    """1-based line and column; a document-level finding's is line 1, column 1."""
    if finding.line is None:
        return 1, 1
    return finding.line, finding.column or 1


def _omitted_notification(checked: CheckedFile) -> dict[str, Any]:
    """The findings of a file beyond the first ones, counted in one note."""
    location = {
        "artifactLocation": {"uri": artifact_uri(checked.path)},
        "region": {"startLine": 1, "startColumn": 1},
    }
    errors, warnings, notes = checked.omitted
    return {
        "level": "note",
        "message": {"text": checked.omitted_note()},
        "locations": [{"physicalLocation": location}],
        "properties": {"omittedErrors": errors, "omittedWarnings": warnings,
                       "omittedNotes": notes},
    }


def artifact_uri(path: str) -> str:
    """A relative path stays relative (``configs/a.json``), as code scanning expects; an
    absolute one becomes a ``file://`` URI."""
    pure: PurePath = PureWindowsPath(path) if "\\" in path else PurePosixPath(path)
    if pure.is_absolute():
        if isinstance(pure, PureWindowsPath):
            return "file:///" + quote(pure.as_posix(), safe="/:")
        return "file://" + quote(pure.as_posix(), safe="/")
    return quote(pure.as_posix(), safe="/")


# --- GitHub workflow commands ---------------------------------------------------------------


@dataclass(frozen=True)
class FileAnnotations:
    """One file's workflow commands by kind: its errors (and its being unreadable), its
    warnings, and its notes folded into one notice (None when it has none)."""

    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    notes: str | None = None


def github_commands(files: Sequence[CheckedFile], missing: Sequence[str] = ()) -> list[str]:
    """Every error first (``::error`` per unreadable input and per error finding), then
    every warning, then one ``::notice`` per file holding its notes."""
    annotated = [file_annotations(checked) for checked in files]
    lines = [_command("error", {"title": "unreadable"}, problem) for problem in missing]
    for each in annotated:
        lines += each.errors
    for each in annotated:
        lines += each.warnings
    lines += [each.notes for each in annotated if each.notes is not None]
    return lines


def file_annotations(checked: CheckedFile) -> FileAnnotations:
    """``::error file=…,line=…,col=…,title=CODE (basis)::message`` per error finding,
    ``::warning`` so per warning; the notes and the count of findings not shown in one
    ``::notice`` at the first note (a note alone keeps its own title)."""
    errors: list[str] = []
    warnings: list[str] = []
    notes: list[Finding] = []
    if checked.error is not None:
        errors.append(
            _command(
                "error",
                {
                    "file": checked.path,
                    "line": checked.error.line,
                    "col": checked.error.column if checked.error.line else None,
                    "title": "unreadable",
                },
                str(checked.error),
            )
        )
    for finding in checked.findings:
        if finding.severity is Severity.INFO:
            notes.append(finding)
            continue
        line, column = _place(finding)
        command = _command(
            _GITHUB_COMMAND[finding.severity],
            {"file": checked.path, "line": line, "col": column,
             "title": f"{finding.code} ({finding.basis})"},
            finding.message,
        )
        (errors if finding.is_error else warnings).append(command)
    return FileAnnotations(tuple(errors), tuple(warnings), _folded_notes(checked, notes))


def _folded_notes(checked: CheckedFile, notes: Sequence[Finding]) -> str | None:
    more = checked.omitted_note()
    if not notes and not more:
        return None
    if len(notes) == 1 and not more:
        (note,) = notes
        line, column = _place(note)
        return _command(
            "notice",
            {"file": checked.path, "line": line, "col": column,
             "title": f"{note.code} ({note.basis})"},
            note.message,
        )
    line, column = _place(notes[0]) if notes else (1, 1)
    codes = sorted({note.code for note in notes})
    title = f"{len(notes)} notes ({', '.join(codes)})" if notes else "more findings"
    body = [f"line {_place(note)[0]}: {note.code} {note.message}" for note in notes]
    if more:
        body.append(more)
    return _command(
        "notice",
        {"file": checked.path, "line": line, "col": column, "title": title},
        "\n".join(body),
    )


def _command(name: str, properties: dict[str, object], message: str) -> str:
    shown = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in properties.items()
        if value is not None
    )
    head = f"{name} {shown}" if shown else name
    return f"::{head}::{escape_data(message)}"


def escape_data(text: str) -> str:
    """GitHub's escaping of a command's message: ``%``, CR and LF."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """GitHub's escaping of a property value: as a message, plus ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
