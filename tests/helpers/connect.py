"""Driving the Connect to Segment dialog by keys and typing, as a person does."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from idsync.segment.endpoints import EndpointKind
from idsync.ui.push.connect_dialog import ConnectDialog
from idsync.ui.push.session import SegmentSession
from idsync.ui.push.status import StatusKind


def open_dialog(qtbot: QtBot, segment_session: SegmentSession) -> ConnectDialog:
    dialog = ConnectDialog(segment_session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    # The saved-token lookup runs in a worker; the tests start from its answer.
    qtbot.waitUntil(lambda: not dialog.checking_keyring, timeout=8000)
    return dialog


def choose_endpoint(qtbot: QtBot, dialog: ConnectDialog, kind: EndpointKind) -> None:
    """Arrow keys on the Where box, as a person using the keyboard would."""
    combo = dialog.endpoint
    combo.setFocus()
    wanted = combo.findData(kind.value)
    for _ in range(combo.count()):
        if combo.currentIndex() == wanted:
            return
        key = Qt.Key.Key_Down if combo.currentIndex() < wanted else Qt.Key.Key_Up
        qtbot.keyClick(combo, key)
    assert dialog.kind is kind


def type_into(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def use_custom_url(qtbot: QtBot, dialog: ConnectDialog, url: str) -> None:
    choose_endpoint(qtbot, dialog, EndpointKind.CUSTOM)
    # Passing EU on the way started a saved-token lookup; let it answer first.
    qtbot.waitUntil(lambda: not dialog.checking_keyring, timeout=8000)
    type_into(qtbot, dialog.base_url, url)


def wait_status(qtbot: QtBot, dialog: ConnectDialog) -> str:
    qtbot.waitUntil(lambda: dialog.status.kind in (StatusKind.OK, StatusKind.ERROR), timeout=8000)
    return dialog.status.text
