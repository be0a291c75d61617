"""At the default 1280x800, no text on the Target, Destination and Review pages is cut off,
for realistic documents (Event settings has its own checks)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from idsync.editor.steps import Step
from idsync.resources import resource_path
from idsync.ui.main_window import MainWindow
from tests.helpers.layout_checks import clipped_texts

EXAMPLES = ("facebook-custom-audiences.json", "journey-step.json")
STEPS = (Step.TARGET, Step.DESTINATION, Step.REVIEW)


def show_at_1280_by_800(qtbot: QtBot, window: MainWindow, step: Step) -> QWidget:
    window.resize(1280, 800)
    window.go_to_step(step)
    page = window.pages[step]
    qtbot.waitUntil(page.isVisible)
    qtbot.waitUntil(lambda: window.size().width() == 1280 and window.size().height() == 800)
    qtbot.wait(20)  # let queued layout requests run
    return page


@pytest.mark.parametrize("example", EXAMPLES)
@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.value)
def test_no_text_is_cut_off(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, step: Step, example: str
) -> None:
    path = tmp_path / example
    shutil.copyfile(resource_path("examples", example), path)
    assert window.files.open_path(path)
    page = show_at_1280_by_800(qtbot, window, step)
    visible = [w for w in page.findChildren(QLabel) if w.isVisible() and w.text()]
    assert len(visible) >= 2, "the check sees the page's labels"
    assert clipped_texts(page) == []


def test_the_check_sees_a_cut_off_label_and_button(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QPushButton

    page = QWidget()
    qtbot.addWidget(page)
    label = QLabel("A label with far too much text for twenty pixels", page)
    wrapped = QLabel("A wrapping label with a lot of words in far too little height", page)
    wrapped.setWordWrap(True)
    button = QPushButton("A button with a long caption", page)
    fitting = QLabel("Fits", page)
    label.setGeometry(0, 0, 20, 30)
    wrapped.setGeometry(0, 40, 60, 10)
    button.setGeometry(0, 60, 30, 30)
    fitting.setGeometry(0, 100, 200, 40)
    page.show()
    qtbot.waitExposed(page)
    problems = clipped_texts(page)
    assert len(problems) == 3, problems
    assert not any("'Fits'" in problem for problem in problems)
