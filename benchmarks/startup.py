"""Start-up, each figure against a baseline measured in the same run, like for like.

- The window: ``idsync --self-test FILE`` against a bare PySide6 ``QMainWindow``
  (benchmarks/bare_window.py), both in their own process, offscreen. First paint and
  ready are seconds from process start on the same clock (``app/idsync/ui/self_test_clock.py``):
  the app's first paint and its ready (FILE opened, validated, painted) are each divided
  by the bare window's first paint. Beside them, as context, ready's floor: the bare
  window, then FILE read and validated with the app's reader, catalog and rules (pydantic
  and every model the check needs), and no window of the app. Peak RSS is the kernel's
  figure for each whole process (``wait4``), the app's against the bare window's.
- ``idsync --help`` against ``python -c "from pydantic import BaseModel"``.
- ``idsync check FILE`` against benchmarks/strict_check.py FILE (read the file, validate
  it with strict pydantic models of the document's shape).

The commands run in rounds, each round every command once, so a burst of load from
elsewhere on the machine falls on app and baseline alike; the first round warms the
caches and is not counted. Figures are medians over the rounds, with their ranges.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/startup.py [--runs 9]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bytecode import compile_app
from figures import absolute_figure, ratio_figure, report

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "benchmarks"
PYTHON = sys.executable
EXAMPLE = ROOT / "resources" / "examples" / "facebook-custom-audiences.json"
NAME = "startup.py"

COMMANDS: dict[str, list[str]] = {
    "bare": [PYTHON, str(HERE / "bare_window.py")],
    "self_test": [PYTHON, "-m", "idsync", "--self-test", str(EXAMPLE)],
    "floor": [PYTHON, str(HERE / "bare_window.py"), "--then-check", str(EXAMPLE)],
    "pydantic": [PYTHON, "-c", "from pydantic import BaseModel"],
    "help": [PYTHON, "-m", "idsync", "--help"],
    "strict_check": [PYTHON, str(HERE / "strict_check.py"), str(EXAMPLE)],
    "check": [PYTHON, "-m", "idsync", "check", str(EXAMPLE)],
}


@dataclass(frozen=True)
class Process:
    wall_s: float
    cpu_s: float
    peak_mib: float
    last_line: str


def _env() -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONPATH", None)
    return env


def run(command: list[str]) -> Process:
    """One whole process: wall seconds, CPU (user + sys) and peak RSS from ``wait4``."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert process.stdout is not None
    out = process.stdout.read().decode("utf-8", "replace")
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed with exit {process.returncode}")
    lines = out.strip().splitlines()
    return Process(
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        peak_mib=usage.ru_maxrss / 1024,  # Linux: KiB
        last_line=lines[-1] if lines else "",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="counted rounds")
    args = parser.parse_args()
    compile_app()
    if resource.getrlimit(resource.RLIMIT_AS)[0] != resource.RLIM_INFINITY:
        print("note: an address-space limit is set; peak RSS may be capped")
    results: dict[str, list[Process]] = {name: [] for name in COMMANDS}
    for round_number in range(args.runs + 1):
        for name, command in COMMANDS.items():
            done = run(command)
            if round_number:
                results[name].append(done)

    def reported(name: str, key: str) -> list[float]:
        return [float(json.loads(p.last_line)[key]) for p in results[name]]

    def of(name: str, field: str) -> list[float]:
        return [getattr(p, field) for p in results[name]]

    bare_paint = reported("bare", "first_paint_s")
    print(f"start-up (median of {args.runs} rounds; every baseline measured in these rounds)")
    figures = [
        ratio_figure(NAME, "window first paint", "s", reported("self_test", "first_paint_s"),
                     "bare QMainWindow first paint", bare_paint, 1.4),
        ratio_figure(NAME, "window ready (example open, validated, painted)", "s",
                     reported("self_test", "ready_s"),
                     "bare QMainWindow first paint", bare_paint, 2.0),
        absolute_figure(NAME, "ready's floor: bare window, then the example read and checked "
                        "(context)", "s", reported("floor", "then_checked_s"), None,
                        "bare QMainWindow first paint", bare_paint),
        ratio_figure(NAME, "window peak RSS (self-test process)", "MiB",
                     of("self_test", "peak_mib"), "bare QMainWindow process",
                     of("bare", "peak_mib"), 1.6),
        absolute_figure(NAME, "window RSS at ready (self-test's own figure)", "MiB",
                        reported("self_test", "rss_mb"), None,
                        "bare QMainWindow RSS at first paint", reported("bare", "rss_mb")),
        ratio_figure(NAME, "idsync --help, wall", "s", of("help", "wall_s"),
                     "python -c 'from pydantic import BaseModel'", of("pydantic", "wall_s"),
                     1.0),
        absolute_figure(NAME, "idsync --help, CPU", "s", of("help", "cpu_s"), None,
                        "pydantic import, CPU", of("pydantic", "cpu_s")),
        ratio_figure(NAME, "idsync check FILE, wall", "s", of("check", "wall_s"),
                     "strict_check.py FILE", of("strict_check", "wall_s"), 1.25),
        absolute_figure(NAME, "idsync check FILE, CPU", "s", of("check", "cpu_s"), None,
                        "strict_check.py FILE, CPU", of("strict_check", "cpu_s")),
    ]
    for figure in figures:
        report(figure)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
