"""The wheel and the sdist carry the resources (icons included), an installed copy finds
them away from a checkout, and `pipx install .` gives a working `idsync`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from app import DESKTOP_ID, __version__

ROOT = Path(__file__).resolve().parents[1]


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
        assert "idsync = app.cli:run" in archive.read(entry_points).decode()
    assert "app/resources/catalog/destinations.json" in names
    assert "app/resources/catalog/identifiers.json" in names
    assert "app/resources/examples/facebook-custom-audiences.json" in names
    assert "app/resources/examples/google-ads-mobile-id-matcher.json" in names
    assert "app/resources/examples/invalid/IDS112-missing-matcher.json" in names
    assert "app/resources/examples/warnings/IDS312-field-kind-mismatch.json" in names
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        assert f"app/resources/icons/hicolor/{size}x{size}/apps/{DESKTOP_ID}.png" in names
    assert f"app/resources/icons/hicolor/scalable/apps/{DESKTOP_ID}.svg" in names
    assert not any(name.startswith("tests/") for name in names)


def test_installed_layout_checks_an_example_from_another_folder(
    wheel: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    example = site / "app" / "resources" / "examples" / "google-ads-remarketing-lists.json"
    env = {**os.environ, "PYTHONPATH": str(site)}
    script = (
        "import sys, app, app.resources as r;"
        "print(app.__file__); print(r.resources_dir());"
        "from app.cli import main; sys.exit(main(['check', '--format', 'json', sys.argv[1]]))"
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
    assert Path(resources) == site / "app" / "resources"
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
    found = check("invalid/IDS110-not-a-preset-key.json")
    assert found.returncode == 1
    assert " IDS110 error: " in found.stdout
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
        f"packaging/{DESKTOP_ID}.desktop",
        f"packaging/{DESKTOP_ID}.metainfo.xml",
        "packaging/idsync.spec",
    ):
        assert needed in names
    assert not any(name.startswith((".venv/", "build/", "dist/")) for name in names)
    (wheel_file,) = out.glob("idsync_configurator-*.whl")
    with zipfile.ZipFile(wheel_file) as archive:
        wheel_names = set(archive.namelist())
    assert f"app/resources/icons/hicolor/256x256/apps/{DESKTOP_ID}.png" in wheel_names
    assert "app/resources/examples/journey-step.json" in wheel_names


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
