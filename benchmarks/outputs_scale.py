"""`idsync diff` on long tables and `idsync check` on one huge document: time and peak RSS.

Diff: two documents of N rows, the second with every tenth row edited, a block of rows
moved and rows added and removed, as a long table edited by hand would differ. Check: one
document of about 5 MB (rows with undeclared identifiers, so every row has findings), in
each output format and with --report.

    .venv/bin/python benchmarks/outputs_scale.py [--rows 4000 50000] [--app-root PATH]

``--app-root`` runs another checkout's ``app`` package (the same interpreter), to compare
before and after a change.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def document(rows: list[dict[str, str]], name: str = "Long table") -> dict[str, object]:
    return {
        "format": "idsync-config",
        "version": 2,
        "name": name,
        "target": {"kind": "audience", "space_id": "spa_bench", "audience_id": "aud_bench"},
        "destination": {
            "slug": "destination-function",
            "name": "Destination function",
            "kind": "function",
            "instance_id": "dst_bench",
        },
        "setup": "customized",
        "send_mobile_ids": False,
        "custom_identifiers": [],
        "identifiers": rows,
    }


def table(count: int) -> list[dict[str, str]]:
    return [
        {"segment": f"trait_{n:06d}", "destination": f"field_{n:06d}", "strategy": "last"}
        for n in range(count)
    ]


def edited(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Every tenth row's destination changed, a block moved to the end, rows added and
    removed."""
    out = [
        {**row, "destination": row["destination"] + "_v2"} if n % 10 == 0 else dict(row)
        for n, row in enumerate(rows)
    ]
    block = len(out) // 20
    moved, out = out[block : 2 * block], out[:block] + out[2 * block :]
    out += moved
    del out[3 :: 50]
    out[5:5] = [
        {"segment": f"added_{n:06d}", "destination": f"new_{n:06d}", "strategy": "all"}
        for n in range(len(rows) // 100)
    ]
    return out


def _compact(data: object) -> str:
    # One line: 50,000 rows must stay under the 5 MiB a document may have.
    return json.dumps(data, separators=(",", ":"))


def run(command: list[str], app_root: Path) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MiB, exit code) of one whole process."""
    env = dict(os.environ, PYTHONPATH=str(app_root))
    start = time.perf_counter()
    with open(os.devnull, "wb") as devnull:
        process = subprocess.Popen(command, cwd=app_root, env=env, stdout=devnull,
                                   stderr=devnull)
        _pid, status, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[4000, 50000])
    parser.add_argument("--check-rows", type=int, default=64000,
                        help="rows of the huge document (64000 is about 5 MB)")
    parser.add_argument("--app-root", type=Path, default=ROOT)
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args()
    # A run stopped by the timeout exits 124 (coreutils' timeout).
    idsync = ["timeout", str(args.timeout), sys.executable, "-m", "idsync"]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for count in args.rows:
            old, new = folder / f"old-{count}.json", folder / f"new-{count}.json"
            rows = table(count)
            old.write_text(_compact(document(rows)))
            new.write_text(_compact(document(edited(rows))))
            seconds, rss, code = run([*idsync, "diff", str(old), str(new)], args.app_root)
            print(f"diff {count:>6} rows: {seconds:7.2f} s  {rss:7.0f} MiB  exit {code}")
        huge = folder / "huge.json"
        huge.write_text(_compact(document(table(args.check_rows))))
        size = huge.stat().st_size / 1e6
        for extra in (["--format", "text"], ["--format", "json"], ["--format", "sarif"],
                      ["--report", str(folder / "report.html")]):
            seconds, rss, code = run([*idsync, "check", *extra, str(huge)], args.app_root)
            label = " ".join([*extra[:1], Path(extra[1]).suffix or extra[1]])
            print(f"check {size:.2f} MB {label:<18}: {seconds:7.2f} s  {rss:7.0f} MiB  "
                  f"exit {code}")
        report = folder / "report.html"
        if report.exists():
            print(f"report: {report.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
