"""How fast the rules check documents, against reading them, measured in the same run.

`idsync check` on a folder reads each file and validates it. This times, over the shipped
examples repeated N times: parsing the canonical bytes (the baseline every check pays),
validating the parsed documents, and the whole `check` path, then prints each as a
ratio to the baseline so the numbers compare across machines.

    .venv/bin/python benchmarks/check_throughput.py [--repeat 200]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from idsync.catalog import load_catalog
from idsync.core.rules import validate
from idsync.resources import resource_path
from idsync.storage.documents import parse_document


def _best_of(runs: int, work: Callable[[], object]) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return min(timings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="copies of each example")
    parser.add_argument("--runs", type=int, default=5, help="best of this many runs")
    args = parser.parse_args()

    files = sorted(resource_path("examples").rglob("*.json"))
    blobs = [(path.name, path.read_bytes()) for path in files] * args.repeat
    catalog = load_catalog()
    docs = [parse_document(data, name) for name, data in blobs]

    parse = _best_of(args.runs, lambda: [parse_document(data, name) for name, data in blobs])
    rules = _best_of(args.runs, lambda: [validate(doc, catalog) for doc in docs])
    both = _best_of(
        args.runs, lambda: [validate(parse_document(d, n), catalog) for n, d in blobs]
    )

    count = len(blobs)
    print(f"documents          {count} ({len(files)} examples x {args.repeat})")
    print(f"parse (baseline)   {parse * 1e6 / count:8.1f} us/doc   1.00x")
    print(f"validate           {rules * 1e6 / count:8.1f} us/doc   {rules / parse:.2f}x")
    print(f"parse + validate   {both * 1e6 / count:8.1f} us/doc   {both / parse:.2f}x")
    print(f"documents/second   {count / both:8.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
