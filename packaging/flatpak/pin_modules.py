"""Write ``python3-modules.json``, the Flatpak module of the app's Python dependencies,
from the lock file ``requirements/flatpak.txt``.

    python3 packaging/flatpak/pin_modules.py        (or: make flatpak-modules)

Every package of the lock except those the PySide BaseApp provides (PySide6 and shiboken6)
becomes a ``file`` source: the wheel pip picks for the runtime's Python on each Flatpak
architecture, with its sha256, which must be one of the hashes the lock pins for that
version (else this stops). Wheels built for one architecture carry ``only-arches``. The
Flatpak build then installs them with pip, offline, without resolving anything.

pip finds the files (``pip install --dry-run --report``, run ``--isolated`` so that only the
package index is asked, never a local folder); the output is not committed, as its URLs
name the index this machine reached: regenerate it before a Flatpak build.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LOCK = ROOT / "requirements" / "flatpak.txt"
OUTPUT = HERE / "python3-modules.json"
# What io.qt.PySide.BaseApp brings (built against the runtime's Qt).
FROM_BASEAPP = frozenset({"pyside6-essentials", "shiboken6"})
# The architectures Flathub builds, and the Python of the KDE runtime the manifest names.
ARCHES = ("x86_64", "aarch64")
RUNTIME_PYTHON = "3.13"

Lock = dict[str, tuple[str, frozenset[str]]]


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock(text: str) -> Lock:
    """name -> (version, sha256 hashes) from a hash-pinned requirements file."""
    pins: Lock = {}
    current: str | None = None
    for line in text.splitlines():
        pinned = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", line)
        if pinned:
            current = normalise(pinned.group(1))
            pins[current] = (pinned.group(2), frozenset())
        elif not line.strip().startswith("--hash"):
            current = None  # a comment or a blank line ends a package's hashes
        if current is not None:
            version, hashes = pins[current]
            found = re.findall(r"--hash=sha256:([0-9a-f]{64})", line)
            pins[current] = (version, hashes | frozenset(found))
    return pins


def wanted(lock: Lock) -> Lock:
    return {name: pin for name, pin in lock.items() if name not in FROM_BASEAPP}


def requirement_lines(lock: Lock) -> list[str]:
    return [
        f"{name}=={version} " + " ".join(f"--hash=sha256:{digest}" for digest in sorted(hashes))
        for name, (version, hashes) in sorted(lock.items())
    ]


def sources_from_reports(lock: Lock, reports: Mapping[str, Mapping[str, Any]]) -> list[dict]:
    """The Flatpak ``file`` sources from one pip installation report per architecture."""
    by_url: dict[str, dict[str, Any]] = {}
    for arch, report in reports.items():
        seen = set()
        for item in report["install"]:
            name = normalise(item["metadata"]["name"])
            version = item["metadata"]["version"]
            info = item["download_info"]
            url = info["url"]
            digest = info.get("archive_info", {}).get("hashes", {}).get("sha256", "")
            if name not in lock:
                raise ValueError(f"{name} {version} is not in the lock")
            pinned_version, hashes = lock[name]
            if version != pinned_version or digest not in hashes:
                raise ValueError(f"{url} ({name} {version}) is not what the lock pins")
            seen.add(name)
            source = by_url.setdefault(
                url, {"type": "file", "url": url, "sha256": digest, "arches": []}
            )
            source["arches"].append(arch)
        missing = set(lock) - seen
        if missing:
            raise ValueError(f"no file for {', '.join(sorted(missing))} on {arch}")
    sources = []
    for source in sorted(by_url.values(), key=lambda s: s["url"].rsplit("/", 1)[-1]):
        arches = source.pop("arches")
        if sorted(arches) != sorted(reports):
            source["only-arches"] = sorted(arches)
        sources.append(source)
    return sources


def module(lock: Lock, sources: list[dict]) -> dict[str, Any]:
    names = " ".join(sorted(lock))
    return {
        "name": "python3-modules",
        "buildsystem": "simple",
        "build-commands": [
            "pip3 install --verbose --exec-prefix=${FLATPAK_DEST} --prefix=${FLATPAK_DEST} "
            f'--no-index --find-links="file://${{PWD}}" --no-build-isolation --no-deps {names}'
        ],
        "sources": sources,
    }


def pip_report(requirements: Iterable[str], arch: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        listing = Path(folder, "requirements.txt")
        listing.write_text("\n".join(requirements) + "\n", encoding="utf-8")
        report = Path(folder, "report.json")
        platforms = [f"manylinux_2_{minor}_{arch}" for minor in range(40, 16, -1)]
        command = [
            sys.executable, "-m", "pip", "--isolated", "--disable-pip-version-check",
            "install", "--quiet", "--dry-run", "--ignore-installed", "--no-deps",
            "--only-binary=:all:", "--target", folder,
            "--python-version", RUNTIME_PYTHON, "--implementation", "cp",
            *(arg for platform in platforms for arg in ("--platform", platform)),
            "--report", str(report), "-r", str(listing),
        ]
        subprocess.run(command, check=True)
        return json.loads(report.read_text(encoding="utf-8"))


def main() -> int:
    lock = wanted(read_lock(LOCK.read_text(encoding="utf-8")))
    lines = requirement_lines(lock)
    reports = {arch: pip_report(lines, arch) for arch in ARCHES}
    try:
        sources = sources_from_reports(lock, reports)
    except ValueError as exc:
        print(f"pin_modules: {exc}", file=sys.stderr)
        return 1
    OUTPUT.write_text(json.dumps(module(lock, sources), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT} ({len(sources)} files for {len(lock)} packages)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
