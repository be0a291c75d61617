"""``idsync install-desktop``: put the app in the desktop's menu from any install route.

The wheel and the frozen archive carry the desktop entry, the AppStream metainfo, the
shared-mime-info type of the app's documents and the icons (``resources/desktop`` and
``resources/icons``). This command copies them where the desktop looks:

- ``applications/<DESKTOP_ID>.desktop``, its ``Exec`` pointing at this ``idsync``;
- ``metainfo/<DESKTOP_ID>.metainfo.xml`` (software centres read it);
- ``mime/packages/<DESKTOP_ID>.xml`` (the ``application/x-idsync-config+json`` type);
- ``icons/hicolor/<N>x<N>/apps/<DESKTOP_ID>.png`` and ``scalable/apps/<DESKTOP_ID>.svg``;

under ``$XDG_DATA_HOME`` (default ``~/.local/share``), or under ``PREFIX/share`` with
``--prefix`` (a system install, the Flatpak build). ``--uninstall`` removes the same files.
Only the standard library: no Qt needed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from idsync import DESKTOP_ID
from idsync.cli.output import EXIT_OK, EXIT_UNREADABLE, PROG, error, out
from idsync.resources import resource_path

# Characters that make a desktop entry's Exec argument need quoting (the Desktop Entry
# Specification's reserved characters), and those escaped inside the quotes.
_RESERVED = ' \t\n"\'\\><~|&;$*?#()`'
_ESCAPED_IN_QUOTES = '"`$\\'


def data_home() -> Path:
    value = os.environ.get("XDG_DATA_HOME", "")
    # The XDG spec: a relative value is invalid and must be ignored.
    if value and Path(value).is_absolute():
        return Path(value)
    return Path.home() / ".local" / "share"


def exec_line(program: str) -> str:
    """The entry's Exec line: ``program`` (quoted when it must be) and one file (``%f``:
    the desktop starts one window per document, as the app opens one document each)."""
    text = program
    if any(ch in text for ch in _RESERVED):
        escaped = "".join("\\" + ch if ch in _ESCAPED_IN_QUOTES else ch for ch in text)
        text = f'"{escaped}"'
    # The spec's string escape comes on top of the quoting: each backslash is written twice.
    return "Exec=" + text.replace("\\", "\\\\") + " %f"


def planned(share: Path) -> dict[Path, Path]:
    """Installed path -> shipped source, for every file."""
    desktop = resource_path("desktop")
    icons = resource_path("icons", "hicolor")
    files = {
        share / "applications" / f"{DESKTOP_ID}.desktop": desktop / f"{DESKTOP_ID}.desktop",
        share / "metainfo" / f"{DESKTOP_ID}.metainfo.xml": (
            desktop / f"{DESKTOP_ID}.metainfo.xml"
        ),
        share / "mime" / "packages" / f"{DESKTOP_ID}.xml": desktop / f"{DESKTOP_ID}.mime.xml",
    }
    for source in sorted(icons.glob(f"*/apps/{DESKTOP_ID}.*")):
        files[share / "icons" / "hicolor" / source.relative_to(icons)] = source
    return files


def refresh_caches(share: Path) -> None:
    """Refresh the menu's and the MIME database's caches where the tools exist. No icon
    cache is written: a per-user icon-theme.cache goes stale when other apps add icons and
    then hides them."""
    for command, folder in (
        (["update-desktop-database", "-q"], share / "applications"),
        (["update-mime-database"], share / "mime"),
    ):
        if shutil.which(command[0]) and folder.is_dir():
            subprocess.run([*command, str(folder)], check=False, capture_output=True)


def install(program: str, share: Path) -> list[Path]:
    written = []
    for target, source in planned(share).items():
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
    refresh_caches(share)
    return written


def uninstall(share: Path) -> list[Path]:
    removed = []
    for target in planned(share):
        if target.exists():
            target.unlink()
            removed.append(target)
    refresh_caches(share)
    return removed


def this_program() -> str | None:
    """The ``idsync`` that is running: the frozen executable, the script pip or pipx
    installed, else the one on PATH."""
    if getattr(sys, "frozen", False):
        return str(Path(sys.executable).absolute())
    started = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if started is not None and started.name == PROG and started.is_file():
        return str(started.absolute())
    return shutil.which(PROG)


def run_install_desktop(args: argparse.Namespace) -> int:
    share = Path(args.prefix).absolute() / "share" if args.prefix else data_home()
    if args.uninstall:
        for path in uninstall(share):
            out(f"removed {path}")
        return EXIT_OK
    program = args.program or this_program()
    if not program:
        error(f"install-desktop: no {PROG} program found: pass --exec PATH")
        return EXIT_UNREADABLE
    if os.sep in program and not Path(program).is_file():
        error(f"install-desktop: {program} is not a file: pass --exec PATH")
        return EXIT_UNREADABLE
    try:
        written = install(program, share)
    except OSError as exc:
        error(f"install-desktop: cannot write under {share}: {exc}")
        return EXIT_UNREADABLE
    for path in written:
        out(f"installed {path}")
    return EXIT_OK
