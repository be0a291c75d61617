"""Test-wide setup: Qt offscreen, and every app folder inside a per-test temp home."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from idsync.storage.damage import take_reports

# Helpers assert too (a failed check inside one should say what differed); register them
# for rewriting before any test module imports one.
pytest.register_assert_rewrite("tests.helpers")

pytest_plugins = ("tests.helpers.sandbox",)

# No per-example deadline: a loaded 2-core CI machine must not turn slowness into failures.
# On CI the examples are derandomized, so a red run can be reproduced exactly.
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", parent=settings.get_profile("dev"), derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

# Must be set before any QApplication exists (pytest-qt creates it lazily).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("SEGMENT_PUBLIC_API_TOKEN", None)


@pytest.fixture(autouse=True)
def idsync_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Settings, autosave, history and caches of the app go here, never to the real home."""
    home = tmp_path_factory.mktemp("idsync-home")
    monkeypatch.setenv("IDSYNC_HOME", str(home))
    yield home
    take_reports()  # damaged files one test set aside are not reported in the next
