"""Shared fixtures and helpers for the Segment GUI tests (connect, pickers, push).

No tests here. Test modules load it with ``pytest_plugins`` and mark themselves with
``pytestmark = pytest.mark.usefixtures("token_guard")``.

Everything is real: a Sandbox on a loopback port, a SegmentSession with real workers, an
in-memory keyring *backend class* set through keyring.set_keyring (never the OS keychain).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.backends.fail
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QMainWindow,
    QStyle,
    QStyleOptionButton,
    QTreeWidget,
    QTreeWidgetItem,
)
from pytestqt.qtbot import QtBot

from idsync.core.catalog import Catalog
from idsync.core.model import (
    AudienceTarget,
    DestinationRef,
    IdentifierRow,
    IdSyncDocument,
    Strategy,
)
from idsync.core.rules import validate
from idsync.segment.client import RetryPolicy
from idsync.segment.endpoints import ConnectionProfile, EndpointKind
from idsync.segment.ratelimit import RateLimiter
from idsync.segment.sandbox import Sandbox
from idsync.segment.sandbox.state import SandboxState
from idsync.storage.secrets import clear_session_tokens
from idsync.ui.controller import DocumentController
from idsync.ui.push.session import SegmentSession
from tests.helpers.keyrings import MemoryKeyring, TokenRegistry, assert_tokens_absent

LEFT = Qt.MouseButton.LeftButton
SPACE = "spa_test_main"
OTHER_SPACE = "spa_test_other"
ITERABLE = "dst_iterable"
FACEBOOK = "dst_facebook"
AUDIENCES = (
    ("aud_high_value", "High value customers"),
    ("aud_churn_risk", "Churn risk"),
    ("aud_newsletter", "Newsletter subscribers"),
    ("aud_lapsed", "Lapsed buyers"),
)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    clear_session_tokens()
    yield backend
    keyring.set_keyring(previous)
    clear_session_tokens()


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """Like a machine with no keyring backend at all."""
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    clear_session_tokens()
    yield
    keyring.set_keyring(previous)
    clear_session_tokens()


@pytest.fixture
def used_tokens() -> TokenRegistry:
    return TokenRegistry()


@pytest.fixture
def token_guard(
    used_tokens: TokenRegistry, caplog: pytest.LogCaptureFixture, idsync_home: Path
) -> Iterator[None]:
    caplog.set_level(logging.DEBUG)
    yield
    assert used_tokens.tokens, "the test registered no token to look for"
    assert_tokens_absent(used_tokens.tokens, caplog, idsync_home)


# The sandbox connection ii_high_value_iterable starts with exactly these.
SEEDED_ITERABLE_ROWS = (
    IdentifierRow(segment="email", destination="email", strategy=Strategy.LAST),
    IdentifierRow(segment="user_id", destination="userId", strategy=Strategy.LAST),
)


def workspace_state() -> SandboxState:
    """The tests' own workspace, so they do not depend on the demo seed's contents."""
    state = SandboxState()
    state.add_space(SPACE, "test-main", "Test main")
    state.add_space(OTHER_SPACE, "test-other", "Test other")
    for space in (SPACE, OTHER_SPACE):
        state.add_destination(space, ITERABLE, "iterable", "Iterable")
        # metadata.slug is Segment's own slug, as the catalog and documents store it.
        state.add_destination(
            space, FACEBOOK, "personas-facebook-custom-audiences", "Facebook Custom Audiences"
        )
    for audience_id, name in AUDIENCES:
        state.add_audience(SPACE, name, audience_id=audience_id)
    state.add_audience(OTHER_SPACE, "App users", audience_id="aud_app_users")
    state.connect(
        SPACE,
        "aud_high_value",
        ITERABLE,
        [
            {"externalId": r.segment, "strategy": r.strategy.value, "mapTo": r.destination}
            for r in SEEDED_ITERABLE_ROWS
        ],
        connection_id="ii_high_value_iterable",
    )
    state.connect(
        SPACE,
        "aud_high_value",
        FACEBOOK,
        [{"externalId": "email", "strategy": "all", "mapTo": "EMAIL"}],
        connection_id="ii_high_value_facebook",
    )
    return state


@pytest.fixture
def live_sandbox(used_tokens: TokenRegistry) -> Iterator[Sandbox]:
    with Sandbox(state=workspace_state()) as running:
        used_tokens.add(running.token)
        yield running


def fast_session(**options: Any) -> SegmentSession:
    """A session whose retries back off in milliseconds (429 waits stay real)."""
    options.setdefault("timeout", 5.0)
    options.setdefault("retry", RetryPolicy(backoff_initial=0.01, backoff_max=0.05))
    options.setdefault("limiter", RateLimiter(1000, 60.0))
    return SegmentSession(**options)


@pytest.fixture
def segment_session(
    qtbot: QtBot, memory_keyring: MemoryKeyring, used_tokens: TokenRegistry
) -> Iterator[SegmentSession]:
    """Not connected yet; its own sandbox (if started) is stopped at teardown."""
    made = fast_session()
    yield made
    if made.sandbox is not None:
        used_tokens.add(made.sandbox.token)
    made.shutdown()


@pytest.fixture
def connected_session(segment_session: SegmentSession, live_sandbox: Sandbox) -> SegmentSession:
    """The session connected to ``live_sandbox`` as a custom base URL."""
    profile = ConnectionProfile.create(EndpointKind.CUSTOM, live_sandbox.url)
    segment_session.connect_to(profile, live_sandbox.token, remember=False)
    return segment_session


@pytest.fixture
def doc_controller(catalog: Catalog) -> DocumentController:
    return DocumentController(lambda doc: validate(doc, catalog))


@pytest.fixture
def plain_window(qtbot: QtBot) -> QMainWindow:
    window = QMainWindow()
    window.resize(900, 600)
    qtbot.addWidget(window)
    window.show()
    return window


# -- documents -----------------------------------------------------------------------


def row(segment: str, destination: str, strategy: Strategy = Strategy.LAST) -> IdentifierRow:
    return IdentifierRow(segment=segment, destination=destination, strategy=strategy)


def iterable_document(
    audience_id: str,
    rows: tuple[IdentifierRow, ...],
    *,
    space_id: str = SPACE,
    instance_id: str = ITERABLE,
) -> IdSyncDocument:
    return IdSyncDocument(
        name="Iterable sync",
        target=AudienceTarget(space_id=space_id, audience_id=audience_id),
        destination=DestinationRef(slug="iterable", name="Iterable", instance_id=instance_id),
        identifiers=rows,
    )


def live_rows(sandbox: Sandbox, audience_id: str, instance_id: str) -> list[dict[str, Any]] | None:
    connection = sandbox.state.find_connection(SPACE, audience_id, instance_id)
    return None if connection is None else list(connection["idSyncConfiguration"])


# -- driving widgets like a person ---------------------------------------------------


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    assert button.isVisible(), f"{button.objectName() or button.text()} is not visible"
    assert button.isEnabled(), f"{button.objectName() or button.text()} is disabled"
    qtbot.mouseClick(button, LEFT)


def tick(qtbot: QtBot, box: QCheckBox) -> None:
    """Click the check box's indicator (its middle may be empty space past the label)."""
    assert box.isVisible() and box.isEnabled()
    option = QStyleOptionButton()
    box.initStyleOption(option)
    indicator = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
    qtbot.mouseClick(box, LEFT, pos=indicator.center())


def item_where(tree: QTreeWidget, matches: Callable[[QTreeWidgetItem], bool]) -> QTreeWidgetItem:
    for index in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(index)
        if item is not None and matches(item):
            return item
    texts = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]  # type: ignore[union-attr]
    raise AssertionError(f"no matching item in {tree.objectName()}: {texts}")


def click_item(qtbot: QtBot, tree: QTreeWidget, text: str) -> None:
    """Click the row whose any column reads ``text``, where it is drawn."""
    item = item_where(tree, lambda i: text in [i.text(c) for c in range(i.columnCount())])
    tree.scrollToItem(item)
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(tree.viewport(), LEFT, pos=rect.center())


def texts_of(tree: QTreeWidget, column: int = 0) -> list[str]:
    return [
        item.text(column)
        for item in (tree.topLevelItem(i) for i in range(tree.topLevelItemCount()))
        if item is not None
    ]
