"""Drivers for Qt's modal dialogs: real message boxes answered by clicks, and queued answers
for the native file dialogs (the only thing that cannot run here). The ``dialogs`` and
``file_dialogs`` fixtures in tests/ui/conftest.py install them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot


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
