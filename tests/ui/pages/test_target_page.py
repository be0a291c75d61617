"""Target step: typing is checked as typed, each field's typing is one undo step."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from idsync.core.model import AudienceTarget, JourneyTarget
from idsync.ui.main_window import MainWindow


def undo(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def redo(qtbot: QtBot, window: MainWindow) -> None:
    modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_Z, modifiers)


def test_typing_an_id_clears_the_empty_warning(qtbot: QtBot, window: MainWindow) -> None:
    page = window.target_page
    space = page.fields["target.space_id"]
    note = page.field_findings["target.space_id"]
    assert note.isVisible()
    assert "space id is empty" in note.text()
    qtbot.keyClicks(space, "spa_9f2KxQe7")
    assert window.controller.document.target.space_id == "spa_9f2KxQe7"
    assert not note.isVisible()
    assert not [f for f in window.controller.findings if f.field == "target.space_id"]


def test_a_malformed_id_shows_a_warning_next_to_the_field(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = window.target_page
    audience = page.fields["target.audience_id"]
    qtbot.keyClicks(audience, "aud 42")
    note = page.field_findings["target.audience_id"]
    assert note.isVisible()
    # A pasted space is a house rule: it warns and never blocks a push.
    assert "Warning" in note.text() and "House rule" in note.text()
    assert [f.code for f in note.findings] == ["IDS201"]
    assert "aud 42" in audience.toolTip()
    # Fixing it by keyboard removes the error.
    qtbot.keyClick(audience, Qt.Key.Key_Home)
    qtbot.keyClick(audience, Qt.Key.Key_Right)
    qtbot.keyClick(audience, Qt.Key.Key_Right)
    qtbot.keyClick(audience, Qt.Key.Key_Right)
    qtbot.keyClick(audience, Qt.Key.Key_Delete)
    assert audience.text() == "aud42"
    assert not note.isVisible()


def test_typing_in_one_field_is_one_undo_step(qtbot: QtBot, window: MainWindow) -> None:
    page = window.target_page
    qtbot.keyClicks(page.fields["target.space_id"], "spa_1")
    qtbot.keyClicks(page.fields["target.audience_id"], "aud_2")
    stack = window.controller.undo_stack
    assert stack.count() == 2
    assert stack.undoText() == "Edit audience id"
    assert window.isWindowModified()

    undo(qtbot, window)
    assert window.controller.document.target == AudienceTarget(space_id="spa_1")
    assert page.fields["target.audience_id"].text() == ""
    undo(qtbot, window)
    assert window.controller.document.target == AudienceTarget()
    assert page.fields["target.space_id"].text() == ""
    assert not window.isWindowModified()
    redo(qtbot, window)
    redo(qtbot, window)
    assert window.controller.document.target == AudienceTarget(
        space_id="spa_1", audience_id="aud_2"
    )


def test_switching_to_a_journey_step_keeps_the_space(qtbot: QtBot, window: MainWindow) -> None:
    page = window.target_page
    qtbot.keyClicks(page.fields["target.space_id"], "spa_1")
    assert not page.fields["target.journey_id"].isVisible()
    qtbot.mouseClick(page.journey_radio, Qt.MouseButton.LeftButton)
    assert window.controller.document.target == JourneyTarget(space_id="spa_1")
    assert page.fields["target.journey_id"].isVisible()
    assert page.fields["target.step"].isVisible()
    assert not page.fields["target.audience_id"].isVisible()
    qtbot.keyClicks(page.fields["target.journey_id"], "jou_7")
    qtbot.keyClicks(page.fields["target.step"], "Send to Facebook")
    assert window.controller.document.target == JourneyTarget(
        space_id="spa_1", journey_id="jou_7", step="Send to Facebook"
    )
    undo(qtbot, window)
    undo(qtbot, window)
    undo(qtbot, window)
    assert page.audience_radio.isChecked()
    assert page.fields["target.audience_id"].isVisible()


def test_name_and_notes_are_edits_of_the_document(qtbot: QtBot, window: MainWindow) -> None:
    page = window.target_page
    qtbot.keyClicks(page.name_edit, "VIP to Facebook")
    qtbot.keyClicks(page.notes_edit, "Approved by growth")
    doc = window.controller.document
    assert (doc.name, doc.notes) == ("VIP to Facebook", "Approved by growth")
    assert window.controller.undo_stack.count() == 2
    undo(qtbot, window)
    assert page.notes_edit.toPlainText() == ""
    assert page.name_edit.text() == "VIP to Facebook"


def test_tab_walks_the_fields_in_reading_order(qtbot: QtBot, window: MainWindow) -> None:
    page = window.target_page
    page.fields["target.space_id"].setFocus()
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
    assert window.focusWidget() is page.fields["target.audience_id"]
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
    assert window.focusWidget() is page.name_edit
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
    assert window.focusWidget() is page.notes_edit
