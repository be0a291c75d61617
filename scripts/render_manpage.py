"""Write the man page ``docs/man/idsync.1`` from the command line's parser.

    .venv/bin/python scripts/render_manpage.py           # rewrite it
    .venv/bin/python scripts/render_manpage.py --check   # exit 1 when it is out of date

The wheel installs it as ``share/man/man1/idsync.1`` (pip and pipx put it where ``man``
looks). Run this after changing a command's arguments or help.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from idsync.cli.manpage import render  # noqa: E402
from idsync.cli.parser import build_parser  # noqa: E402

MANPAGE = ROOT / "docs" / "man" / "idsync.1"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report a stale man page")
    args = parser.parse_args(argv)
    text = render(build_parser())
    current = MANPAGE.read_text(encoding="utf-8") if MANPAGE.is_file() else None
    if args.check:
        if current != text:
            print(f"out of date: {MANPAGE.relative_to(ROOT)} (run scripts/render_manpage.py)")
            return 1
        return 0
    if current != text:
        MANPAGE.parent.mkdir(parents=True, exist_ok=True)
        MANPAGE.write_text(text, encoding="utf-8")
        print(f"wrote {MANPAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
