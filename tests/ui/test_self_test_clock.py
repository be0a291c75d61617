"""The self-test's clock counts from the process start and only goes forward; it sits
beside the self-test, and nothing else in the app loads it or changes PySide6 for it."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from idsync.ui import self_test_clock as clock

ROOT = Path(__file__).resolve().parents[2]


def test_time_since_start_is_positive_and_grows() -> None:
    first = clock.seconds_since_start()
    assert first > 0
    assert clock.seconds_since_start() >= first
    expected = "process-start" if sys.platform.startswith("linux") else "first-import"
    assert expected == clock.CLOCK


def test_only_the_self_test_loads_its_clock_and_pysides_own_check_is_left_alone() -> None:
    """A fresh process, as `idsync` starts the window: the clock is not loaded, and the
    functions PySide6 calls for each import are its own."""
    script = textwrap.dedent(
        """
        import json, sys
        import PySide6.QtWidgets
        feature = sys.modules["shibokensupport.feature"]
        before = dict(vars(feature))
        import idsync.cli, idsync.cli.window, idsync.ui.application
        print(json.dumps({
            "clock": "idsync.ui.self_test_clock" in sys.modules,
            "replaced": sorted(
                name for name, value in vars(feature).items()
                if callable(value) and before.get(name) is not value
            ),
        }))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout) == {"clock": False, "replaced": []}
    users = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "app" / "idsync").rglob("*.py")
        if "self_test_clock" in path.read_text(encoding="utf-8")
        and path.name != "self_test_clock.py"
    )
    assert users == ["app/idsync/ui/self_test.py"]
