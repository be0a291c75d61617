"""A review report to hand on: one self-contained HTML file.

Inline CSS, no scripts, no images, nothing fetched: the only URLs are ``<a href>`` links
to the sources the rules rest on (and to sections of the report itself). Every value from
a document is escaped, so a config named ``<script>`` reads as text, and every character
a reader would not see or a browser would act on (a bidi override, a zero-width space, a
control character) is shown as a marked escape (:mod:`idsync.core.visible`). Paths are
relative to the folder reviewed, so a report handed on shows nothing of the reviewer's
disk. An index of the files with errors comes first; each file shows its first rows and
findings and counts the rest (:data:`idsync.review.checked.MAX_FINDINGS_PER_FILE`), so a
huge document makes a small page.
Print styles lay it out on A4: the totals and the index on the first page, then each file
on a page of its own, its headings kept with what follows them and no row, body or small
table split across pages; on paper each file lists the pages its findings rest on once,
instead of a URL after every link.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Final

from idsync import APP_NAME, __version__
from idsync.core.api_mapping import NotPushable, api_limitations, create_body, update_body
from idsync.core.findings import Finding, Severity, sort_findings, source_title
from idsync.core.model import AudienceTarget, IdSyncDocument
from idsync.core.visible import escape_char, visible
from idsync.core.wording import plural
from idsync.review.checked import CheckedFile, reviewed_folder

REPORT_TITLE: Final = "ID Sync review report"
MAX_ROWS_SHOWN: Final = 200
"""Identifier rows listed per file; a longer table is counted, and its request bodies
(the same rows again, twice) are left to ``idsync export``."""

_CSS: Final = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       color: #1d2430; background: #ffffff; margin: 0; padding: 24px 32px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 0 0 8px; word-break: break-all; }
h3 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: #4a5568;
     margin: 16px 0 6px; }
p.meta { color: #4a5568; margin: 0 0 16px; }
.totals { display: flex; flex-wrap: wrap; gap: 8px; margin: 0 0 20px; padding: 0; }
.totals li { list-style: none; border: 1px solid #d5dae1; border-radius: 6px;
             padding: 6px 12px; min-width: 96px; }
.totals b { display: block; font-size: 20px; }
section.file { border: 1px solid #d5dae1; border-radius: 8px; padding: 16px 20px;
               margin: 0 0 20px; }
table { border-collapse: collapse; width: 100%; margin: 0 0 4px; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px;
         border-bottom: 1px solid #e6e9ee; }
th { background: #f3f5f8; font-weight: 600; }
table.facts th { width: 22%; background: none; color: #4a5568; font-weight: 500; }
tr { break-inside: avoid; page-break-inside: avoid; }
thead { display: table-header-group; }
code, pre { font: 12.5px/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
pre { background: #f6f8fa; border: 1px solid #e6e9ee; border-radius: 6px; padding: 8px 10px;
      white-space: pre-wrap; word-break: break-word; margin: 0 0 8px; break-inside: avoid; }
.sev { display: inline-block; border-radius: 4px; padding: 0 6px; font-weight: 600;
       font-size: 12px; }
.sev-error { background: #fde2e1; color: #9b1c1c; }
.sev-warning { background: #fff1d6; color: #7a4a00; }
.sev-info { background: #e3ecfb; color: #1e4a8a; }
.bodies { display: grid; grid-template-columns: 1fr 1fr; gap: 0 16px; }
.bodies > div { min-width: 0; }
.unreadable { border-color: #e8a3a1; }
.clean { color: #276749; }
.muted { color: #6b7280; }
.print-only { display: none; }
.hidden-char { font: 11px ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
               background: #fde2e1; color: #9b1c1c; border-radius: 3px; padding: 0 2px; }
nav.index ul { margin: 0 0 20px; padding-left: 20px; }
a { color: #1f5fbf; }
@page { size: A4; margin: 12mm 11mm; }
@media print {
  body { padding: 0; font-size: 9px; line-height: 1.3; }
  h1 { font-size: 18px; }
  h2 { font-size: 13px; margin: 0 0 2px; }
  h3 { font-size: 9px; margin: 8px 0 3px; }
  h1, h2, h3, p.meta, .bodies p { break-after: avoid; page-break-after: avoid; }
  p.meta { margin: 0 0 6px; }
  .totals { margin: 0 0 12px; }
  section.file { border: none; border-radius: 0; padding: 0; margin: 0;
                 break-before: page; page-break-before: always; }
  table.facts, .bodies, .bodies > div, ul, p { break-inside: avoid; page-break-inside: avoid; }
  th, td { padding: 1px 4px; }
  code { font-size: 8px; }
  pre { font-size: 7px; line-height: 1.2; padding: 3px 5px; margin: 0 0 4px; }
  .sev { font-size: 7.5px; padding: 0 3px; }
  .print-only { display: block; }
  p.sources { color: #4a5568; font-size: 7.5px; word-break: break-all; margin: 2px 0 0; }
  a { color: inherit; text-decoration: none; }
}
"""


def render_report(
    files: Sequence[CheckedFile],
    *,
    generated_at: datetime,
    missing: Sequence[str] = (),
    title: str = REPORT_TITLE,
    folder: Path | None = None,
) -> str:
    """The whole report as HTML text (UTF-8 when written); paths under ``folder`` (the
    folder reviewed; by default the one the files share) are shown relative to it."""
    if folder is None:
        folder = reviewed_folder([checked.path for checked in files])
    shown = _PathShown(folder)
    readable = [f for f in files if f.document is not None]
    count = {s: sum(f.count(s) for f in files) for s in Severity}
    unreadable = sum(1 for f in files if f.document is None) + len(missing)
    totals = [
        ("Files", len(files) + len(missing)),
        ("Checked", len(readable)),
        ("Unreadable", unreadable),
        ("Errors", count[Severity.ERROR]),
        ("Warnings", count[Severity.WARNING]),
        ("Notes", count[Severity.INFO]),
    ]
    reviewed = f" in {_t(folder.name or str(folder))}" if folder is not None else ""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        # No requests to anywhere: not even a favicon, a font or a prefetch.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{_t(title)}</h1>",
        f'<p class="meta">{_e(plural(len(files) + len(missing), "file"))}{reviewed} · '
        f"generated {_e(generated_at.strftime('%Y-%m-%d %H:%M %Z').strip())} by "
        f"{_e(APP_NAME)} {_e(__version__)}</p>",
        '<ul class="totals">',
        *(f"<li><b>{value}</b>{_e(label)}</li>" for label, value in totals),
        "</ul>",
        *_index(files, missing, shown),
    ]
    for number, problem in enumerate(missing):
        parts.append(
            f'<section class="file unreadable" id="missing-{number}"><h2>'
            f"{_t(shown.text(problem))}</h2>"
            "<p>Not checked: nothing to read here.</p></section>"
        )
    for number, checked in enumerate(files):
        parts.extend(_file_section(checked, f"file-{number}", shown))
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


class _PathShown:
    """Paths as the report shows them: relative to the folder reviewed when under it."""

    def __init__(self, folder: Path | None) -> None:
        self._folder = os.path.abspath(folder) if folder is not None else None

    def path(self, path: str) -> str:
        if self._folder is None:
            return path
        absolute = os.path.abspath(path)
        try:
            inside = os.path.commonpath([self._folder, absolute]) == self._folder
        except ValueError:
            return path
        return os.path.relpath(absolute, self._folder) if inside else path

    def text(self, line: str) -> str:
        """A line that starts with a path (``PATH: no such file or folder``)."""
        path, sep, rest = line.partition(": ")
        return f"{self.path(path)}{sep}{rest}" if sep else self.path(line)


def _index(
    files: Sequence[CheckedFile], missing: Sequence[str], shown: _PathShown
) -> list[str]:
    """Links to the files that need attention: unreadable ones and those with errors."""
    entries = [
        f'<li><a href="#missing-{number}">{_t(shown.text(problem))}</a> — not checked</li>'
        for number, problem in enumerate(missing)
    ]
    for number, checked in enumerate(files):
        if checked.error is not None:
            what = "unreadable"
        elif checked.errors:
            what = plural(checked.errors, "error")
        else:
            continue
        entries.append(
            f'<li><a href="#file-{number}"><code>{_t(shown.path(checked.path))}</code></a>'
            f" — {_e(what)}</li>"
        )
    if not entries:
        return ['<p class="clean">No file has errors.</p>']
    return [
        '<nav class="index">',
        f"<h3>Files with errors ({len(entries)})</h3>",
        "<ul>",
        *entries,
        "</ul>",
        "</nav>",
    ]


def _file_section(checked: CheckedFile, anchor: str, shown: _PathShown) -> list[str]:
    doc = checked.document
    path = shown.path(checked.path)
    if doc is None:
        reason = _unreadable_reason(checked)
        return [
            f'<section class="file unreadable" id="{anchor}">',
            f"<h2>{_t(path)}</h2>",
            f"<p><span class=\"sev sev-error\">Unreadable</span> {_t(reason)}</p>",
            "</section>",
        ]
    out = [f'<section class="file" id="{anchor}">', f"<h2>{_t(doc.name or '(no name)')}</h2>"]
    out.append(f'<p class="meta"><code>{_t(path)}</code></p>')
    out.append('<table class="facts"><tbody>')
    for label, value in _facts(doc):
        out.append(f"<tr><th>{_e(label)}</th><td>{_t(value)}</td></tr>")
    out.append("</tbody></table>")
    out.extend(_rows_table(checked, doc))
    out.extend(_findings_table(checked))
    out.extend(_bodies(doc))
    out.append("</section>")
    return out


def _unreadable_reason(checked: CheckedFile) -> str:
    """Why the file could not be read, without its path (the heading shows it)."""
    error = checked.error
    if error is None:
        return "could not be read"
    where = ""
    if error.line is not None:
        where = f"line {error.line}, column {error.column or 1}: "
    if error.field:
        where += f"{error.field}: "
    return where + error.reason


def _facts(doc: IdSyncDocument) -> list[tuple[str, str]]:
    target = doc.target
    if isinstance(target, AudienceTarget):
        where = f"Audience {target.audience_id or '(none)'} in space {target.space_id or '(none)'}"
    else:
        where = (
            f"Journey {target.journey_id or '(none)'}, step {target.step or '(none)'}, "
            f"in space {target.space_id or '(none)'}"
        )
    if doc.destination is None:
        destination = "(none chosen)"
    else:
        ref = doc.destination
        destination = (
            f"{ref.name or ref.slug} ({ref.slug}, {ref.kind.label.lower()}), "
            f"instance {ref.instance_id or '(none)'}"
        )
    facts = [
        ("Target", where),
        ("Destination", destination),
        ("Setup", doc.setup.label),
        ("Send Mobile IDs", "on" if doc.send_mobile_ids else "off"),
    ]
    if doc.custom_identifiers:
        facts.append(("Custom identifiers", ", ".join(doc.custom_identifiers)))
    if doc.notes:
        facts.append(("Notes", doc.notes))
    return facts


def _rows_table(checked: CheckedFile, doc: IdSyncDocument) -> list[str]:
    out = [f"<h3>Identifier rows ({len(doc.identifiers)})</h3>"]
    if not doc.identifiers:
        out.append('<p class="muted">No identifier rows.</p>')
        return out
    out.append(
        "<table><thead><tr><th>Row</th><th>Line</th><th>Segment identifier</th>"
        "<th>Destination identifier</th><th>Strategy</th></tr></thead><tbody>"
    )
    for index, row in enumerate(doc.identifiers[:MAX_ROWS_SHOWN]):
        line = checked.positions.row_line(index)
        out.append(
            f"<tr><td>{index + 1}</td><td>{_e(line if line is not None else '-')}</td>"
            f"<td><code>{_t(row.segment or '(empty)')}</code></td>"
            f"<td><code>{_t(row.destination or '(no mapTo)')}</code></td>"
            f"<td>{_e(row.strategy.label)}</td></tr>"
        )
    out.append("</tbody></table>")
    more = len(doc.identifiers) - MAX_ROWS_SHOWN
    if more > 0:
        out.append(f'<p class="muted">and {_e(plural(more, "more row"))} not shown.</p>')
    return out


def _findings_table(checked: CheckedFile) -> list[str]:
    findings = sort_findings(list(checked.findings))
    out = [f"<h3>Findings ({len(findings) + checked.omitted_count})</h3>"]
    if not findings:
        out.append('<p class="clean">No findings.</p>')
        return out
    out.append(
        "<table><thead><tr><th>Severity</th><th>Code</th><th>Row</th><th>Line</th>"
        "<th>Finding</th><th>Basis</th></tr></thead><tbody>"
    )
    for finding in findings:
        row = "-" if finding.row is None else str(finding.row + 1)
        line = "-" if finding.line is None else str(finding.line)
        out.append(
            f'<tr><td><span class="sev sev-{finding.severity.value}">'
            f"{_e(finding.severity.label)}</span></td>"
            f"<td><code>{_e(finding.code)}</code></td><td>{row}</td><td>{line}</td>"
            f"<td>{_t(finding.message)}{_reference(finding)}</td>"
            f"<td>{_basis(finding)}</td></tr>"
        )
    out.append("</tbody></table>")
    if checked.omitted_count:
        out.append(f'<p class="muted">{_e(checked.omitted_note())}.</p>')
    out.extend(_printed_sources(findings))
    return out


def _printed_sources(findings: Sequence[Finding]) -> list[str]:
    """On paper, where a link cannot be followed: each page the findings rest on, once."""
    pages: dict[str, str] = {}
    for finding in findings:
        for url in (finding.source, finding.reference):
            if _is_web_link(url) and url not in pages:
                pages[url] = source_title(url) if url == finding.source else "reference"
    if not pages:
        return []
    listed = "; ".join(f"{_e(title)}: {_e(url)}" for url, title in pages.items())
    return [f'<p class="print-only sources">Sources — {listed}</p>']


def _basis(finding: Finding) -> str:
    if finding.is_house_rule or not _is_web_link(finding.source):
        return _e(finding.basis)
    link = f'<a href="{_e(finding.source)}">{_e(source_title(finding.source))}</a>'
    return f"{_e(finding.basis)} — {link}"


def _reference(finding: Finding) -> str:
    if not finding.reference or not _is_web_link(finding.reference):
        return ""
    return f' <a href="{_e(finding.reference)}">(reference)</a>'


def _bodies(doc: IdSyncDocument) -> list[str]:
    out = ["<h3>Public API request bodies</h3>"]
    if len(doc.identifiers) > MAX_ROWS_SHOWN:
        out.append(
            f'<p class="muted">Not shown for {_e(plural(len(doc.identifiers), "row"))}: '
            "<code>idsync export --as create-body</code> (or <code>update-body</code>) "
            "writes them.</p>"
        )
        return out
    out.append('<div class="bodies">')
    for label, build in (
        ("Create (POST, Add Destination to Audience)", create_body),
        ("Update (PATCH, Update Destination for Audience)", update_body),
    ):
        out.append(f"<div><p><b>{_e(label)}</b></p>")
        try:
            body = build(doc)
        except NotPushable as reason:
            out.append(f'<p class="muted">Not buildable: {_t(str(reason))}</p></div>')
            continue
        text = json.dumps(body, indent=2, ensure_ascii=False)
        out.append(f"<pre>{_t_lines(text)}</pre></div>")
    out.append("</div>")
    notes = api_limitations(doc)
    if notes:
        out.append("<ul>")
        out.extend(f"<li>{_t(note.message)}</li>" for note in notes)
        out.append("</ul>")
    return out


def _is_web_link(url: str) -> bool:
    return url.startswith(("https://", "http://"))


def _e(value: object) -> str:
    """Text for an attribute, or text of the app's own: escaped, hidden characters shown
    as plain escapes."""
    return escape(visible(str(value)), quote=True)


def _t_lines(text: str) -> str:
    """Lines the app wrote itself (a request body): their line breaks stay."""
    return "\n".join(_t(line) for line in text.split("\n"))


def _t(value: object) -> str:
    """Text from a document, as element content: escaped, and each hidden character (a
    bidi override, a zero-width space, a control character) a marked escape."""
    text = str(value)
    if text.isprintable():
        return escape(text, quote=True)
    return "".join(
        escape(ch, quote=True)
        if ch.isprintable()
        else f'<span class="hidden-char" title="U+{ord(ch):04X}">{escape_char(ch)}</span>'
        for ch in text
    )
