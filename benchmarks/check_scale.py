"""`idsync check` over large folders against a read + json.loads loop, same run.

The cost per document is CPU time (user + sys, of the process and every worker it
waited for: ``getrusage(RUSAGE_CHILDREN)`` before and after each process) from two runs,
over --small and --large documents, so start-up cancels out:
(cpu(large) - cpu(small)) / (large - small), for ``idsync check -q`` and for the
baseline, a Python process that walks the same folder, reads each file and parses it
with ``json.loads``. CPU time, not wall time: the check shares the folder over worker
processes, and other work on the machine moves wall time far more than CPU time. Peak
memory is the kernel's peak RSS of the largest process of each run (``wait4``: the
check's main process or a worker); flat memory means the large run's peak is close to
the small run's.

The four processes run in rounds (baseline small, baseline large, check small, check
large), so drift in load falls on both sides; figures are medians over the rounds.

    .venv/bin/python benchmarks/check_scale.py [--small 2000] [--large 20000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bytecode import compile_app
from figures import absolute_figure, ratio_figure, report

ROOT = Path(__file__).resolve().parents[1]
NAME = "check_scale.py"
BASELINE = """
import json, os, sys
for root, _dirs, names in os.walk(sys.argv[1]):
    for name in names:
        with open(os.path.join(root, name), 'rb') as f:
            json.loads(f.read())
"""


@dataclass(frozen=True)
class Run:
    cpu_s: float
    wall_s: float
    peak_mib: float


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


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(command: list[str]) -> Run:
    """One whole process and the workers it waited for."""
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    cpu_before = _children_cpu()
    start = time.perf_counter()
    with open(os.devnull, "wb") as devnull:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=devnull, stderr=devnull)
        _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command[:4])} failed with exit {process.returncode}")
    return Run(cpu_s=_children_cpu() - cpu_before, wall_s=wall, peak_mib=usage.ru_maxrss / 1024)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=2000)
    parser.add_argument("--large", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=3, help="rounds (median over them)")
    args = parser.parse_args()
    compile_app()
    extra = args.large - args.small
    check = [sys.executable, "-m", "idsync", "check", "-q"]
    base = [sys.executable, "-c", BASELINE]
    base_per, check_per, base_wall, check_wall = [], [], [], []
    peak_small, peak_large, peak_ratio = [], [], []
    scratch = Path(tempfile.mkdtemp(prefix="idsync-check-bench-"))
    try:
        small = make_folder(scratch, args.small)
        large = make_folder(scratch, args.large)
        for round_number in range(args.runs + 1):  # the first round warms the caches
            b_small, b_large = run([*base, str(small)]), run([*base, str(large)])
            c_small, c_large = run([*check, str(small)]), run([*check, str(large)])
            if not round_number:
                continue
            base_per.append((b_large.cpu_s - b_small.cpu_s) / extra * 1e6)
            check_per.append((c_large.cpu_s - c_small.cpu_s) / extra * 1e6)
            base_wall.append((b_large.wall_s - b_small.wall_s) / extra * 1e6)
            check_wall.append((c_large.wall_s - c_small.wall_s) / extra * 1e6)
            peak_small.append(c_small.peak_mib)
            peak_large.append(c_large.peak_mib)
            peak_ratio.append(c_large.peak_mib / c_small.peak_mib)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(
        f"idsync check -q over {args.small} and {args.large} documents "
        f"(median of {args.runs} rounds)"
    )
    report(ratio_figure(NAME, "check CPU per document (user+sys, workers included)", "us",
                        check_per, "read + json.loads loop, CPU", base_per, 3.5))
    report(absolute_figure(NAME, "check wall per document (context)", "us", check_wall, None,
                           "read + json.loads loop, wall", base_wall))
    report(ratio_figure(NAME, f"check peak RSS at {args.large} documents", "MiB", peak_large,
                        f"the same at {args.small}", peak_small, 1.3))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
