"""The identifier table widget: what the empty table says is what the screen shows."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from idsync.editor.steps import Step
from idsync.ui.main_window import MainWindow
from tests.helpers.documents import CLEAN
from tests.helpers.windows import on_screen


def test_the_empty_table_shows_a_new_placeholder_at_once(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.controller.load(CLEAN.replace(identifiers=()), None)
    window.go_to_step(Step.IDENTIFIERS)
    table = window.event_settings_page.table
    viewport = table.viewport()
    qtbot.wait(200)  # the page painted, and everything after it
    before = on_screen(viewport)
    qtbot.wait(100)
    assert on_screen(viewport) == before

    table.set_placeholder_text("Nothing here yet.")

    # Repainted with nothing else asking: the screen holds the new words.
    qtbot.waitUntil(lambda: on_screen(viewport) != before)


def test_an_edit_repaints_only_what_changed_not_the_placeholder(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.controller.load(CLEAN, None)
    window.go_to_step(Step.IDENTIFIERS)
    page = window.event_settings_page
    assert page.model.rowCount() > 0
    text = page.table.placeholder_text
    # An edit keeps the placeholder's words (the page sets the same ones again).
    page.model.setData(page.model.index(0, 2), "All")
    assert page.table.placeholder_text == text
    assert page.model.index(0, 2).data() == "All"
