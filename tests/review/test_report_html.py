"""The HTML review report: self-contained, escaped, with sources, bodies and print styles."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest

from idsync.core.catalog import Catalog
from idsync.core.model import DestinationRef, IdentifierRow, JourneyTarget, Strategy
from idsync.core.rules import RULES
from idsync.review.checked import check_file
from idsync.review.report_html import render_report
from tests.helpers.cli import run
from tests.helpers.documents import BROKEN_JSON, CLEAN, ROW_ERROR, row_line, write

WHEN = datetime(2025, 1, 2, 3, 4, tzinfo=timezone.utc)


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Collect:
    parser = _Collect()
    parser.feed(html)
    parser.close()
    return parser


def test_every_value_is_escaped(tmp_path: Path, catalog: Catalog) -> None:
    hostile = ROW_ERROR.replace(
        name="<script>alert(1)</script>",
        notes='"><img src=x onerror=alert(2)>',
        destination=DestinationRef(
            slug="personas-facebook-custom-audiences",
            name="<marquee>Facebook</marquee>",
            instance_id="dst_<i>",
        ),
    ).with_rows(
        [IdentifierRow(segment="<u>email</u>", destination="</td>EMAIL", strategy=Strategy.ALL)]
    )
    path = write(tmp_path / "<evil>.json", hostile)
    html = render_report([check_file(path, catalog)], generated_at=WHEN)
    parsed = _parse(html)
    tags = {tag for tag, _ in parsed.tags}
    assert not tags & {"script", "img", "marquee", "i", "u", "iframe", "link"}
    text = "".join(parsed.text)
    assert "<script>alert(1)</script>" in text, "the name shows as text"
    assert '"><img src=x onerror=alert(2)>' in text
    assert "</td>EMAIL" in text and "<evil>.json" in text
    assert "&lt;script&gt;" in html


def test_self_contained_no_requests(tmp_path: Path, catalog: Catalog) -> None:
    path = write(tmp_path / "wrong.json", ROW_ERROR)
    html = render_report([check_file(path, catalog)], generated_at=WHEN)
    parsed = _parse(html)
    for tag, attrs in parsed.tags:
        assert tag not in ("script", "link", "img", "iframe", "object", "embed", "base")
        assert "src" not in attrs and "style" not in attrs
        if tag == "a":
            # A source's page, or a file's section further down the report.
            assert (attrs["href"] or "").startswith(("https://", "#"))
    # Outside <a href>, no URL is ever referenced (no url(), no @import).
    without_links = re.sub(r'<a href="[^"]*">', "", html)
    assert "url(" not in without_links and "@import" not in without_links
    assert not re.search(r"(?:src|href)\s*=", without_links)
    assert "@page { size: A4" in html and "break-inside: avoid" in html


def test_report_content(tmp_path: Path, catalog: Catalog) -> None:
    wrong = write(tmp_path / "wrong.json", ROW_ERROR)
    journey = write(
        tmp_path / "journey.json",
        CLEAN.replace(target=JourneyTarget(space_id="spa_1", journey_id="jou_1",
                                                          step="Welcome")),
    )
    broken = tmp_path / "broken.json"
    broken.write_bytes(BROKEN_JSON)
    files = [check_file(p, catalog) for p in (wrong, journey, broken)]
    html = render_report(files, generated_at=WHEN, missing=[f"{tmp_path}/gone: no such file"])
    text = " ".join(" ".join(_parse(html).text).split())
    assert "Files 4" in text.replace("4 Files", "Files 4") or "4Files" in text.replace(" ", "")
    assert "Audience aud_1 in space spa_1" in text
    assert "Journey jou_1, step Welcome, in space spa_1" in text
    assert "Facebook Custom Audiences (personas-facebook-custom-audiences, destination)" in text
    assert "Customized Setup" in text or "Customized" in text
    # The IDS104 finding: severity, code, row, line and its source link.
    line = row_line(wrong, 2)
    row = re.search(r"<tr><td><span class=\"sev sev-error\">Error</span></td>"
                    r"<td><code>IDS104</code></td><td>2</td><td>(\d+)</td>", html)
    assert row is not None and int(row.group(1)) == line
    assert f'<a href="{RULES["IDS104"].source}">' in html
    # The exact API bodies, or why not.
    assert "&quot;idSyncConfiguration&quot;: [" in html
    assert "&quot;externalId&quot;: &quot;&quot;" in html
    assert "Not buildable: Journey steps have no ID Sync field" in html
    assert "Expecting &#x27;,&#x27; delimiter" in html and "Unreadable" in html
    assert "gone: no such file" in html


def test_house_rules_say_so_without_a_link(tmp_path: Path, catalog: Catalog) -> None:
    twice = write(tmp_path / "twice.json", CLEAN.with_rows([*CLEAN.identifiers] * 2))
    html = render_report([check_file(twice, catalog)], generated_at=WHEN)
    row = re.search(r"<code>IDS107</code>.*?</tr>", html)
    assert row is not None
    assert "<td>House rule</td>" in row.group(0) and "href" not in row.group(0)


def test_check_report_option_writes_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = write(tmp_path / "wrong.json", ROW_ERROR)
    target = tmp_path / "out" / "report.html"
    target.parent.mkdir()
    result = run(capsys, "check", "-q", str(wrong), "--report", str(target))
    assert result.code == 1, "the exit code is the check's"
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "IDS104" in html
    unwritable = run(capsys, "check", "-q", str(wrong), "--report", str(tmp_path / "no" / "r.html"))
    assert unwritable.code == 2
    assert "the report was not written" in unwritable.err


def test_hidden_characters_are_marked_not_passed_through(
    tmp_path: Path, catalog: Catalog
) -> None:
    row = IdentifierRow(segment="email\u200b", destination="\u202eLIAME", strategy=Strategy.ALL)
    doc = CLEAN.replace(name="Facebook\u2066 email\x1b").with_rows([row])
    html = render_report([check_file(write(tmp_path / "a.json", doc), catalog)],
                         generated_at=WHEN)
    for hidden in ("\u200b", "\u202e", "\u2066", "\x1b"):
        assert hidden not in html
    assert '<span class="hidden-char" title="U+202E">\\u202e</span>LIAME' in html
    assert 'email<span class="hidden-char" title="U+200B">\\u200b</span>' in html
    assert '<span class="hidden-char" title="U+001B">\\u001b</span>' in html


def test_paths_are_relative_to_the_folder_reviewed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "configs"
    (folder / "team").mkdir(parents=True)
    write(folder / "team" / "wrong.json", ROW_ERROR)
    write(folder / "clean.json", CLEAN)
    (folder / "broken.json").write_bytes(BROKEN_JSON)
    target = tmp_path / "report.html"
    run(capsys, "check", str(folder), "--report", str(target))
    html = target.read_text(encoding="utf-8")
    assert str(tmp_path) not in html
    assert "<code>team/wrong.json</code>" in html and "broken.json" in html
    assert "in configs ·" in html


def test_an_index_of_the_files_with_errors_comes_first(
    tmp_path: Path, catalog: Catalog
) -> None:
    clean = check_file(write(tmp_path / "clean.json", CLEAN), catalog)
    wrong = check_file(write(tmp_path / "wrong.json", ROW_ERROR), catalog)
    broken_path = tmp_path / "broken.json"
    broken_path.write_bytes(BROKEN_JSON)
    broken = check_file(broken_path, catalog)
    html = render_report([clean, wrong, broken], generated_at=WHEN)
    index = html[html.index('<nav class="index">') : html.index("</nav>")]
    assert html.index("</nav>") < html.index('<section class="file"')
    assert '<a href="#file-1"><code>wrong.json</code></a> — 1 error' in index
    assert '<a href="#file-2"><code>broken.json</code></a> — unreadable' in index
    assert "clean.json" not in index
    assert 'id="file-1"' in html and 'id="file-2"' in html


def test_a_huge_document_makes_a_small_report(tmp_path: Path, catalog: Catalog) -> None:
    from idsync.review.checked import MAX_FINDINGS_PER_FILE
    from idsync.review.report_html import MAX_ROWS_SHOWN

    rows = [IdentifierRow(segment=f"trait_{n}", destination=f"F{n}") for n in range(2000)]
    checked = check_file(write(tmp_path / "huge.json", CLEAN.with_rows(rows)), catalog)
    html = render_report([checked], generated_at=WHEN)
    assert html.count("<tr><td>") == MAX_ROWS_SHOWN + MAX_FINDINGS_PER_FILE
    assert f"and {2000 - MAX_ROWS_SHOWN} more rows not shown." in html
    assert f"{checked.omitted_note()}." in html
    assert "Not shown for 2000 rows" in html


def test_request_bodies_keep_their_line_breaks(tmp_path: Path, catalog: Catalog) -> None:
    html = render_report([check_file(write(tmp_path / "a.json", ROW_ERROR), catalog)],
                         generated_at=WHEN)
    body = html[html.index("<pre>") : html.index("</pre>")]
    assert "\n  &quot;idSyncConfiguration&quot;: [" in body and "hidden-char" not in body


def _print_rules(html: str) -> str:
    return html.split("@media print {", 1)[1].split("\n}\n", 1)[0]


def test_print_styles_give_each_file_its_own_page_with_headings_kept(
    tmp_path: Path, catalog: Catalog
) -> None:
    path = write(tmp_path / "wrong.json", ROW_ERROR)
    printed = _print_rules(render_report([check_file(path, catalog)], generated_at=WHEN))
    section = re.search(r"section\.file \{([^}]*)\}", printed)
    assert section is not None and "break-before: page" in section.group(1)
    assert "first-of-type" not in printed, "the first file too starts a page of its own"
    assert re.search(r"h1, h2, h3[^{]*\{ break-after: avoid", printed)
    assert re.search(r"\.bodies[^{]*\{ break-inside: avoid", printed)


def test_on_paper_each_source_is_listed_once(tmp_path: Path, catalog: Catalog) -> None:
    path = write(tmp_path / "wrong.json", ROW_ERROR)
    checked = check_file(path, catalog)
    html = render_report([checked], generated_at=WHEN)
    [sources] = re.findall(r'<p class="print-only sources">(.*?)</p>', html)
    urls = {url for f in checked.findings for url in (f.source, f.reference)
            if url.startswith("https://")}
    assert urls and all(sources.count(url) == 1 for url in urls)
    assert "attr(href)" not in html, "no URL after every link on paper"


@pytest.mark.slow
def test_printed_with_chromium_each_file_takes_one_page(tmp_path: Path) -> None:
    """The shipped examples (20 of them) printed to PDF by headless Chromium: the first
    page for the totals and the index, then one page per file."""
    import shutil
    import subprocess
    import sys

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    pdfinfo = shutil.which("pdfinfo")
    if chromium is None or pdfinfo is None:
        pytest.skip("needs chromium and pdfinfo (poppler-utils)")
    examples = Path(__file__).resolve().parents[2] / "resources" / "examples"
    folder = tmp_path / "docs"
    folder.mkdir()
    for source in sorted(examples.rglob("*.json"))[:20]:
        (folder / source.name).write_bytes(source.read_bytes())
    report = tmp_path / "report.html"
    pdf = tmp_path / "report.pdf"
    run_cli = subprocess.run(
        [sys.executable, "-m", "idsync", "check", "-q", str(folder), "--report", str(report)],
        capture_output=True, timeout=120,
    )
    assert report.is_file(), run_cli.stderr
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--user-data-dir={tmp_path / 'profile'}", f"--print-to-pdf={pdf}", report.as_uri()],
        capture_output=True, timeout=120, check=True,
    )
    info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True)
    pages = re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)
    assert pages is not None, info.stdout
    assert int(pages.group(1)) == 20 + 1
