"""Talking to Segment from the window: connect, choose from the workspace, push.

The window wires it with ``PushActions(window, controller, SegmentSession(window))
.install(segment_menu)`` and calls ``session.shutdown()`` when the window closes.
Import the modules themselves (``idsync.ui.push.actions``, ``.session``, ...): this package
imports nothing, so the window starts without the API client, the keyring or the sandbox.
"""
