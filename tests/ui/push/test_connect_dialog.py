"""Connect to Segment, driven by clicks and typing against a real loopback sandbox."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import keyring
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLineEdit, QMainWindow
from pytestqt.qtbot import QtBot

from idsync.core.model import IdentifierRow, IdSyncDocument
from idsync.segment.endpoints import EndpointKind
from idsync.segment.regions import Region
from idsync.segment.sandbox import Sandbox
from idsync.storage.secrets import SERVICE_NAME, TOKEN_ENV_VAR, StorageKind, account_for
from idsync.ui.controller import DocumentController
from idsync.ui.push.actions import PushActions
from idsync.ui.push.connect_dialog import (
    PLACEHOLDER_CHECKING,
    PLACEHOLDER_PASTE,
    PLACEHOLDER_SAVED,
    ConnectDialog,
)
from idsync.ui.push.session import SegmentSession
from idsync.ui.push.status import StatusKind
from tests.helpers.connect import (
    choose_endpoint,
    open_dialog,
    type_into,
    use_custom_url,
    wait_status,
)
from tests.helpers.keyrings import MemoryKeyring, TokenRegistry
from tests.helpers.network import closed_port
from tests.helpers.push_support import click, tick

pytest_plugins = ("tests.helpers.push_support",)
pytestmark = pytest.mark.usefixtures("token_guard")


def test_wrong_token_says_what_to_do(
    qtbot: QtBot, segment_session: SegmentSession, live_sandbox: Sandbox, used_tokens: TokenRegistry
) -> None:
    dialog = open_dialog(qtbot, segment_session)
    use_custom_url(qtbot, dialog, live_sandbox.url)
    type_into(qtbot, dialog.token, used_tokens.add("sbx_not_the_right_token"))

    click(qtbot, dialog.test_button)

    message = wait_status(qtbot, dialog)
    assert dialog.status.kind is StatusKind.ERROR
    assert "token was refused (HTTP 401)" in message
    assert "create a new token in Segment" in message
    assert "sbx_not_the_right_token" not in message
    assert not segment_session.is_connected

    # Connect with the same wrong token keeps the dialog open and says the same.
    click(qtbot, dialog.connect_button)
    qtbot.waitUntil(lambda: dialog.connect_button.isEnabled())
    assert "token was refused" in wait_status(qtbot, dialog)
    assert dialog.isVisible()
    assert not segment_session.is_connected


def test_local_sandbox_fills_in_and_connects(qtbot: QtBot, segment_session: SegmentSession) -> None:
    dialog = open_dialog(qtbot, segment_session)
    with qtbot.waitSignal(segment_session.connectedChanged, timeout=8000) as connected_signal:
        choose_endpoint(qtbot, dialog, EndpointKind.SANDBOX)
        sandbox = segment_session.sandbox
        assert sandbox is not None
        assert dialog.base_url.text() == sandbox.url
        assert dialog.base_url.isReadOnly()
        assert dialog.token.text() == sandbox.token
        assert dialog.token.echoMode() is QLineEdit.EchoMode.Password
        assert dialog.sandbox_note.isVisible()
        assert "practice server" in dialog.sandbox_note.text()
        assert "Nothing is sent to Segment" in dialog.sandbox_note.text()

        click(qtbot, dialog.test_button)
        spaces = len(sandbox.state.spaces)
        assert spaces > 1
        assert wait_status(qtbot, dialog) == f"Connected: {spaces} spaces."

        click(qtbot, dialog.connect_button)
    assert connected_signal.args == [True]
    assert dialog.result() == ConnectDialog.DialogCode.Accepted
    assert (
        segment_session.profile is not None and segment_session.profile.kind is EndpointKind.SANDBOX
    )
    # The sandbox token is never kept anywhere.
    assert dialog.storage_kind is None
    # The test had already passed with these inputs: Connect sent nothing new.
    assert sandbox.count(method="GET") == 1


def test_remember_is_off_for_the_sandbox_and_comes_back_after(
    qtbot: QtBot, segment_session: SegmentSession
) -> None:
    dialog = open_dialog(qtbot, segment_session)
    assert dialog.remember.isChecked()
    choose_endpoint(qtbot, dialog, EndpointKind.SANDBOX)
    assert not dialog.remember.isEnabled()
    assert not dialog.remember.isChecked()
    assert "not saved" in dialog.storage_note.text()
    choose_endpoint(qtbot, dialog, EndpointKind.US)
    assert dialog.remember.isEnabled()
    assert dialog.remember.isChecked()


def test_show_hide_toggle_unmasks_and_masks_again(
    qtbot: QtBot, segment_session: SegmentSession, used_tokens: TokenRegistry
) -> None:
    dialog = open_dialog(qtbot, segment_session)
    type_into(qtbot, dialog.token, used_tokens.add("sgp_typed_secret"))
    assert dialog.token.echoMode() is QLineEdit.EchoMode.Password
    click(qtbot, dialog.show_token)
    assert dialog.token.echoMode() is QLineEdit.EchoMode.Normal
    assert dialog.show_token.text() == "Hide"
    click(qtbot, dialog.show_token)
    assert dialog.token.echoMode() is QLineEdit.EchoMode.Password
    assert dialog.show_token.text() == "Show"


def test_remembered_token_goes_to_the_keyring_and_is_used_next_time(
    qtbot: QtBot,
    segment_session: SegmentSession,
    live_sandbox: Sandbox,
    memory_keyring: MemoryKeyring,
) -> None:
    dialog = open_dialog(qtbot, segment_session)
    use_custom_url(qtbot, dialog, live_sandbox.url)
    type_into(qtbot, dialog.token, live_sandbox.token)
    assert dialog.remember.isChecked()
    assert "saved in the system keyring" in dialog.storage_note.text()

    click(qtbot, dialog.connect_button)
    qtbot.waitUntil(lambda: dialog.result() == ConnectDialog.DialogCode.Accepted, timeout=8000)

    assert dialog.storage_kind is StorageKind.KEYRING
    assert memory_keyring.entries == {
        (SERVICE_NAME, account_for(live_sandbox.url)): live_sandbox.token
    }

    # Next time the field stays empty and the saved token is used.
    again = open_dialog(qtbot, segment_session)
    assert again.kind is EndpointKind.CUSTOM
    assert again.base_url.text() == live_sandbox.url
    assert again.token.text() == ""
    assert "saved in the keyring" in again.token.placeholderText()
    click(qtbot, again.test_button)
    assert wait_status(qtbot, again) == "Connected: 2 spaces."


def test_unticking_remember_keeps_it_for_the_session_and_drops_a_saved_copy(
    qtbot: QtBot,
    segment_session: SegmentSession,
    live_sandbox: Sandbox,
    memory_keyring: MemoryKeyring,
) -> None:
    memory_keyring.entries[(SERVICE_NAME, account_for(live_sandbox.url))] = "old"
    dialog = open_dialog(qtbot, segment_session)
    use_custom_url(qtbot, dialog, live_sandbox.url)
    type_into(qtbot, dialog.token, live_sandbox.token)
    tick(qtbot, dialog.remember)
    assert not dialog.remember.isChecked()
    assert "this session only" in dialog.storage_note.text()

    click(qtbot, dialog.connect_button)
    qtbot.waitUntil(lambda: segment_session.is_connected, timeout=8000)
    assert dialog.storage_kind is StorageKind.SESSION
    assert memory_keyring.entries == {}


@pytest.mark.usefixtures("no_keyring")
def test_without_a_keyring_backend_it_says_session_only(
    qtbot: QtBot, live_sandbox: Sandbox, used_tokens: TokenRegistry
) -> None:
    from tests.helpers.push_support import fast_session

    segment_session = fast_session()
    try:
        dialog = open_dialog(qtbot, segment_session)
        use_custom_url(qtbot, dialog, live_sandbox.url)
        assert not dialog.remember.isEnabled()
        assert not dialog.remember.isChecked()
        assert "No system keyring is available" in dialog.storage_note.text()
        assert "kept for this session only" in dialog.storage_note.text()
        type_into(qtbot, dialog.token, live_sandbox.token)
        click(qtbot, dialog.connect_button)
        qtbot.waitUntil(lambda: segment_session.is_connected, timeout=8000)
        assert dialog.storage_kind is StorageKind.SESSION
    finally:
        segment_session.shutdown()


def test_environment_token_is_used_and_said_so(
    qtbot: QtBot,
    segment_session: SegmentSession,
    live_sandbox: Sandbox,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(TOKEN_ENV_VAR, live_sandbox.token)
    dialog = open_dialog(qtbot, segment_session)
    use_custom_url(qtbot, dialog, live_sandbox.url)
    assert TOKEN_ENV_VAR in dialog.storage_note.text()
    assert "environment variable" in dialog.storage_note.text()
    assert not dialog.token.isEnabled()
    assert not dialog.remember.isEnabled()

    click(qtbot, dialog.connect_button)
    qtbot.waitUntil(lambda: segment_session.is_connected, timeout=8000)
    assert dialog.storage_kind is StorageKind.ENVIRONMENT


def test_plain_http_to_another_host_is_refused_before_any_request(
    qtbot: QtBot, segment_session: SegmentSession, used_tokens: TokenRegistry
) -> None:
    dialog = open_dialog(qtbot, segment_session)
    use_custom_url(qtbot, dialog, "http://api.example.com")
    type_into(qtbot, dialog.token, used_tokens.add("sgp_whatever"))
    click(qtbot, dialog.test_button)
    assert dialog.status.kind is StatusKind.ERROR
    assert "plain http" in dialog.status.text
    assert "Use https" in dialog.status.text
    assert segment_session.tasks.active_count == 0


def test_nothing_listening_gives_the_network_message(
    qtbot: QtBot, segment_session: SegmentSession, used_tokens: TokenRegistry
) -> None:
    dialog = open_dialog(qtbot, segment_session)
    use_custom_url(qtbot, dialog, f"http://127.0.0.1:{closed_port()}")
    type_into(qtbot, dialog.token, used_tokens.add("sgp_whatever"))
    click(qtbot, dialog.test_button)
    message = wait_status(qtbot, dialog)
    assert "Could not connect to 127.0.0.1" in message
    assert "local sandbox is running" in message


def test_segment_menu_connects_and_enables_the_other_actions(
    qtbot: QtBot,
    segment_session: SegmentSession,
    doc_controller: DocumentController,
    plain_window: QMainWindow,
) -> None:
    actions = PushActions(plain_window, doc_controller, segment_session)
    menu = actions.install(plain_window.menuBar().addMenu("&Segment"))
    assert [a.text() for a in menu.actions() if not a.isSeparator()] == [
        "&Connect to Segment…",
        "C&hoose from Workspace…",
        "&Push…",
        "&Disconnect",
    ]
    assert not actions.choose_action.isEnabled()
    assert not actions.push_action.isEnabled()
    assert "Connect to Segment first" in actions.push_action.toolTip()
    assert actions.push_action.shortcut().toString() == "Ctrl+Shift+P"

    actions.connect_action.trigger()
    dialog = actions.dialog
    assert isinstance(dialog, ConnectDialog)
    choose_endpoint(qtbot, dialog, EndpointKind.SANDBOX)
    click(qtbot, dialog.connect_button)
    qtbot.waitUntil(lambda: segment_session.is_connected, timeout=8000)

    assert actions.choose_action.isEnabled()
    assert "Connected to the local sandbox" in plain_window.statusBar().currentMessage()
    # A new empty document has only warnings (no rows, no destination, no target): they
    # never block Push, whose plan then says what is missing.
    assert not [f for f in doc_controller.findings if f.is_error]
    assert actions.push_action.isEnabled()
    # A document with an error turns Push off, and the tooltip says why.
    six = tuple(IdentifierRow(segment=f"id_{i}", destination="x") for i in range(6))
    doc_controller.load(IdSyncDocument(identifiers=six), None)
    assert not actions.push_action.isEnabled()
    assert "Fix the 1 error first" in actions.push_action.toolTip()

    actions.sign_out_action.trigger()
    assert not segment_session.is_connected
    assert not actions.choose_action.isEnabled()


class LockedKeyring(MemoryKeyring):
    """Like a locked keychain whose unlock prompt waits for the person: every read blocks
    until the test releases it."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.asked: list[str] = []

    def get_password(self, service: str, username: str) -> str | None:
        self.asked.append(username)
        # Bounded, so a UI-thread read makes the test fail instead of hanging the run.
        self.release.wait(timeout=15)
        return super().get_password(service, username)


@pytest.fixture
def locked_keyring(segment_session: SegmentSession) -> Iterator[LockedKeyring]:
    previous = keyring.get_keyring()
    backend = LockedKeyring()
    keyring.set_keyring(backend)
    yield backend
    # Before the session's shutdown waits for its workers.
    backend.release.set()
    keyring.set_keyring(previous)


def assert_responsive(qtbot: QtBot, dialog: ConnectDialog, typed: str) -> None:
    """The event loop runs (a timer fires) and typing reaches the token field."""
    timer = QTimer(dialog)
    timer.setSingleShot(True)
    with qtbot.waitSignal(timer.timeout, timeout=2000):
        timer.start(0)
    type_into(qtbot, dialog.token, typed)
    assert dialog.token.text() == typed


def test_saved_token_lookup_waits_on_the_keyring_without_freezing_the_dialog(
    qtbot: QtBot,
    segment_session: SegmentSession,
    locked_keyring: LockedKeyring,
    used_tokens: TokenRegistry,
) -> None:
    # Only the US endpoint has a saved token, so a stale US answer would show "saved".
    locked_keyring.entries[(SERVICE_NAME, account_for(Region.US.base_url))] = used_tokens.add(
        "sgp_saved_for_us"
    )
    dialog = ConnectDialog(segment_session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.kind is EndpointKind.US
    qtbot.waitUntil(lambda: locked_keyring.asked == [account_for(Region.US.base_url)])
    assert dialog.checking_keyring
    assert dialog.token.placeholderText() == PLACEHOLDER_CHECKING
    assert "saved in the system keyring" in dialog.storage_note.text()

    assert_responsive(qtbot, dialog, used_tokens.add("sgp_typed_while_locked"))
    choose_endpoint(qtbot, dialog, EndpointKind.EU)
    assert dialog.token.placeholderText() == PLACEHOLDER_CHECKING
    assert_responsive(qtbot, dialog, used_tokens.add("sgp_typed_after_switch"))

    locked_keyring.release.set()
    qtbot.waitUntil(lambda: not dialog.checking_keyring, timeout=8000)
    # The US answer came too late and was dropped; EU was looked up once the read ended.
    assert locked_keyring.asked == [
        account_for(Region.US.base_url),
        account_for(Region.EU.base_url),
    ]
    assert dialog.token.placeholderText() == PLACEHOLDER_PASTE

    choose_endpoint(qtbot, dialog, EndpointKind.US)
    qtbot.waitUntil(lambda: not dialog.checking_keyring, timeout=8000)
    assert dialog.token.placeholderText() == PLACEHOLDER_SAVED


def test_test_connection_reads_the_saved_token_off_the_ui_thread(
    qtbot: QtBot,
    segment_session: SegmentSession,
    live_sandbox: Sandbox,
    locked_keyring: LockedKeyring,
) -> None:
    locked_keyring.entries[(SERVICE_NAME, account_for(live_sandbox.url))] = live_sandbox.token
    locked_keyring.release.set()
    dialog = open_dialog(qtbot, segment_session)
    use_custom_url(qtbot, dialog, live_sandbox.url)
    dialog.token.setFocus()  # leaving the URL field looks up its saved token
    qtbot.waitUntil(lambda: not dialog.checking_keyring, timeout=8000)
    assert dialog.token.placeholderText() == PLACEHOLDER_SAVED
    asked_before = len(locked_keyring.asked)

    locked_keyring.release.clear()
    click(qtbot, dialog.test_button)
    qtbot.waitUntil(lambda: len(locked_keyring.asked) > asked_before)
    assert dialog.status.kind is StatusKind.BUSY
    assert not dialog.test_button.isEnabled()
    timer = QTimer(dialog)
    timer.setSingleShot(True)
    with qtbot.waitSignal(timer.timeout, timeout=2000):
        timer.start(0)

    locked_keyring.release.set()
    assert wait_status(qtbot, dialog) == "Connected: 2 spaces."
    assert dialog.token.text() == ""

    # Connect reuses the token the test found: no second keyring read, no new request.
    asked_after_test = len(locked_keyring.asked)
    click(qtbot, dialog.connect_button)
    assert dialog.result() == ConnectDialog.DialogCode.Accepted
    assert len(locked_keyring.asked) == asked_after_test
    assert segment_session.is_connected


def test_connect_with_no_token_anywhere_asks_for_one(
    qtbot: QtBot, segment_session: SegmentSession, live_sandbox: Sandbox
) -> None:
    dialog = open_dialog(qtbot, segment_session)
    use_custom_url(qtbot, dialog, live_sandbox.url)
    click(qtbot, dialog.connect_button)
    message = wait_status(qtbot, dialog)
    assert dialog.status.kind is StatusKind.ERROR
    assert "Enter the API token." in message
    assert "Access Management > Tokens" in message
    assert dialog.isVisible()
    assert not segment_session.is_connected
    assert live_sandbox.count(method="GET") == 0
    assert dialog.token.hasFocus()
