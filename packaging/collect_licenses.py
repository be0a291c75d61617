"""Put the licence texts of everything the frozen archive bundles into its ``licenses/``.

    python packaging/collect_licenses.py BUNDLE OUT      (with the build environment's python)

BUNDLE is the PyInstaller one-folder app (``dist/idsync``), OUT the folder to fill. What is
bundled, and where its licence text comes from:

- each Python distribution of the runtime lock (requirements/app.txt) installed in this
  environment: the licence files in its ``.dist-info`` (PEP 639 ``licenses/`` or
  ``LICENSE*``/``COPYING*``/``NOTICE*``); a distribution that ships none (PySide6 and
  shiboken6, hence Qt) gets the texts its SPDX licence expression names, from the system's
  ``/usr/share/common-licenses``;
- Python itself: the interpreter's ``LICENSE.txt``;
- every other shared library in the bundle (copied by PyInstaller from the build
  machine): its Debian package's ``copyright`` file, found with ``dpkg-query``.

Anything bundled whose licence text cannot be found stops the build (exit 1), naming it.
Only the standard library.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNTIME_LOCK = ROOT / "requirements" / "app.txt"
COMMON_LICENSES = Path("/usr/share/common-licenses")
# SPDX ids -> the file Debian's base-files ships for it.
SPDX_TEXTS = {
    "LGPL-3.0-only": "LGPL-3", "LGPL-3.0-or-later": "LGPL-3",
    "GPL-2.0-only": "GPL-2", "GPL-2.0-or-later": "GPL-2",
    "GPL-3.0-only": "GPL-3", "GPL-3.0-or-later": "GPL-3",
    "Apache-2.0": "Apache-2.0", "MPL-2.0": "MPL-2.0", "LGPL-2.1-only": "LGPL-2.1",
    "LGPL-2.1-or-later": "LGPL-2.1",
}
# The LGPL is a set of permissions added to the GPL: its text is read with the GPL's.
SPDX_COMPANIONS = {"LGPL-3": ["GPL-3"]}
LICENSE_NAME = re.compile(r"^(LICEN[CS]E|COPYING|NOTICE|AUTHORS)", re.IGNORECASE)
SHARED_LIBRARY = re.compile(r"\.so(\.\d+)*$")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_names(lock: Path) -> set[str]:
    """The distributions a hash-pinned requirements file names."""
    names = set()
    for line in lock.read_text(encoding="utf-8").splitlines():
        found = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==", line)
        if found:
            names.add(normalise(found.group(1)))
    return names


def licence_files(dist: metadata.Distribution) -> list[Path]:
    found = []
    for entry in dist.files or []:
        parts = entry.parts
        if not parts or not parts[0].endswith(".dist-info"):
            continue
        if (len(parts) > 2 and parts[1] == "licenses") or LICENSE_NAME.match(parts[-1]):
            found.append(Path(str(dist.locate_file(entry))))
    return [path for path in found if path.is_file()]


def spdx_texts(expression: str) -> list[Path]:
    names: list[str] = []
    for spdx in re.findall(r"[A-Za-z0-9.+-]+", expression):
        text = SPDX_TEXTS.get(spdx)
        if text:
            names += [text, *SPDX_COMPANIONS.get(text, [])]
    return [COMMON_LICENSES / name for name in dict.fromkeys(names)
            if (COMMON_LICENSES / name).is_file()]


def copy_distributions(out: Path, problems: list[str]) -> set[str]:
    """Copies each locked, installed distribution's licence; returns the names of the
    files those distributions installed."""
    wanted = locked_names(RUNTIME_LOCK)  # the app's own LICENSE is at the archive's root
    owned: set[str] = set()
    for dist in metadata.distributions():
        name = normalise(dist.metadata["Name"] or "")
        if name not in wanted:
            continue
        owned |= {entry.name for entry in dist.files or []}
        target = out / f"{name}-{dist.version}"
        texts = licence_files(dist)
        if not texts:
            expression = dist.metadata["License-Expression"] or dist.metadata["License"] or ""
            texts = spdx_texts(expression)
        if not texts:
            problems.append(f"{name} {dist.version}: no licence text found")
            continue
        target.mkdir(parents=True, exist_ok=True)
        for text in texts:
            shutil.copyfile(text, target / text.name)
        (target / "METADATA-License.txt").write_text(
            f"{dist.metadata['Name']} {dist.version}\n"
            f"License: {dist.metadata['License-Expression'] or dist.metadata['License'] or '?'}\n"
            f"Home: {dist.metadata['Home-page'] or ''}\n",
            encoding="utf-8",
        )
    return owned


def copy_python(out: Path, problems: list[str]) -> None:
    text = Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt"
    if not text.is_file():
        problems.append(f"Python {sys.version.split()[0]}: no {text}")
        return
    target = out / f"Python-{sys.version.split()[0]}"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(text, target / "LICENSE.txt")


def debian_package(library: str) -> str | None:
    result = subprocess.run(
        ["dpkg-query", "-S", f"*/{library}"], capture_output=True, text=True, check=False
    )
    if result.returncode != 0 or ":" not in result.stdout:
        return None
    return result.stdout.split(":", 1)[0].split(",")[0].strip()


def copy_system_libraries(bundle: Path, owned: set[str], out: Path, problems: list[str]) -> None:
    """The shared libraries PyInstaller took from the build machine (not from a wheel)."""
    internal = bundle / "_internal"
    for library in sorted(p for p in internal.iterdir() if SHARED_LIBRARY.search(p.name)):
        if library.name in owned or library.name.startswith("libpython"):
            continue  # a wheel's own (its licence is copied above) or Python's
        package = debian_package(library.name) if shutil.which("dpkg-query") else None
        copyright_file = Path("/usr/share/doc", package or "-", "copyright")
        if package is None or not copyright_file.is_file():
            problems.append(f"{library.name}: no Debian package with a copyright file")
            continue
        target = out / f"debian-{package}"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(copyright_file, target / "copyright")
        with (target / "libraries.txt").open("a", encoding="utf-8") as listing:
            listing.write(library.name + "\n")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    bundle, out = Path(argv[0]), Path(argv[1])
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    problems: list[str] = []
    owned = copy_distributions(out, problems)
    copy_python(out, problems)
    if sys.platform.startswith("linux"):
        copy_system_libraries(bundle, owned, out, problems)
    for problem in problems:
        print(f"collect_licenses: {problem}", file=sys.stderr)
    count = sum(1 for _ in out.iterdir())
    print(f"licence texts of {count} bundled components in {out}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
