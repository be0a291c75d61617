"""The wheel and the sdist carry the resources (icons and desktop files included) and the
licence, an installed copy finds them away from a checkout, and `pipx install .` gives a
working `idsync`; the lock files pin every package by hash and fit pyproject.toml's bounds;
the frozen archive's licence collection and the Flatpak manifest hold together."""

from __future__ import annotations

import email
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
import tomllib
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from idsync import DESKTOP_ID, HOMEPAGE, __version__

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ROOT / "requirements"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("idsync_configurator-*.whl")
    return built


def test_wheel_contains_catalog_examples_and_entry_point(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(n for n in names if n.endswith("entry_points.txt"))
        assert "idsync = idsync.cli:run" in archive.read(entry_points).decode()
    assert "idsync/resources/catalog/destinations.json" in names
    assert "idsync/resources/catalog/identifiers.json" in names
    assert "idsync/resources/examples/facebook-custom-audiences.json" in names
    assert "idsync/resources/examples/google-ads-mobile-id-matcher.json" in names
    assert "idsync/resources/examples/invalid/IDS112-missing-matcher.json" in names
    assert "idsync/resources/examples/warnings/IDS312-field-kind-mismatch.json" in names
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        assert f"idsync/resources/icons/hicolor/{size}x{size}/apps/{DESKTOP_ID}.png" in names
    assert f"idsync/resources/icons/hicolor/scalable/apps/{DESKTOP_ID}.svg" in names
    for suffix in ("desktop", "metainfo.xml", "mime.xml"):
        assert f"idsync/resources/desktop/{DESKTOP_ID}.{suffix}" in names
    # One import package named after the product: nothing else lands in site-packages.
    top_level = {name.split("/")[0] for name in names}
    assert top_level == {
        "idsync",
        f"idsync_configurator-{__version__}.dist-info",
        f"idsync_configurator-{__version__}.data",
    }
    # pip and pipx put the man page under share/man/man1.
    data = f"idsync_configurator-{__version__}.data/data"
    assert f"{data}/share/man/man1/idsync.1" in names
    assert not any(name.startswith("tests/") for name in names)


def test_the_wheel_carries_the_licence_and_the_project_metadata(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = f"idsync_configurator-{__version__}.dist-info"
        assert f"{info}/licenses/LICENSE" in names
        licence = archive.read(f"{info}/licenses/LICENSE").decode()
        metadata = email.message_from_bytes(archive.read(f"{info}/METADATA"))
    assert licence == (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License\n")
    assert metadata["License-Expression"] == "MIT"
    assert metadata["License-File"] == "LICENSE"
    assert metadata["Author"] or metadata["Author-email"]
    urls = dict(value.split(", ", 1) for value in metadata.get_all("Project-URL") or [])
    assert urls["Homepage"] == HOMEPAGE
    assert urls["Issues"] == f"{HOMEPAGE}/issues"
    classifiers = metadata.get_all("Classifier") or []
    assert "Environment :: X11 Applications :: Qt" in classifiers
    assert "Programming Language :: Python :: 3 :: Only" in classifiers
    assert "idsync" not in (metadata["Keywords"] or "")  # words people search with, not ours
    assert "linter" in (metadata["Keywords"] or "")


def test_installed_layout_checks_an_example_from_another_folder(
    wheel: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    example = site / "idsync" / "resources" / "examples" / "google-ads-remarketing-lists.json"
    env = {**os.environ, "PYTHONPATH": str(site)}
    script = (
        "import sys, idsync, idsync.resources as r;"
        "print(idsync.__file__); print(r.resources_dir());"
        "from idsync.cli import main; sys.exit(main(['check', '--format', 'json', sys.argv[1]]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(example)],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    module_file, resources, *report = result.stdout.splitlines()
    assert Path(module_file).is_relative_to(site)
    assert Path(resources) == site / "idsync" / "resources"
    assert json.loads("\n".join(report))["summary"]["errors"] == 0


def test_pip_install_into_a_fresh_venv_gives_a_working_idsync_script(
    wheel: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    # PySide6 is left out (--no-deps, then the headless dependencies only): `check` must not
    # need Qt, and skipping the large Qt wheel keeps this test quick.
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "--no-deps", str(wheel)], check=True, capture_output=True)
    subprocess.run(
        [*pip, "pydantic>=2.6,<3", "platformdirs>=4", "httpx>=0.27", "keyring>=24"],
        check=True,
        capture_output=True,
    )
    script = python.parent / ("idsync.exe" if os.name == "nt" else "idsync")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    examples = ROOT / "resources" / "examples"

    def check(example: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(script), "check", "-q", str(examples / example)],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    clean = check("facebook-custom-audiences.json")
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "", "")
    found = check("invalid/IDS101-too-many-all.json")
    assert found.returncode == 1
    assert " IDS101 error: " in found.stdout
    warned = check("warnings/IDS109-mobile-id-needs-send-mobile-ids.json")
    assert warned.returncode == 0, warned.stderr
    assert " IDS109 warning: " in warned.stdout


# --- sdist and pipx: tools from PyPI in a throwaway environment, never project deps -------


@pytest.fixture(scope="module")
def tools(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throwaway virtual environment with `build` and `pipx`; returns its python."""
    venv = tmp_path_factory.mktemp("packaging-tools") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", "build",
         "pipx"],
        check=True,
        capture_output=True,
    )
    return python


@pytest.mark.slow
def test_the_sdist_builds_and_its_wheel_carries_the_resources(
    tools: Path, tmp_path: Path
) -> None:
    # `python -m build` builds the sdist, then the wheel from the unpacked sdist: so the
    # wheel below proves the sdist holds everything the app needs.
    out = tmp_path / "dist"
    built = subprocess.run(
        [str(tools), "-m", "build", "-o", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    (sdist,) = out.glob("idsync_configurator-*.tar.gz")
    assert sdist.name == f"idsync_configurator-{__version__}.tar.gz"
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for needed in (
        "resources/catalog/destinations.json",
        f"resources/icons/hicolor/48x48/apps/{DESKTOP_ID}.png",
        f"resources/desktop/{DESKTOP_ID}.desktop",
        f"resources/desktop/{DESKTOP_ID}.metainfo.xml",
        f"resources/desktop/{DESKTOP_ID}.mime.xml",
        f"packaging/flatpak/{DESKTOP_ID}.json",
        "packaging/idsync.spec",
        "requirements/frozen.txt",
        "LICENSE",
    ):
        assert needed in names
    assert not any(name.startswith((".venv/", "build/", "dist/")) for name in names)
    (wheel_file,) = out.glob("idsync_configurator-*.whl")
    with zipfile.ZipFile(wheel_file) as archive:
        wheel_names = set(archive.namelist())
    assert f"idsync/resources/icons/hicolor/256x256/apps/{DESKTOP_ID}.png" in wheel_names
    assert "idsync/resources/examples/journey-step.json" in wheel_names


@pytest.mark.slow
def test_pipx_install_gives_an_idsync_that_opens_the_window_and_checks(
    tools: Path, tmp_path: Path
) -> None:
    home = tmp_path / "pipx"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env |= {"PIPX_HOME": str(home), "PIPX_BIN_DIR": str(home / "bin"), "PIPX_MAN_DIR": str(home)}
    installed = subprocess.run(
        [str(tools), "-m", "pipx", "install", str(ROOT)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert installed.returncode == 0, installed.stdout[-2000:] + installed.stderr[-2000:]
    idsync = home / "bin" / ("idsync.exe" if os.name == "nt" else "idsync")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env |= {"QT_QPA_PLATFORM": "offscreen", "IDSYNC_HOME": str(tmp_path / "home")}
    opened = subprocess.run(
        [str(idsync), "--self-test"], cwd=elsewhere, env=env, capture_output=True, text=True,
        check=False,
    )
    assert opened.returncode == 0, opened.stderr
    report = json.loads(opened.stdout)
    assert Path(report["file"]).is_relative_to(home)  # the installed copy's own example
    assert report["findings"]["error"] == 0
    checked = subprocess.run(
        [str(idsync), "check", "-q", report["file"]], cwd=elsewhere, env=env,
        capture_output=True, text=True, check=False,
    )
    assert (checked.returncode, checked.stdout) == (0, "")


# --- lock files ---------------------------------------------------------------------------

LOCKS = ("app", "dev", "frozen", "flatpak", "qt-floor")


def pins(lock: str) -> dict[str, list[tuple[Version, str, int]]]:
    """name -> [(version, marker, number of hashes)] of a lock file (a universal lock can
    pin one package at two versions, for two ranges of Python)."""
    found: dict[str, list[tuple[Version, str, int]]] = {}
    text = (REQUIREMENTS / f"{lock}.txt").read_text(encoding="utf-8")
    for block in re.split(r"\n(?=[a-z0-9])", text):
        pinned = re.match(r"([a-z0-9][a-z0-9._-]*)==([^\s;\\]+)(?: ; ([^\\]+))?", block)
        if pinned:
            hashes = len(re.findall(r"--hash=sha256:[0-9a-f]{64}", block))
            entry = (Version(pinned.group(2)), (pinned.group(3) or "").strip(), hashes)
            found.setdefault(canonicalize_name(pinned.group(1)), []).append(entry)
    return found


def declared(*extras: str) -> list[Requirement]:
    project = PYPROJECT["project"]
    listed = list(project["dependencies"])
    for extra in extras:
        listed += project["optional-dependencies"][extra]
    return [r for r in map(Requirement, listed) if canonicalize_name(r.name) != project["name"]]


@pytest.mark.parametrize("lock", LOCKS)
def test_every_package_of_a_lock_is_pinned_by_version_and_hash(lock: str) -> None:
    text = (REQUIREMENTS / f"{lock}.txt").read_text(encoding="utf-8")
    assert text.startswith("# This file was autogenerated by uv via the following command:\n"
                           "#    make lock\n")
    requirement_lines = [
        line for line in text.splitlines() if line and not line.startswith((" ", "#"))
    ]
    assert requirement_lines and all("==" in line for line in requirement_lines)
    found = pins(lock)
    assert sum(len(versions) for versions in found.values()) == len(requirement_lines)
    assert all(count > 0 for versions in found.values() for _v, _m, count in versions)
    assert "://" not in text  # no index or file location: pip's own configuration decides


@pytest.mark.parametrize(
    ("lock", "extras"),
    [("app", ()), ("dev", ("test", "dev")), ("frozen", ()), ("qt-floor", ("test", "dev"))],
)
def test_each_lock_holds_what_pyproject_declares_within_its_bounds(
    lock: str, extras: tuple[str, ...]
) -> None:
    found = pins(lock)
    for requirement in declared(*extras):
        versions = found.get(canonicalize_name(requirement.name))
        assert versions, f"{requirement.name} is not in requirements/{lock}.txt"
        for version, _marker, _count in versions:
            assert requirement.specifier.contains(version, prereleases=True), (
                f"{requirement.name}=={version} in {lock}.txt is outside {requirement}"
            )


def test_the_builds_lock_their_tools_too() -> None:
    build = Requirement(PYPROJECT["build-system"]["requires"][0])
    for lock in ("dev", "frozen", "qt-floor", "flatpak"):
        (hatchling,) = pins(lock)["hatchling"]
        assert build.specifier.contains(hatchling[0]), lock
        assert "editables" in pins(lock)
    assert "pyinstaller" in pins("frozen")
    assert "pyinstaller" not in pins("dev")
    assert {"pytest", "ruff", "mypy"} <= set(pins("dev"))


def test_the_qt_floor_lock_is_pyprojects_lowest_pyside6() -> None:
    (bound,) = [r for r in declared() if canonicalize_name(r.name) == "pyside6-essentials"]
    lowest = min(Version(spec.version) for spec in bound.specifier if spec.operator == ">=")
    floor = pins("qt-floor")
    assert [v for v, _m, _c in floor["pyside6-essentials"]] == [lowest]
    assert [v for v, _m, _c in floor["shiboken6"]] == [lowest]
    current = pins("dev")["pyside6-essentials"][0][0]
    assert current > lowest  # so the floor run tests something the main run does not


def test_make_ci_and_the_frozen_build_install_from_the_locks_with_hashes() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "LOCK := requirements/dev.txt" in makefile
    assert "--require-hashes -r $(LOCK)" in makefile
    assert "--require-hashes \\\n\t\t-r requirements/qt-floor.txt" in makefile
    assert makefile.count("--no-deps --no-build-isolation -e .") == 1
    build = (ROOT / "packaging" / "build.sh").read_text(encoding="utf-8")
    assert "LOCK=requirements/frozen.txt" in build
    assert '--require-hashes -r "$LOCK"' in build
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert [line for line in ci if line.startswith("make ")] == [
        "make test", "make lint", "make qt-floor", "make package",
    ]
    # Every pip install in these files goes through a lock, or installs the project alone
    # (the Makefile's $(PIP) is `pip install` with quiet flags).
    assert re.search(r"^PIP := \$\(BIN\)/python -m pip install -q [^\n]*$", makefile, re.M)
    makefile = re.sub(r"^PIP := .*$", "", makefile, flags=re.M)
    commands = [
        command
        for text in (makefile, build)
        for command in re.findall(r"(?:pip install|\$\(PIP\))[^\n]*(?:\\\n[^\n]*)*", text)
    ]
    assert len(commands) == 6
    for command in commands:
        assert "--require-hashes" in command or "--no-deps" in command, command


# --- the frozen archive's licence texts (packaging/collect_licenses.py) ------------------


def _system_library(name: str) -> Path:
    for folder in ("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib"):
        if (Path(folder) / name).is_file():
            return Path(folder) / name
    pytest.skip(f"no {name} on this machine")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Debian paths")
def test_the_archive_gets_the_licence_of_every_bundled_component(tmp_path: Path) -> None:
    if shutil.which("dpkg-query") is None:
        pytest.skip("dpkg-query is missing: the system libraries' licences come from Debian")
    internal = tmp_path / "bundle" / "_internal"
    internal.mkdir(parents=True)
    shutil.copyfile(_system_library("libz.so.1"), internal / "libz.so.1")
    (internal / "libQt6Core.so.6").write_bytes(b"")  # a wheel's own: PySide6's licence
    (internal / "libpython3.11.so.1.0").write_bytes(b"")  # Python's licence
    out = tmp_path / "licenses"
    script = ROOT / "packaging" / "collect_licenses.py"
    result = subprocess.run(
        [sys.executable, str(script), str(internal.parent), str(out)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    folders = {path.name for path in out.iterdir()}
    assert "debian-zlib1g" in folders
    assert "libz.so.1" in (out / "debian-zlib1g" / "libraries.txt").read_text(encoding="utf-8")
    (pyside,) = out.glob("pyside6-essentials-*")
    # Qt and PySide6 are LGPL-3.0 (read with the GPL-3.0 it adds to) for this app.
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in (pyside / "LGPL-3").read_text(encoding="utf-8")
    assert "GNU GENERAL PUBLIC LICENSE" in (pyside / "GPL-3").read_text(encoding="utf-8")
    assert list(out.glob("shiboken6-*/LGPL-3"))
    assert list(out.glob("keyring-*/LICENSE")) and list(out.glob("httpx-*/LICENSE.md"))
    (python,) = out.glob("Python-*")
    assert "PYTHON SOFTWARE FOUNDATION LICENSE" in (python / "LICENSE.txt").read_text(
        encoding="utf-8"
    )
    runtime = {name for name in pins("app") if name not in ("pywin32-ctypes",)}
    copied = {re.sub(r"-[0-9][^-]*$", "", name) for name in folders}
    installed_runtime = {name for name in runtime if _installed(name)}
    assert installed_runtime <= copied


def _installed(name: str) -> bool:
    from importlib import metadata

    try:
        metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return False
    return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Debian paths")
def test_a_bundled_library_without_a_known_licence_stops_the_build(tmp_path: Path) -> None:
    internal = tmp_path / "bundle" / "_internal"
    internal.mkdir(parents=True)
    (internal / "libmystery.so.3").write_bytes(b"")
    result = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "collect_licenses.py"),
         str(internal.parent), str(tmp_path / "licenses")],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 1
    assert "collect_licenses: libmystery.so.3: no Debian package with a copyright file" in (
        result.stderr
    )


# --- Flatpak (packaging/flatpak) -----------------------------------------------------------

FLATPAK = ROOT / "packaging" / "flatpak"


def _pin_modules():  # type: ignore[no-untyped-def]
    import importlib.util

    spec = importlib.util.spec_from_file_location("pin_modules", FLATPAK / "pin_modules.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_flatpak_manifest_builds_on_the_kde_runtime_and_the_pyside_baseapp() -> None:
    manifest = json.loads((FLATPAK / f"{DESKTOP_ID}.json").read_text(encoding="utf-8"))
    assert manifest["id"] == DESKTOP_ID
    assert (manifest["runtime"], manifest["sdk"]) == ("org.kde.Platform", "org.kde.Sdk")
    assert manifest["base"] == "io.qt.PySide.BaseApp"
    assert manifest["base-version"] == manifest["runtime-version"]
    # The BaseApp's PySide6 is the runtime's Qt version: inside pyproject.toml's bounds.
    (bound,) = [r for r in declared() if canonicalize_name(r.name) == "pyside6-essentials"]
    assert bound.specifier.contains(f"{manifest['base-version']}.0")
    assert manifest["command"] == "idsync"
    assert "/app/cleanup-BaseApp.sh" in manifest["cleanup-commands"]
    args = manifest["finish-args"]
    assert {"--share=ipc", "--socket=wayland", "--socket=fallback-x11"} <= set(args)
    assert "--share=network" in args  # push talks to Segment's API
    assert "--talk-name=org.freedesktop.secrets" in args  # the token in the keyring
    assert not [a for a in args if a.startswith("--filesystem=")]  # files through portals
    generated, app = manifest["modules"]
    assert generated == "python3-modules.json"
    assert app["buildsystem"] == "simple"
    install, licence, desktop = app["build-commands"]
    assert "--no-index --no-deps --no-build-isolation --prefix=${FLATPAK_DEST} ." in install
    assert licence.endswith("${FLATPAK_DEST}/share/licenses/${FLATPAK_ID}/LICENSE")
    assert desktop == "idsync install-desktop --prefix ${FLATPAK_DEST} --exec idsync"
    (source,) = app["sources"]
    assert (FLATPAK / source["path"]).resolve() == ROOT


def test_the_flatpaks_python_modules_come_from_the_lock_less_what_the_baseapp_has() -> None:
    pin_modules = _pin_modules()
    lock = pin_modules.read_lock((REQUIREMENTS / "flatpak.txt").read_text(encoding="utf-8"))
    assert not set(lock) & {"pyside6-essentials", "shiboken6"}
    assert pin_modules.wanted(lock) == lock
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        if name in pin_modules.FROM_BASEAPP:
            continue
        if requirement.marker and not requirement.marker.evaluate({"python_version": "3.13"}):
            continue  # the runtime's Python does not need it (tomli before 3.11)
        version, hashes = lock[name]
        assert requirement.specifier.contains(version), name
        assert hashes
    assert {"hatchling", "editables"} <= set(lock)  # the app's own build, offline
    assert all(hashes for _version, hashes in lock.values())


def _report(*items: tuple[str, str, str, str]) -> dict[str, object]:
    return {"install": [
        {"metadata": {"name": name, "version": version},
         "download_info": {"url": url, "archive_info": {"hashes": {"sha256": digest}}}}
        for name, version, url, digest in items
    ]}


def test_flatpak_sources_are_the_locked_files_per_architecture() -> None:
    pin_modules = _pin_modules()
    lock = {"httpx": ("0.29.0", frozenset({"a" * 64})),
            "cffi": ("2.1.1", frozenset({"b" * 64, "c" * 64}))}
    pure = ("httpx", "0.29.0", "https://index.example/httpx-0.29.0-py3-none-any.whl", "a" * 64)
    reports = {
        "x86_64": _report(pure, ("cffi", "2.1.1", "https://index.example/cffi-x86_64.whl",
                                 "b" * 64)),
        "aarch64": _report(pure, ("cffi", "2.1.1", "https://index.example/cffi-aarch64.whl",
                                  "c" * 64)),
    }
    sources = pin_modules.sources_from_reports(lock, reports)
    assert sources == [
        {"type": "file", "url": "https://index.example/cffi-aarch64.whl", "sha256": "c" * 64,
         "only-arches": ["aarch64"]},
        {"type": "file", "url": "https://index.example/cffi-x86_64.whl", "sha256": "b" * 64,
         "only-arches": ["x86_64"]},
        {"type": "file", "url": pure[2], "sha256": "a" * 64},
    ]
    module = pin_modules.module(lock, sources)
    (command,) = module["build-commands"]
    assert "--no-index" in command and "--no-deps" in command
    assert command.endswith(" cffi httpx")


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (("httpx", "0.29.0", "https://index.example/h.whl", "f" * 64), "is not what the lock"),
        (("httpx", "0.28.0", "https://index.example/h.whl", "a" * 64), "is not what the lock"),
        (("rich", "14.0.0", "https://index.example/r.whl", "a" * 64), "is not in the lock"),
    ],
)
def test_a_file_the_lock_does_not_pin_stops_the_flatpak_modules(
    item: tuple[str, str, str, str], message: str
) -> None:
    pin_modules = _pin_modules()
    lock = {"httpx": ("0.29.0", frozenset({"a" * 64}))}
    with pytest.raises(ValueError, match=message):
        pin_modules.sources_from_reports(lock, {"x86_64": _report(item)})


def test_a_locked_package_without_a_file_stops_the_flatpak_modules() -> None:
    pin_modules = _pin_modules()
    lock = {"httpx": ("0.29.0", frozenset({"a" * 64})), "h11": ("0.16.0", frozenset({"d" * 64}))}
    item = ("httpx", "0.29.0", "https://index.example/h.whl", "a" * 64)
    with pytest.raises(ValueError, match="no file for h11 on x86_64"):
        pin_modules.sources_from_reports(lock, {"x86_64": _report(item)})
