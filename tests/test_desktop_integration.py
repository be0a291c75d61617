"""The desktop entry, AppStream metainfo and icons: valid by the freedesktop tools, one id
everywhere, and `make install-desktop` puts them where the desktop looks."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from configparser import ConfigParser
from pathlib import Path

import pytest

from app import DESKTOP_ID, __version__

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
DESKTOP_FILE = PACKAGING / f"{DESKTOP_ID}.desktop"
METAINFO = PACKAGING / f"{DESKTOP_ID}.metainfo.xml"
ICONS = ROOT / "resources" / "icons" / "hicolor"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def tool(name: str) -> str:
    """The tool's path; skips when it is missing here, but never under CI, whose set-up
    (scripts/install-system-deps.sh) installs it."""
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing: scripts/install-system-deps.sh should install it")
        pytest.skip(f"{name} is not installed (apt-get install desktop-file-utils appstream)")
    return found


def desktop_entry(path: Path) -> dict[str, str]:
    parser = ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def test_the_desktop_entry_is_valid() -> None:
    result = subprocess.run(
        [tool("desktop-file-validate"), str(DESKTOP_FILE)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""  # not even a hint


def test_the_metainfo_is_valid() -> None:
    result = subprocess.run(
        [tool("appstreamcli"), "validate", "--no-net", "--pedantic", str(METAINFO)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Older appstream (Debian 12's 0.16) does not know <developer> yet, which 1.0 wants.
    problems = [
        line for line in result.stdout.splitlines()
        if line[:2] in ("E:", "W:", "I:") and "unknown-tag developer" not in line
    ]
    assert problems == []


def test_one_reverse_dns_id_names_the_entry_the_component_and_the_icon() -> None:
    entry = desktop_entry(DESKTOP_FILE)
    assert entry["Icon"] == DESKTOP_ID
    assert entry["Exec"] == "idsync %F"
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("id") == DESKTOP_ID
    assert component.findtext("launchable") == DESKTOP_FILE.name
    assert component.findtext("icon") == DESKTOP_ID
    assert component.findtext("provides/binary") == "idsync"
    assert component.findtext("project_license") == "MIT"


def test_the_metainfo_has_this_release_screenshots_and_a_content_rating() -> None:
    component = ET.parse(METAINFO).getroot()
    releases = [release.get("version") for release in component.iter("release")]
    assert releases[0] == __version__
    images = [image.text or "" for image in component.iter("image")]
    assert images
    for url in images:
        assert url.startswith("https://")
        assert (ROOT / "docs" / "screenshots" / url.rsplit("/", 1)[1]).is_file(), url
    rating = component.find("content_rating")
    assert rating is not None and rating.get("type") == "oars-1.1"


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_every_icon_size_is_shipped_at_its_size() -> None:
    assert (ICONS / "scalable" / "apps" / f"{DESKTOP_ID}.svg").is_file()
    for size in SIZES:
        assert _png_size(ICONS / f"{size}x{size}" / "apps" / f"{DESKTOP_ID}.png") == (size, size)


def test_the_windows_and_macos_icons_hold_every_size() -> None:
    ico = (PACKAGING / "icons" / "idsync.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1)
    sides = [ico[6 + 16 * i] or 256 for i in range(count)]
    assert sides == [16, 24, 32, 48, 64, 128, 256]
    icns = (PACKAGING / "icons" / "idsync.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    assert b"ic10" in icns  # the 1024 px (512 @2x) entry


def test_the_rendered_icons_are_up_to_date_with_the_svg() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "render_icons.py"), "--check"],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _make_install_desktop(home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    tool("make")
    checksum = subprocess.run(
        ["cksum", "pyproject.toml"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()[0]
    venv = Path(sys.prefix)
    # -o: this environment is set up already; do not let make reinstall it.
    command = ["make", "-s", f"VENV={venv}", "-o", f"{venv}/.installed-{checksum}"]
    clean = {k: v for k, v in os.environ.items() if k not in ("XDG_DATA_HOME", "MAKEFLAGS")}
    return subprocess.run(
        [*command, "install-desktop"],
        cwd=ROOT,
        env={**clean, "HOME": str(home), **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_make_install_desktop_puts_the_entry_and_icons_under_local_share(
    tmp_path: Path,
) -> None:
    result = _make_install_desktop(tmp_path)
    assert result.returncode == 0, result.stderr
    share = tmp_path / ".local" / "share"
    installed = share / "applications" / f"{DESKTOP_ID}.desktop"
    program = Path(desktop_entry(installed)["Exec"].removesuffix(" %F"))
    assert program == Path(sys.prefix, "bin", "idsync").absolute()
    assert program.is_file()
    for size in SIZES:
        icon = share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{DESKTOP_ID}.png"
        assert _png_size(icon) == (size, size)
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{DESKTOP_ID}.svg").is_file()
    assert (share / "metainfo" / METAINFO.name).is_file()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(installed)], capture_output=True)
        assert check.returncode == 0, check.stdout


def test_make_install_desktop_honours_xdg_data_home(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = _make_install_desktop(tmp_path / "home", XDG_DATA_HOME=str(data))
    assert result.returncode == 0, result.stderr
    assert (data / "applications" / f"{DESKTOP_ID}.desktop").is_file()
    assert (data / "icons" / "hicolor" / "48x48" / "apps" / f"{DESKTOP_ID}.png").is_file()
    assert not (tmp_path / "home" / ".local").exists()


def test_uninstall_removes_what_install_put(tmp_path: Path) -> None:
    script = [sys.executable, str(ROOT / "scripts" / "install_desktop.py")]
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path)}
    program = Path(sys.prefix, "bin", "idsync")
    subprocess.run([*script, "--exec", str(program)], env=env, check=True, capture_output=True)
    subprocess.run([*script, "--uninstall"], env=env, check=True, capture_output=True)
    assert [p for p in tmp_path.rglob(f"{DESKTOP_ID}*")] == []
