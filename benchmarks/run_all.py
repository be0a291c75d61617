"""Every benchmark in turn, each measuring its own baseline in the same run; one table.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/run_all.py [--quick]

Each row is a figure (the median over the script's runs, and its range), its baseline,
the ratio (and its range), the target and whether it is met. The scripts' full output
goes to benchmarks/last-run.txt. Run by hand: timings on a shared machine are noisy, so
read the medians and the ranges, never one number. --quick makes fewer runs (and a
smaller history store and push) but keeps the sizes the targets are set at.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from figures import Figure, digits_for, parse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# (script, arguments for a full run, arguments for --quick)
BENCHMARKS: tuple[tuple[str, list[str], list[str]], ...] = (
    ("startup.py", ["--runs", "25"], ["--runs", "5"]),
    ("check_scale.py", ["--runs", "7"], ["--runs", "1"]),
    ("catalog_filter.py", ["--runs", "15"], ["--runs", "3"]),
    ("table_edit.py", ["--edits", "40"], ["--edits", "15"]),
    ("history_save.py", [], ["--entries", "3000", "--rounds", "15"]),
    ("bulk_push.py", [], ["--configs", "15"]),
)


def _range(low: float | None, high: float | None, digits: int) -> str:
    if low is None or high is None:
        return ""
    if round(low, digits) == round(high, digits):
        return f"{low:.{digits}f}"
    return f"{low:.{digits}f}-{high:.{digits}f}"


def row(figure: Figure) -> list[str]:
    digits = digits_for(figure.unit)
    unit = f" {figure.unit}" if figure.unit else ""
    value = f"{figure.value:.{digits}f}{unit} ({_range(figure.low, figure.high, digits)})"
    baseline = (
        f"{figure.baseline_name} {figure.baseline:.{digits}f}{unit}"
        if figure.baseline is not None
        else "-"
    )
    ratio = "-"
    if figure.ratio is not None:
        ratio = f"{figure.ratio:.2f}x"
        spread = _range(figure.ratio_low, figure.ratio_high, 2)
        if spread:
            ratio += f" ({spread})"
    return [
        figure.benchmark,
        figure.name,
        value,
        baseline,
        ratio,
        figure.target or "-",
        figure.verdict() if figure.target else "-",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, a rough look")
    args = parser.parse_args()
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    log: list[str] = []
    rows: list[list[str]] = []
    began = time.perf_counter()
    with open("/proc/loadavg", encoding="ascii") as load:
        load_before = " ".join(load.read().split()[:3])
    for script, full, quick in BENCHMARKS:
        path = HERE / script
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
        figures = [figure for figure in map(parse, output) if figure is not None]
        if not figures:
            failure = f"failed (exit {done.returncode}): {done.stderr.strip()[-200:]}"
            rows.append([script, failure, "", "", "", "", ""])
        rows.extend(row(figure) for figure in figures)
    with open("/proc/loadavg", encoding="ascii") as load:
        load_after = " ".join(load.read().split()[:3])
    (HERE / "last-run.txt").write_text("\n".join(log), encoding="utf-8")
    header = ["benchmark", "figure", "median (range)", "baseline (same run)", "ratio (range)",
              "target", "verdict"]
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(
        f"run_all.py{' --quick' if args.quick else ''}, {stamp}, "
        f"{time.perf_counter() - began:.0f} s; load average {load_before} before, "
        f"{load_after} after"
    )
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for cells in rows:
        print("| " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
