"""Qt test helpers: a real main window, real message boxes answered by clicks, and
stand-ins for the native file dialogs (the only thing that cannot run here)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.catalog import load_catalog
from app.core.catalog import Catalog
from app.ui.main_window import MainWindow

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


@dataclass
class SeenDialog:
    name: str
    title: str
    text: str
    informative: str

    @property
    def full_text(self) -> str:
        return f"{self.text}\n{self.informative}"


@dataclass
class _Expectation:
    name: str
    button: QMessageBox.StandardButton | str


@dataclass
class DialogDriver:
    """Answers real modal message boxes the way a person would: by clicking a button.

    ``expect(name, button)`` queues an answer for the next box with that object name.
    A box nobody expected is recorded and closed, and fails the test at teardown.
    """

    qtbot: QtBot
    seen: list[SeenDialog] = field(default_factory=list)
    unexpected: list[SeenDialog] = field(default_factory=list)
    _expected: list[_Expectation] = field(default_factory=list)
    _timer: QTimer | None = None

    def start(self) -> None:
        self._timer = QTimer()
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._poll)
        self._timer.start()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def expect(self, name: str, button: QMessageBox.StandardButton | str) -> None:
        self._expected.append(_Expectation(name, button))

    @property
    def pending(self) -> int:
        return len(self._expected)

    def _poll(self) -> None:
        widget = QApplication.activeModalWidget()
        if not isinstance(widget, QMessageBox) or not widget.isVisible():
            return
        record = SeenDialog(
            widget.objectName(), widget.windowTitle(), widget.text(), widget.informativeText()
        )
        if self._expected and self._expected[0].name == widget.objectName():
            expectation = self._expected.pop(0)
            self.seen.append(record)
            button = self._find_button(widget, expectation.button)
            self.qtbot.mouseClick(button, _LEFT)
            return
        self.unexpected.append(record)
        widget.done(QDialog.DialogCode.Rejected)

    @staticmethod
    def _find_button(box: QMessageBox, wanted: QMessageBox.StandardButton | str) -> QWidget:
        if isinstance(wanted, QMessageBox.StandardButton):
            button = box.button(wanted)
            assert button is not None, f"{box.objectName()} has no {wanted} button"
            return button
        for button in box.buttons():
            if button.text().replace("&", "") == wanted:
                return button
        raise AssertionError(f"{box.objectName()} has no button {wanted!r}")


_LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def dialogs(qtbot: QtBot) -> Iterator[DialogDriver]:
    driver = DialogDriver(qtbot)
    driver.start()
    yield driver
    driver.stop()
    assert not driver.unexpected, f"unexpected dialogs: {driver.unexpected}"


@dataclass
class FileDialogs:
    """Queued answers for QFileDialog's static functions; '' means the person cancelled."""

    open_answers: list[str] = field(default_factory=list)
    save_answers: list[str] = field(default_factory=list)
    save_calls: list[str] = field(default_factory=list)

    def will_open(self, path: Path | str) -> None:
        self.open_answers.append(str(path))

    def will_save(self, path: Path | str) -> None:
        self.save_answers.append(str(path))


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


def double_click(qtbot: QtBot, widget: QWidget, pos: QPoint) -> None:
    """What a person's double-click delivers: a click, then the double-click event."""
    qtbot.mouseClick(widget, _LEFT, pos=pos)
    qtbot.mouseDClick(widget, _LEFT, pos=pos)


def open_window(qtbot: QtBot, catalog: Catalog) -> MainWindow:
    """A shown, active main window, started as the app starts it (recovery offered)."""
    window = MainWindow(catalog)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.start([])
    return window


def close_window(window: MainWindow) -> None:
    """Close without the unsaved-changes question (tests that want it ask for it)."""
    window.controller.undo_stack.setClean()
    window.close()
    window.deleteLater()


@pytest.fixture
def window(
    qtbot: QtBot, catalog: Catalog, dialogs: DialogDriver, file_dialogs: FileDialogs
) -> Iterator[MainWindow]:
    main = open_window(qtbot, catalog)
    yield main
    close_window(main)
