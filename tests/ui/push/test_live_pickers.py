"""Choose from workspace: live lists from a real sandbox, clicked and typed like a person."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from idsync.core.model import AudienceTarget, DestinationRef, IdSyncDocument
from idsync.segment.sandbox import Sandbox
from idsync.ui.controller import DocumentController
from idsync.ui.push.actions import CHOOSE_EDIT_TEXT, PushActions
from idsync.ui.push.picker_dialog import LivePickerDialog
from idsync.ui.push.session import SegmentSession
from idsync.ui.push.status import StatusKind
from tests.helpers.push_support import (
    FACEBOOK,
    ITERABLE,
    SEEDED_ITERABLE_ROWS,
    SPACE,
    click,
    click_item,
    iterable_document,
    texts_of,
)

pytest_plugins = ("tests.helpers.push_support",)
pytestmark = pytest.mark.usefixtures("token_guard")


def loaded(dialog: LivePickerDialog, column: str) -> bool:
    loader = getattr(dialog, f"{column}_loader")
    return not loader.busy


def open_picker(
    qtbot: QtBot, segment_session: SegmentSession, doc: IdSyncDocument | None = None
) -> LivePickerDialog:
    dialog = LivePickerDialog(segment_session, doc)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_picks_space_audience_and_connection_as_one_undo_step(
    qtbot: QtBot,
    connected_session: SegmentSession,
    doc_controller: DocumentController,
    plain_window: QMainWindow,
) -> None:
    start = IdSyncDocument(
        name="Draft",
        destination=DestinationRef(slug="iterable", name="Iterable"),
        identifiers=SEEDED_ITERABLE_ROWS,
    )
    doc_controller.load(start, None)
    actions = PushActions(plain_window, doc_controller, connected_session)
    actions.install(plain_window.menuBar().addMenu("&Segment"))
    assert actions.choose_action.isEnabled()

    actions.choose_action.trigger()
    dialog = actions.dialog
    assert isinstance(dialog, LivePickerDialog)
    qtbot.waitUntil(lambda: len(texts_of(dialog.spaces.view)) == 2)
    assert texts_of(dialog.spaces.view) == ["Test main", "Test other"]
    assert not dialog.use_button.isEnabled()

    click_item(qtbot, dialog.spaces.view, "Test main")
    qtbot.waitUntil(lambda: len(texts_of(dialog.audiences.view)) == 4)

    search = dialog.audiences.search
    assert search is not None
    search.setFocus()
    qtbot.keyClicks(search, "high")
    # Debounced: the answer comes from Segment's search, not from filtering locally.
    qtbot.waitUntil(lambda: texts_of(dialog.audiences.view) == ["High value customers"])

    click_item(qtbot, dialog.audiences.view, "High value customers")
    qtbot.waitUntil(lambda: len(texts_of(dialog.connections.view)) == 2)
    assert texts_of(dialog.connections.view, 2) == [
        "ii_high_value_iterable",
        "ii_high_value_facebook",
    ]
    assert texts_of(dialog.connections.view, 1) == [
        "iterable",
        "personas-facebook-custom-audiences",
    ]

    click_item(qtbot, dialog.connections.view, "ii_high_value_iterable")
    assert ITERABLE in dialog.hint.text()
    click(qtbot, dialog.use_button)

    doc = doc_controller.document
    assert doc.target == AudienceTarget(space_id=SPACE, audience_id="aud_high_value")
    assert doc.destination == DestinationRef(slug="iterable", name="Iterable", instance_id=ITERABLE)
    assert doc.identifiers == start.identifiers
    stack = doc_controller.undo_stack
    assert stack.count() == 1
    assert stack.undoText() == CHOOSE_EDIT_TEXT

    stack.undo()
    assert doc_controller.document == start


def test_a_connection_to_another_destination_replaces_the_destination(
    qtbot: QtBot, connected_session: SegmentSession
) -> None:
    doc = iterable_document("aud_high_value", SEEDED_ITERABLE_ROWS, instance_id="")
    dialog = open_picker(qtbot, connected_session, doc)
    # The document's space and audience are chosen for the person.
    qtbot.waitUntil(lambda: len(texts_of(dialog.connections.view)) == 2)
    click_item(qtbot, dialog.connections.view, "ii_high_value_facebook")
    assert "destination changes from Iterable to Facebook Custom Audiences" in dialog.hint.text()
    choice = dialog.choice()
    assert choice is not None
    assert (choice.space_id, choice.audience_id) == (SPACE, "aud_high_value")
    assert choice.instance_id == FACEBOOK

    from idsync.push.choice import apply_choice

    changed = apply_choice(doc, choice)
    assert changed.destination == DestinationRef(
        slug="personas-facebook-custom-audiences",
        name="Facebook Custom Audiences",
        instance_id=FACEBOOK,
    )


def test_errors_show_inline_and_retry_loads(
    qtbot: QtBot, connected_session: SegmentSession, live_sandbox: Sandbox
) -> None:
    # More 500s than the client retries a GET.
    attempts = connected_session.retry.get_attempts if connected_session.retry else 4
    live_sandbox.fail_next(attempts, status=500, method="GET")
    dialog = open_picker(qtbot, connected_session)
    status = dialog.spaces.status
    qtbot.waitUntil(lambda: status.kind is StatusKind.ERROR)
    assert "Could not load the spaces" in status.text
    assert "HTTP 500" in status.text
    assert dialog.spaces.view.topLevelItemCount() == 0

    click(qtbot, status.retry_button)
    qtbot.waitUntil(lambda: len(texts_of(dialog.spaces.view)) == 2)
    assert status.kind is StatusKind.IDLE


def test_loading_is_shown_while_the_list_is_on_its_way(
    qtbot: QtBot, connected_session: SegmentSession, live_sandbox: Sandbox
) -> None:
    live_sandbox.slow(0.5, count=1)
    dialog = open_picker(qtbot, connected_session)
    status = dialog.spaces.status
    assert status.kind is StatusKind.BUSY
    assert status.text == "Loading spaces…"
    assert status.busy.isVisible()
    qtbot.waitUntil(lambda: len(texts_of(dialog.spaces.view)) == 2)
    assert not status.busy.isVisible()


def test_a_search_with_no_match_says_so(qtbot: QtBot, connected_session: SegmentSession) -> None:
    dialog = open_picker(qtbot, connected_session)
    qtbot.waitUntil(lambda: len(texts_of(dialog.audiences.view)) == 4)
    search = dialog.audiences.search
    assert search is not None
    search.setFocus()
    qtbot.keyClicks(search, "zebra")
    qtbot.waitUntil(lambda: dialog.audiences.status.kind is StatusKind.OK)
    assert dialog.audiences.status.text == "No audiences match “zebra”."
    assert texts_of(dialog.audiences.view) == []
    assert not dialog.use_button.isEnabled()

    # Clearing the search brings the whole list back.
    qtbot.keyClick(search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(search, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: len(texts_of(dialog.audiences.view)) == 4)


def test_choose_is_off_until_connected(
    qtbot: QtBot,
    segment_session: SegmentSession,
    doc_controller: DocumentController,
    plain_window: QMainWindow,
    live_sandbox: Sandbox,
) -> None:
    actions = PushActions(plain_window, doc_controller, segment_session)
    assert not actions.choose_action.isEnabled()
    assert "Typing the ids works offline" in actions.choose_action.toolTip()
    assert actions.open_picker() is None
    assert live_sandbox.count() == 0


def test_every_name_in_the_lists_is_shown_whole(
    qtbot: QtBot, connected_session: SegmentSession
) -> None:
    dialog = open_picker(qtbot, connected_session)
    qtbot.waitUntil(lambda: len(texts_of(dialog.spaces.view)) == 2)
    click_item(qtbot, dialog.spaces.view, "Test main")
    qtbot.waitUntil(lambda: len(texts_of(dialog.audiences.view)) == 4)
    click_item(qtbot, dialog.audiences.view, "High value customers")
    qtbot.waitUntil(lambda: len(texts_of(dialog.connections.view)) == 2)
    for column in (dialog.spaces, dialog.audiences, dialog.connections):
        view = column.view
        metrics = view.fontMetrics()
        for row in range(view.topLevelItemCount()):
            item = view.topLevelItem(row)
            assert item is not None
            text = item.text(0)
            # The name's cell holds its whole text (a cell's margins are a few pixels).
            assert view.columnWidth(0) >= metrics.horizontalAdvance(text), text
