"""Talking to Segment from the window: connect, choose from the workspace, push.

The lead wires it with ``PushActions(window, controller, SegmentSession(window))
.install(window.menuBar())`` and calls ``session.shutdown()`` when the window closes.
"""

from app.segment.endpoints import ConnectionProfile, EndpointKind
from app.ui.push.actions import PushActions
from app.ui.push.choice import WorkspaceChoice, apply_choice
from app.ui.push.connect_dialog import ConnectDialog
from app.ui.push.picker_dialog import LivePickerDialog
from app.ui.push.push_dialog import PushDialog
from app.ui.push.session import SegmentSession

__all__ = [
    "ConnectDialog",
    "ConnectionProfile",
    "EndpointKind",
    "LivePickerDialog",
    "PushActions",
    "PushDialog",
    "SegmentSession",
    "WorkspaceChoice",
    "apply_choice",
]
