"""The wheel carries the resources, and an installed copy finds them away from a checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

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
        assert "idsync = app.cli:main" in archive.read(entry_points).decode()
    assert "app/resources/catalog/destinations.json" in names
    assert "app/resources/catalog/identifiers.json" in names
    assert "app/resources/examples/facebook-custom-audiences.json" in names
    assert "app/resources/examples/google-ads-mobile-id-matcher.json" in names
    assert "app/resources/examples/invalid/IDS112-missing-matcher.json" in names
    assert "app/resources/examples/warnings/IDS312-field-kind-mismatch.json" in names
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
    example = ROOT / "resources" / "examples" / "facebook-custom-audiences.json"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    clean = subprocess.run(
        [str(script), "check", "-q", str(example)],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "", "")
    invalid = ROOT / "resources" / "examples" / "invalid"
    invalid = invalid / "IDS110-not-a-preset-key.json"
    found = subprocess.run(
        [str(script), "check", "-q", str(invalid)],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert found.returncode == 1
    assert " IDS110 error: " in found.stdout
    warning = ROOT / "resources" / "examples" / "warnings"
    warning = warning / "IDS109-mobile-id-needs-send-mobile-ids.json"
    warned = subprocess.run(
        [str(script), "check", "-q", str(warning)],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert warned.returncode == 0, warned.stderr
    assert " IDS109 warning: " in warned.stdout
