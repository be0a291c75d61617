"""The window's Segment side: the Segment menu, the status bar's connection button, and
the connection remembered between runs (never the token)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from idsync.core.catalog import Catalog
from idsync.segment.endpoints import EndpointKind
from idsync.segment.sandbox import Sandbox
from idsync.storage.settings import load_settings, settings_path
from idsync.ui.main_window import MainWindow
from idsync.ui.push.connect_dialog import ConnectDialog
from tests.helpers.connect import type_into, use_custom_url
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.push_support import click
from tests.helpers.windows import close_window, open_window

pytest_plugins = ("tests.helpers.push_support",)


def test_the_segment_menu_sits_before_help_and_push_waits_for_a_connection(
    window: MainWindow,
) -> None:
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&View", "&Segment", "&Help"]
    assert window.push_actions is not None
    assert not window.push_actions.push_action.isEnabled()
    assert "Connect to Segment first" in window.push_actions.push_action.toolTip()


def test_the_status_bar_shows_whether_segment_is_connected(
    qtbot: QtBot, window: MainWindow
) -> None:
    from idsync.segment.endpoints import ConnectionProfile, EndpointKind

    shown = window.connection_button
    assert shown.isVisible()
    assert shown.text() == "Not connected to Segment"
    # The sandbox keeps no token: nothing reaches the keychain.
    sandbox = ConnectionProfile(EndpointKind.SANDBOX, "http://127.0.0.1:8123")
    window.segment_session.connect_to(sandbox, "a-token", remember=False)
    assert shown.text().startswith("● Connected to the local sandbox")
    assert "127.0.0.1:8123" in shown.text()
    window.segment_session.sign_out()
    assert shown.text() == "Not connected to Segment"


@pytest.mark.usefixtures("token_guard")
def test_next_run_offers_the_last_endpoint_and_keeps_no_token_in_settings(
    qtbot: QtBot, catalog: Catalog, live_sandbox: Sandbox, memory_keyring: MemoryKeyring
) -> None:
    first = open_window(qtbot, catalog)
    first.push_actions.connect_action.trigger()
    dialog = first.push_actions.dialog
    assert isinstance(dialog, ConnectDialog)
    assert dialog.kind is EndpointKind.US  # nothing remembered on a first run
    use_custom_url(qtbot, dialog, live_sandbox.url)
    type_into(qtbot, dialog.token, live_sandbox.token)
    click(qtbot, dialog.connect_button)
    qtbot.waitUntil(lambda: first.segment_session.is_connected, timeout=8000)

    qtbot.waitUntil(
        lambda: (load_settings().segment_endpoint, load_settings().segment_base_url)
        == ("custom", live_sandbox.url)
    )
    assert live_sandbox.token not in settings_path().read_text(encoding="utf-8")
    close_window(first)

    second = open_window(qtbot, catalog)
    assert not second.segment_session.is_connected
    second.push_actions.connect_action.trigger()
    again = second.push_actions.dialog
    assert isinstance(again, ConnectDialog)
    assert again.kind is EndpointKind.CUSTOM
    assert again.base_url.text() == live_sandbox.url
    close_window(second)


@pytest.mark.usefixtures("token_guard")
def test_a_hand_edited_endpoint_falls_back_to_the_us_region(
    qtbot: QtBot, catalog: Catalog, live_sandbox: Sandbox
) -> None:
    settings_path().write_text(
        '{"version": 1, "segment_endpoint": "mars", "segment_base_url": "ftp://x"}\n',
        encoding="utf-8",
    )
    window = open_window(qtbot, catalog)
    assert window.segment_session.last_profile is None
    window.push_actions.connect_action.trigger()
    dialog = window.push_actions.dialog
    assert isinstance(dialog, ConnectDialog)
    assert dialog.kind is EndpointKind.US
    close_window(window)

