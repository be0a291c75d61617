"""The desktop entry, AppStream metainfo, MIME type and icons: valid by the freedesktop
tools, meeting Flathub's quality guidelines, one four-part id everywhere (the Flatpak
manifest and Qt's desktop file name too), and `make install-desktop` puts them where the
desktop looks, where the desktop then tells the app's documents from other JSON."""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from configparser import ConfigParser
from pathlib import Path

import pytest

from idsync import DESKTOP_ID, HOMEPAGE, __version__

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
DESKTOP = ROOT / "resources" / "desktop"
DESKTOP_FILE = DESKTOP / f"{DESKTOP_ID}.desktop"
METAINFO = DESKTOP / f"{DESKTOP_ID}.metainfo.xml"
MIME_XML = DESKTOP / f"{DESKTOP_ID}.mime.xml"
FLATPAK_MANIFEST = PACKAGING / "flatpak" / f"{DESKTOP_ID}.json"
MIME_TYPE = "application/x-idsync-config+json"
SHARED_MIME = "{http://www.freedesktop.org/standards/shared-mime-info}"
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


def test_the_id_is_four_part_reverse_dns_of_the_code_host_and_owner() -> None:
    # Flathub: an io.github id is io.github.<owner>.<App>, a hyphen in the owner an underscore.
    owner = re.fullmatch(r"https://github\.com/([^/]+)/[^/]+", HOMEPAGE)
    assert owner is not None
    parts = DESKTOP_ID.split(".")
    assert parts[:3] == ["io", "github", owner.group(1).replace("-", "_")]
    assert len(parts) == 4
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part) for part in parts)


def test_one_id_names_the_entry_the_component_the_icon_the_mime_file_and_the_flatpak() -> None:
    entry = desktop_entry(DESKTOP_FILE)
    assert entry["Icon"] == DESKTOP_ID
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("id") == DESKTOP_ID
    assert component.findtext("launchable") == DESKTOP_FILE.name
    assert component.findtext("icon") == DESKTOP_ID
    assert component.findtext("provides/binary") == "idsync"
    assert component.findtext("project_license") == "MIT"
    assert json.loads(FLATPAK_MANIFEST.read_text(encoding="utf-8"))["id"] == DESKTOP_ID
    assert sorted(path.name for path in DESKTOP.iterdir()) == sorted(
        f"{DESKTOP_ID}.{suffix}" for suffix in ("desktop", "metainfo.xml", "mime.xml")
    )
    assert {path.stem for path in ICONS.glob("*/apps/*")} == {DESKTOP_ID}


def test_qt_is_told_the_desktop_file_name() -> None:
    # A child process: pytest-qt's QApplication here was not made by create_application.
    script = (
        "from idsync.ui.application import create_application;"
        "print(create_application([]).desktopFileName())"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == DESKTOP_ID


def test_the_entry_opens_one_document_per_window_of_the_apps_own_type() -> None:
    entry = desktop_entry(DESKTOP_FILE)
    # %f: the desktop starts one idsync per file, and each opens its one document.
    assert entry["Exec"] == "idsync %f"
    assert entry["MimeType"] == f"{MIME_TYPE};"
    component = ET.parse(METAINFO).getroot()
    assert [m.text for m in component.iter("mediatype")] == [MIME_TYPE]
    mime = ET.parse(MIME_XML).getroot().find(f"{SHARED_MIME}mime-type")
    assert mime is not None and mime.get("type") == MIME_TYPE
    assert mime.find(f"{SHARED_MIME}sub-class-of").get("type") == "application/json"  # type: ignore[union-attr]


def test_the_metainfo_meets_flathubs_quality_guidelines() -> None:
    component = ET.parse(METAINFO).getroot()
    summary = component.findtext("summary") or ""
    assert 0 < len(summary) <= 35 and not summary.endswith(".")
    name = component.findtext("name") or ""
    assert not summary.lower().startswith(name.lower())
    developer = component.find("developer")
    assert developer is not None and developer.get("id") and developer.findtext("name")
    colours = {
        colour.get("scheme_preference"): colour.text or ""
        for colour in component.iterfind("branding/color")
        if colour.get("type") == "primary"
    }
    assert set(colours) == {"light", "dark"}
    assert all(re.fullmatch(r"#[0-9a-f]{6}", value) for value in colours.values())
    assert colours["light"] != colours["dark"]
    assert {c.text for c in component.iterfind("supports/control")} == {"keyboard", "pointing"}
    length = component.find("requires/display_length")
    assert length is not None and length.get("compare") == "ge" and int(length.text or 0) > 0
    screenshots = list(component.iterfind("screenshots/screenshot"))
    assert screenshots and screenshots[0].get("type") == "default"
    assert all((shot.findtext("caption") or "").strip() for shot in screenshots)
    release = component.find("releases/release")
    assert release is not None and release.get("date") and release.find("description")
    assert {url.get("type") for url in component.iterfind("url")} >= {"homepage", "bugtracker"}


def test_the_metainfo_has_this_release_screenshots_and_a_content_rating() -> None:
    component = ET.parse(METAINFO).getroot()
    releases = [release.get("version") for release in component.iter("release")]
    assert releases[0] == __version__
    images = [image.text or "" for image in component.iter("image")]
    assert images
    for url in images:
        # Pinned to the release's tag, so the pictures match what the release shows.
        assert url.startswith(f"{HOMEPAGE.replace('github.com', 'raw.githubusercontent.com')}/"
                              f"v{__version__}/docs/screenshots/")
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
    # The Makefile's stamp: the checksum of pyproject.toml and the lock together.
    checksum = subprocess.run(
        "cat pyproject.toml requirements/dev.txt | cksum", shell=True, cwd=ROOT,
        capture_output=True, text=True, check=True,
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
    program = Path(desktop_entry(installed)["Exec"].removesuffix(" %f"))
    assert program == Path(sys.prefix, "bin", "idsync").absolute()
    assert program.is_file()
    for size in SIZES:
        icon = share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{DESKTOP_ID}.png"
        assert _png_size(icon) == (size, size)
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{DESKTOP_ID}.svg").is_file()
    assert (share / "metainfo" / METAINFO.name).is_file()
    assert (share / "mime" / "packages" / f"{DESKTOP_ID}.xml").is_file()
    check = subprocess.run([tool("desktop-file-validate"), str(installed)], capture_output=True)
    assert check.returncode == 0, check.stdout


def test_make_install_desktop_honours_xdg_data_home(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = _make_install_desktop(tmp_path / "home", XDG_DATA_HOME=str(data))
    assert result.returncode == 0, result.stderr
    assert (data / "applications" / f"{DESKTOP_ID}.desktop").is_file()
    assert (data / "icons" / "hicolor" / "48x48" / "apps" / f"{DESKTOP_ID}.png").is_file()
    assert not (tmp_path / "home" / ".local").exists()


def _install(prefix: Path, program: str) -> Path:
    """`idsync install-desktop --prefix` as a separate program; returns PREFIX/share."""
    idsync = Path(sys.prefix, "bin", "idsync")
    result = subprocess.run(
        [str(idsync), "install-desktop", "--prefix", str(prefix), "--exec", program],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    return prefix / "share"


def test_an_entry_starting_a_program_in_an_awkward_folder_is_still_valid(
    tmp_path: Path,
) -> None:
    folder = tmp_path / 'my apps $1 "x"'
    folder.mkdir()
    program = folder / "idsync"
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    share = _install(tmp_path / "prefix", str(program))
    installed = share / "applications" / f"{DESKTOP_ID}.desktop"
    check = subprocess.run(
        [tool("desktop-file-validate"), str(installed)], capture_output=True, text=True
    )
    assert (check.returncode, check.stdout) == (0, "")


def _documents(folder: Path) -> dict[str, Path]:
    example = ROOT / "resources" / "examples" / "journey-step.json"
    renamed = folder / "Copy of journey"  # no extension: the content decides
    shutil.copyfile(example, renamed)
    named = folder / "empty.idsync.json"
    named.write_text("{}", encoding="utf-8")
    other = folder / "package.json"
    other.write_text('{"format": "something else", "version": 2}', encoding="utf-8")
    return {"example": example, "renamed": renamed, "named": named, "other": other}


def _looked_up(share: Path, home: Path, command: list[str]) -> list[str]:
    environment = {**os.environ, "XDG_DATA_DIRS": f"{share}:/usr/share",
                   "XDG_DATA_HOME": str(home)}
    result = subprocess.run(command, capture_output=True, text=True, check=False,
                            env=environment)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_after_install_gio_tells_the_apps_documents_from_other_json(tmp_path: Path) -> None:
    # GIO (GNOME's file manager, portals) follows shared-mime-info: a *.json whose content
    # matches a sub-class's magic is that sub-class.
    tool("update-mime-database")
    gio = tool("gio")
    share = _install(tmp_path / "prefix", "idsync")
    assert (share / "mime" / "mime.cache").is_file()  # install-desktop refreshed it
    documents = _documents(tmp_path)
    found = _looked_up(share, tmp_path / "empty", [
        gio, "info", "--attributes=standard::content-type", *map(str, documents.values())
    ])
    types = [word for word in found if word.startswith("application/")]
    assert types == [MIME_TYPE, MIME_TYPE, MIME_TYPE, "application/json"]


def test_after_install_qt_tells_the_apps_documents_by_name_or_content(tmp_path: Path) -> None:
    # Qt (KDE's file manager) trusts a unique glob: a plain *.json stays application/json,
    # so a document is recognised by its *.idsync.json name or, without a known extension,
    # by its content.
    tool("update-mime-database")
    share = _install(tmp_path / "prefix", "idsync")
    documents = _documents(tmp_path)
    script = (
        "import sys; from PySide6.QtCore import QMimeDatabase; db = QMimeDatabase();"
        "print(*(db.mimeTypeForFile(path).name() for path in sys.argv[1:]), sep='\\n')"
    )
    found = _looked_up(share, tmp_path / "empty", [
        sys.executable, "-c", script,
        *(str(documents[name]) for name in ("renamed", "named", "other")),
    ])
    assert found == [MIME_TYPE, MIME_TYPE, "application/json"]
