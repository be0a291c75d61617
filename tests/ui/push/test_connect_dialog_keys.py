"""Connect to Segment with the keyboard: Enter connects, and a finished Test connection
leaves focus where it was (never on Cancel)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from idsync.segment.endpoints import EndpointKind
from idsync.ui.push.connect_dialog import ConnectDialog
from idsync.ui.push.session import SegmentSession
from idsync.ui.push.status import StatusKind
from tests.helpers.connect import choose_endpoint, open_dialog
from tests.helpers.push_support import click

pytest_plugins = ("tests.helpers.push_support",)
pytestmark = pytest.mark.usefixtures("token_guard")


def _wait_ok(qtbot: QtBot, dialog: ConnectDialog) -> None:
    qtbot.waitUntil(lambda: dialog.status.kind is StatusKind.OK, timeout=8000)


def test_enter_after_a_keyboard_test_connects_to_the_chosen_sandbox(
    qtbot: QtBot, segment_session: SegmentSession
) -> None:
    dialog = open_dialog(qtbot, segment_session)
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    assert dialog.connect_button.isDefault()
    choose_endpoint(qtbot, dialog, EndpointKind.SANDBOX)
    # Tab along to Test connection and press Space, as a keyboard user does.
    for _ in range(12):
        if QApplication.focusWidget() is dialog.test_button:
            break
        qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.test_button
    qtbot.keyClick(dialog.test_button, Qt.Key.Key_Space)
    _wait_ok(qtbot, dialog)
    assert dialog.status.text.startswith("Connected:")
    # Focus came back to the button that started the test, not to Cancel.
    assert QApplication.focusWidget() is dialog.test_button
    assert dialog.connect_button.isDefault()

    with qtbot.waitSignal(segment_session.connectedChanged, timeout=8000):
        qtbot.keyClick(dialog.test_button, Qt.Key.Key_Return)
    assert dialog.result() == ConnectDialog.DialogCode.Accepted
    profile = segment_session.profile
    assert profile is not None and profile.kind is EndpointKind.SANDBOX


def test_a_clicked_test_leaves_focus_in_the_token_field_and_remembers_the_choice(
    qtbot: QtBot, segment_session: SegmentSession
) -> None:
    dialog = open_dialog(qtbot, segment_session)
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    choose_endpoint(qtbot, dialog, EndpointKind.SANDBOX)
    # Focus is in the Where box, which is disabled while the test runs.
    dialog.endpoint.setFocus()
    dialog.test_button.click()
    assert QApplication.focusWidget() is not dialog.endpoint  # disabled while testing
    _wait_ok(qtbot, dialog)
    assert QApplication.focusWidget() is dialog.endpoint
    assert QApplication.focusWidget() is not dialog.cancel_button

    # Cancel now: the sandbox that worked is still what the dialog offers next time.
    click(qtbot, dialog.cancel_button)
    assert dialog.result() == ConnectDialog.DialogCode.Rejected
    again = open_dialog(qtbot, segment_session)
    assert again.kind is EndpointKind.SANDBOX
