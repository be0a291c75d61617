"""A review report to hand on: one self-contained HTML file.

Inline CSS, no scripts, no images, nothing fetched: the only URLs are ``<a href>`` links
to the sources the rules rest on. Every value from a document is escaped, so a config
named ``<script>`` reads as text. Print styles lay it out on A4 without splitting a row.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from html import escape
from typing import Final

from app import APP_NAME, __version__
from app.core.api_mapping import NotPushable, api_limitations, create_body, update_body
from app.core.findings import Finding, Severity, sort_findings, source_title
from app.core.model import AudienceTarget, IdSyncDocument
from app.core.wording import plural
from app.review.checked import CheckedFile

REPORT_TITLE: Final = "ID Sync review report"

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
a { color: #1f5fbf; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { padding: 0; font-size: 11px; }
  section.file { border: none; padding: 0; break-before: page; page-break-before: always; }
  section.file:first-of-type { break-before: auto; page-break-before: auto; }
  a { color: inherit; }
  a[href]::after { content: " (" attr(href) ")"; font-size: 9px; color: #4a5568;
                   word-break: break-all; }
}
"""


def render_report(
    files: Sequence[CheckedFile],
    *,
    generated_at: datetime,
    missing: Sequence[str] = (),
    title: str = REPORT_TITLE,
) -> str:
    """The whole report as HTML text (UTF-8 when written)."""
    readable = [f for f in files if f.document is not None]
    findings = [finding for f in files for finding in f.findings]
    count = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    unreadable = sum(1 for f in files if f.document is None) + len(missing)
    totals = [
        ("Files", len(files) + len(missing)),
        ("Checked", len(readable)),
        ("Unreadable", unreadable),
        ("Errors", count[Severity.ERROR]),
        ("Warnings", count[Severity.WARNING]),
        ("Notes", count[Severity.INFO]),
    ]
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
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta">{_e(plural(len(files) + len(missing), "file"))} · generated '
        f"{_e(generated_at.strftime('%Y-%m-%d %H:%M %Z').strip())} by {_e(APP_NAME)} "
        f"{_e(__version__)}</p>",
        '<ul class="totals">',
        *(f"<li><b>{value}</b>{_e(label)}</li>" for label, value in totals),
        "</ul>",
    ]
    for problem in missing:
        parts.append(
            f'<section class="file unreadable"><h2>{_e(problem)}</h2>'
            "<p>Not checked: nothing to read here.</p></section>"
        )
    for checked in files:
        parts.extend(_file_section(checked))
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _file_section(checked: CheckedFile) -> list[str]:
    doc = checked.document
    if doc is None:
        reason = str(checked.error) if checked.error is not None else "could not be read"
        return [
            '<section class="file unreadable">',
            f"<h2>{_e(checked.path)}</h2>",
            f"<p><span class=\"sev sev-error\">Unreadable</span> {_e(reason)}</p>",
            "</section>",
        ]
    out = ['<section class="file">', f"<h2>{_e(doc.name or '(no name)')}</h2>"]
    out.append(f'<p class="meta"><code>{_e(checked.path)}</code></p>')
    out.append('<table class="facts"><tbody>')
    for label, value in _facts(doc):
        out.append(f"<tr><th>{_e(label)}</th><td>{_e(value)}</td></tr>")
    out.append("</tbody></table>")
    out.extend(_rows_table(checked, doc))
    out.extend(_findings_table(checked))
    out.extend(_bodies(doc))
    out.append("</section>")
    return out


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
    for index, row in enumerate(doc.identifiers):
        line = checked.positions.row_line(index)
        out.append(
            f"<tr><td>{index + 1}</td><td>{_e(line if line is not None else '-')}</td>"
            f"<td><code>{_e(row.segment or '(empty)')}</code></td>"
            f"<td><code>{_e(row.destination or '(no mapTo)')}</code></td>"
            f"<td>{_e(row.strategy.label)}</td></tr>"
        )
    out.append("</tbody></table>")
    return out


def _findings_table(checked: CheckedFile) -> list[str]:
    findings = sort_findings(list(checked.findings))
    out = [f"<h3>Findings ({len(findings)})</h3>"]
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
            f"<td>{_e(finding.message)}{_reference(finding)}</td>"
            f"<td>{_basis(finding)}</td></tr>"
        )
    out.append("</tbody></table>")
    return out


def _basis(finding: Finding) -> str:
    if finding.is_house_rule or not _is_web_link(finding.source):
        return "House rule"
    return (
        f'Segment limit — <a href="{_e(finding.source)}">{_e(source_title(finding.source))}</a>'
    )


def _reference(finding: Finding) -> str:
    if not finding.reference or not _is_web_link(finding.reference):
        return ""
    return f' <a href="{_e(finding.reference)}">(reference)</a>'


def _bodies(doc: IdSyncDocument) -> list[str]:
    out = ["<h3>Public API request bodies</h3>", '<div class="bodies">']
    for label, build in (
        ("Create (POST, Add Destination to Audience)", create_body),
        ("Update (PATCH, Update Destination for Audience)", update_body),
    ):
        out.append(f"<div><p><b>{_e(label)}</b></p>")
        try:
            body = build(doc)
        except NotPushable as reason:
            out.append(f'<p class="muted">Not buildable: {_e(str(reason))}</p></div>')
            continue
        out.append(f"<pre>{_e(json.dumps(body, indent=2, ensure_ascii=False))}</pre></div>")
    out.append("</div>")
    notes = api_limitations(doc)
    if notes:
        out.append("<ul>")
        out.extend(f"<li>{_e(note.message)}</li>" for note in notes)
        out.append("</ul>")
    return out


def _is_web_link(url: str) -> bool:
    return url.startswith(("https://", "http://"))


def _e(value: object) -> str:
    return escape(str(value), quote=True)
