from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from idsync.catalog import shipped_catalog_dir


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Catalog code touches no user folders, but nothing here may reach the real ones.
    monkeypatch.setenv("IDSYNC_HOME", str(tmp_path_factory.mktemp("home")))


@pytest.fixture()
def catalog_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped catalog folder."""
    target = tmp_path / "catalog"
    shutil.copytree(shipped_catalog_dir(), target)
    return target
