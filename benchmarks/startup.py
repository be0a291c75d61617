"""Start-up against baselines measured in the same run (median of --runs processes):

- the window: ``idsync --self-test`` (its whole process, its first paint and its ready
  time from process start, its RSS) against the whole process of a bare PySide6 window
  that paints once and quits (benchmarks/bare_window.py), both offscreen;
- the CLI: ``idsync --help`` and ``idsync check FILE`` against
  ``python -c "from pydantic import BaseModel"``.

    .venv/bin/python benchmarks/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bytecode import compile_app

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
EXAMPLE = ROOT / "resources" / "examples" / "facebook-custom-audiences.json"


def _env() -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONPATH", None)
    return env


def _wall(command: list[str], runs: int) -> float:
    """Median wall seconds of ``command`` as a whole process (after one warm-up)."""
    timings = []
    for n in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(command, env=_env(), cwd=ROOT, capture_output=True, check=False)
        if n:
            timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def _reports(command: list[str], runs: int) -> list[dict[str, float]]:
    out = []
    for n in range(runs + 1):
        done = subprocess.run(
            command, env=_env(), cwd=ROOT, capture_output=True, text=True, check=True
        )
        if n:
            out.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return out


def _median(reports: list[dict[str, float]], key: str) -> float:
    return statistics.median(float(r[key]) for r in reports)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    compile_app()
    runs = args.runs

    bare_command = [PYTHON, str(ROOT / "benchmarks" / "bare_window.py")]
    self_test = [PYTHON, "-m", "app", "--self-test", str(EXAMPLE)]
    bare = _reports(bare_command, runs)
    app = _reports(self_test, runs)
    base_process = _wall(bare_command, runs)
    base_paint = _median(bare, "first_paint_s")
    base_rss = _median(bare, "rss_mb")
    print(f"start-up (median of {runs} processes; baselines measured in this run)")
    rows = [
        ("idsync --self-test process", _wall(self_test, runs), base_process, "s", 2.5),
        ("window first paint", _median(app, "first_paint_s"), base_process, "s", 1.5),
        ("window ready (example open)", _median(app, "ready_s"), base_process, "s", 2.5),
        ("window RSS at ready", _median(app, "rss_mb"), base_rss, "MiB", 1.5),
    ]
    pydantic = _wall([PYTHON, "-c", "from pydantic import BaseModel"], runs)
    rows += [
        ("idsync --help", _wall([PYTHON, "-m", "app", "--help"], runs), pydantic, "s", 1.5),
        (
            "idsync check FILE",
            _wall([PYTHON, "-m", "app", "check", "-q", str(EXAMPLE)], runs),
            pydantic,
            "s",
            1.5,
        ),
    ]
    print(
        f"  baselines: bare window process {base_process:.3f} s (its first paint "
        f"{base_paint:.3f} s), RSS {base_rss:.1f} MiB; 'from pydantic import BaseModel' "
        f"{pydantic:.3f} s"
    )
    for label, value, base, unit, target in rows:
        ratio = value / base
        verdict = "met" if ratio <= target else "NOT met"
        print(
            f"  {label:<28} {value:8.3f} {unit:<3}  {ratio:5.2f}x  "
            f"(target <= {target}x: {verdict})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
