"""Help > About, opened from the menu: version, licence, links and the folders, all shown
whole and selectable."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMenu
from pytestqt.qtbot import QtBot

from idsync import APP_NAME, __version__
from idsync.ui.about import AboutDialog
from idsync.ui.main_window import MainWindow
from tests.helpers.layout_checks import clipped_texts


def _menu_action(window: MainWindow, menu_title: str, action_text: str) -> QMenu:
    for top in window.menuBar().actions():
        menu = top.menu()
        if top.text().replace("&", "") == menu_title and isinstance(menu, QMenu):
            for action in menu.actions():
                if action.text().replace("&", "") == action_text:
                    action.trigger()
                    return menu
    raise AssertionError(f"no {menu_title} > {action_text} in the menu bar")


@pytest.fixture
def about(qtbot: QtBot, window: MainWindow) -> Iterator[AboutDialog]:
    _menu_action(window, "Help", f"About {APP_NAME}")
    dialog = window.about_dialog
    assert isinstance(dialog, AboutDialog)
    qtbot.waitExposed(dialog)
    yield dialog
    dialog.reject()


def _shown_text(dialog: AboutDialog) -> str:
    return "\n".join(label.text() for label in dialog.findChildren(QLabel) if label.isVisible())


def test_help_about_shows_the_version_licence_and_links(about: AboutDialog) -> None:
    assert about.isVisible()
    assert about.windowTitle() == f"About {APP_NAME}"
    text = _shown_text(about)
    assert f"Version {__version__}" in text
    assert "Licence: MIT" in text
    assert 'href="https://segment.com/docs/engage/trait-activation/id-sync/"' in text
    assert "#readme" in text
    assert about.links_label.openExternalLinks()


def test_help_about_shows_where_files_are_kept(about: AboutDialog, idsync_home: Path) -> None:
    shown = {title: Path(label.text()) for title, label in about.folder_labels.items()}
    assert list(shown) == ["Settings", "Recovery files", "History"]
    for path in shown.values():
        assert path.is_relative_to(idsync_home)
    assert shown["Settings"].is_dir() and shown["Recovery files"].is_dir()
    assert shown["Recovery files"] != shown["Settings"]
    assert shown["History"] == shown["Recovery files"] / "history.sqlite3"


def test_the_about_text_is_selectable_and_nothing_is_cut_off(about: AboutDialog) -> None:
    labels = [label for label in about.findChildren(QLabel) if label.text()]
    for label in labels:
        assert label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse, (
            label.objectName()
        )
    assert clipped_texts(about) == []


def test_close_puts_the_about_box_away(qtbot: QtBot, about: AboutDialog) -> None:
    qtbot.mouseClick(about.close_button, Qt.MouseButton.LeftButton)
    assert not about.isVisible()


def test_escape_closes_it_too(qtbot: QtBot, about: AboutDialog) -> None:
    qtbot.keyClick(about, Qt.Key.Key_Escape)
    assert not about.isVisible()
    assert QApplication.activeModalWidget() is None
