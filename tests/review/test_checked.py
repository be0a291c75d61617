"""Checking many files: in order, on worker processes, and on without them if they die."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from idsync.catalog import load_catalog
from idsync.core.catalog import Catalog
from idsync.core.findings import Area, Finding, Severity
from idsync.core.model import IdentifierRow
from idsync.review import checked
from idsync.review.checked import (
    MAX_FINDINGS_PER_FILE,
    PARALLEL_FROM,
    capped,
    check_file,
    check_files,
    expand_paths,
)
from tests.helpers.documents import CLEAN, write

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "resources" / "examples").rglob("*.json"))


def _folder(tmp_path: Path, count: int) -> list[str]:
    for n in range(count):
        (tmp_path / f"{n:04d}.json").write_bytes(EXAMPLES[n % len(EXAMPLES)].read_bytes())
    files, missing = expand_paths([str(tmp_path)])
    assert missing == []
    return files


def _summary(results: list[checked.CheckedFile]) -> list[tuple[str, tuple[str, ...]]]:
    return [(r.path, tuple(f.code for f in r.findings)) for r in results]


def test_workers_give_the_results_of_one_process_in_order(tmp_path: Path) -> None:
    files = _folder(tmp_path, PARALLEL_FROM + 10)
    catalog = load_catalog()
    shared = list(check_files(files, catalog, jobs=2))
    alone = list(check_files(files, catalog, jobs=1))
    assert _summary(shared) == _summary(alone)
    assert all(r.document is None for r in shared), "documents are not kept"


def test_workers_that_die_cost_speed_not_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("a forked worker is how this test breaks the pool")
    files = _folder(tmp_path, PARALLEL_FROM + 10)
    catalog = load_catalog()
    expected = _summary(list(check_files(files, catalog, jobs=1)))
    # Forked workers inherit this: each dies as it starts, so the pool breaks.
    monkeypatch.setattr(checked, "_start_worker", lambda _catalog: os._exit(1))
    monkeypatch.setattr(
        checked, "_process_context", lambda: multiprocessing.get_context("fork")
    )
    assert _summary(list(check_files(files, catalog, jobs=2))) == expected


def test_a_file_named_twice_is_checked_once(tmp_path: Path) -> None:
    files = _folder(tmp_path, 2)
    named = [str(tmp_path), f"{tmp_path}/", files[0], os.path.join(".", os.path.relpath(files[0]))]
    found, missing = expand_paths(named)
    assert (found, missing) == (files, [])


def test_findings_beyond_the_cap_are_counted_the_most_severe_kept_in_order() -> None:
    notes = [Finding("IDS901", Severity.INFO, f"n{n}", Area.PUSH) for n in range(3)]
    warnings = [Finding("IDS302", Severity.WARNING, f"w{n}", Area.IDENTIFIERS, n)
                for n in range(5)]
    errors = [Finding("IDS102", Severity.ERROR, f"e{n}", Area.IDENTIFIERS, n)
              for n in range(4)]
    findings = [warnings[0], errors[0], notes[0], *warnings[1:], *errors[1:], *notes[1:]]
    kept, omitted = capped(findings, limit=6)
    assert kept == [warnings[0], errors[0], warnings[1], *errors[1:]]
    assert omitted == (0, 3, 3)
    assert capped(findings, limit=len(findings)) == (findings, (0, 0, 0))


def test_a_file_with_more_findings_than_the_cap_counts_them_all(
    tmp_path: Path, catalog: Catalog
) -> None:
    rows = [IdentifierRow(segment=f"trait_{n}", destination=f"F{n}") for n in range(150)]
    path = write(tmp_path / "long.json", CLEAN.with_rows(rows))
    result = check_file(path, catalog)
    assert len(result.findings) == MAX_FINDINGS_PER_FILE
    assert result.omitted_count > 0
    total = result.errors + result.warnings + result.notes
    assert total == MAX_FINDINGS_PER_FILE + result.omitted_count
    assert result.counts() == tuple(
        sum(1 for f in result.findings if f.severity is severity) + result.omitted[severity.rank]
        for severity in Severity
    ) == (result.errors, result.warnings, result.notes)
    assert result.omitted_note().startswith(f"and {result.omitted_count} more findings not shown (")
    quiet = result.without_notes()
    assert quiet.notes == 0 and quiet.errors == result.errors
