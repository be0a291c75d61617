"""Print the test files that drive Qt, one a line, for ``make qt-floor``.

A test file drives Qt when it, or a helper in tests/helpers it imports, names ``qtbot`` or
PySide6. Only the standard library.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
QT = re.compile(r"\bqtbot\b|^\s*(?:from|import) PySide6\b", re.MULTILINE)


def qt_helpers() -> set[str]:
    helpers = TESTS / "helpers"
    return {
        path.stem for path in helpers.glob("*.py") if QT.search(path.read_text(encoding="utf-8"))
    }


def qt_test_files() -> list[Path]:
    helpers = qt_helpers()
    uses_helper = re.compile(
        r"^\s*from tests\.helpers(?:\.(\w+))? import ([\w, ()\n]+)", re.MULTILINE
    )
    found = []
    for path in sorted(TESTS.rglob("test_*.py")):
        text = path.read_text(encoding="utf-8")
        named = set()
        for module, names in uses_helper.findall(text):
            named |= {module} if module else {n.strip() for n in re.split(r"[,()\s]+", names)}
        if QT.search(text) or named & helpers:
            found.append(path.relative_to(ROOT))
    return found


def main() -> int:
    files = qt_test_files()
    if not files:
        print("qt_test_paths: no test drives Qt", file=sys.stderr)
        return 1
    print("\n".join(str(path) for path in files))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
