"""The window's menus and shortcuts: steps by Ctrl+number, menu Alt letters no page
takes, and the recent files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from idsync.editor.steps import Step
from idsync.storage.documents import write_document
from idsync.storage.settings import load_settings
from idsync.ui.main_window import MainWindow
from tests.helpers.documents import facebook_document


def _mnemonic(text: str) -> str | None:
    """The letter after a single '&' (Alt+letter), or None."""
    plain = text.replace("&&", "")
    at = plain.find("&")
    return plain[at + 1].lower() if 0 <= at < len(plain) - 1 else None


def recent_entries(window: MainWindow) -> list[str]:
    window.menus.recent_menu.aboutToShow.emit()
    return [a.data() for a in window.menus.recent_menu.actions() if a.data()]


def test_ctrl_number_goes_to_each_step(qtbot: QtBot, window: MainWindow) -> None:
    keys = [Qt.Key.Key_4, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_1]
    steps = (Step.REVIEW, Step.DESTINATION, Step.IDENTIFIERS, Step.TARGET)
    for key, step in zip(keys, steps, strict=True):
        qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
        assert window.current_step is step
        assert window.sidebar.currentRow() == step.position


def test_no_step_page_takes_a_menus_alt_letter(qtbot: QtBot, window: MainWindow) -> None:
    """A label or button on a page with Alt+F or Alt+S would take the key from the File or
    Segment menu while that page is shown: the menu could not be opened by its letter."""
    from PySide6.QtWidgets import QAbstractButton, QLabel

    menus = {
        letter
        for action in window.menuBar().actions()
        if (letter := _mnemonic(action.text())) is not None
    }
    assert {"f", "e", "v", "s", "h"} <= menus
    taken = []
    for step, page in window.pages.items():
        for widget in [*page.findChildren(QLabel), *page.findChildren(QAbstractButton)]:
            letter = _mnemonic(widget.text())
            if letter in menus:
                taken.append((step.value, widget.text()))
    assert taken == []


def test_alt_f_opens_the_file_menu_on_the_destination_step(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.go_to_step(Step.DESTINATION)
    qtbot.waitUntil(window.pages[Step.DESTINATION].isVisible)
    # The menu itself, not QAction.menu(): PySide6 6.10.0-6.11.1 wrap that one dead.
    file_menu = window.file_menu
    assert window.menuBar().actions()[0] == file_menu.menuAction()
    QTimer.singleShot(200, file_menu.close)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(file_menu.isVisible, timeout=1000)


def test_recent_files_are_listed_newest_first_and_persisted(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    paths = [tmp_path / f"config-{n}.json" for n in range(3)]
    for path in paths:
        write_document(path, facebook_document(name=path.stem))
        assert window.files.open_path(path)
    assert recent_entries(window) == [str(p) for p in reversed(paths)]
    # Written once the opening is over (a moment later), not while each file opens.
    qtbot.waitUntil(lambda: load_settings().recent_files == [str(p) for p in reversed(paths)])

    # Choosing an entry from the menu opens it; a deleted file disappears from the menu.
    paths[2].unlink()
    entries = recent_entries(window)
    assert entries == [str(paths[1]), str(paths[0])]
    action = next(a for a in window.menus.recent_menu.actions() if a.data() == str(paths[0]))
    action.trigger()
    assert window.controller.document.name == "config-0"
    assert recent_entries(window)[0] == str(paths[0])


def test_recent_files_keep_at_most_ten(window: MainWindow, tmp_path: Path) -> None:
    for n in range(12):
        path = tmp_path / f"c{n}.json"
        write_document(path, facebook_document())
        assert window.files.open_path(path)
    entries = recent_entries(window)
    assert len(entries) == 10
    assert entries[0] == str(tmp_path / "c11.json")
    assert str(tmp_path / "c1.json") not in entries
