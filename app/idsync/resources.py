"""Locate shipped resources both in a checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def resources_dir() -> Path:
    # A wheel carries resources/ inside the package (see pyproject force-include);
    # a checkout has it at the project's root, two levels up (app/idsync/).
    for candidate in (_PACKAGE_DIR / "resources", _PACKAGE_DIR.parents[1] / "resources"):
        if (candidate / "catalog").is_dir():
            return candidate
    raise FileNotFoundError(
        "The app's resources folder is missing; reinstall idsync-configurator."
    )


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
