"""Findings for CI: a SARIF 2.1.0 log for code-scanning tools, and GitHub Actions workflow
commands (``::error file=…,line=…::message``) for pull-request annotations.

Pure functions of checked files; the caller prints them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath, PurePosixPath, PureWindowsPath
from typing import Any, Final
from urllib.parse import quote

from app import __version__
from app.core.findings import HOUSE_RULE, Finding, Severity
from app.core.rules.codes import RULES, RuleInfo
from app.review.checked import CheckedFile

SARIF_VERSION: Final = "2.1.0"
SARIF_SCHEMA: Final = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
TOOL_NAME: Final = "idsync"
TOOL_URI: Final = "https://segment.com/docs/engage/trait-activation/id-sync/"

_SARIF_LEVEL: Final = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
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


def _sarif_result(path: str, finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(path)}}
    if finding.line is not None:
        location["region"] = {"startLine": finding.line}
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


def _omitted_notification(checked: CheckedFile) -> dict[str, Any]:
    """The findings of a file beyond the first ones, counted in one note."""
    location = {"artifactLocation": {"uri": artifact_uri(checked.path)}}
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


def github_commands(files: Sequence[CheckedFile], missing: Sequence[str] = ()) -> list[str]:
    """``::error file=…,line=…,title=CODE::message`` per finding (``::warning``,
    ``::notice`` for the other severities), and ``::error`` per unreadable input."""
    lines: list[str] = []
    for checked in files:
        if checked.error is not None:
            lines.append(
                _command(
                    "error",
                    {"file": checked.path, "line": checked.error.line, "title": "unreadable"},
                    str(checked.error),
                )
            )
        for finding in checked.findings:
            title = f"{finding.code} ({finding.basis})"
            lines.append(
                _command(
                    _GITHUB_COMMAND[finding.severity],
                    {"file": checked.path, "line": finding.line, "title": title},
                    finding.message,
                )
            )
        if checked.omitted_count:
            lines.append(
                _command("notice", {"file": checked.path, "title": "more findings"},
                         checked.omitted_note())
            )
    for problem in missing:
        lines.append(_command("error", {"title": "unreadable"}, problem))
    return lines


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
