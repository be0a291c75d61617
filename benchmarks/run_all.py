"""Every benchmark in turn, each measuring its own baseline in the same run; one table.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/run_all.py [--quick]

Each row is a figure, its ratio to the baseline (or the absolute target where the issue
sets one) and whether the target is met. The scripts print their full output to
benchmarks/last-run.txt. Run by hand: timings on a shared machine are noisy, so read the
medians and ratios, never one number.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# (script, arguments for a full run, arguments for --quick)
BENCHMARKS: tuple[tuple[str, list[str], list[str]], ...] = (
    ("startup.py", ["--runs", "5"], ["--runs", "3"]),
    ("check_scale.py", ["--runs", "3"], ["--runs", "1", "--small", "1000", "--large", "6000"]),
    ("catalog_filter.py", ["--runs", "5"], ["--runs", "2"]),
    ("table_edit.py", ["--edits", "40"], ["--edits", "15"]),
    ("history_save.py", [], ["--entries", "3000", "--rounds", "15"]),
    ("bulk_push.py", [], ["--configs", "15"]),
)
VERDICT = re.compile(r"\b(met|NOT met|ok|NOT OK)\b|ratio ")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs, a rough look")
    args = parser.parse_args()
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    log: list[str] = []
    rows: list[tuple[str, str]] = []
    for script, full, quick in BENCHMARKS:
        path = HERE / script
        if not path.exists():
            rows.append((script, "(not present)"))
            continue
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, str(path), *(quick if args.quick else full)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        took = time.perf_counter() - start
        output = [line for line in done.stdout.splitlines() if line.strip()]
        log += [f"== {script} (exit {done.returncode}, {took:.0f} s)", *output, ""]
        if done.returncode not in (0, 1):
            rows.append((script, f"failed (exit {done.returncode}): {done.stderr.strip()[-200:]}"))
            continue
        figures = [line.strip() for line in output if VERDICT.search(line)]
        rows.extend((script, figure) for figure in figures or ["(no figures printed)"])
    (HERE / "last-run.txt").write_text("\n".join(log), encoding="utf-8")
    width = max(len(name) for name, _ in rows)
    print(f"{'benchmark':<{width}}  figure (ratio to the baseline measured in the same run)")
    for name, figure in rows:
        print(f"{name:<{width}}  {figure}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
