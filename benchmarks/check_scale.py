"""`idsync check` over large folders against a read + json.loads loop, same run.

The cost per document comes from two runs, over --small and --large documents, so start-up
cancels out: (time(large) - time(small)) / (large - small), for `idsync check` and for the
baseline, a Python process that reads each file and parses it with json.loads. Peak RSS is
the kernel's figure for each whole process; flat memory means the large run's peak is
close to the small run's.

    .venv/bin/python benchmarks/check_scale.py [--small 2000] [--large 20000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bytecode import compile_app

ROOT = Path(__file__).resolve().parents[1]
BASELINE = """
import json, os, sys
for root, _dirs, names in os.walk(sys.argv[1]):
    for name in names:
        with open(os.path.join(root, name), 'rb') as f:
            json.loads(f.read())
"""


def make_folder(parent: Path, count: int) -> Path:
    """``count`` documents: the shipped examples (valid, invalid, warnings) in turn, each
    under its own name, in subfolders of 500 as a repository of configs would have."""
    examples = sorted((ROOT / "resources" / "examples").rglob("*.json"))
    blobs = [path.read_bytes() for path in examples]
    folder = parent / f"docs-{count}"
    for n in range(count):
        sub = folder / f"batch-{n // 500:03d}"
        if n % 500 == 0:
            sub.mkdir(parents=True)
        (sub / f"config-{n:06d}.json").write_bytes(blobs[n % len(blobs)])
    return folder


def run(command: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of one whole process."""
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    start = time.perf_counter()
    with open(os.devnull, "wb") as devnull:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=devnull, stderr=devnull)
        _pid, _status, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def best(command: list[str], runs: int) -> tuple[float, float]:
    results = [run(command) for _ in range(runs)]
    return min(r[0] for r in results), max(r[1] for r in results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=2000)
    parser.add_argument("--large", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs")
    args = parser.parse_args()
    compile_app()
    scratch = Path(tempfile.mkdtemp(prefix="idsync-check-bench-"))
    try:
        small = make_folder(scratch, args.small)
        large = make_folder(scratch, args.large)
        check = [sys.executable, "-m", "app", "check", "-q"]
        base = [sys.executable, "-c", BASELINE]
        base_small, _ = best([*base, str(small)], args.runs)
        base_large, _ = best([*base, str(large)], args.runs)
        check_small, rss_small = best([*check, str(small)], args.runs)
        check_large, rss_large = best([*check, str(large)], args.runs)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    extra = args.large - args.small
    per_base = (base_large - base_small) / extra * 1e6
    per_check = (check_large - check_small) / extra * 1e6
    print(f"idsync check over {args.small} and {args.large} documents (best of {args.runs})")
    print(f"  read + json.loads (baseline)   {per_base:8.1f} us/doc   1.00x")
    print(
        f"  idsync check                   {per_check:8.1f} us/doc   "
        f"{per_check / per_base:5.2f}x   (target <= 3x: "
        f"{'met' if per_check <= 3 * per_base else 'NOT met'})"
    )
    print(
        f"  peak RSS  {rss_small:6.1f} MiB at {args.small}, {rss_large:6.1f} MiB at "
        f"{args.large}   {rss_large / rss_small:5.2f}x   (target <= 1.3x: "
        f"{'met' if rss_large <= 1.3 * rss_small else 'NOT met'})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
