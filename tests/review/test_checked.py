"""Checking many files: in order, on worker processes, and on without them if they die."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from app.catalog import load_catalog
from app.review import checked
from app.review.checked import PARALLEL_FROM, check_files, expand_paths

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
