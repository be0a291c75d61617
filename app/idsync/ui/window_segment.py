"""The window's Segment side: the connection for this run (remembered between runs
without its token), the Segment menu, and the status bar's connection button that
always says whether pushes and live lists reach Segment, and where.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QAbstractButton, QMainWindow, QMenu

from idsync.segment.endpoints import ConnectionProfile, EndpointKind
from idsync.segment.errors import SegmentError
from idsync.storage.settings import Settings
from idsync.ui.controller import DocumentController
from idsync.ui.push.actions import PushActions
from idsync.ui.push.session import SegmentSession


def remembered_connection(settings: Settings) -> ConnectionProfile | None:
    """Where the last connection went; None when nothing (usable) is remembered."""
    try:
        kind = EndpointKind(settings.segment_endpoint)
        if kind is EndpointKind.SANDBOX:
            return ConnectionProfile(kind, "")  # a new sandbox gets a new address
        return ConnectionProfile.create(kind, settings.segment_base_url)
    except (ValueError, SegmentError):
        return None  # nothing remembered yet, or a hand-edited value: start from US


class WindowSegment:
    """Connect, choose from the workspace and push (``push_actions``), over ``session``."""

    def __init__(
        self,
        window: QMainWindow,
        controller: DocumentController,
        settings: Settings,
        persist_settings: Callable[[], None],
        connection_button: QAbstractButton,
    ) -> None:
        self._settings = settings
        self._persist_settings = persist_settings
        self._button = connection_button
        self.session = SegmentSession(window)
        self.session.last_profile = remembered_connection(settings)
        self.session.connectedChanged.connect(self._remember_connection)
        self.push_actions = PushActions(window, controller, self.session)

    def install(self, menu: QMenu) -> None:
        self.push_actions.install(menu)
        self.session.connectedChanged.connect(self._show_connection)
        self._button.clicked.connect(self.push_actions.connect_action.trigger)
        self._show_connection()

    def _show_connection(self, *_connected: object) -> None:
        session = self.session
        profile = session.profile if session.is_connected else None
        if profile is None:
            text = "Not connected to Segment"
            tip = "Segment > Connect to Segment… to push and to pick from live lists"
        else:
            text = f"● {session.description}"
            tip = f"{session.description}. Segment > Disconnect to stop using it."
        self._button.setText(text)
        self._button.setToolTip(tip)
        self._button.setAccessibleName(text)

    def _remember_connection(self, connected: bool) -> None:
        profile = self.session.profile
        if not connected or profile is None:
            return
        self._settings.segment_endpoint = profile.kind.value
        self._settings.segment_base_url = (
            profile.base_url if profile.kind is EndpointKind.CUSTOM else ""
        )
        self._persist_settings()
