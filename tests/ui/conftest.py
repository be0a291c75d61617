"""Qt fixtures: a real main window, real message boxes answered by clicks, and stand-ins
for the native file dialogs (the only thing that cannot run here). The drivers behind them
live in tests.helpers.dialogs and tests.helpers.windows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from idsync.catalog import load_catalog
from idsync.core.catalog import Catalog
from idsync.ui.main_window import MainWindow
from tests.helpers.dialogs import DialogDriver, FileDialogs
from tests.helpers.windows import close_window, open_window

# The offscreen platform plugin warns that it cannot do some window-system things
# (propagate size hints, raise a popup list, grab the keyboard for it); that is the test
# platform talking, not the app. Every other Qt warning still fails the test.
_OFFSCREEN_NOISE = r"^This plugin does not support "


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(_OFFSCREEN_NOISE))


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def dialogs(qtbot: QtBot) -> Iterator[DialogDriver]:
    driver = DialogDriver(qtbot)
    driver.start()
    yield driver
    driver.stop()
    assert not driver.unexpected, f"unexpected dialogs: {driver.unexpected}"


@pytest.fixture
def file_dialogs(monkeypatch: pytest.MonkeyPatch) -> FileDialogs:
    answers = FileDialogs()

    def get_open(*_args: object, **_kwargs: object) -> tuple[str, str]:
        assert answers.open_answers, "an Open dialog was shown but the test gave no answer"
        return answers.open_answers.pop(0), ""

    def get_save(
        _parent: object, caption: str = "", *_args: object, **_kwargs: object
    ) -> tuple[str, str]:
        answers.save_calls.append(caption)
        assert answers.save_answers, "a Save dialog was shown but the test gave no answer"
        return answers.save_answers.pop(0), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(get_open))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(get_save))
    return answers


@pytest.fixture
def window(
    qtbot: QtBot, catalog: Catalog, dialogs: DialogDriver, file_dialogs: FileDialogs
) -> Iterator[MainWindow]:
    main = open_window(qtbot, catalog)
    yield main
    close_window(main)
