"""Put the app in the desktop's application menu for this user (``make install-desktop``).

Installs, under ``$XDG_DATA_HOME`` (default ``~/.local/share``):
- ``applications/<DESKTOP_ID>.desktop``, its ``Exec`` pointing at the given ``idsync``;
- ``icons/hicolor/<N>x<N>/apps/<DESKTOP_ID>.png`` and ``scalable/apps/<DESKTOP_ID>.svg``;
- ``metainfo/<DESKTOP_ID>.metainfo.xml`` (software centres read it).

``--uninstall`` removes the same files. Only the standard library: no Qt needed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import DESKTOP_ID  # noqa: E402

PACKAGING = ROOT / "packaging"
ICONS = ROOT / "resources" / "icons" / "hicolor"


def data_home() -> Path:
    value = os.environ.get("XDG_DATA_HOME", "")
    # The XDG spec: a relative value is invalid and must be ignored.
    if value and Path(value).is_absolute():
        return Path(value)
    return Path.home() / ".local" / "share"


def exec_line(program: Path) -> str:
    text = str(program)
    if any(ch in text for ch in ' \t\n"\'\\><~|&;$*?#()`'):
        escaped = "".join("\\" + ch if ch in '"`$\\' else ch for ch in text)
        text = f'"{escaped}"'
    return f"Exec={text} %F"


def planned(base: Path) -> dict[Path, Path]:
    """Installed path -> source path, for every file."""
    files = {
        base / "applications" / f"{DESKTOP_ID}.desktop": PACKAGING / f"{DESKTOP_ID}.desktop",
        base / "metainfo" / f"{DESKTOP_ID}.metainfo.xml": (
            PACKAGING / f"{DESKTOP_ID}.metainfo.xml"
        ),
    }
    for source in sorted(ICONS.glob(f"*/apps/{DESKTOP_ID}.*")):
        files[base / "icons" / "hicolor" / source.relative_to(ICONS)] = source
    return files


def _refresh_caches(base: Path) -> None:
    """Refresh the menu's MIME cache where the tool exists. No icon cache is written: a
    per-user icon-theme.cache goes stale when other apps add icons and then hides them."""
    if shutil.which("update-desktop-database"):
        command = ["update-desktop-database", "-q", str(base / "applications")]
        subprocess.run(command, check=False, capture_output=True)


def install(program: Path, base: Path) -> list[Path]:
    written = []
    for target, source in planned(base).items():
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix == ".desktop":
            lines = [
                exec_line(program) if line.startswith("Exec=") else line
                for line in source.read_text(encoding="utf-8").splitlines()
            ]
            target.write_text("\n".join(lines) + "\n", encoding="utf-8")
        else:
            shutil.copyfile(source, target)
        written.append(target)
    _refresh_caches(base)
    return written


def uninstall(base: Path) -> list[Path]:
    removed = []
    for target in planned(base):
        if target.exists():
            target.unlink()
            removed.append(target)
    _refresh_caches(base)
    return removed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--exec", dest="program", metavar="IDSYNC", help="the idsync program the menu starts "
        "(default: the one on PATH)",
    )
    parser.add_argument("--uninstall", action="store_true", help="remove the installed files")
    args = parser.parse_args(argv)
    base = data_home()
    if args.uninstall:
        for path in uninstall(base):
            print(f"removed {path}")
        return 0
    found = args.program or shutil.which("idsync")
    if not found or not Path(found).is_file():
        where = found or "on PATH"
        print(
            f"install_desktop: no idsync program {where}: set the app up first "
            "(`make run`, or `pipx install .`), or pass --exec PATH",
            file=sys.stderr,
        )
        return 2
    for path in install(Path(found).absolute(), base):
        print(f"installed {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
